"""Background tasks that outlast a short database outage (PostgreSQL restarting, its disk
full for a while): ``@task()`` over ``@db_retrying`` tries an idempotent task again, after a
pause and on a fresh connection, instead of failing it at the first refused query — a failed
``refresh_points`` left the survey's points stale until the next response (bench/load.py's
disk-full window). Only for tasks that may run twice (recomputing); e-mails
are not retried (a half-sent batch would be sent twice), nor an export (a job claimed before
the failure would be skipped by the next attempt)."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import InterfaceError, OperationalError, close_old_connections, connections

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])

#: seconds between attempts (3 more attempts, about 65 s in all)
PAUSES = (5.0, 15.0, 45.0)


def _drop_connections() -> None:
    """A connection broken by the restart is not reused: the next query opens a new one."""
    for conn in connections.all(initialized_only=True):
        conn.close()
    close_old_connections()


def db_retrying(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for attempt, pause in enumerate((*PAUSES, None), start=1):
            try:
                return func(*args, **kwargs)
            except (OperationalError, InterfaceError) as exc:
                if pause is None:
                    raise
                logger.warning(
                    "%s: database refused (%s), attempt %d, again in %.0f s",
                    func.__qualname__, type(exc).__name__, attempt, pause,
                )  # fmt: skip
                _drop_connections()
                time.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper  # type: ignore[return-value]
