"""Reads for the reminders: who to write to, which units are due today."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone

from parindex.accounts.models import Membership, Unit
from parindex.assessments.models import Assessment, Status, StatusChange
from parindex.common import dates
from parindex.notify.models import ReminderLog
from parindex.periods.calendar import self_assessment_deadline, self_assessment_start
from parindex.periods.models import Period, PhaseDate

# Units that have not sent their self-assessment yet.
REMINDABLE = (Status.DRAFT, Status.PENDING_APPROVAL)
UNIT_ROLES = (Membership.Role.UNIT_OFFICER, Membership.Role.UNIT_LEADER)


def unit_contacts(
    unit_ids: Iterable[int], roles: Iterable[str] = UNIT_ROLES
) -> dict[int, list[str]]:
    """The e-mail addresses of the active officers and leaders (or only ``roles``) of each
    unit (one query)."""
    out: dict[int, list[str]] = defaultdict(list)
    rows = (
        Membership.objects.filter(
            unit_id__in=list(unit_ids), role__in=list(roles), user__is_active=True
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
    return dates.days_left(deadline, on)


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


# -- What waits for each role (the home page) -----------------------------------------------

#: An officer's unsent draft shows on the home page from this many days before its deadline.
NEAR_DEADLINE_DAYS = 7


@dataclass
class Waiting:
    """One line of "Việc đang chờ bạn" on the home page."""

    text: str
    url: str = ""
    comment: str = ""  # the leader's comment on a returned self-assessment
    urgent: bool = False


def home_waiting(roles: Any, today: dt.date | None = None) -> dict[str, list[Waiting]]:
    """By role ("officer", "leader", "organizer"): what is waiting for the user. At most
    three queries; the roles the user does not hold are left out. (The council's work —
    a seat on a period's council, not an account role — is the appraisal's
    ``selectors.home.council_waiting``.)"""
    today = today or timezone.localdate()
    out: dict[str, list[Waiting]] = {}
    officer_units = {u.pk for u in roles.officer_units}
    leader_units = {u.pk for u in roles.leader_units}
    if officer_units or leader_units:
        open_ones = list(
            Assessment.objects.filter(
                unit_id__in=officer_units | leader_units,
                status__in=REMINDABLE,
                period__closed=False,
            )
            .select_related("period", "unit")
            .prefetch_related(
                "period__phases",
                Prefetch(
                    "status_changes",
                    queryset=StatusChange.objects.select_related("actor").order_by("at", "id"),
                ),
            )
            .order_by("period__year", "unit__name")
        )
        for a in open_ones:
            url = reverse("assessments:workspace", args=[a.pk])
            where = f"{a.unit.name} — {a.period.name}"
            changes = list(a.status_changes.all())
            last = changes[-1] if changes else None
            if a.unit_id in officer_units and a.status == Status.DRAFT:
                left = dates.days_left(self_assessment_deadline(a.period, a), today)
                if last is not None and last.old_status == Status.PENDING_APPROVAL:
                    who = last.actor.display_name if last.actor else "Lãnh đạo đơn vị"
                    out.setdefault("officer", []).append(
                        Waiting(
                            f"{who} đã trả lại bản tự đánh giá ({where}) lúc "
                            f"{timezone.localtime(last.at):%H:%M} ngày "
                            f"{timezone.localtime(last.at):%d/%m/%Y}: sửa, bổ sung rồi "
                            "trình lại.",
                            url,
                            comment=last.note,
                            urgent=True,
                        )
                    )
                elif left is not None and left <= NEAR_DEADLINE_DAYS:
                    out.setdefault("officer", []).append(
                        Waiting(
                            f"Bản tự đánh giá chưa trình lãnh đạo ({where}): "
                            f"{dates.days_left_text(left)}.",
                            url,
                            urgent=left <= 3,
                        )
                    )
            if a.unit_id in leader_units and a.status == Status.PENDING_APPROVAL:
                who = last.actor.display_name if last is not None and last.actor else "Chuyên viên"
                out.setdefault("leader", []).append(
                    Waiting(
                        f"Chờ bạn phê duyệt: {who} đã trình bản tự đánh giá ({where}).",
                        url,
                        comment=last.note if last is not None else "",
                        urgent=True,
                    )
                )
    organizers = [u.pk for u in roles.organizer_units] if roles.is_organizer_admin else []
    if organizers:
        rows = (
            Assessment.objects.filter(
                period__organizer_id__in=organizers,
                status=Status.SUBMITTED,
                period__closed=False,
            )
            .order_by("period_id")
            .values("period_id", "period__name")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            out.setdefault("organizer", []).append(
                Waiting(
                    f"{row['n']} đơn vị đã gửi kết quả tự đánh giá, chờ xem xét "
                    f"({row['period__name']}).",
                    reverse("periods:progress", args=[row["period_id"]]),
                )
            )
    return out
