"""Reads on assessments, with a fixed number of queries (never one per entry)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parindex.assessments import workflow
from parindex.assessments.access import actor_kinds
from parindex.assessments.models import Assessment, Entry, StatusChange
from parindex.engine import Framework as EngineFramework
from parindex.engine import InvalidInput
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.selectors import engine_from_nodes
from parindex.periods.calendar import current_phase, self_assessment_deadline

ZERO = Decimal(0)


@dataclass
class Row:
    """One line of the entries table: an inner node (heading, with subtotals) or a leaf with
    its entry. ``final`` is round 2, else round 1, else the self score, else the survey score
    (the same rule as ``assessment_recompute_totals``)."""

    node: FrameworkNode
    entry: Entry | None
    max: Decimal | None = None
    self_sum: Decimal | None = None
    final: Decimal | None = None


def _final(entry: Entry) -> Decimal | None:
    for value in (entry.round2_score, entry.round1_score, entry.self_score, entry.survey_score):
        if value is not None:
            return value
    return None


def assessment_rows(assessment: Assessment) -> list[Row]:
    """The framework tree in order, each leaf with its entry, inner nodes with subtotals
    (2 queries: the nodes and the entries)."""
    nodes = list(FrameworkNode.objects.filter(framework_id=assessment.framework_id))
    entries = {
        e.node_id: e
        for e in Entry.objects.filter(assessment=assessment).select_related("node", "updated_by")
    }
    try:
        engine: EngineFramework | None = engine_from_nodes(assessment.framework, nodes)
    except InvalidInput:  # shown as stored; the frameworks pages report the problems
        engine = None
    rows = []
    by_pk: dict[int, Row] = {}
    for n in nodes:
        entry = entries.get(n.pk)
        eng = engine.get(n.code) if engine is not None else None
        row = Row(node=n, entry=entry, max=eng.total_max if eng is not None else n.max)
        if entry is not None:
            row.self_sum = entry.self_score
            row.final = _final(entry)
        rows.append(row)
        by_pk[n.pk] = row
    for row in reversed(rows):  # preorder reversed: children before their parent
        parent = by_pk.get(row.node.parent_id) if row.node.parent_id else None
        if parent is None:
            continue
        for name in ("self_sum", "final"):
            value = getattr(row, name)
            if value is not None:
                setattr(parent, name, (getattr(parent, name) or ZERO) + value)
    return rows


def assessment_detail(assessment: Assessment, user: Any) -> dict[str, Any]:
    """Everything the read-only assessment page shows (3 queries + the access helper's)."""
    kinds = actor_kinds(user, assessment)
    transitions = [t for t in workflow.transitions_from(assessment.status) if t.actor in kinds]
    history = list(
        StatusChange.objects.filter(assessment=assessment)
        .select_related("actor")
        .order_by("at", "id")
    )
    return {
        "rows": assessment_rows(assessment),
        "history": history,
        "transitions": transitions,
        "is_organizer": "organizer" in kinds,
        "deadline": self_assessment_deadline(assessment.period, assessment),
        "regular_deadline": self_assessment_deadline(assessment.period),
        "phase": current_phase(assessment.period),
    }
