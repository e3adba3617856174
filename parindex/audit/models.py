from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Who did what, when, old -> new and why. Written by services inside their transaction."""

    at = models.DateTimeField("lúc", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField("hành động", max_length=80, db_index=True)
    object_type = models.CharField("loại đối tượng", max_length=80)
    object_id = models.CharField("mã đối tượng", max_length=64)
    object_repr = models.CharField("đối tượng", max_length=300)
    old = models.JSONField("giá trị cũ", null=True, blank=True)
    new = models.JSONField("giá trị mới", null=True, blank=True)
    reason = models.TextField("lý do", blank=True)

    class Meta:
        verbose_name = "sự kiện nhật ký"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.verb} {self.object_repr}"
