"""What the sociological survey (điều tra xã hội học) records, per period and block.

- ``Survey``: the definition (``parindex.survey/v1`` as a dict: groups, scale, questions
  mapped to the block's survey leaves, SIPAS factors — the engine parses and checks it), the
  window, the deadline for the units' respondent lists, the fraud thresholds, and whether
  its points are frozen (consolidation locked).
- ``Quota``: the sample design, one row per group × rated unit (``census``: everyone of the
  group listed, e.g. Tuyên Quang's "all leaders").
- ``Respondent``: a person on a list (name, contact) in one group, with the single-use link
  (only its SHA-256 is stored) and ``RespondentUnit`` rows for the units they rate. A
  respondent row keeps only *when* (the day) they answered each unit — never which answers.
- ``Response``: one completed form about one unit (anonymous: no link to a respondent), from
  the invitation link, the public link/QR or an enumerator's paper form (with its serial);
  its status (valid / flagged for review / void) and the fraud flags that put it there.
- ``SurveyAnswer``: one answer (question code → option key) of a response.
- ``ListReview``: the organizer locked a unit's list after reviewing it, or reopened it for
  the unit until a day.
- ``UnitVoid``: the organizer voided a unit's whole survey with a reason (000 §2.d).
- ``PaperEntry``: the second keying of a paper form (double entry), compared with the first.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from parindex.accounts.models import Unit
from parindex.common.models import BaseModel
from parindex.periods.models import PeriodBlock

DEFAULT_FRAUD: dict[str, int] = {
    # many responses from one address (or device) within `burst_minutes`
    "burst_count": 5,
    "burst_minutes": 10,
    # completion faster than this many seconds
    "min_seconds": 30,
    # straight-lining: all answers identical on a form of at least this many answers
    "straight_min_answers": 5,
    # identical answer patterns: this many responses of one unit with the very same answers
    "same_pattern_count": 5,
    # one invitation link opened from more than this many addresses
    "token_addresses": 3,
}


class Survey(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Đang thiết kế"
        OPEN = "open", "Đang khảo sát"
        CLOSED = "closed", "Đã kết thúc"

    period_block = models.OneToOneField(
        PeriodBlock, verbose_name="khối", on_delete=models.CASCADE, related_name="survey"
    )
    definition = models.JSONField("phiếu điều tra (parindex.survey/v1)")
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    opens_on = models.DateField("bắt đầu khảo sát", null=True, blank=True)
    closes_on = models.DateField("kết thúc khảo sát", null=True, blank=True)
    lists_due_on = models.DateField("hạn gửi danh sách người được khảo sát", null=True, blank=True)
    fraud = models.JSONField("ngưỡng phát hiện bất thường", default=dict, blank=True)
    public_enabled = models.BooleanField(
        "cho phép trả lời qua đường dẫn công khai/QR", default=True
    )
    # the groups answering by the public link/QR (empty: the citizens' groups guessed from
    # their code and title, see services/public.py ``public_groups``)
    public_groups = models.JSONField(
        "nhóm trả lời qua đường dẫn công khai/QR", default=list, blank=True
    )
    # {"invitation"|"reminder": {"subject", "body"}}: the organizer's own texts (emails.py)
    mail_texts = models.JSONField(
        "thư mời, thư nhắc do cơ quan tổ chức soạn", default=dict, blank=True
    )
    frozen_at = models.DateTimeField("chốt điểm điều tra lúc", null=True, blank=True)
    points_computed_at = models.DateTimeField("tính điểm lúc", null=True, blank=True)

    class Meta:
        verbose_name = "cuộc điều tra xã hội học"
        verbose_name_plural = "điều tra xã hội học"

    def __str__(self) -> str:
        return str(self.definition.get("title") or self.period_block)

    def threshold(self, key: str) -> int:
        value = (self.fraud or {}).get(key)
        return int(value) if isinstance(value, int) else DEFAULT_FRAUD[key]


class Quota(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="quotas")
    group = models.CharField("nhóm đối tượng", max_length=40)
    unit = models.ForeignKey(Unit, verbose_name="đơn vị được đánh giá", on_delete=models.CASCADE)
    target = models.PositiveIntegerField("số phiếu cần thu", default=0)
    census = models.BooleanField("khảo sát toàn bộ", default=False)

    class Meta:
        verbose_name = "chỉ tiêu mẫu"
        verbose_name_plural = "chỉ tiêu mẫu"
        ordering = ["group", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "group", "unit"], name="quota_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group} × {self.unit_id}: {self.target}"


class Respondent(BaseModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    group = models.CharField("nhóm đối tượng", max_length=40)
    name = models.CharField("họ và tên", max_length=200)
    email = models.EmailField("thư điện tử", blank=True)
    phone = models.CharField("số điện thoại", max_length=30, blank=True)
    position = models.CharField("chức vụ, nơi công tác", max_length=300, blank=True)
    listed_by = models.ForeignKey(
        Unit,
        verbose_name="đơn vị lập danh sách",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    invited_at = models.DateTimeField("gửi thư mời lúc", null=True, blank=True)
    reminded_at = models.DateTimeField("nhắc lúc", null=True, blank=True)
    addresses = models.JSONField(default=list, blank=True)  # hashed addresses that opened the link

    class Meta:
        verbose_name = "người được khảo sát"
        verbose_name_plural = "người được khảo sát"
        ordering = ["group", "name", "id"]
        indexes = [models.Index(fields=["survey", "group"])]


class RespondentUnit(models.Model):
    """A unit the respondent rates; ``answered_on`` is only the day (not the time) so it
    cannot be matched to a response."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    answered_on = models.DateField("đã trả lời ngày", null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["respondent", "unit"], name="respondentunit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.respondent_id} → {self.unit_id}"


class Response(models.Model):
    class Channel(models.TextChoices):
        INVITATION = "invitation", "Thư mời"
        PUBLIC = "public", "Đường dẫn công khai/QR"
        PAPER = "paper", "Phiếu giấy (điều tra viên)"

    class Status(models.TextChoices):
        VALID = "valid", "Hợp lệ"
        FLAGGED = "flagged", "Chờ xem xét"
        VOID = "void", "Bị loại"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField("nhóm đối tượng", max_length=40)
    unit = models.ForeignKey(Unit, verbose_name="đơn vị được đánh giá", on_delete=models.PROTECT)
    channel = models.CharField("kênh", max_length=12, choices=Channel.choices)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.VALID
    )
    flags = models.JSONField("dấu hiệu bất thường", default=list, blank=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    submitted_at = models.DateTimeField("nộp lúc", db_index=True)
    address_hash = models.CharField(max_length=64, blank=True, db_index=True)
    device_hash = models.CharField(max_length=64, blank=True, db_index=True)
    phone = models.CharField("số điện thoại (tự nguyện)", max_length=30, blank=True)
    serial = models.CharField("số phiếu", max_length=40, blank=True)
    enumerator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="điều tra viên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pattern = models.CharField(max_length=64, blank=True)  # hash of the answers, for duplicates
    review_reason = models.TextField("lý do (xem xét)", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "phiếu trả lời"
        verbose_name_plural = "phiếu trả lời"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["survey", "unit", "status"]),
            models.Index(fields=["survey", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "serial"],
                condition=~models.Q(serial=""),
                name="response_unique_serial",
            )
        ]

    def __str__(self) -> str:
        return f"Phiếu {self.pk} ({self.group}, {self.unit_id})"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField("câu hỏi", max_length=40)
    option = models.CharField("phương án", max_length=40)

    class Meta:
        verbose_name = "câu trả lời"
        verbose_name_plural = "câu trả lời"
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}={self.option}"


class ListReview(models.Model):
    """The organizer's review of one unit's respondent list: locked (the unit can no longer
    replace it; the organizer still adds or removes one person), or reopened for the unit
    until a day — after the list deadline too. No row: the unit edits until the deadline."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="list_reviews")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    locked_at = models.DateTimeField("khóa danh sách lúc", null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_until = models.DateField("mở lại cho đơn vị sửa đến hết ngày", null=True, blank=True)
    note = models.TextField("lý do mở lại", blank=True)

    class Meta:
        verbose_name = "rà soát danh sách của đơn vị"
        verbose_name_plural = "rà soát danh sách của đơn vị"
        constraints = [models.UniqueConstraint(fields=["survey", "unit"], name="listreview_unique")]

    def __str__(self) -> str:
        return f"Danh sách người được khảo sát của {self.unit.name}"


class UnitVoid(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="voided_units")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField("lý do hủy kết quả")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hủy kết quả khảo sát của đơn vị"
        verbose_name_plural = "hủy kết quả khảo sát của đơn vị"
        constraints = [models.UniqueConstraint(fields=["survey", "unit"], name="unitvoid_unique")]

    def __str__(self) -> str:
        return f"Hủy kết quả {self.unit_id}"


class PaperEntry(models.Model):
    """The second keying of a paper form (double entry): compared with the response of the
    same serial; ``mismatches`` lists the question codes that differ (group/unit included)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="paper_entries")
    serial = models.CharField("số phiếu", max_length=40)
    group = models.CharField(max_length=40)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)
    enumerator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    mismatches = models.JSONField(default=list, blank=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "serial"], name="paperentry_unique_serial")
        ]

    def __str__(self) -> str:
        return f"Nhập lần 2: {self.serial}"
