"""Who appraises what: the assignment (phân công) resolved per unit and leaf.

Rules (seeds 004 B3, 001 §II.6):
- an ``Assignment`` names a node of a block's framework — a domain, a criterion or a single
  leaf — and a member or a unit (every seat of that unit); the most specific node wins (a
  leaf's own assignment over its criterion's over its domain's);
- nobody appraises their own unit: a seat whose unit is the assessed unit is left out, and
  where that leaves nobody the assignment's ``substitute`` appraises it (unless the substitute
  is from the assessed unit too);
- a (unit, leaf) with nobody is *unassigned*: round 1 cannot start while a submitted
  assessment has one. Survey leaves are not appraised (the survey scores them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from parindex.assessments.models import Assessment, Status
from parindex.frameworks.models import FrameworkNode
from parindex.periods.models import Assignment, Council, CouncilMember, Period

# The statuses of an assessment under appraisal (sent, then the rounds).
UNDER_APPRAISAL = (
    Status.SUBMITTED,
    Status.APPRAISAL_1,
    Status.SUPPLEMENT,
    Status.APPRAISAL_2,
    Status.APPRAISED,
    Status.FINALIZED,
)


@dataclass
class Plan:
    """The period's assignment, loaded once (3 queries): resolve (unit, leaf) in memory."""

    period: Period
    members: list[CouncilMember]
    by_node: dict[int, Assignment]
    nodes: dict[int, FrameworkNode]  # every node of the period's frameworks, by pk

    def assignment_for(self, node: FrameworkNode) -> Assignment | None:
        current: FrameworkNode | None = node
        while current is not None:
            found = self.by_node.get(current.pk)
            if found is not None:
                return found
            current = self.nodes.get(current.parent_id) if current.parent_id else None
        return None

    def seats_of(self, assignment: Assignment) -> list[CouncilMember]:
        if assignment.member_id is not None:
            return [m for m in self.members if m.pk == assignment.member_id]
        return [m for m in self.members if m.unit_id == assignment.unit_id]

    def appraisers(self, unit_id: int, node: FrameworkNode) -> list[CouncilMember]:
        """The seats that appraise this leaf of this unit (empty: nobody)."""
        if node.source == FrameworkNode.Source.SURVEY:
            return []
        assignment = self.assignment_for(node)
        if assignment is None:
            return []
        seats = [m for m in self.seats_of(assignment) if m.unit_id != unit_id]
        if seats:
            return seats
        sub = assignment.substitute_id
        return [m for m in self.members if m.pk == sub and m.unit_id != unit_id]

    def may_decide(self, user_id: int, unit_id: int, node: FrameworkNode) -> bool:
        return any(m.user_id == user_id for m in self.appraisers(unit_id, node))


def plan(period: Period) -> Plan:
    council = Council.objects.filter(period=period).first()
    members = (
        list(council.members.select_related("user", "unit").order_by("order", "id"))
        if council
        else []
    )
    framework_ids = list(period.blocks.values_list("framework_id", flat=True))
    nodes = {n.pk: n for n in FrameworkNode.objects.filter(framework_id__in=framework_ids)}
    by_node = {a.node_id: a for a in Assignment.objects.filter(period=period)}
    return Plan(period=period, members=members, by_node=by_node, nodes=nodes)


@dataclass(frozen=True)
class Gap:
    assessment: Assessment
    node: FrameworkNode


def unassigned(
    the_plan: Plan, assessments: Iterable[Assessment], *, limit: int | None = None
) -> list[Gap]:
    """Every (unit, leaf) of these assessments without an appraiser, in framework order."""
    leaves_by_fw: dict[int, list[FrameworkNode]] = {}
    for n in sorted(the_plan.nodes.values(), key=lambda n: n.position):
        if n.rule_type and n.source != FrameworkNode.Source.SURVEY:
            leaves_by_fw.setdefault(n.framework_id, []).append(n)
    gaps: list[Gap] = []
    for a in assessments:
        for leaf in leaves_by_fw.get(a.framework_id, []):
            if not the_plan.appraisers(a.unit_id, leaf):
                gaps.append(Gap(a, leaf))
                if limit is not None and len(gaps) >= limit:
                    return gaps
    return gaps


def appraised_assessments(period: Period) -> list[Assessment]:
    return list(
        Assessment.objects.filter(period=period, status__in=UNDER_APPRAISAL)
        .select_related("unit", "framework")
        .order_by("unit__position", "unit__name")
    )
