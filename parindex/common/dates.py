"""Days left until a deadline or the end of a phase: one computation for every page and mail."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def days_left(end: dt.date | dt.datetime | None, today: dt.date | None = None) -> int | None:
    """Whole local days from ``today`` to the day of ``end``: 0 when today is the last day,
    1 when it ends tomorrow, negative once it is over. ``end`` is a day (a phase's last day)
    or an aware moment (a deadline, 23:59:59 local time); ``None`` gives ``None``."""
    if end is None:
        return None
    if isinstance(end, dt.datetime):
        end = timezone.localtime(end).date()
    return (end - (today or timezone.localdate())).days


def days_left_text(days: int | None) -> str:
    """``days_left`` in words: 'còn 3 ngày', 'hôm nay là ngày cuối', 'đã quá hạn 2 ngày'."""
    if days is None:
        return ""
    if days > 1:
        return f"còn {days} ngày"
    if days == 1:
        return "còn 1 ngày (hết hạn ngày mai)"
    if days == 0:
        return "hôm nay là ngày cuối"
    return f"đã quá hạn {-days} ngày"
