"""What the start page shows each user: the periods they run and where each one stands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone

from parindex.assessments.models import Assessment, Status
from parindex.assessments.period_selectors import period_list_for_user
from parindex.common.dates import days_left
from parindex.periods.calendar import period_calendar
from parindex.periods.models import Period, Phase


@dataclass
class PeriodCard:
    period: Period
    phase: Phase | None
    phase_ends_on: dt.date | None
    days_left: int | None
    total: int
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def submitted(self) -> int:
        return self.total - self.by_status.get(Status.DRAFT, 0) - self.pending

    @property
    def pending(self) -> int:
        return self.by_status.get(Status.PENDING_APPROVAL, 0)

    @property
    def drafts(self) -> int:
        return self.by_status.get(Status.DRAFT, 0)

    @property
    def submitted_percent(self) -> int:
        return round(100 * self.submitted / self.total) if self.total else 0


def organizer_period_cards(user: Any, today: dt.date | None = None) -> list[PeriodCard]:
    """The organizer's periods that are not archived yet, with counts by status (one query
    besides the period list)."""
    today = today or timezone.localdate()
    periods = [p for p in period_list_for_user(user) if p.phase != Phase.ARCHIVE]  # type: ignore[attr-defined]
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Assessment.objects.filter(period__in=[p.pk for p in periods])
        .order_by()
        .values("period_id", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts.setdefault(row["period_id"], {})[row["status"]] = row["n"]
    cards = []
    for period in periods:
        phase = period.phase  # type: ignore[attr-defined]
        span = period_calendar(period).get(phase) if phase else None
        ends = span[1] if span else None
        by_status = counts.get(period.pk, {})
        cards.append(
            PeriodCard(
                period=period,
                phase=phase,
                phase_ends_on=ends,
                days_left=days_left(ends, today),
                total=sum(by_status.values()),
                by_status=by_status,
            )
        )
    return cards
