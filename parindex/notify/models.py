"""One row per reminder e-mail sent (or being sent) to a unit: the idempotence key.

``(assessment, kind, for_date)`` is unique, so a reminder of one kind reaches a unit at most
once a day whatever the number of cron runs, workers or clicks: the service inserts the row
first (compare-and-set through the unique constraint) and sends only when the insert wins.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from parindex.assessments.models import Assessment


class ReminderLog(models.Model):
    class Kind(models.TextChoices):
        DEADLINE = "deadline", "Nhắc hạn tự động"
        MANUAL = "manual", "Nhắc nhở của cơ quan tổ chức"

    assessment = models.ForeignKey(
        Assessment,
        verbose_name="bản đánh giá",
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    for_date = models.DateField("ngày nhắc")
    days_left = models.IntegerField("còn (ngày)", null=True, blank=True)
    recipients = models.JSONField("gửi đến", default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người yêu cầu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField("gửi lúc", auto_now_add=True)

    class Meta:
        app_label = "notify"
        verbose_name = "thư nhắc hạn"
        verbose_name_plural = "thư nhắc hạn"
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kind", "for_date"], name="reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.for_date:%d/%m/%Y} — {self.assessment}"
