"""Criteria frameworks stored as versioned trees (one family per organizer, year and block).

The tree mirrors the public format (spec/formats.md §1): every node has a code and a title; a
leaf has max, a rule (type + parameters as in the spec) and optional source/allow_na/bonus/
evidence/guide. The scoring engine (parindex.engine) validates and evaluates it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from parindex.accounts.models import Block, Unit
from parindex.common.models import BaseModel
from parindex.engine import RULE_TYPES

#: The Vietnamese name of each of the engine's rule types.
RULE_LABELS: dict[str, str] = {
    "choice": "Chọn một mức",
    "boolean": "Có/Không",
    "number": "Nhập điểm",
    "ratio": "Tỷ lệ (tử số/mẫu số)",
    "count": "Đếm số lượng",
    "deduction": "Điểm trừ theo số vi phạm",
    "relative": "So với đơn vị cao nhất",
    "survey": "Kết quả điều tra",
}


class Framework(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ACTIVE = "active", "Đang áp dụng"
        ARCHIVED = "archived", "Lưu trữ"

    owner = models.ForeignKey(
        Unit, verbose_name="cơ quan ban hành", on_delete=models.PROTECT, related_name="frameworks"
    )
    block = models.ForeignKey(
        Block, verbose_name="khối", on_delete=models.PROTECT, related_name="frameworks"
    )
    year = models.PositiveIntegerField("năm")
    version = models.PositiveIntegerField("phiên bản", default=1)
    code = models.CharField("mã bộ tiêu chí", max_length=60, unique=True)
    title = models.CharField("tên bộ tiêu chí", max_length=500)
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    bands = models.JSONField(
        "xếp loại", default=list, blank=True, help_text='[{"min": "90", "label": "Xuất sắc"}, …]'
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name="sao chép từ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept by the services after every change (never edited by hand):
    max_total = models.DecimalField(
        "tổng điểm tối đa", max_digits=9, decimal_places=4, default=0, editable=False
    )
    leaf_count = models.PositiveIntegerField("số tiêu chí chấm điểm", default=0, editable=False)
    etag = models.UUIDField(
        "phiên bản nội dung",
        default=uuid.uuid4,
        editable=False,
        help_text="Đổi sau mỗi thay đổi; khóa bộ nhớ đệm của bộ tiêu chí dạng engine.",
    )

    class Meta:
        verbose_name = "bộ tiêu chí"
        verbose_name_plural = "bộ tiêu chí"
        ordering = ["-year", "block__position", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "block", "year", "version"], name="framework_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def label(self) -> str:
        """Short name for pickers: ``SO-2025 — năm 2025, khối sở, phiên bản 1``."""
        return f"{self.code} — năm {self.year}, phiên bản {self.version}"


class FrameworkNode(models.Model):
    """A domain (lĩnh vực), criterion (tiêu chí) or sub-criterion (tiêu chí thành phần).

    ``position`` is the node's index in the preorder walk of the whole tree (so ordering a
    framework's nodes by position gives the file order); ``depth`` is 0 for a domain.
    ``max`` is required on a leaf; on an inner node it is the declared max (or empty), kept
    equal to the sum of its children by the services. ``rule_params`` holds the rule's
    parameters as the spec writes them (without ``type``), numbers as decimal strings.
    ``bonus`` is the node's own flag (a bonus inner node makes its whole subtree bonus).
    """

    class Source(models.TextChoices):
        SELF = "self", "Đơn vị tự đánh giá"
        SURVEY = "survey", "Điều tra xã hội học"

    # The rule types are the engine's (one list: ``parindex.engine.RULE_TYPES``); only their
    # Vietnamese names are the web app's.
    RuleType = models.TextChoices(  # type: ignore[misc]
        "RuleType", [(t.upper(), (t, RULE_LABELS[t])) for t in RULE_TYPES]
    )

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField("mã", max_length=40)
    title = models.CharField("nội dung", max_length=1000)
    position = models.PositiveIntegerField("thứ tự", default=0)
    depth = models.PositiveSmallIntegerField("cấp", default=0)
    max = models.DecimalField("điểm tối đa", max_digits=9, decimal_places=4, null=True, blank=True)
    rule_type = models.CharField(
        "cách tính điểm", max_length=20, choices=RuleType.choices, blank=True
    )
    rule_params = models.JSONField("tham số", default=dict, blank=True)
    source = models.CharField(
        "nguồn điểm", max_length=10, choices=Source.choices, default=Source.SELF
    )
    allow_na = models.BooleanField("cho phép 'Không áp dụng'", default=False)
    bonus = models.BooleanField("điểm thưởng", default=False)
    evidence = models.TextField("tài liệu kiểm chứng", blank=True)
    guide = models.TextField("hướng dẫn chấm điểm", blank=True)

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["framework_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="node_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def is_leaf(self) -> bool:
        return bool(self.rule_type)
