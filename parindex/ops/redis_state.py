"""Per process: whether Redis failed a moment ago, and when the outbox of kept tasks was last
looked at (used by ``tasks_backend`` and ``services.pending_tasks_drain``)."""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger("parindex.ops.tasks_backend")

#: seconds a process waits, after Redis failed, before trying it again
RETRY_AFTER = 5.0
#: seconds between two looks at the outbox after successful enqueues (per process)
DRAIN_EVERY = 5.0


def redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class _State:
    """Per process: when Redis last failed, and when the outbox was last looked at."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.failed_at: float | None = None
        self.next_drain = 0.0

    def redis_resting(self) -> bool:
        with self.lock:
            return self.failed_at is not None and time.monotonic() - self.failed_at < RETRY_AFTER

    def redis_failed(self) -> None:
        with self.lock:
            first = self.failed_at is None
            self.failed_at = time.monotonic()
        if first:
            logger.warning("Redis unreachable: tasks are kept in the database until it answers")

    def redis_answered(self) -> bool:
        """True when Redis had failed before (the outbox should be drained now)."""
        with self.lock:
            was_down = self.failed_at is not None
            self.failed_at = None
            return was_down

    def drain_due(self, force: bool = False) -> bool:
        now = time.monotonic()
        with self.lock:
            if not force and now < self.next_drain:
                return False
            self.next_drain = now + DRAIN_EVERY
            return True


STATE = _State()
