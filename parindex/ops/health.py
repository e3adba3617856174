"""The checks behind ``/healthz``: the database, the task queue and the file store.

Each check answers ``Check(ok, ms, detail)``; ``detail`` holds counts for staff and, when the
check failed, the error's class name only (an error's message can hold a host, a user name or
a URL with a password). The store check writes, reads and deletes a tiny probe object — an
``exists()`` would not notice a full disk, a read-only mount or revoked S3 write rights — and
its answer is kept ``HEALTHZ_STORE_CACHE_SECONDS`` (default 10) in the process, so a
load-balancer polling every few seconds costs one probe per process per period.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

PROBE_DIR = "_healthz"
PROBE_BYTES = b"parindex healthz probe\n"


@dataclass
class Check:
    ok: bool
    ms: float
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self, full: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok, "ms": self.ms}
        if full:
            out.update(self.detail)
        return out


def _timed(fn: Callable[[bool], dict[str, Any]], full: bool) -> Check:
    start = time.perf_counter()
    try:
        detail = fn(full)
        ok = True
    except Exception as exc:
        detail = {"error": type(exc).__name__}
        ok = False
    return Check(ok=ok, ms=round((time.perf_counter() - start) * 1000, 1), detail=detail)


def check_database(full: bool) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def uses_rq() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


def check_queue(full: bool) -> dict[str, Any]:
    if uses_rq():
        import django_rq

        queue = django_rq.get_queue("default")
        queue.connection.ping()
        out: dict[str, Any] = {"backend": "rq"}
        if full:
            from parindex.ops.models import PendingTask

            out["waiting"] = queue.count
            out["failed"] = queue.failed_job_registry.count
            out["kept_while_down"] = PendingTask.objects.count()
        return out
    from django_tasks_db.models import DBTaskResult

    # Reachable: one indexed row at most (the READY index), without counting the table.
    list(DBTaskResult.objects.ready().order_by().values_list("pk", flat=True)[:1])
    out = {"backend": "db"}
    if full:
        out["waiting"] = DBTaskResult.objects.ready().count()
        out["failed"] = DBTaskResult.objects.failed().count()
    return out


def check_store(full: bool) -> dict[str, Any]:
    name = default_storage.save(f"{PROBE_DIR}/{uuid.uuid4().hex}.txt", ContentFile(PROBE_BYTES))
    try:
        with default_storage.open(name, "rb") as fh:
            if fh.read() != PROBE_BYTES:
                raise OSError("probe read back differs")
    finally:
        default_storage.delete(name)
    return {}


_store_lock = threading.Lock()
_store_cache: dict[str, Any] = {"at": None, "check": None}


def cached_store_check() -> Check:
    ttl = getattr(settings, "HEALTHZ_STORE_CACHE_SECONDS", 10)
    now = time.monotonic()
    with _store_lock:
        at, cached = _store_cache["at"], _store_cache["check"]
        if cached is not None and at is not None and now - at < ttl:
            return cached
    result = _timed(check_store, False)
    with _store_lock:
        _store_cache.update(at=time.monotonic(), check=result)
    return result


def clear_store_cache() -> None:
    with _store_lock:
        _store_cache.update(at=None, check=None)


def run_checks(full: bool = False) -> dict[str, Check]:
    return {
        "database": _timed(check_database, full),
        "queue": _timed(check_queue, full),
        "storage": cached_store_check(),
    }
