"""Reads of the appeals pages. No writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex.appeals.models import DEFAULT_DAYS, Appeal, AppealSetting
from parindex.appeals.services import closed_reason, window
from parindex.assessments.access import actor_kinds
from parindex.assessments.models import Assessment, Entry, Status
from parindex.frameworks.models import FrameworkNode
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
