"""Reads of the ops app: where the background worker stands, for the organizer's pages.

Two backends: django-tasks-db (its ``DBTaskResult`` table) and, when ``REDIS_URL`` is set,
RQ (its queue and registries, whose workers keep their own heartbeat). The worker is taken
for dead (``WorkerStatus.alert``) when a task has been waiting longer than
``WORKER_STALE_MINUTES`` (default 10): a live worker takes a ready task within a second or two.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from parindex.ops.models import JobRun, PendingTask, WorkerHeartbeat

# Vietnamese names of the tasks (module paths) and of the periodic jobs (commands).
TASK_LABELS = {
    "parindex.notify.tasks.send_reminder": "Gửi thư nhắc hạn tự đánh giá",
    "parindex.notify.tasks.send_submitted_notice": "Báo đơn vị đã gửi kết quả tự đánh giá",
    "parindex.notify.tasks.send_approval_request": "Đề nghị lãnh đạo đơn vị phê duyệt",
    "parindex.notify.tasks.send_returned_notice": "Báo lãnh đạo trả lại kết quả tự đánh giá",
    "parindex.appraisal.tasks.send_round_opened": "Báo mở vòng thẩm định",
    "parindex.appraisal.tasks.send_round_reminder": "Nhắc thẩm định viên hạn thẩm định",
    "parindex.appraisal.tasks.send_round1_results": "Gửi kết quả thẩm định lần 1",
    "parindex.appraisal.tasks.send_supplement_reminder": "Nhắc đơn vị hạn giải trình, bổ sung",
    "parindex.appraisal.tasks.send_answers_sent": "Báo đơn vị đã gửi giải trình",
    "parindex.appraisal.tasks.send_submitted": "Báo đã trình kết quả tổng hợp",
    "parindex.appraisal.tasks.send_review": "Báo kết quả duyệt tổng hợp",
    "parindex.survey.tasks.send_invitations": "Gửi thư mời khảo sát",
    "parindex.survey.tasks_points.refresh_points": "Tính lại điểm điều tra xã hội học",
    "parindex.survey.tasks_points.freeze_period": "Chốt điểm điều tra xã hội học",
    "parindex.documents.tasks.export_build": "Tạo tệp xuất (báo cáo, văn bản)",
}
JOBS = {
    "send_reminders": "Nhắc hạn tự đánh giá (send_reminders)",
    "appraisal_reminders": "Nhắc hạn thẩm định, giải trình (appraisal_reminders)",
}
# What an error's class means, in words an organizer can act on (or pass to the IT staff).
ERROR_MEANINGS = [
    (r"SMTP|gaierror|ConnectionRefused|ConnectionReset", "Không kết nối được máy chủ thư điện tử"),
    (r"Timeout|TimedOut", "Quá thời gian chờ"),
    (r"OperationalError|InterfaceError|DatabaseError", "Lỗi kết nối cơ sở dữ liệu"),
    (r"IntegrityError", "Dữ liệu bị trùng hoặc không nhất quán"),
    (r"DoesNotExist|NotFound|FileNotFound", "Không tìm thấy dữ liệu hoặc tệp cần dùng"),
    (r"PermissionError|PermissionDenied", "Không có quyền ghi, đọc tệp hoặc dữ liệu"),
    (r"MemoryError", "Hết bộ nhớ"),
    (r"ValidationError|ValueError", "Dữ liệu không hợp lệ"),
    (r"SystemExit|KeyboardInterrupt|Terminated|WorkerLost", "Worker bị dừng khi đang chạy"),
]
RUNNING_STUCK = dt.timedelta(hours=1)


def task_label(path: str) -> str:
    return TASK_LABELS.get(path, path.rsplit(".", 1)[-1].replace("_", " "))


def error_meaning(exception_class: str) -> str:
    short = exception_class.rsplit(".", 1)[-1]
    for pattern, meaning in ERROR_MEANINGS:
        if re.search(pattern, short):
            return meaning
    return "Lỗi không lường trước"


def last_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1].strip()[:500] if lines else ""


@dataclass
class FailedTask:
    label: str
    path: str
    at: dt.datetime | None
    meaning: str
    exception: str
    message: str  # the traceback's last line: for the system admin only


@dataclass
class LastRun:
    job: str
    label: str
    run: JobRun | None


@dataclass
class WorkerStatus:
    backend: str  # "db" or "rq"
    waiting: int = 0
    scheduled: int = 0
    running: int = 0
    running_stuck: int = 0
    failed: int = 0
    finished_24h: int | None = 0
    failed_24h: int | None = 0
    oldest_waiting_since: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    workers: list[dict[str, Any]] = field(default_factory=list)
    recent_failures: list[FailedTask] = field(default_factory=list)
    jobs: list[LastRun] = field(default_factory=list)
    stale_minutes: int = 10
    error: str = ""  # the backend could not be read
    pending: int = 0  # tasks kept in the database while Redis was down (ops.PendingTask)
    pending_since: dt.datetime | None = None

    @property
    def waiting_minutes(self) -> int | None:
        if self.oldest_waiting_since is None:
            return None
        return int((timezone.now() - self.oldest_waiting_since).total_seconds() // 60)

    @property
    def alert(self) -> bool:
        """The worker seems dead: a task waits longer than the limit (or the queue can't be
        read, or RQ has no worker at all while tasks wait)."""
        if self.error:
            return True
        if self.pending_since is not None and (
            timezone.now() - self.pending_since >= dt.timedelta(minutes=self.stale_minutes)
        ):
            return True  # Redis answers but nothing handed the kept tasks over
        minutes = self.waiting_minutes
        if minutes is not None and minutes >= self.stale_minutes:
            return True
        return self.backend == "rq" and self.waiting > 0 and not self.workers


def stale_minutes() -> int:
    return int(getattr(settings, "WORKER_STALE_MINUTES", 10))


def uses_rq() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


def worker_alert() -> WorkerStatus | None:
    """For the home page: the status when the worker seems dead, else None (one or two cheap
    queries: the oldest ready task by the queue's index)."""
    status = WorkerStatus(backend="rq" if uses_rq() else "db", stale_minutes=stale_minutes())
    try:
        if status.backend == "rq":
            _pending(status)
            _rq_counts(status, details=False)
        else:
            _db_oldest(status)
    except Exception as exc:
        status.error = type(exc).__name__
    return status if status.alert else None


def worker_status(failures: int = 10) -> WorkerStatus:
    """Everything the worker page shows."""
    status = WorkerStatus(backend="rq" if uses_rq() else "db", stale_minutes=stale_minutes())
    try:
        if status.backend == "rq":
            _pending(status)
            _rq_counts(status, details=True, failures=failures)
        else:
            _db_counts(status, failures)
    except Exception as exc:
        status.error = type(exc).__name__
    beats = list(WorkerHeartbeat.objects.order_by("-seen_at")[:10])
    if status.backend == "db":
        status.workers = [
            {"name": b.worker, "seen_at": b.seen_at, "last_task": task_label(b.last_task),
             "tasks_done": b.tasks_done}
            for b in beats
        ]  # fmt: skip
    if beats and (status.last_seen is None or beats[0].seen_at > status.last_seen):
        status.last_seen = beats[0].seen_at
    status.jobs = last_job_runs()
    return status


def last_job_runs() -> list[LastRun]:
    out = []
    for job, label in JOBS.items():
        out.append(LastRun(job=job, label=label, run=JobRun.objects.filter(job=job).first()))
    return out


# --- django-tasks-db ---------------------------------------------------------------------


def _db_oldest(status: WorkerStatus) -> None:
    from django_tasks_db.models import DBTaskResult, get_date_max

    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", "run_after")
        .first()
    )
    if oldest is not None:
        enqueued_at, run_after = oldest
        status.oldest_waiting_since = (
            max(enqueued_at, run_after) if run_after != get_date_max() else enqueued_at
        )


def _db_counts(status: WorkerStatus, failures: int) -> None:
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    tasks = DBTaskResult.objects.order_by()
    status.waiting = tasks.ready().count()
    status.scheduled = tasks.filter(status=TaskResultStatus.READY).count() - status.waiting
    status.running = tasks.running().count()
    status.running_stuck = tasks.running().filter(started_at__lt=now - RUNNING_STUCK).count()
    status.failed = tasks.failed().count()
    day = tasks.filter(finished_at__gte=now - dt.timedelta(hours=24))
    status.finished_24h = day.successful().count()
    status.failed_24h = day.failed().count()
    _db_oldest(status)
    last = tasks.filter(finished_at__isnull=False).order_by("-finished_at").first()
    status.last_seen = last.finished_at if last else None
    rows = tasks.failed().order_by("-finished_at")[:failures]
    status.recent_failures = [
        FailedTask(
            label=task_label(r.task_path),
            path=r.task_path,
            at=r.finished_at,
            meaning=error_meaning(r.exception_class_path),
            exception=r.exception_class_path.rsplit(".", 1)[-1],
            message=last_line(r.traceback),
        )
        for r in rows
    ]


# --- RQ ----------------------------------------------------------------------------------


def _pending(status: WorkerStatus) -> None:
    """The tasks kept while Redis was down (one aggregate query on a small table)."""
    got = PendingTask.objects.aggregate(n=Count("id"), since=Min("created_at"))
    status.pending = got["n"] or 0
    status.pending_since = got["since"]


def _rq_counts(status: WorkerStatus, details: bool, failures: int = 10) -> None:
    import django_rq
    from rq import Worker
    from rq.job import Job

    queue = django_rq.get_queue("default")
    status.waiting = queue.count
    status.workers = [
        {"name": w.name, "seen_at": w.last_heartbeat, "last_task": w.get_state(),
         "tasks_done": w.successful_job_count}
        for w in Worker.all(queue=queue)
    ]  # fmt: skip
    ids = queue.get_job_ids(0, 1)
    if ids:
        job = Job.fetch(ids[0], connection=queue.connection)
        if job.enqueued_at is not None:
            status.oldest_waiting_since = _aware(job.enqueued_at)
    if not details:
        return
    status.scheduled = queue.scheduled_job_registry.count
    status.running = queue.started_job_registry.count
    status.failed = queue.failed_job_registry.count
    status.finished_24h = status.failed_24h = None  # RQ keeps results only for result_ttl
    seen = [w["seen_at"] for w in status.workers if w["seen_at"]]
    status.last_seen = _aware(max(seen)) if seen else None
    failed_ids = queue.failed_job_registry.get_job_ids(0, failures - 1) if failures > 0 else []
    for failed_job in Job.fetch_many(failed_ids, connection=queue.connection):
        if failed_job is None:
            continue
        job = failed_job
        result = job.latest_result()
        exc_info = (getattr(result, "exc_string", None) or "") if result is not None else ""
        smuggled = (job.meta or {}).get("_django_tasks_rq_exceptions") or [""]
        exc_class = smuggled[-1] or _exc_class(exc_info)
        status.recent_failures.append(
            FailedTask(
                label=task_label(job.func_name or ""),
                path=job.func_name or "",
                at=_aware(job.ended_at) if job.ended_at else None,
                meaning=error_meaning(exc_class),
                exception=exc_class.rsplit(".", 1)[-1],
                message=last_line(exc_info),
            )
        )


def _exc_class(traceback: str) -> str:
    line = last_line(traceback)
    return line.split(":", 1)[0] if line else ""


def _aware(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)
