"""What the appraisal records (the council and the assignment are ``periods.models``: the
assessments' access helper reads them).

- ``Decision``: one row per decision on one entry in one round (Đồng ý, Điều chỉnh, Yêu cầu
  giải trình, bổ sung), never updated: a changed mind is a new row, the latest (``current``)
  counts. The entry keeps the agreed score of each round (``Entry.round1_score``,
  ``round2_score``: empty where the round agreed with the declared values) so the bridge
  scores it; the self score never changes.
- ``Answer``: the unit's answer on one entry during Giải trình, bổ sung (text, optionally
  corrected values); new evidence files are ``EvidenceFile`` rows uploaded after round 1.
- ``AppraisalState``: per assessment, when the unit sent its answers.
- ``PeriodAppraisal``: per period, the rounds' dates, the chair's review and approval, the
  publication decision and the frozen snapshot of the approved results.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from parindex.assessments.models import Assessment, Entry, score_field
from parindex.common.models import BaseModel
from parindex.periods.models import Period


class Decision(models.Model):
    class Kind(models.TextChoices):
        ACCEPT = "accept", "Đồng ý"
        ADJUST = "adjust", "Điều chỉnh"
        REQUEST = "request", "Yêu cầu giải trình, bổ sung"

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="decisions")
    round = models.PositiveSmallIntegerField("lần thẩm định", choices=[(1, "Lần 1"), (2, "Lần 2")])
    kind = models.CharField("kết luận", max_length=10, choices=Kind.choices)
    score = score_field("điểm thẩm định")
    value = models.CharField("số liệu thẩm định", max_length=200, blank=True)
    value2 = models.CharField("mẫu số thẩm định", max_length=200, blank=True)
    reason = models.TextField("lý do", blank=True)
    request = models.TextField("nội dung yêu cầu giải trình, bổ sung", blank=True)
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("lúc", auto_now_add=True)
    current = models.BooleanField("hiện hành", default=True)

    class Meta:
        verbose_name = "kết luận thẩm định"
        verbose_name_plural = "kết luận thẩm định"
        ordering = ["entry_id", "round", "at", "id"]
        indexes = [models.Index(fields=["entry", "round", "current"])]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "round"],
                condition=models.Q(current=True),
                name="decision_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} lần {self.round}: {self.get_kind_display()}"


class Answer(models.Model):
    """Giải trình, bổ sung of the unit on one entry."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="answer")
    text = models.TextField("nội dung giải trình", blank=True)
    value = models.CharField("số liệu bổ sung", max_length=200, blank=True)
    value2 = models.CharField("mẫu số bổ sung", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "giải trình, bổ sung"
        verbose_name_plural = "giải trình, bổ sung"

    def __str__(self) -> str:
        return f"Giải trình {self.entry_id}"


class AppraisalState(models.Model):
    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="appraisal_state"
    )
    answers_sent_at = models.DateTimeField("gửi giải trình lúc", null=True, blank=True)
    answers_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supplement_until = models.DateTimeField("hạn giải trình riêng (gia hạn)", null=True, blank=True)
    supplement_extension_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "tình trạng thẩm định"
        verbose_name_plural = "tình trạng thẩm định"

    def __str__(self) -> str:
        return f"Tình trạng thẩm định {self.assessment_id}"


class PeriodAppraisal(BaseModel):
    class Review(models.TextChoices):
        NONE = "", "Chưa trình"
        SUBMITTED = "submitted", "Đã trình Chủ tịch Hội đồng"
        RETURNED = "returned", "Chủ tịch trả lại"
        APPROVED = "approved", "Đã phê duyệt"

    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="appraisal")
    round1_opened_at = models.DateTimeField(null=True, blank=True)
    round1_closed_at = models.DateTimeField(null=True, blank=True)
    round2_opened_at = models.DateTimeField(null=True, blank=True)
    round2_closed_at = models.DateTimeField(null=True, blank=True)
    review = models.CharField(
        "trình phê duyệt", max_length=10, choices=Review.choices, default="", blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    chair_note = models.TextField("ý kiến của Chủ tịch", blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField("kết quả đã phê duyệt (bất biến)", null=True, blank=True)
    decision_number = models.CharField("số quyết định công bố", max_length=100, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    decision_signer = models.CharField("người ký", max_length=200, blank=True)
    decision_file = models.CharField(max_length=255, blank=True)
    decision_file_name = models.CharField("tên tệp", max_length=255, blank=True)
    decision_file_sha256 = models.CharField(max_length=64, blank=True)
    decision_file_signature = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = "thẩm định của đợt"
        verbose_name_plural = "thẩm định của đợt"

    def __str__(self) -> str:
        return f"Thẩm định — {self.period}"
