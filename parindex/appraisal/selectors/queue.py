"""The appraiser's queue ("Thẩm định của tôi"): every period whose council the user sits on,
and in each the units × domains assigned to them with the progress of the current round.

Decisions where the issue was silent:
- a unit shows while its assessment is sent but not started (greyed "chưa bắt đầu"), in
  Thẩm định lần 1, Giải trình, bổ sung (round 1's result, waiting for the unit) and Thẩm định
  lần 2; once appraised it leaves the queue (the consolidation has it);
- the progress counts the leaves *this user* appraises (``Plan.may_decide``): in round 1 every
  non-survey leaf, in round 2 only those whose round-1 decision was an adjustment or a
  request (``services.rounds.undecided``); a leaf is done once it has a current decision of
  the round;
- the deadline is the last day of the round's phase in the period's calendar (Giải trình, bổ
  sung: the unit's extension when it has one).

A fixed number of queries: the seats, the periods (and their calendars), the plan of each
period (``selectors.assignment.plan``), then the assessments, their current decisions, their
appraisal states and the periods' appraisal rows, whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from parindex.appraisal.models import AppraisalState, Decision, PeriodAppraisal
from parindex.appraisal.selectors.assignment import Plan, plan
from parindex.assessments.models import Assessment, Status
from parindex.common.dates import days_left
from parindex.frameworks.models import FrameworkNode
from parindex.periods.access import council_seats
from parindex.periods.calendar import end_of_day, period_calendar
from parindex.periods.models import CouncilMember, Period, Phase

K = Decision.Kind
#: The statuses the queue shows (the sent ones not yet started are greyed).
QUEUE_STATUSES = (Status.SUBMITTED, Status.APPRAISAL_1, Status.SUPPLEMENT, Status.APPRAISAL_2)
#: The round an assessment is in (None: no round open for it).
ROUND_OF: dict[str, int] = {Status.APPRAISAL_1: 1, Status.APPRAISAL_2: 2}
#: A round-1 decision that sends the leaf to round 2.
ASKED = (K.ADJUST, K.REQUEST)
ROUND_PHASE = {1: Phase.APPRAISAL_1, 2: Phase.APPRAISAL_2}

# node id -> {round: kind of the current decision}
Current = dict[int, dict[int, str]]


def round_of(assessment: Assessment) -> int | None:
    """The round open for this assessment (1, 2), None when none is."""
    return ROUND_OF.get(assessment.status)


def shown_round(assessment: Assessment) -> int:
    """The round whose progress the pages show: the open one, else round 1 (sent: not yet
    started; Giải trình, bổ sung: round 1's result)."""
    return round_of(assessment) or 1


def _phase_end(period: Period, phase: str) -> dt.datetime | None:
    dates = period_calendar(period).get(phase)
    return end_of_day(dates[1]) if dates else None


def round_deadline(period: Period, round: int) -> dt.datetime | None:
    """The end of the round's phase (23:59 of its last day), None without a calendar."""
    return _phase_end(period, ROUND_PHASE[round])


def round_start(period: Period, round: int) -> dt.date | None:
    dates = period_calendar(period).get(ROUND_PHASE[round])
    return dates[0] if dates else None


def leaves_by_domain(the_plan: Plan, framework_id: int) -> dict[int, list[FrameworkNode]]:
    """The leaves of a framework by their domain (top-level node) id, in framework order;
    the domains with no leaf are left out. Survey leaves are kept (the pages show them)."""
    nodes = sorted(
        (n for n in the_plan.nodes.values() if n.framework_id == framework_id),
        key=lambda n: n.position,
    )
    out: dict[int, list[FrameworkNode]] = {}
    for n in nodes:
        if n.rule_type:
            out.setdefault(domain_id(the_plan, n), []).append(n)
    return out


def domains_of(the_plan: Plan, framework_id: int) -> list[FrameworkNode]:
    return sorted(
        (
            n
            for n in the_plan.nodes.values()
            if n.framework_id == framework_id and n.parent_id is None
        ),
        key=lambda n: n.position,
    )


def domain_id(the_plan: Plan, node: FrameworkNode) -> int:
    current = node
    while current.parent_id is not None and current.parent_id in the_plan.nodes:
        current = the_plan.nodes[current.parent_id]
    return current.pk


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def waiting_in_round(leaf: FrameworkNode, current: Current, round: int) -> bool:
    """Does this leaf wait for a decision of the round at all (round 1: every non-survey
    leaf; round 2: those adjusted or questioned in round 1)?"""
    if leaf.source == FrameworkNode.Source.SURVEY:
        return False
    if round == 1:
        return True
    return current.get(leaf.pk, {}).get(1) in ASKED


def mine(
    the_plan: Plan, user_id: int, unit_id: int, leaves: Iterable[FrameworkNode]
) -> list[FrameworkNode]:
    """The leaves of this unit the user appraises."""
    return [n for n in leaves if the_plan.may_decide(user_id, unit_id, n)]


def progress(leaves: Iterable[FrameworkNode], current: Current, round: int) -> Progress:
    """Among these (the user's) leaves, those waiting for the round and those decided in it."""
    waiting = [n for n in leaves if waiting_in_round(n, current, round)]
    done = sum(1 for n in waiting if round in current.get(n.pk, {}))
    return Progress(done=done, total=len(waiting))


def current_decisions(assessment_ids: list[int]) -> dict[int, Current]:
    """assessment id -> node id -> round -> kind of the current decision (one query)."""
    out: dict[int, Current] = {}
    rows = (
        Decision.objects.filter(entry__assessment_id__in=assessment_ids, current=True)
        .order_by()
        .values_list("entry__assessment_id", "entry__node_id", "round", "kind")
    )
    for assessment_id, node_id, rnd, kind in rows:
        out.setdefault(assessment_id, {}).setdefault(node_id, {})[rnd] = kind
    return out


@dataclass
class QueueDomain:
    node: FrameworkNode
    progress: Progress


@dataclass
class QueueUnit:
    assessment: Assessment
    round: int  # the round shown
    started: bool
    domains: list[QueueDomain]
    answers_sent_at: dt.datetime | None = None
    supplement_until: dt.datetime | None = None

    @property
    def progress(self) -> Progress:
        return Progress(
            done=sum(d.progress.done for d in self.domains),
            total=sum(d.progress.total for d in self.domains),
        )

    @property
    def in_supplement(self) -> bool:
        return self.assessment.status == Status.SUPPLEMENT


@dataclass
class QueuePeriod:
    period: Period
    positions: list[str]
    units: list[QueueUnit] = field(default_factory=list)
    deadlines: dict[int, dt.datetime | None] = field(default_factory=dict)
    starts: dict[int, dt.date | None] = field(default_factory=dict)
    days_left: dict[int, int | None] = field(default_factory=dict)
    supplement_end: dt.datetime | None = None
    round1_closed_at: dt.datetime | None = None

    @property
    def answers_sent(self) -> list[QueueUnit]:
        """In round 2, the units that sent their answers (what is new for the appraiser)."""
        return [u for u in self.units if u.answers_sent_at is not None and u.round == 2]


POSITION_LABELS = dict(CouncilMember.Position.choices)


def queue(user: Any) -> list[QueuePeriod]:
    """The user's queue, newest period first (see the module's notes)."""
    seats = council_seats(user)
    if not seats:
        return []
    periods = list(
        Period.objects.filter(pk__in=list(seats))
        .select_related("organizer")
        .prefetch_related("phases")
        .order_by("-year", "-pk")
    )
    plans = {p.pk: plan(p) for p in periods}
    assessments = list(
        Assessment.objects.filter(period_id__in=list(plans), status__in=QUEUE_STATUSES)
        .select_related("unit", "period")
        .order_by("unit__position", "unit__name")
    )
    ids = [a.pk for a in assessments]
    decisions = current_decisions(ids)
    states = {
        s.assessment_id: s for s in AppraisalState.objects.filter(assessment_id__in=ids).order_by()
    }
    closed = dict(
        PeriodAppraisal.objects.filter(period_id__in=list(plans))
        .order_by()
        .values_list("period_id", "round1_closed_at")
    )
    out: list[QueuePeriod] = []
    by_period: dict[int, QueuePeriod] = {}
    for p in periods:
        qp = QueuePeriod(
            period=p,
            positions=[POSITION_LABELS.get(s, s) for s in sorted(seats.get(p.pk, ()))],
            deadlines={r: round_deadline(p, r) for r in (1, 2)},
            starts={r: round_start(p, r) for r in (1, 2)},
            supplement_end=_phase_end(p, Phase.SUPPLEMENT),
            round1_closed_at=closed.get(p.pk),
        )
        qp.days_left = {r: days_left(d) for r, d in qp.deadlines.items()}
        out.append(qp)
        by_period[p.pk] = qp
    domain_cache: dict[int, tuple[list[FrameworkNode], dict[int, list[FrameworkNode]]]] = {}
    for a in assessments:
        qp = by_period[a.period_id]
        the_plan = plans[a.period_id]
        if a.framework_id not in domain_cache:
            domain_cache[a.framework_id] = (
                domains_of(the_plan, a.framework_id),
                leaves_by_domain(the_plan, a.framework_id),
            )
        domains, leaves = domain_cache[a.framework_id]
        current = decisions.get(a.pk, {})
        rnd = shown_round(a)
        unit_domains = []
        for d in domains:
            own = mine(the_plan, user.pk, a.unit_id, leaves.get(d.pk, []))
            if own:
                unit_domains.append(QueueDomain(node=d, progress=progress(own, current, rnd)))
        if not unit_domains:
            continue
        state = states.get(a.pk)
        qp.units.append(
            QueueUnit(
                assessment=a,
                round=rnd,
                started=a.status != Status.SUBMITTED,
                domains=unit_domains,
                answers_sent_at=state.answers_sent_at if state else None,
                supplement_until=state.supplement_until if state else None,
            )
        )
    return out
