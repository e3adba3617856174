"""Reads of the appeals pages. No writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from parindex.appeals.models import DEFAULT_DAYS, Appeal, AppealSetting
from parindex.appeals.services import closed_reason, window
from parindex.assessments.access import actor_kinds
from parindex.assessments.models import Assessment, Entry, Status
from parindex.frameworks.models import FrameworkNode
from parindex.notify.selectors import Waiting
from parindex.periods.models import Period


@dataclass
class Leaf:
    entry: Entry
    final: Decimal | None
    pending: bool


@dataclass
class UnitAppeals:
    assessment: Assessment
    opens: dt.date | None
    closes: dt.date | None
    closed_reason: str
    can_file: bool
    appeals: list[Appeal]
    leaves: list[Leaf] = field(default_factory=list)


def _final(e: Entry) -> Decimal | None:
    for score in (e.round2_score, e.round1_score, e.self_score):
        if score is not None:
            return score
    return None


def unit_appeals(user: Any, assessment: Assessment) -> UnitAppeals:
    opens, closes = window(assessment.period)
    why = closed_reason(assessment.period)
    if not why and assessment.status != Status.FINALIZED:
        why = "Kết quả của đơn vị chưa được phê duyệt."
    appeals = list(
        Appeal.objects.filter(assessment=assessment)
        .select_related("filed_by", "decided_by", "publication")
        .prefetch_related("items__entry__node")
    )
    pending = {
        i.entry_id for a in appeals if a.status == Appeal.Status.SUBMITTED for i in a.items.all()
    }
    leader = "leader" in actor_kinds(user, assessment)
    leaves = []
    if leader and not why:
        leaves = [
            Leaf(e, _final(e), e.pk in pending)
            for e in Entry.objects.filter(assessment=assessment, node__children__isnull=True)
            .exclude(node__source=FrameworkNode.Source.SURVEY)
            .select_related("node")
            .order_by("node__position")
        ]
    return UnitAppeals(
        assessment=assessment,
        opens=opens,
        closes=closes,
        closed_reason=why,
        can_file=leader and not why,
        appeals=appeals,
        leaves=leaves,
    )


@dataclass
class PeriodAppeals:
    period: Period
    opens: dt.date | None
    closes: dt.date | None
    days: int
    appeals: list[Appeal]

    @property
    def waiting(self) -> int:
        return sum(1 for a in self.appeals if a.status == Appeal.Status.SUBMITTED)


def period_appeals(period: Period) -> PeriodAppeals:
    opens, closes = window(period)
    setting = AppealSetting.objects.filter(period=period).first()
    return PeriodAppeals(
        period=period,
        opens=opens,
        closes=closes,
        days=setting.days if setting else DEFAULT_DAYS,
        appeals=list(
            Appeal.objects.filter(period=period)
            .select_related("assessment__unit", "filed_by", "publication")
            .prefetch_related("items__entry__node")
        ),
    )


# -- The home page's "Việc đang chờ bạn" ------------------------------------------------------

#: An answered appeal stays on the unit's home page this many days after the answer.
ANSWERED_DAYS = 14


def appeals_waiting(roles: Any, now: dt.datetime | None = None) -> list[Waiting]:
    """What the appeals ask of the user, for the home page (at most two queries):

    - the organizer's admin: per period, the appeals waiting for an answer (urgent; the link
      is the period's appeals page);
    - the unit's officers and leaders: each of its appeals waiting for an answer, and each
      answered in the last ``ANSWERED_DAYS`` days with the answer (the link is the appeal).
    """
    now = now or timezone.now()
    out: list[Waiting] = []
    organizers = [u.pk for u in roles.organizer_units] if roles.is_organizer_admin else []
    if organizers:
        rows = (
            Appeal.objects.filter(
                period__organizer_id__in=organizers, status=Appeal.Status.SUBMITTED
            )
            .order_by("period_id")
            .values("period_id", "period__name")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            out.append(
                Waiting(
                    f"{row['n']} kiến nghị của đơn vị về kết quả đã công bố chờ trả lời "
                    f"({row['period__name']}).",
                    reverse("appeals:period", args=[row["period_id"]]),
                    urgent=True,
                )
            )
    units = {u.pk for u in roles.officer_units} | {u.pk for u in roles.leader_units}
    if units:
        mine = (
            Appeal.objects.filter(assessment__unit_id__in=units)
            .filter(
                Q(status=Appeal.Status.SUBMITTED)
                | Q(decided_at__gte=now - dt.timedelta(days=ANSWERED_DAYS))
            )
            .select_related("period__organizer", "assessment__unit")
            .order_by("filed_at", "id")
        )
        for a in mine:
            where = f"{a.assessment.unit.name} — {a.period.name}"
            url = reverse("appeals:detail", args=[a.pk])
            if a.status == Appeal.Status.SUBMITTED:
                out.append(
                    Waiting(
                        f"Kiến nghị số {a.pk} ({where}) đang chờ {a.period.organizer.name} "
                        "trả lời.",
                        url,
                    )
                )
            else:
                out.append(
                    Waiting(
                        f"{a.period.organizer.name} đã trả lời kiến nghị số {a.pk} ({where}): "
                        f"{a.get_status_display()}.",
                        url,
                        comment=a.decision_note,
                        urgent=True,
                    )
                )
    return out
