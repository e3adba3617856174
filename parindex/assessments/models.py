"""One assessment per unit and period, and its entries: one per leaf of the framework.

An entry keeps the unit's declared values (as text, the way the public values format has them),
its explanation, and the self, round-1, round-2 and survey scores side by side. ``status`` is
changed only by ``assessments.services.assessment_transition`` (see workflow.py).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from parindex.accounts.models import Unit
from parindex.common.models import BaseModel
from parindex.frameworks.models import Framework, FrameworkNode
from parindex.periods.models import Period

SCORE_DECIMALS = 6


def score_field(verbose_name: str) -> models.DecimalField[Decimal | None, Decimal | None]:
    """A score: 6 decimal places, empty until given (typed so that the checker knows it)."""
    return models.DecimalField(
        verbose_name, max_digits=12, decimal_places=SCORE_DECIMALS, null=True, blank=True
    )


class Status(models.TextChoices):
    DRAFT = "draft", "Đang tự đánh giá"
    PENDING_APPROVAL = "pending_approval", "Chờ lãnh đạo duyệt"
    SUBMITTED = "submitted", "Đã gửi"
    APPRAISAL_1 = "appraisal_1", "Đang thẩm định lần 1"
    SUPPLEMENT = "supplement", "Giải trình, bổ sung"
    APPRAISAL_2 = "appraisal_2", "Đang thẩm định lần 2"
    APPRAISED = "appraised", "Đã thẩm định"
    FINALIZED = "finalized", "Đã công bố"


class Assessment(BaseModel):
    period = models.ForeignKey(
        Period, verbose_name="đợt đánh giá", on_delete=models.PROTECT, related_name="assessments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="assessments"
    )
    framework = models.ForeignKey(
        Framework, verbose_name="bộ tiêu chí", on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    deadline_override = models.DateTimeField(
        "hạn tự đánh giá riêng (gia hạn)", null=True, blank=True
    )
    difficulties = models.TextField("khó khăn, vướng mắc và kiến nghị", blank=True)
    self_points = score_field("tổng điểm tự đánh giá")
    final_points = score_field("tổng điểm thẩm định")

    class Meta:
        verbose_name = "bản đánh giá"
        verbose_name_plural = "bản đánh giá"
        ordering = ["period_id", "unit__position", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="assessment_unique_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.period}"


class Entry(models.Model):
    """The unit's answer and the scores for one leaf (tiêu chí thành phần)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="entries")
    node = models.ForeignKey(FrameworkNode, on_delete=models.PROTECT, related_name="entries")
    contributor = models.ForeignKey(
        Unit,
        verbose_name="đơn vị được phân công",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributed_entries",
    )
    value = models.CharField("số liệu kê khai", max_length=200, blank=True)
    value2 = models.CharField("mẫu số", max_length=200, blank=True)
    explanation = models.TextField("giải trình", blank=True)
    self_score = score_field("điểm tự đánh giá")
    round1_score = score_field("điểm thẩm định lần 1")
    round1_note = models.TextField("ý kiến thẩm định lần 1", blank=True)
    round2_score = score_field("điểm thẩm định lần 2")
    round2_note = models.TextField("ý kiến thẩm định lần 2", blank=True)
    survey_score = score_field("điểm điều tra XHH")
    not_applicable = models.BooleanField("không áp dụng", default=False)
    version = models.PositiveIntegerField("phiên bản", default=0)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "tiêu chí thành phần đã kê khai"
        verbose_name_plural = "tiêu chí thành phần đã kê khai"
        ordering = ["assessment_id", "node__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "node"], name="entry_unique_node")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.node.code}"


class StatusChange(models.Model):
    """One row per change of an assessment's status (the workflow's history)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="status_changes"
    )
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_status = models.CharField(max_length=20, choices=Status.choices)
    new_status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = "lần chuyển trạng thái"
        verbose_name_plural = "lịch sử trạng thái"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.old_status} → {self.new_status}"
