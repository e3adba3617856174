"""The worker's heartbeat: each task a real worker starts or finishes updates its row.

Not for the immediate or dummy backends (the web process runs those tasks itself: no worker
to watch, and no extra queries inside the request)."""

from __future__ import annotations

import logging
from typing import Any

from parindex.ops import services

logger = logging.getLogger(__name__)
IN_PROCESS_BACKENDS = frozenset({"ImmediateBackend", "DummyBackend"})


def _backend_name(sender: Any) -> str:
    """The backend's class name: the senders send the class (RQ, immediate) or an instance
    (django-tasks-db's worker)."""
    return (sender if isinstance(sender, type) else type(sender)).__name__


def _beat(sender: Any, task_result: Any, finished: bool) -> None:
    backend = _backend_name(sender)
    if backend in IN_PROCESS_BACKENDS:
        return
    try:
        services.heartbeat_record(
            backend=backend,
            task_path=getattr(getattr(task_result, "task", None), "module_path", ""),
            finished=finished,
        )
    except Exception:  # a heartbeat must never fail the task it reports on
        logger.exception("worker heartbeat not recorded")


def on_task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _beat(sender, task_result, finished=False)


def on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _beat(sender, task_result, finished=True)
    if _backend_name(sender) == "ResilientRQBackend":
        # the worker hands over the tasks the web kept while Redis was down (once per
        # DRAIN_EVERY seconds at most), also when no new enqueue comes after Redis is back
        from parindex.ops.redis_state import STATE
        from parindex.ops.tasks_backend import drain_quietly

        if not STATE.redis_resting() and STATE.drain_due():
            drain_quietly()
