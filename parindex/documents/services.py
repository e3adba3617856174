"""The export jobs' writes: ask for a file (``export_request``; ``dispatch.export_queue``
queues it in the worker after commit), build it (``export_run``, what the task calls: progress, the file in the default
storage under a random name, Vietnamese error message), forget expired files
(``export_purge_expired``)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.documents.archive import archive_problem
from parindex.documents.build import FORMATS, build
from parindex.documents.models import ExportJob
from parindex.periods.access import is_organizer_admin_of
from parindex.periods.models import Period

log = logging.getLogger(__name__)
S = ExportJob.Status
TTL = dt.timedelta(hours=24)  # a built file is kept (and downloadable) this long
MAX_OPEN = 3  # jobs one person may have waiting or running at once
STALE = dt.timedelta(hours=1)  # a job not finished by then is given up (the worker died)
STALE_TEXT = (
    "Tiến trình nền không tạo xong tệp trong 1 giờ (có thể tiến trình đã dừng). Vui lòng tạo "
    "lại; nếu vẫn lỗi, báo quản trị hệ thống."
)
FAILED_TEXT = (
    "Không tạo được tệp do lỗi khi tổng hợp số liệu hoặc dàn trang văn bản. Vui lòng thử lại; "
    "nếu vẫn lỗi, báo quản trị hệ thống (mã lỗi: {code})."
)


def export_request(*, actor: Any, period: Period, kind: str, fmt: str) -> ExportJob:
    """Queue the building of one file for ``actor`` (who may read the period's documents)."""
    if fmt not in FORMATS.get(kind, ()):
        raise DomainError("Không có văn bản hoặc định dạng này.")
    if kind == ExportJob.Kind.ARCHIVE:
        if not is_organizer_admin_of(actor, period.organizer):
            raise DomainError(
                f"Chỉ cán bộ quản trị của {period.organizer.name} tải được hồ sơ lưu trữ của "
                "đợt đánh giá."
            )
        why = archive_problem(period)
        if why:
            raise DomainError(why)
    export_purge_expired()
    with transaction.atomic():
        open_jobs = ExportJob.objects.filter(
            requested_by=actor, status__in=[S.QUEUED, S.RUNNING]
        ).count()
        if open_jobs >= MAX_OPEN:
            raise DomainError(
                f"Bạn đang có {open_jobs} tệp chờ tạo; vui lòng chờ các tệp này xong rồi tạo tiếp."
            )
        job = ExportJob(requested_by=actor, period=period, kind=kind, fmt=fmt)
        job.full_clean()
        job.save()
        audit_record(actor=actor, verb="export.request", obj=job, new={"kind": kind, "fmt": fmt})
    return job


def export_run(job_id: int) -> ExportJob | None:
    """Build the job's file (once: a job already claimed is left alone)."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=S.QUEUED).update(
        status=S.RUNNING, started_at=now, progress=1, step="Bắt đầu"
    )
    if not claimed:
        return None
    job = ExportJob.objects.select_related("period").get(pk=job_id)

    def progress(percent: int, step: str) -> None:
        ExportJob.objects.filter(pk=job_id).update(progress=min(max(percent, 1), 99), step=step)

    try:
        built = build(job.period, job.kind, job.fmt, progress=progress)
        progress(95, "Lưu tệp")
        target = f"exports/{secrets.token_hex(16)}.{job.fmt}"
        if built.path is not None:  # a large file: streamed from its temporary file
            try:
                size = built.path.stat().st_size
                with built.path.open("rb") as f:
                    name = default_storage.save(target, File(f, name=target))
            finally:
                built.path.unlink(missing_ok=True)
        else:
            size = len(built.content)
            name = default_storage.save(target, ContentFile(built.content))
    except Exception as exc:  # noqa: BLE001 - any failure is the job's, told in Vietnamese
        code = secrets.token_hex(4)
        log.exception("export job %s failed (%s)", job_id, code)
        ExportJob.objects.filter(pk=job_id).update(
            status=S.FAILED,
            finished_at=timezone.now(),
            step="",
            error=FAILED_TEXT.format(code=code) + f" [{type(exc).__name__}]",
        )
        return ExportJob.objects.get(pk=job_id)
    finished = timezone.now()
    ExportJob.objects.filter(pk=job_id).update(
        status=S.DONE,
        progress=100,
        step="",
        storage_name=name,
        file_name=built.vi_name,
        size=size,
        finished_at=finished,
        expires_at=finished + TTL,
    )
    return ExportJob.objects.get(pk=job_id)


def export_purge_expired() -> int:
    """Delete the files of expired jobs (the rows stay, marked expired by their date), and
    give up the jobs left waiting or running for longer than ``STALE``."""
    ExportJob.objects.filter(
        status__in=[S.QUEUED, S.RUNNING], created_at__lt=timezone.now() - STALE
    ).update(status=S.FAILED, finished_at=timezone.now(), step="", error=STALE_TEXT)
    expired = list(
        ExportJob.objects.filter(expires_at__lt=timezone.now())
        .exclude(storage_name="")
        .values_list("pk", "storage_name")
    )
    for pk, name in expired:
        try:
            default_storage.delete(name)
        except OSError:  # already gone: nothing to keep
            log.warning("export file %s of job %s was already gone", name, pk)
        ExportJob.objects.filter(pk=pk).update(storage_name="")
    return len(expired)
