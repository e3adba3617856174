"""Reads of the organizer's appraisal pages: the overview of a period (the rounds, each unit's
progress), the council and the assignment matrix. A fixed number of queries each, whatever the
number of units, members or criteria (the tests pin them).

Decisions where the issue was silent:
- the overview lists the assessments under appraisal (sent or later) and says how many units
  have not sent yet; the counts are of leaves (tiêu chí thành phần), never points;
- a unit's Giải trình deadline is its extension, else the last day of the calendar's phase —
  the rule of ``services.supplement_deadline``, computed here for every unit at once;
- the assignment's load per appraiser counts over the assessments under appraisal, or over
  every assessment of the period while none is sent, so the organizer sees the load while
  preparing the assignment.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.urls import NoReverseMatch, reverse

from parindex.accounts.access import area_q
from parindex.accounts.models import Unit, User
from parindex.appraisal.models import AppraisalState, Decision, PeriodAppraisal
from parindex.appraisal.selectors.assignment import UNDER_APPRAISAL, Gap, Plan, plan, unassigned
from parindex.assessments.models import Assessment, Entry, Status
from parindex.frameworks.models import FrameworkNode
from parindex.periods.calendar import end_of_day, period_calendar
from parindex.periods.models import (
    Assignment,
    Council,
    CouncilMember,
    Period,
    PeriodBlock,
    Phase,
)

K = Decision.Kind
SURVEY = FrameworkNode.Source.SURVEY
ROUND_PHASES = {
    1: Phase.APPRAISAL_1,
    2: Phase.APPRAISAL_2,
}


def url_or_none(name: str, *args: Any) -> str | None:
    """A page another part of the appraisal builds, once it exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# ---------------------------------------------------------------- the overview


@dataclass
class UnitRow:
    assessment: Assessment
    leaves: int = 0  # leaves to appraise (survey leaves are scored by the survey)
    decided1: int = 0
    requests: int = 0
    adjusted: int = 0
    to_settle: int = 0  # leaves round 2 settles: a round-1 request or adjustment
    waiting2: int = 0
    answers_sent_at: dt.datetime | None = None
    deadline: dt.datetime | None = None
    extended: bool = False
    extension_reason: str = ""

    @property
    def waiting1(self) -> int:
        return max(self.leaves - self.decided1, 0)

    @property
    def decided2(self) -> int:
        return max(self.to_settle - self.waiting2, 0)

    @property
    def in_supplement(self) -> bool:
        return self.assessment.status == Status.SUPPLEMENT

    @property
    def can_extend(self) -> bool:
        return self.in_supplement and self.answers_sent_at is None


@dataclass
class RoundStep:
    round: int
    action: str  # "open" | "close"
    label: str
    done_at: dt.datetime | None
    available: bool
    phase_dates: tuple[dt.date, dt.date] | None


@dataclass
class Overview:
    state: PeriodAppraisal | None
    rows: list[UnitRow]
    counts: dict[str, int]
    not_sent: int
    steps: list[RoundStep]
    gaps: int
    calendar: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)


def period_overview(period: Period) -> Overview:
    """The state of the rounds and every unit under appraisal (6 queries; 11 while units wait
    for round 1, to count the leaves still without an appraiser). ``period`` comes with its
    phases prefetched (the access helper does it)."""
    state = PeriodAppraisal.objects.filter(period=period).first()
    everyone = list(
        Assessment.objects.filter(period=period)
        .select_related("unit", "framework")
        .order_by("unit__position", "unit__name")
    )
    under = [a for a in everyone if a.status in UNDER_APPRAISAL]
    ids = [a.pk for a in under]
    rows = {a.pk: UnitRow(assessment=a) for a in under}
    if ids:
        leaves = (
            Entry.objects.filter(assessment_id__in=ids)
            .exclude(node__source=SURVEY)
            .values_list("assessment_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for assessment_id, n in leaves:
            rows[assessment_id].leaves = n
        decisions = (
            Decision.objects.filter(entry__assessment_id__in=ids, current=True)
            .values_list("entry__assessment_id", "round", "kind")
            .annotate(n=Count("id"))
            .order_by()
        )
        for assessment_id, round_, kind, n in decisions:
            row = rows[assessment_id]
            if round_ == 1:
                row.decided1 += n
                if kind == K.REQUEST:
                    row.requests += n
                elif kind == K.ADJUST:
                    row.adjusted += n
        for row in rows.values():
            row.to_settle = row.requests + row.adjusted
        settled = Decision.objects.filter(entry_id=OuterRef("pk"), round=2, current=True)
        waiting2 = (
            Entry.objects.filter(
                assessment_id__in=ids,
                decisions__round=1,
                decisions__current=True,
                decisions__kind__in=[K.ADJUST, K.REQUEST],
            )
            .exclude(node__source=SURVEY)
            .exclude(Exists(settled))  # an anti-join (see services.rounds.undecided)
            .values_list("assessment_id")
            .annotate(n=Count("id", distinct=True))
            .order_by()
        )
        for assessment_id, n in waiting2:
            rows[assessment_id].waiting2 = n
    dates = period_calendar(period)
    phase_end = dates.get(Phase.SUPPLEMENT)
    default_deadline = end_of_day(phase_end[1]) if phase_end else None
    states = {s.assessment_id: s for s in AppraisalState.objects.filter(assessment_id__in=ids)}
    for pk, row in rows.items():
        s = states.get(pk)
        row.answers_sent_at = s.answers_sent_at if s else None
        row.extended = bool(s and s.supplement_until)
        row.extension_reason = s.supplement_extension_reason if s else ""
        row.deadline = s.supplement_until if s and s.supplement_until else default_deadline
    by_status: dict[str, int] = defaultdict(int)
    for a in under:
        by_status[a.status] += 1
    closed1 = bool(state and state.round1_closed_at)
    steps = [
        RoundStep(1, "open", "Bắt đầu thẩm định lần 1", state.round1_opened_at if state else None,
                  by_status[Status.SUBMITTED] > 0, dates.get(Phase.APPRAISAL_1)),
        RoundStep(1, "close", "Kết thúc thẩm định lần 1", state.round1_closed_at if state else None,
                  by_status[Status.APPRAISAL_1] > 0, dates.get(Phase.APPRAISAL_1)),
        RoundStep(2, "open", "Bắt đầu thẩm định lần 2", state.round2_opened_at if state else None,
                  closed1 and by_status[Status.SUPPLEMENT] > 0, dates.get(Phase.APPRAISAL_2)),
        RoundStep(2, "close", "Kết thúc thẩm định lần 2", state.round2_closed_at if state else None,
                  by_status[Status.APPRAISAL_2] > 0, dates.get(Phase.APPRAISAL_2)),
    ]  # fmt: skip
    gaps = 0
    waiting_round1 = [a for a in under if a.status == Status.SUBMITTED]
    if waiting_round1:
        gaps = len(unassigned(plan(period), waiting_round1))
    return Overview(
        state=state,
        rows=list(rows.values()),
        counts=dict(by_status),
        not_sent=len(everyone) - len(under),
        steps=steps,
        gaps=gaps,
        calendar={str(k): v for k, v in dates.items()},
    )


# ---------------------------------------------------------------- the council


def area_units(period: Period) -> list[Unit]:
    """The active units of the organizer's area: a member's unit is one of them (1 query)."""
    return list(
        Unit.objects.filter(area_q(period.organizer), is_active=True)
        .select_related(None)
        .order_by("path")
    )


def previous_periods(period: Period, what: str) -> list[Period]:
    """The organizer's other periods that have a council with members (``what="council"``)
    or an assignment (``"assignment"``): what can be copied (1 query)."""
    qs = Period.objects.filter(organizer_id=period.organizer_id).exclude(pk=period.pk)
    if what == "council":
        qs = qs.filter(council__members__isnull=False)
    else:
        qs = qs.filter(assignments__isnull=False)
    return list(qs.distinct().order_by("-year", "name"))


@dataclass
class CouncilPage:
    council: Council
    members: list[CouncilMember]
    units: list[Unit]
    accounts: list[tuple[str, str]]  # (username, "Họ tên — đơn vị")
    previous: list[Period]


def council_page(period: Period) -> CouncilPage:
    """The council (an unsaved one while the period has none: a GET writes nothing), its
    members with how much they are assigned, the units and the active accounts of the
    organizer's area to choose from, the organizer's other periods with a council (5
    queries)."""
    council = Council.objects.filter(period=period).first() or Council(period=period)
    members: list[CouncilMember] = []
    if council.pk is not None:
        members = list(
            council.members.select_related("user", "unit")
            .annotate(
                n_assigned=Count("assignments", distinct=True),
                n_substitute=Count("substitutions", distinct=True),
            )
            .order_by("order", "id")
        )
    units = area_units(period)
    accounts: dict[str, str] = {}
    rows = (
        User.objects.filter(is_active=True, memberships__unit__in=[u.pk for u in units])
        .values_list("username", "full_name", "memberships__unit__name")
        .order_by("full_name", "username")
    )
    for username, full_name, unit_name in rows[:5000]:
        if username not in accounts:
            accounts[username] = f"{full_name or username} — {unit_name}"
    previous = previous_periods(period, "council")
    return CouncilPage(
        council=council,
        members=members,
        units=units,
        accounts=sorted(accounts.items(), key=lambda kv: kv[1].casefold()),
        previous=previous,
    )


# ---------------------------------------------------------------- the assignment


@dataclass
class NodeRow:
    node: FrameworkNode
    own: Assignment | None  # the assignment of this node itself
    effective: Assignment | None  # own, or the nearest ancestor's
    leaves: int  # leaves to appraise under it (survey leaves are not appraised)
    children: list[NodeRow] = field(default_factory=list)
    who: str = ""  # the effective assignment's member or unit, in words
    substitute: str = ""
    source: FrameworkNode | None = None  # the node whose assignment applies here

    @property
    def inherited(self) -> bool:
        return self.own is None and self.effective is not None

    @property
    def survey_only(self) -> bool:
        return self.leaves == 0

    @property
    def collapse_class(self) -> str:
        """The class of its children's rows (collapsed under it)."""
        return f"c-{self.node.pk}"


@dataclass
class BlockMatrix:
    period_block: PeriodBlock
    domains: list[NodeRow]


@dataclass
class SeatLoad:
    member: CouncilMember
    leaves: int  # distinct leaves
    units: int
    pairs: int  # (unit, leaf) to decide


@dataclass
class GapRow:
    node: FrameworkNode
    units: list[Unit]
    everyone: bool  # every unit counted is missing this leaf


@dataclass
class AssignmentPage:
    plan: Plan
    period_blocks: list[PeriodBlock]
    blocks: list[BlockMatrix]
    loads: list[SeatLoad]
    gaps: list[GapRow]
    n_gaps: int
    assessments: list[Assessment]
    counted_sent: bool  # the counts are over the sent assessments (else: every assessment)
    units: dict[int, Unit]  # the units that may be assigned (units of the members) and others
    previous: list[Period]


def assignment_choices(period: Period) -> tuple[Plan, list[PeriodBlock]]:
    """What the assignment form chooses from: the plan (members, nodes, assignments) and the
    period's blocks with their frameworks (4 queries)."""
    period_blocks = list(
        PeriodBlock.objects.filter(period=period)
        .select_related("block", "framework")
        .order_by("block__position", "block__code")
    )
    return plan(period), period_blocks


def assignment_page(period: Period) -> AssignmentPage:
    """The assignment matrix of every block, the load per appraiser and the (unit, leaf)
    without an appraiser (8 queries; one more while no unit has sent, one more for units
    assigned that no longer have a member)."""
    the_plan, period_blocks = assignment_choices(period)
    sent = list(
        Assessment.objects.filter(period=period, status__in=UNDER_APPRAISAL)
        .select_related("unit")
        .order_by("unit__position", "unit__name")
    )
    counted_sent = bool(sent)
    assessments = sent or list(
        Assessment.objects.filter(period=period)
        .select_related("unit")
        .order_by("unit__position", "unit__name")
    )
    units = {m.unit_id: m.unit for m in the_plan.members}
    missing_units = {
        a.unit_id for a in the_plan.by_node.values() if a.unit_id and a.unit_id not in units
    }
    if missing_units:
        units.update({u.pk: u for u in Unit.objects.filter(pk__in=missing_units)})

    nodes = sorted(the_plan.nodes.values(), key=lambda n: (n.framework_id, n.position))
    children: dict[int | None, list[FrameworkNode]] = defaultdict(list)
    for n in nodes:
        children[n.parent_id].append(n)

    members = {m.pk: m for m in the_plan.members}

    def label(a: Assignment | None) -> tuple[str, str]:
        if a is None:
            return "", ""
        if a.member_id is not None:
            m = members.get(a.member_id)
            who = f"{m.display_name} ({m.unit.name})" if m else ""
        else:
            unit = units.get(a.unit_id or 0)
            who = f"{unit.name} (mọi thành viên)" if unit else ""
        sub = members.get(a.substitute_id or 0)
        return who, f"{sub.display_name} ({sub.unit.name})" if sub else ""

    def build(node: FrameworkNode, inherited: Assignment | None) -> NodeRow:
        own = the_plan.by_node.get(node.pk)
        effective = own or inherited
        if node.rule_type:
            leaves = 0 if node.source == SURVEY else 1
            row = NodeRow(node=node, own=own, effective=effective, leaves=leaves)
        else:
            kids = [build(c, effective) for c in children.get(node.pk, [])]
            row = NodeRow(
                node=node, own=own, effective=effective, leaves=sum(k.leaves for k in kids),
                children=kids,
            )  # fmt: skip
        row.who, row.substitute = label(effective)
        row.source = the_plan.nodes.get(effective.node_id) if effective else None
        return row

    blocks = [
        BlockMatrix(
            period_block=pb,
            domains=[
                build(n, None) for n in children.get(None, []) if n.framework_id == pb.framework_id
            ],
        )
        for pb in period_blocks
    ]

    leaves_by_fw: dict[int, list[FrameworkNode]] = defaultdict(list)
    for n in nodes:
        if n.rule_type and n.source != SURVEY:
            leaves_by_fw[n.framework_id].append(n)
    load_leaves: dict[int, set[int]] = defaultdict(set)
    load_units: dict[int, set[int]] = defaultdict(set)
    load_pairs: dict[int, int] = defaultdict(int)
    for a in assessments:
        for leaf in leaves_by_fw.get(a.framework_id, []):
            for seat in the_plan.appraisers(a.unit_id, leaf):
                load_leaves[seat.pk].add(leaf.pk)
                load_units[seat.pk].add(a.unit_id)
                load_pairs[seat.pk] += 1
    loads = [
        SeatLoad(
            member=m,
            leaves=len(load_leaves[m.pk]),
            units=len(load_units[m.pk]),
            pairs=load_pairs[m.pk],
        )
        for m in the_plan.members
    ]

    found: list[Gap] = unassigned(the_plan, assessments)
    per_leaf: dict[int, GapRow] = {}
    in_framework: dict[int, int] = defaultdict(int)
    for a in assessments:
        in_framework[a.framework_id] += 1
    for g in found:
        row = per_leaf.get(g.node.pk)
        if row is None:
            row = per_leaf[g.node.pk] = GapRow(node=g.node, units=[], everyone=False)
        row.units.append(g.assessment.unit)
    for row in per_leaf.values():
        row.everyone = len(row.units) == in_framework[row.node.framework_id] > 1
    gaps = sorted(per_leaf.values(), key=lambda r: (r.node.framework_id, r.node.position))
    previous = previous_periods(period, "assignment")
    return AssignmentPage(
        plan=the_plan,
        period_blocks=period_blocks,
        blocks=blocks,
        loads=loads,
        gaps=gaps,
        n_gaps=len(found),
        assessments=assessments,
        counted_sent=counted_sent,
        units=units,
        previous=previous,
    )


def node_choices(the_plan: Plan, period_blocks: list[PeriodBlock]) -> list[Any]:
    """Grouped choices (block → nodes in file order, indented by depth) for the assignment
    form: domains, criteria and leaves; survey leaves are left out (nobody appraises them)."""
    groups: list[Any] = []
    nodes = sorted(the_plan.nodes.values(), key=lambda n: n.position)
    for pb in period_blocks:
        options = [
            (str(n.pk), "\u00a0\u00a0" * n.depth + f"{n.code}. {n.title}"[:140])
            for n in nodes
            if n.framework_id == pb.framework_id and not (n.rule_type and n.source == SURVEY)
        ]
        groups.append((pb.block.name, options))
    return groups
