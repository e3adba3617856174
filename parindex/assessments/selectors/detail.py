"""The assessment's page: its rows (every node with the self, appraisal and final points)
and the transitions the user may take."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parindex.assessments import contributors, scoring, workflow
from parindex.assessments.access import actor_kinds
from parindex.assessments.models import Assessment, Entry, StatusChange
from parindex.engine import Framework as EngineFramework
from parindex.engine import InvalidInput
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.selectors import engine_from_nodes
from parindex.periods.calendar import (
    current_phase,
    self_assessment_deadline,
)


@dataclass
class Row:
    """One line of the entries table: an inner node (heading, with subtotals) or a leaf with
    its entry; ``self_sum`` and ``final`` are the points of the bridge's self and final
    stages (``scoring``; None on a leaf that does not count)."""

    node: FrameworkNode
    entry: Entry | None
    max: Decimal | None = None
    self_sum: Decimal | None = None
    final: Decimal | None = None
    pending: bool = False


def _entry_data(entry: Entry, code: str) -> scoring.EntryData:
    return scoring.EntryData(
        entry.assessment_id,
        code,
        entry.value,
        entry.value2,
        entry.round1_score,
        entry.round2_score,
        entry.survey_score,
    )


def assessment_rows(assessment: Assessment) -> list[Row]:
    """The framework tree in order, each leaf with its entry, inner nodes with subtotals
    (2 queries: the nodes and the entries)."""
    nodes = list(FrameworkNode.objects.filter(framework_id=assessment.framework_id))
    by_pk = {n.pk: n for n in nodes}
    entries = {
        e.node_id: e
        for e in Entry.objects.filter(assessment=assessment).select_related("node", "updated_by")
    }
    # a contributor sees (and totals) only its own leaves
    shown = contributors.shown_node_ids(assessment, nodes, entries)
    if shown is not None:
        entries = {nid: e for nid, e in entries.items() if nid in shown}
    try:
        engine: EngineFramework | None = engine_from_nodes(assessment.framework, nodes)
    except InvalidInput:  # shown as stored; the frameworks pages report the problems
        engine = None
    data = [_entry_data(e, by_pk[nid].code) for nid, e in entries.items() if nid in by_pk]
    own = scoring.score_with(engine, data, scoring.SELF)
    final = scoring.score_with(engine, data, scoring.FINAL)
    rows = []
    for n in nodes:
        entry = entries.get(n.pk)
        eng = engine.get(n.code) if engine is not None else None
        row = Row(node=n, entry=entry, max=eng.total_max if eng is not None else n.max)
        if n.rule_type:
            row.self_sum = own.leaves.get(n.code)
            row.final = final.leaves.get(n.code)
            row.pending = n.code in own.pending
        else:
            row.self_sum = own.node(n.code).points
            row.final = final.node(n.code).points
        rows.append(row)
    if shown is not None:
        rows = [r for r in rows if r.node.pk in shown]
    return rows


def assessment_detail(assessment: Assessment, user: Any) -> dict[str, Any]:
    """Everything the read-only assessment page shows (3 queries + the access helper's)."""
    kinds = actor_kinds(user, assessment)
    transitions = workflow.offered(assessment, kinds)
    history = list(
        StatusChange.objects.filter(assessment=assessment)
        .select_related("actor")
        .order_by("at", "id")
    )
    rows = assessment_rows(assessment)
    return {
        "rows": rows,
        "pending_note": scoring.PENDING_NOTE if any(r.pending for r in rows) else "",
        "history": history,
        "transitions": transitions,
        "is_organizer": "organizer" in kinds,
        "deadline": self_assessment_deadline(assessment.period, assessment),
        "regular_deadline": self_assessment_deadline(assessment.period),
        "phase": current_phase(assessment.period),
    }
