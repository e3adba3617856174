"""What an appeal (kiến nghị) records.

- ``AppealSetting``: the period's window, in days from the day its results were first
  published (10 unless the organizer sets another).
- ``Appeal``: one request of a unit (its leader files it) on some criteria of its approved
  assessment, with an optional signed PDF as evidence; the organizer's decision (accepted,
  partly, rejected) with its note, and the published version the correction made.
- ``AppealItem``: one criterion of the request: the unit's reason, the final score when it
  was filed and, once decided, whether it was accepted and the corrected score.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from parindex.assessments.models import Assessment, Entry
from parindex.common.models import BaseModel
from parindex.periods.models import Period

DEFAULT_DAYS = 10


class AppealSetting(models.Model):
    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="appeal_setting")
    days = models.PositiveSmallIntegerField("số ngày nhận kiến nghị", default=DEFAULT_DAYS)

    class Meta:
        verbose_name = "thời hạn kiến nghị"
        verbose_name_plural = "thời hạn kiến nghị"

    def __str__(self) -> str:
        return f"{self.days} ngày"


class Appeal(BaseModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Đã gửi, chờ xem xét"
        ACCEPTED = "accepted", "Chấp nhận"
        PARTLY = "partly", "Chấp nhận một phần"
        REJECTED = "rejected", "Không chấp nhận"

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="appeals")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="appeals")
    status = models.CharField(
        "tình trạng", max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField("gửi lúc")
    summary = models.TextField("nội dung kiến nghị chung", blank=True)
    evidence_file = models.CharField(max_length=255, blank=True)
    evidence_name = models.CharField("tệp kèm theo", max_length=255, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("trả lời lúc", null=True, blank=True)
    decision_note = models.TextField("ý kiến trả lời", blank=True)
    publication = models.ForeignKey(
        "publication.Publication",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="phiên bản công bố sau khi sửa",
    )

    class Meta:
        verbose_name = "kiến nghị"
        verbose_name_plural = "kiến nghị"
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"Kiến nghị số {self.pk}"


class AppealItem(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="items")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("lý do kiến nghị")
    score_before = models.DecimalField(max_digits=12, decimal_places=6, null=True, blank=True)
    accepted = models.BooleanField(null=True, blank=True)
    score_after = models.DecimalField(max_digits=12, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = "tiêu chí kiến nghị"
        verbose_name_plural = "tiêu chí kiến nghị"
        ordering = ["appeal_id", "id"]
        constraints = [models.UniqueConstraint(fields=["appeal", "entry"], name="appealitem_once")]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.entry_id}"
