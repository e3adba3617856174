"""Reads for the appraisal's e-mails: who appraises what is left in a round, what a unit was
told after round 1, and who is due a reminder on a day (no writes).

Decisions where the issue was silent:
- an appraiser's "remaining" leaves are the round's undecided leaves (``rounds.undecided``)
  that the assignment gives to their seat for that unit (``Plan.appraisers``): a seat left
  out of its own unit counts nothing there, its substitute does;
- the appraisers' reminder goes ``ROUND_REMINDER_DAYS`` days before the last day of the
  round's phase (Thẩm định lần 1 / lần 2 in the period's calendar), to the seats with
  something left, while at least one assessment is in that round; the units' reminder
  ``SUPPLEMENT_REMINDER_DAYS`` days before their own Giải trình, bổ sung deadline (the
  extension when there is one) while they have not sent their answers. Exactly N days, as
  the self-assessment reminders: a day the daily run is missed is not made up;
- a reminder is sent at most once per seat, round and day (per unit and day for the units):
  the task's audit row is the mark (``REMINDER_VERBS``; see ``emails.py``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from parindex.accounts.models import Unit, User
from parindex.appraisal.models import AppraisalState, Decision
from parindex.appraisal.selectors.assignment import plan
from parindex.appraisal.services.rounds import ROUND_STATUS, undecided
from parindex.appraisal.services.supplement import supplement_deadline
from parindex.assessments.models import Assessment, Entry, Status
from parindex.audit.models import AuditEvent
from parindex.common.dates import days_left
from parindex.periods.calendar import period_calendar
from parindex.periods.models import CouncilMember, Period, Phase, PhaseDate

ROUND_PHASE = {1: Phase.APPRAISAL_1, 2: Phase.APPRAISAL_2}
#: The appraisers are reminded this many days before the last day of their round.
ROUND_REMINDER_DAYS = 3
#: A unit that has not sent its answers is reminded this many days before its deadline.
SUPPLEMENT_REMINDER_DAYS = 2
#: The audit verbs of the reminders sent (the once-a-day mark).
ROUND_REMINDER_VERB = "appraisal.reminder_round"
SUPPLEMENT_REMINDER_VERB = "appraisal.reminder_supplement"
K = Decision.Kind


def round_end(period: Period, round: int) -> dt.date | None:
    """The last day of the round's phase in the period's calendar (prefetch ``phases``)."""
    dates = period_calendar(period).get(ROUND_PHASE[round])
    return dates[1] if dates else None


@dataclass
class Workload:
    """What one council seat has left in a round: per unit, the number of leaves."""

    member: CouncilMember
    units: list[tuple[Unit, int]] = field(default_factory=list)

    @property
    def user(self) -> User:
        return self.member.user

    @property
    def total(self) -> int:
        return sum(n for _unit, n in self.units)


def workloads(period: Period, round: int, *, with_email: bool = True) -> list[Workload]:
    """Every seat with leaves left to decide in the round, in the council's order, each with
    its units in the period's order (a fixed number of queries)."""
    the_plan = plan(period)
    items = list(
        Assessment.objects.filter(period=period, status=ROUND_STATUS[round])
        .select_related("unit")
        .order_by("unit__position", "unit__name")
    )
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for entry in undecided(period, round, items):
        unit_id = entry.assessment.unit_id
        for seat in the_plan.appraisers(unit_id, entry.node):
            counts[seat.pk][unit_id] += 1
    units = {a.unit_id: a.unit for a in items}
    out: list[Workload] = []
    for member in the_plan.members:
        mine = counts.get(member.pk)
        if not mine:
            continue
        user = member.user
        if with_email and (not user.is_active or not user.email):
            continue
        load = Workload(member=member)
        load.units = [(units[a.unit_id], mine[a.unit_id]) for a in items if a.unit_id in mine]
        out.append(load)
    return out


def chair_contacts(period: Period) -> list[str]:
    """The e-mail of the council's chair (empty without a chair or an address)."""
    return list(
        CouncilMember.objects.filter(
            council__period=period,
            position=CouncilMember.Position.CHAIR,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


# ---------------------------------------------------------------- the unit's round-1 result


@dataclass
class ResultLine:
    """One leaf the council adjusted or asked about in round 1."""

    code: str
    title: str
    kind: str
    not_applicable: bool  # declared Không áp dụng
    self_score: Decimal | None
    score: Decimal | None  # the round's points (an adjustment, or a request's provisional)
    reason: str
    request: str


@dataclass
class RoundResult:
    adjusted: list[ResultLine]
    requests: list[ResultLine]
    accepted: int  # leaves agreed with

    @property
    def asked(self) -> int:
        return len(self.adjusted) + len(self.requests)


def round1_result(assessment: Assessment) -> RoundResult:
    """The current round-1 decisions of the assessment, adjusted and asked leaves in
    framework order (one query)."""
    rows = (
        Decision.objects.filter(entry__assessment=assessment, round=1, current=True)
        .select_related("entry__node")
        .order_by("entry__node__position", "id")
    )
    adjusted: list[ResultLine] = []
    requests: list[ResultLine] = []
    accepted = 0
    for d in rows:
        if d.kind == K.ACCEPT:
            accepted += 1
            continue
        entry: Entry = d.entry
        line = ResultLine(
            code=entry.node.code,
            title=entry.node.title,
            kind=d.kind,
            not_applicable=entry.not_applicable,
            self_score=entry.self_score,
            score=d.score,
            reason=d.reason,
            request=d.request,
        )
        (adjusted if d.kind == K.ADJUST else requests).append(line)
    return RoundResult(adjusted=adjusted, requests=requests, accepted=accepted)


# ---------------------------------------------------------------- who is due a reminder


@dataclass
class RoundDue:
    period: Period
    round: int
    ends_on: dt.date
    loads: list[Workload]
    already_sent: set[int]  # seat ids reminded on that day


def _open_periods() -> list[Period]:
    return list(
        Period.objects.filter(closed=False)
        .select_related("organizer")
        .prefetch_related(Prefetch("phases", queryset=PhaseDate.objects.order_by("starts_on")))
        .order_by("organizer__name", "year", "pk")
    )


def _reminded(verb: str, object_type: str, ids: Iterable[int], on: dt.date) -> set[int]:
    keys = [str(i) for i in ids]
    if not keys:
        return set()
    rows = AuditEvent.objects.filter(
        verb=verb, object_type=object_type, object_id__in=keys, new__for_date=on.isoformat()
    ).values_list("object_id", flat=True)
    return {int(i) for i in rows}


def round_reminders_due(on: dt.date) -> list[RoundDue]:
    """The (period, round) whose round ends ``ROUND_REMINDER_DAYS`` days after ``on`` while
    assessments are in it, with the seats that have something left."""
    out: list[RoundDue] = []
    periods = _open_periods()
    in_round = set(
        Assessment.objects.filter(
            period__in=periods, status__in=list(ROUND_STATUS.values())
        ).values_list("period_id", "status")
    )
    for period in periods:
        for round, status in ROUND_STATUS.items():
            ends = round_end(period, round)
            if ends is None or (period.pk, status) not in in_round:
                continue
            if days_left(ends, on) != ROUND_REMINDER_DAYS:
                continue
            loads = workloads(period, round)
            sent = _reminded(
                ROUND_REMINDER_VERB, "periods.councilmember", [w.member.pk for w in loads], on
            )
            out.append(RoundDue(period, round, ends, loads, sent))
    return out


@dataclass
class SupplementDue:
    assessment: Assessment
    deadline: dt.datetime
    already_sent: bool


def asked_assessments() -> QuerySet[Decision, int]:
    """The ids of the assessments with something to answer: a current round-1 adjustment or
    request (a unit whose round 1 agreed with everything is never reminded)."""
    return (
        Decision.objects.filter(round=1, current=True, kind__in=[K.ADJUST, K.REQUEST])
        .values_list("entry__assessment_id", flat=True)
        .distinct()
    )


def supplement_reminders_due(on: dt.date) -> list[SupplementDue]:
    """The units in Giải trình, bổ sung with something to answer that have not sent their
    answers and whose deadline is ``SUPPLEMENT_REMINDER_DAYS`` days after ``on``."""
    items = list(
        Assessment.objects.filter(status=Status.SUPPLEMENT, period__closed=False)
        .filter(pk__in=asked_assessments())
        .select_related("unit", "period", "period__organizer")
        .prefetch_related("period__phases")
        .order_by("period_id", "unit__position", "unit__name")
    )
    states = {s.assessment_id: s for s in AppraisalState.objects.filter(assessment__in=items)}
    due: list[tuple[Assessment, dt.datetime]] = []
    for a in items:
        state = states.get(a.pk)
        if state is not None and state.answers_sent_at is not None:
            continue
        deadline = supplement_deadline(a)  # the rule's one place (a query per unit)
        if deadline is not None and days_left(deadline, on) == SUPPLEMENT_REMINDER_DAYS:
            due.append((a, deadline))
    sent = _reminded(SUPPLEMENT_REMINDER_VERB, "assessments.assessment", [a.pk for a, _ in due], on)
    return [SupplementDue(a, deadline, a.pk in sent) for a, deadline in due]
