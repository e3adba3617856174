"""The task backend used with Redis: django-tasks-rq's, with an outbox for when Redis is down.

A write commits, then its ``on_commit`` enqueues a task (a mail, the survey's points, an
export). With Django-tasks-rq alone, a Redis that is stopped or unreachable at that moment
makes ``enqueue`` raise *after* the write is stored: the user sees an error page for a save
that worked, and the task is lost. Here the task is kept instead as a ``PendingTask`` row in
the database (which holds the write itself, so it is up) and handed to the queue once Redis
answers again — after the next successful enqueue of any process, after each task the worker
finishes, and by ``manage.py drain_tasks`` (cron). ``bench/load.py``'s Redis window measures
it under load.

While Redis is failing, one process tries it at most once per ``RETRY_AFTER`` seconds (the
others go straight to the outbox), so a hung Redis costs a request its socket timeout once,
not on every enqueue.
"""

from __future__ import annotations

import logging
from typing import Any

from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id
from django_tasks_rq import RQBackend

from parindex.ops.redis_state import STATE, redis_errors

logger = logging.getLogger(__name__)


class ResilientRQBackend(RQBackend):
    """django-tasks-rq's backend; a task Redis cannot take is kept in ``PendingTask``."""

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:  # type: ignore[override]
        if not STATE.redis_resting():
            try:
                result = super().enqueue(task, args, kwargs)
            except redis_errors() as exc:
                STATE.redis_failed()
                return self._keep(task, args, kwargs, exc)
            if STATE.drain_due(force=STATE.redis_answered()):
                drain_quietly()
            return result
        return self._keep(task, args, kwargs, None)

    def enqueue_now(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        """Hand to Redis or raise (the drain: a failure leaves the row where it is)."""
        result = super().enqueue(task, args, kwargs)
        STATE.redis_answered()
        return result

    def _keep(self, task: Task, args: Any, kwargs: Any, exc: BaseException | None) -> TaskResult:
        from parindex.ops import services

        self.validate_task(task)
        row = services.pending_task_keep(
            task_path=task.module_path,
            args=list(args),
            kwargs=dict(kwargs),
            queue_name=task.queue_name,
            priority=task.priority,
            run_after=task.run_after,
            error=f"{type(exc).__name__}: {exc}" if exc else "Redis đang không trả lời",
        )
        return TaskResult(
            task=task,
            id=f"pending-{row.pk}-{get_random_id()}",
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )


def drain_quietly() -> None:
    """Drain the outbox; never let it fail the caller (an enqueue, a finished task)."""
    from parindex.ops import services

    try:
        services.pending_tasks_drain()
    except Exception:
        logger.exception("pending tasks not drained")
