"""The Redis cache, resilient: when Redis cannot be reached the site keeps serving.

What parindex keeps in the cache can all be lost or skipped for a while: rendered public pages
(rebuilt from the database), rate-limit counters (requests are let through: fail open), the
once-a-minute marks of the session list and of the sign-in checks (the work is simply done
again). Django's ``RedisCache`` raises on a lost connection, which turned a Redis outage into
an HTTP 500 on every page (bench/load.py, 2026-12-02). This backend answers as an empty cache
instead — a miss on reads, nothing stored on writes, ``add`` accepted — and logs a warning at
most once every ``WARN_EVERY`` seconds per process. Other Redis errors (a wrong type, a
command refused) still raise: they are bugs, not outages.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("parindex.cache")

OUTAGE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
WARN_EVERY = 30.0
_last_warning = 0.0


def _outage(operation: str, exc: BaseException) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY:
        _last_warning = now
        log.warning(
            "Redis cache unreachable (%s: %s): answering as an empty cache",
            operation,
            type(exc).__name__,
        )


class ResilientRedisCache(RedisCache):
    """``RedisCache`` that behaves as an empty cache while Redis is unreachable."""

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except OUTAGE as exc:
            _outage("get", exc)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except OUTAGE as exc:
            _outage("get_many", exc)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except OUTAGE as exc:
            _outage("has_key", exc)
            return False

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except OUTAGE as exc:
            _outage("add", exc)
            return True  # as if stored: the callers' "once per …" work runs, limits let through

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except OUTAGE as exc:
            _outage("set", exc)

    def set_many(self, data: Any, timeout: Any = None, version: int | None = None) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except OUTAGE as exc:
            _outage("set_many", exc)
            return list(data)

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except OUTAGE as exc:
            _outage("touch", exc)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except OUTAGE as exc:
            _outage("delete", exc)
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except OUTAGE as exc:
            _outage("delete_many", exc)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except OUTAGE as exc:
            _outage("incr", exc)
            return delta  # a counter that starts again: rate limits let the request through
