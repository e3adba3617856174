"""Evidence files (tài liệu kiểm chứng) attached by a unit to a sub-criterion (an Entry).

The bytes live in the default storage under a random name (``evidence/<assessment>/<hex>.pdf``);
the row keeps the sanitised original name, size, SHA-256, page count and what the digital
signatures say. Rows are created and deleted only by ``evidence.services``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from parindex.assessments.models import Assessment, Entry
from parindex.evidence.pdf import Status


class EvidenceFile(models.Model):
    class SignatureStatus(models.TextChoices):
        UNSIGNED = Status.UNSIGNED, "Bản quét, không có chữ ký số"
        SIGNED_INTACT = Status.SIGNED_INTACT, "Đã ký số, nguyên vẹn"
        SIGNED_MODIFIED = Status.SIGNED_MODIFIED, "Đã ký số, có sửa đổi sau khi ký"
        SIGNATURE_ERROR = Status.SIGNATURE_ERROR, "Chữ ký không hợp lệ"

    # The assessment is the entry's; kept here so that per-assessment reads and the duplicate
    # check need no join. PROTECT: a file must be removed through the service (which deletes
    # the stored bytes) before its entry or assessment can go.
    assessment = models.ForeignKey(
        Assessment,
        verbose_name="bản đánh giá",
        on_delete=models.PROTECT,
        related_name="evidence_files",
    )
    entry = models.ForeignKey(
        Entry,
        verbose_name="tiêu chí thành phần",
        on_delete=models.PROTECT,
        related_name="evidence_files",
    )
    storage_name = models.CharField("tên lưu trữ", max_length=255, unique=True, editable=False)
    original_name = models.CharField("tên tệp", max_length=255)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField("mã băm SHA-256", max_length=64, db_index=True)
    pages = models.PositiveIntegerField("số trang", null=True, blank=True)
    signature_status = models.CharField("chữ ký số", max_length=20, choices=SignatureStatus.choices)
    signatures = models.JSONField("chi tiết chữ ký số", default=list, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="trùng với tệp đã đính kèm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"
        ordering = ["entry_id", "uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "sha256"],
                name="evidence_unique_in_entry",
                violation_error_message="Tệp này đã được đính kèm ở tiêu chí này.",
            )
        ]
        indexes = [models.Index(fields=["assessment", "sha256"])]

    def __str__(self) -> str:
        return self.original_name

    @property
    def signature_list(self) -> list[dict[str, Any]]:
        """The stored signatures with ``signed_at`` as an aware datetime (for templates)."""
        out = []
        for sig in self.signatures or []:
            item = dict(sig)
            raw = item.get("signed_at")
            item["signed_at"] = dt.datetime.fromisoformat(raw) if raw else None
            out.append(item)
        return out

    def summary(self) -> dict[str, Any]:
        """What the audit trail keeps about the file."""
        return {
            "name": self.original_name,
            "sha256": self.sha256,
            "size": self.size,
            "signature_status": self.signature_status,
        }
