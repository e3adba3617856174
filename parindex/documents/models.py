"""An export job: one file (a document or the workbook of a period) built by the worker for
the person who asked, kept in the default storage under a random name until it expires."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from parindex.common.models import BaseModel
from parindex.periods.models import Period


class ExportJob(BaseModel):
    class Kind(models.TextChoices):
        REPORT = "report", "Báo cáo kết quả xác định Chỉ số CCHC"
        DECISION = "decision", "Dự thảo Quyết định công bố Chỉ số CCHC"
        WORKBOOK = "workbook", "Bảng số liệu Chỉ số CCHC (Excel)"
        ARCHIVE = "archive", "Hồ sơ lưu trữ của đợt đánh giá (zip)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang tạo"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Không tạo được"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người yêu cầu",
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    period = models.ForeignKey(
        Period, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField("văn bản", max_length=10, choices=Kind.choices)
    fmt = models.CharField("định dạng", max_length=4)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    step = models.CharField("đang làm", max_length=200, blank=True)
    storage_name = models.CharField(max_length=255, blank=True)
    file_name = models.CharField("tên tệp", max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField("hết hạn lúc", null=True, blank=True)
    error = models.TextField("lỗi", blank=True)

    class Meta:
        verbose_name = "tệp xuất"
        verbose_name_plural = "tệp xuất"
        indexes = [models.Index(fields=["requested_by", "period", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.fmt}) — {self.period}"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
