"""A demo clock: run services "as if" on a past day, so last year's history has real dates.

Every timestamp in parindex comes from ``django.utils.timezone.now`` (auto_now fields, audit
rows, status changes, the calendar's "today"). Inside ``at(moment)`` that function returns
``moment`` plus a few milliseconds per call, so the order of events is kept. Only the demo
builder uses it; production code never fakes time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings

STEP = dt.timedelta(milliseconds=7)


def local(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An aware datetime on ``day`` at ``hour:minute`` in the site's time zone."""
    return dt.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    state = {"t": moment.astimezone(dt.UTC)}

    def now() -> dt.datetime:
        state["t"] += STEP
        return state["t"]

    with mock.patch("django.utils.timezone.now", now):
        yield
