"""Writes of the ops app: the worker's heartbeat, the periodic jobs' runs and the outbox of
tasks kept while Redis was down.

Operational telemetry written by the system, not by a person: no actor and no audit row (a
heartbeat per task would flood the audit log)."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import socket
from collections.abc import Callable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from parindex.ops.models import JobRun, PendingTask, WorkerHeartbeat

JOB_RUNS_KEPT_DAYS = 180


def worker_name(backend: str) -> str:
    return f"{socket.gethostname()}:{backend}"[:200]


def heartbeat_record(*, backend: str, task_path: str, finished: bool) -> None:
    """Mark this host's worker alive now (one UPDATE; an INSERT the first time)."""
    now = timezone.now()
    name = worker_name(backend)
    with transaction.atomic():
        updated = WorkerHeartbeat.objects.filter(worker=name).update(
            seen_at=now,
            last_task=task_path[:300],
            tasks_done=F("tasks_done") + (1 if finished else 0),
        )
        if not updated:
            WorkerHeartbeat.objects.get_or_create(
                worker=name,
                defaults={
                    "seen_at": now,
                    "last_task": task_path[:300],
                    "tasks_done": 1 if finished else 0,
                },
            )


@contextlib.contextmanager
def job_run(job: str) -> Iterator[JobRun]:
    """Record one run of a periodic job: the row is written when it starts and completed when
    it ends (``ok`` false and the error's kind when it raises). Set ``run.summary`` inside."""
    run = JobRun.objects.create(job=job, started_at=timezone.now())
    try:
        yield run
    except BaseException as exc:
        run.ok = False
        run.summary = (run.summary + "\n" if run.summary else "") + type(exc).__name__
        raise
    else:
        run.ok = True
    finally:
        run.finished_at = timezone.now()
        run.save(update_fields=["ok", "summary", "finished_at"])
        JobRun.objects.filter(
            job=job, started_at__lt=run.started_at - dt.timedelta(days=JOB_RUNS_KEPT_DAYS)
        ).delete()


def records_job(job: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Decorate a periodic command's ``handle``: each run (not ``--dry-run``) is recorded as a
    JobRun whose summary is the last line the command wrote."""

    def decorate(handle: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(handle)
        def wrapper(self: Any, *args: Any, **options: Any) -> None:
            if options.get("dry_run"):
                handle(self, *args, **options)
                return
            write = self.stdout.write
            lines: list[str] = []

            def tee(msg: str = "", *a: Any, **kw: Any) -> None:
                lines.append(msg)
                write(msg, *a, **kw)

            with job_run(job) as run:
                self.stdout.write = tee
                try:
                    handle(self, *args, **options)
                finally:
                    self.stdout.write = write
                    run.summary = next((line for line in reversed(lines) if line.strip()), "")[
                        :1000
                    ]

        return wrapper

    return decorate


# --- the outbox of tasks (parindex/ops/tasks_backend.py) -----------------------------------


def pending_task_keep(
    *,
    task_path: str,
    args: list[Any],
    kwargs: dict[str, Any],
    queue_name: str,
    priority: int,
    run_after: dt.datetime | None,
    error: str,
) -> PendingTask:
    """Keep a task Redis could not take (joins the caller's transaction, if any: a task of a
    write that is rolled back is not kept either)."""
    return PendingTask.objects.create(
        task_path=task_path[:300],
        args=args,
        kwargs=kwargs,
        queue_name=queue_name[:100],
        priority=priority,
        run_after=run_after,
        created_at=timezone.now(),
        last_error=error[:300],
    )


def pending_tasks_drain(limit: int = 1000) -> tuple[int, int]:
    """Hand kept tasks to the queue, oldest first, one row at a time: the row is locked
    (others skip it) while its task is handed over, and deleted in the same transaction.
    Stops at the first Redis failure (the row stays, its attempt and error noted). Returns
    (handed over, still kept)."""
    from django.utils.module_loading import import_string
    from django_tasks import task_backends

    from parindex.ops.redis_state import STATE, redis_errors

    backend = task_backends["default"]
    if not hasattr(backend, "enqueue_now"):
        return 0, PendingTask.objects.count()
    sent = 0
    unknown: list[int] = []
    while sent < limit:
        with transaction.atomic():
            row = (
                PendingTask.objects.select_for_update(skip_locked=True)
                .exclude(pk__in=unknown)
                .order_by("id")
                .first()
            )
            if row is None:
                break
            try:
                task = import_string(row.task_path).using(
                    queue_name=row.queue_name, priority=row.priority, run_after=row.run_after
                )
            except (ImportError, AttributeError) as exc:  # a task removed by an upgrade
                unknown.append(row.pk)
                _note_attempt(row, f"Không còn tác vụ này trong phần mềm: {exc}")
                continue
            try:
                backend.enqueue_now(task, row.args, row.kwargs)
            except redis_errors() as exc:
                _note_attempt(row, f"{type(exc).__name__}: {exc}")
                STATE.redis_failed()
                break
            row.delete()
            sent += 1
    return sent, PendingTask.objects.count()


def _note_attempt(row: PendingTask, error: str) -> None:
    row.attempts += 1
    row.last_error = error[:300]
    row.save(update_fields=["attempts", "last_error"])
