"""Sliding-window limits counted from rows (login failures, password-reset requests): the
N most recent rows within the window, newest first, one query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone


def window_count(
    rows: QuerySet[Any], *, limit: int, window: dt.timedelta, field: str = "at"
) -> tuple[int, dt.datetime | None]:
    """(rows counted, at most ``limit``; when ``limit`` is reached, the moment the oldest of
    them leaves the window and the limit lifts — else None)."""
    since = timezone.now() - window
    times = list(
        rows.filter(**{f"{field}__gte": since})
        .order_by(f"-{field}")
        .values_list(field, flat=True)[:limit]
    )
    if len(times) >= limit:
        return len(times), times[limit - 1] + window
    return len(times), None


def minutes_until(moment: dt.datetime | None) -> int:
    """Whole minutes left until ``moment``, rounded up, at least 1 (0 for None)."""
    if moment is None:
        return 0
    seconds = (moment - timezone.now()).total_seconds()
    return max(1, -(-int(seconds) // 60))
