"""The user's list of results (``/ket-qua/``): the periods of the organizers they administer
(and, read only, those below them), and their units' assessments. No writes; four queries
whatever the number of periods."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parindex.accounts.models import Membership
from parindex.appraisal.models import PeriodAppraisal
from parindex.assessments.models import Assessment, Status
from parindex.assessments.period_selectors import period_list_for_user
from parindex.periods.access import user_roles
from parindex.periods.models import Period

R = PeriodAppraisal.Review


@dataclass
class PeriodLine:
    period: Period
    approved: bool
    decision_number: str = ""
    supervised: bool = False


@dataclass
class UnitLine:
    assessment: Assessment
    approved: bool


@dataclass
class MyResults:
    periods: list[PeriodLine] = field(default_factory=list)
    units: list[UnitLine] = field(default_factory=list)


def _approved(period_ids: list[int]) -> dict[int, PeriodAppraisal]:
    if not period_ids:
        return {}
    return {
        s.period_id: s
        for s in PeriodAppraisal.objects.filter(period_id__in=period_ids, review=R.APPROVED).only(
            "period_id", "review", "decision_number", "approved_at"
        )
    }


def my_results(user: Any) -> MyResults:
    roles = user_roles(user)
    out = MyResults()
    periods: list[Period] = []
    if roles.is_organizer_admin:
        periods = period_list_for_user(user, supervised=True)
    unit_ids = {
        m.unit_id
        for m in roles.memberships
        if m.role in (Membership.Role.UNIT_OFFICER, Membership.Role.UNIT_LEADER)
    }
    assessments = (
        list(
            Assessment.objects.filter(unit_id__in=unit_ids)
            .select_related("period", "unit")
            .order_by("-period__year", "unit__name")
        )
        if unit_ids
        else []
    )
    states = _approved(list({p.pk for p in periods} | {a.period_id for a in assessments}))
    for p in periods:
        state = states.get(p.pk)
        out.periods.append(
            PeriodLine(
                period=p,
                approved=state is not None,
                decision_number=state.decision_number if state else "",
                supervised=bool(getattr(p, "supervised", False)),
            )
        )
    out.units = [
        UnitLine(a, a.period_id in states and a.status == Status.FINALIZED) for a in assessments
    ]
    return out
