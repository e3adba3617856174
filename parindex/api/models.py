"""Personal API tokens (Mã truy cập API): only the SHA-256 of a token is stored; the token
itself is shown once, when it is created."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("tên gợi nhớ", max_length=100)
    token_hash = models.CharField("SHA-256 của mã", max_length=64, unique=True)
    prefix = models.CharField("đầu mã (để nhận ra)", max_length=12)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        # also the throttle's key of the token (unique: the primary key)
        return f"Mã truy cập API #{self.pk} “{self.name}”"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
