"""Domain gauges for Prometheus (only when METRICS is on): the tasks waiting and failed, kept
while Redis was down, and the seconds since the worker was last seen. Computed at scrape time
(a few indexed counts).

Several gunicorn workers: with ``PROMETHEUS_MULTIPROC_DIR`` set (an empty directory of its
own, e.g. ``/run/parindex-metrics``; deploy/gunicorn.conf.py empties it at start and drops a
dead worker's files), each process writes its counters there and a scrape, whichever worker
answers it, adds up every process's (prometheus_client's multiprocess mode). Without it each
worker answers with its own counts only."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

_registered = False


NAMES = (
    "parindex_tasks_waiting",
    "parindex_tasks_failed",
    "parindex_tasks_kept",
    "parindex_tasks_backend_up",
    "parindex_worker_last_seen_seconds",
    "parindex_worker_alert",
)


class TasksCollector:
    def describe(self) -> Iterator[Any]:
        """The names only: registering must not query (the tables may not exist yet)."""
        from prometheus_client.core import GaugeMetricFamily

        for name in NAMES:
            yield GaugeMetricFamily(name, name)

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        from parindex.ops.selectors import worker_status

        status = worker_status(failures=0)
        ok = not status.error
        waiting = GaugeMetricFamily("parindex_tasks_waiting", "Tasks ready and not started")
        failed = GaugeMetricFamily("parindex_tasks_failed", "Tasks that failed (kept results)")
        up = GaugeMetricFamily("parindex_tasks_backend_up", "1 when the task queue answers")
        kept = GaugeMetricFamily(
            "parindex_tasks_kept", "Tasks kept in the database while Redis was down"
        )
        kept.add_metric([], status.pending)
        seen = GaugeMetricFamily(
            "parindex_worker_last_seen_seconds", "Seconds since a worker last ran a task"
        )
        alert = GaugeMetricFamily(
            "parindex_worker_alert", "1 when a task waits longer than WORKER_STALE_MINUTES"
        )
        up.add_metric([], 1 if ok else 0)
        if ok:
            waiting.add_metric([], status.waiting)
            failed.add_metric([], status.failed)
        if status.last_seen is not None:
            seen.add_metric([], (timezone.now() - status.last_seen).total_seconds())
        alert.add_metric([], 1 if status.alert else 0)
        yield from (waiting, failed, kept, up, seen, alert)


def register_collectors() -> None:
    global _registered
    if _registered:
        return
    from prometheus_client import REGISTRY

    REGISTRY.register(TasksCollector())  # type: ignore[arg-type]
    _registered = True


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def scrape_registry() -> Any:
    """What /metrics outputs: the process's registry, or every process's counters added up
    (multiprocess mode) with the domain gauges computed now."""
    from prometheus_client import REGISTRY, CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector

    if not multiprocess_dir():
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    registry.register(TasksCollector())  # type: ignore[arg-type]
    return registry
