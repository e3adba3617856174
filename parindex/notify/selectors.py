"""Reads for the reminders: who to write to, which units are due today."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from parindex.accounts.models import Membership, Unit
from parindex.assessments.models import Assessment, Status
from parindex.notify.models import ReminderLog
from parindex.periods.calendar import self_assessment_deadline, self_assessment_start
from parindex.periods.models import Period, PhaseDate

# Units that have not sent their self-assessment yet.
REMINDABLE = (Status.DRAFT, Status.PENDING_APPROVAL)
UNIT_ROLES = (Membership.Role.UNIT_OFFICER, Membership.Role.UNIT_LEADER)


def unit_contacts(unit_ids: Iterable[int]) -> dict[int, list[str]]:
    """The e-mail addresses of the active officers and leaders of each unit (one query)."""
    out: dict[int, list[str]] = defaultdict(list)
    rows = (
        Membership.objects.filter(
            unit_id__in=list(unit_ids), role__in=UNIT_ROLES, user__is_active=True
        )
        .exclude(user__email="")
        .order_by("unit_id", "-role", "user__username")  # officers first
        .values_list("unit_id", "user__email")
    )
    for unit_id, email in rows:
        if email not in out[unit_id]:
            out[unit_id].append(email)
    return dict(out)


def organizer_contacts(organizer: Unit) -> list[str]:
    """The e-mail addresses of the organizer's active admins (one query)."""
    emails = (
        Membership.objects.filter(
            unit=organizer, role=Membership.Role.ORGANIZER_ADMIN, user__is_active=True
        )
        .exclude(user__email="")
        .order_by("user__username")
        .values_list("user__email", flat=True)
    )
    return list(dict.fromkeys(emails))


def days_left(deadline: dt.datetime | None, on: dt.date) -> int | None:
    """Whole days from ``on`` to the (local) day of the deadline: 0 on the deadline day."""
    if deadline is None:
        return None
    return (timezone.localtime(deadline).date() - on).days


@dataclass
class Due:
    assessment: Assessment
    deadline: dt.datetime
    days_left: int
    already_sent: bool


def reminders_due(on: dt.date) -> list[Due]:
    """The units to remind on ``on``: in an open period whose self-assessment has started,
    not submitted yet, and whose deadline (with its extension) is exactly N days away for
    an N of the period's reminder days (3 queries)."""
    assessments = list(
        Assessment.objects.filter(status__in=REMINDABLE, period__closed=False)
        .exclude(period__reminder_days="")
        .select_related("period", "period__organizer", "unit")
        .prefetch_related(
            Prefetch("period__phases", queryset=PhaseDate.objects.order_by("starts_on"))
        )
        .order_by("period_id", "unit__position", "unit__name")
    )
    sent = set(
        ReminderLog.objects.filter(
            kind=ReminderLog.Kind.DEADLINE, for_date=on, assessment__in=assessments
        ).values_list("assessment_id", flat=True)
    )
    out = []
    for a in assessments:
        period: Period = a.period
        start = self_assessment_start(period)
        if start is None or on < start:
            continue
        deadline = self_assessment_deadline(period, a)
        left = days_left(deadline, on)
        if deadline is None or left is None or left not in period.reminder_day_list:
            continue
        out.append(Due(a, deadline, left, a.pk in sent))
    return out
