"""Assessment periods (đợt đánh giá): year, organizer, blocks with frameworks, calendar."""

from __future__ import annotations

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

    class Meta:
        verbose_name = "đợt đánh giá"
        verbose_name_plural = "đợt đánh giá"
        ordering = ["-year", "organizer__name"]
        constraints = [
            models.UniqueConstraint(fields=["organizer", "year", "kind"], name="period_unique_year")
        ]

    def __str__(self) -> str:
        return self.name


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
