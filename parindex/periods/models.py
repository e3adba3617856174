"""Assessment periods (đợt đánh giá): year, organizer, blocks with frameworks, calendar."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from parindex.accounts.models import Block, Unit
from parindex.common.models import BaseModel
from parindex.frameworks.models import Framework


class Phase(models.TextChoices):
    """The phases of the cycle, in order (product.md, Bắc Giang QT.CCHC.01)."""

    PREPARATION = "preparation", "Chuẩn bị"
    SELF_ASSESSMENT = "self_assessment", "Tự đánh giá"
    APPRAISAL_1 = "appraisal_1", "Thẩm định lần 1"
    SUPPLEMENT = "supplement", "Giải trình, bổ sung"
    APPRAISAL_2 = "appraisal_2", "Thẩm định lần 2"
    CONSOLIDATION = "consolidation", "Tổng hợp"
    APPROVAL = "approval", "Phê duyệt và công bố"
    ARCHIVE = "archive", "Lưu trữ"


PHASE_ORDER: list[str] = [p.value for p in Phase]

# Reminders are sent at most this many days before the self-assessment deadline.
REMINDER_DAYS_MAX = 60
DEFAULT_REMINDER_DAYS = "7,3,1"


def parse_reminder_days(text: str) -> list[int]:
    """``"7, 3,1"`` -> ``[7, 3, 1]`` (distinct, largest first); empty text: no reminders.

    Raises ValidationError (Vietnamese) on anything that is not whole days 0–60 (0: the
    morning of the deadline day itself)."""
    days: set[int] = set()
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValidationError(
                f"“{part}” không phải số ngày: nhập các số ngày nguyên cách nhau bởi dấu phẩy, "
                "ví dụ 7,3,1."
            )
        n = int(part)
        if n > REMINDER_DAYS_MAX:
            raise ValidationError(
                f"Nhắc trước {n} ngày là quá xa: tối đa {REMINDER_DAYS_MAX} ngày trước hạn."
            )
        days.add(n)
    return sorted(days, reverse=True)


def validate_reminder_days(text: str) -> None:
    parse_reminder_days(text)


class Period(BaseModel):
    class Kind(models.TextChoices):
        INTERNAL = "internal", "Chỉ số CCHC nội bộ (xếp hạng các đơn vị)"
        PROVINCE_SELF = "province_self", "Tỉnh tự đánh giá gửi Bộ Nội vụ"

    organizer = models.ForeignKey(
        Unit, verbose_name="cơ quan tổ chức", on_delete=models.PROTECT, related_name="periods"
    )
    year = models.PositiveIntegerField("năm đánh giá")
    name = models.CharField("tên đợt", max_length=300)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.INTERNAL)
    plan_reference = models.CharField("số, ký hiệu kế hoạch", max_length=200, blank=True)
    closed = models.BooleanField("đã đóng (chỉ đọc)", default=False)
    reminder_days = models.CharField(
        "nhắc hạn tự đánh giá trước (ngày)",
        max_length=60,
        blank=True,
        default=DEFAULT_REMINDER_DAYS,
        validators=[validate_reminder_days],
        help_text=(
            "Số ngày trước hạn tự đánh giá gửi thư nhắc các đơn vị chưa gửi kết quả, cách nhau "
            "bởi dấu phẩy (ví dụ 7,3,1; 0 là sáng ngày hết hạn). Để trống: không nhắc."
        ),
    )

    class Meta:
        verbose_name = "đợt đánh giá"
        verbose_name_plural = "đợt đánh giá"
        ordering = ["-year", "organizer__name"]
        constraints = [
            models.UniqueConstraint(fields=["organizer", "year", "kind"], name="period_unique_year")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reminder_days_text(self) -> str:
        """``7, 3 và 1 ngày trước hạn`` (empty when there is no reminder)."""
        days = self.reminder_day_list
        if not days:
            return ""
        words = [str(n) for n in days]
        text = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " và " + words[-1]
        return f"{text} ngày trước hạn"

    @property
    def reminder_day_list(self) -> list[int]:
        try:
            return parse_reminder_days(self.reminder_days)
        except ValidationError:
            return []


class PeriodBlock(models.Model):
    """A block taking part in a period, with the framework that scores it."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="blocks")
    block = models.ForeignKey(
        Block, verbose_name="khối", on_delete=models.PROTECT, related_name="+"
    )
    framework = models.ForeignKey(
        Framework,
        verbose_name="bộ tiêu chí",
        on_delete=models.PROTECT,
        related_name="period_blocks",
    )

    class Meta:
        verbose_name = "khối tham gia"
        verbose_name_plural = "khối tham gia"
        ordering = ["block__position"]
        constraints = [
            models.UniqueConstraint(fields=["period", "block"], name="periodblock_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period} — {self.block}"


class PhaseDate(models.Model):
    """One phase of a period's calendar: from starts_on to ends_on inclusive (local dates)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField("giai đoạn", max_length=20, choices=Phase.choices)
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")

    class Meta:
        verbose_name = "mốc thời gian"
        verbose_name_plural = "lịch thực hiện"
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["period", "phase"], name="phasedate_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="phasedate_ends_after_start",
                violation_error_message="Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"


# ---------------------------------------------------------------- the appraisal council
#
# The council (Hội đồng thẩm định) and its support team (Tổ giúp việc) belong to one period:
# sitting on it is what gives an account the appraiser's or the chair's rights, for that
# period only (``periods.access.council_seats``). The models live here, below the
# assessments, because the assessments' access helper reads them; the services that write
# them are the appraisal app's.


class Council(BaseModel):
    """Hội đồng thẩm định of one period, and the decision that establishes it."""

    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="council")
    name = models.CharField(
        "tên hội đồng", max_length=300, default="Hội đồng thẩm định Chỉ số cải cách hành chính"
    )
    decision_number = models.CharField("số quyết định thành lập", max_length=100, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    decision_signer = models.CharField("người ký", max_length=200, blank=True)
    decision_file = models.CharField("tệp quyết định (lưu trữ)", max_length=255, blank=True)
    decision_file_name = models.CharField("tên tệp quyết định", max_length=255, blank=True)
    decision_file_sha256 = models.CharField(max_length=64, blank=True)
    decision_file_signature = models.CharField("chữ ký số", max_length=20, blank=True)

    class Meta:
        verbose_name = "hội đồng thẩm định"
        verbose_name_plural = "hội đồng thẩm định"

    def __str__(self) -> str:
        return f"{self.name} — {self.period}"


class CouncilMember(models.Model):
    class Position(models.TextChoices):
        CHAIR = "chair", "Chủ tịch Hội đồng"
        VICE_CHAIR = "vice_chair", "Phó Chủ tịch Hội đồng"
        MEMBER = "member", "Ủy viên"
        SECRETARY = "secretary", "Thư ký"
        SUPPORT = "support", "Thành viên Tổ giúp việc"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        "accounts.User", verbose_name="tài khoản", on_delete=models.PROTECT, related_name="seats"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="cơ quan công tác", on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField("vai trò", max_length=20, choices=Position.choices)
    title = models.CharField("chức vụ", max_length=200, blank=True)
    order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "thành viên hội đồng"
        verbose_name_plural = "thành viên hội đồng"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="councilmember_unique_user"),
            models.UniqueConstraint(
                fields=["council"],
                condition=models.Q(position="chair"),
                name="councilmember_one_chair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_position_display()})"

    @property
    def display_name(self) -> str:
        return getattr(self.user, "display_name", "") or str(self.user)


class Assignment(models.Model):
    """Phân công thẩm định: a domain (or a single criterion or leaf) of a block's framework
    to one member, or to a unit (every member from that unit appraises it). ``substitute``
    covers the units the appraiser may not appraise: their own."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="assignments")
    node = models.ForeignKey(
        "frameworks.FrameworkNode",
        verbose_name="lĩnh vực / tiêu chí",
        on_delete=models.CASCADE,
        related_name="+",
    )
    member = models.ForeignKey(
        CouncilMember,
        verbose_name="thẩm định viên",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="cơ quan thẩm định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    substitute = models.ForeignKey(
        CouncilMember,
        verbose_name="người thẩm định thay (đơn vị của người được phân công)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="substitutions",
    )

    class Meta:
        verbose_name = "phân công thẩm định"
        verbose_name_plural = "phân công thẩm định"
        constraints = [
            models.UniqueConstraint(fields=["period", "node"], name="assignment_unique_node"),
            models.CheckConstraint(
                condition=models.Q(member__isnull=False, unit__isnull=True)
                | models.Q(member__isnull=True, unit__isnull=False),
                name="assignment_member_or_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.node_id} → {self.member or self.unit}"
