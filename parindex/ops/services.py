"""Writes of the ops app: the worker's heartbeat and the periodic jobs' runs.

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

from parindex.ops.models import JobRun, WorkerHeartbeat

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
