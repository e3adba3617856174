"""One unit's results (its officer's and leader's page; the organizer's too). No writes.

Per node of the framework (domains, criteria, sub-criteria): the final points, max and index
of the results document; per leaf beside it the self score, the round-1 and round-2 scores,
the survey points, and the council's reasons; the rank and band; last year's figures.

Decisions where the issue was silent:
- The unit sees its results once the chair has approved the period (the frozen snapshot);
  before, it reads a message. The organizer sees the live preview before ("Tạm tính").
- Self: the bridge's self stage of the unit (survey leaves are not the unit's to score; a
  relative leaf is "tính khi tổng hợp"). Round 1: the bridge's final stage of the block
  without the round-2 scores (what the leaf stood at when round 1 closed), shown where round
  1 decided the leaf. Round 2: the bridge's final stage, shown where round 2 decided it.
  Survey: the survey leaves' final points. Final: the results document's (the snapshot's).
- Reasons: the current decisions of both rounds that carry a reason or a request, as
  "Hội đồng thẩm định" (the unit never reads an appraiser's name).
- Last year: the same unit's assessment in the same organizer's period of the year before,
  in the same block, once that period was approved: its snapshot's figures, matched by
  criterion code (a code that did not exist last year shows nothing; a different max is
  shown beside the points).

Queries: the state, the block's assessments, their entries, the decisions, last year's
assessment and state (+1 results document before the approval).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex import engine
from parindex.appraisal.models import Decision, PeriodAppraisal
from parindex.appraisal.selectors.consolidation import without_round2
from parindex.assessments import scoring
from parindex.assessments.models import Assessment
from parindex.common.numbers import round2
from parindex.frameworks.selectors import framework_to_engine
from parindex.results.selectors.common import (
    approved_state,
    dec,
    document_units,
    frozen_document,
    survey_points,
    under_appraisal,
)
from parindex.results.selectors.period import Cell

K = Decision.Kind


@dataclass(frozen=True)
class Reason:
    round: int
    kind: str
    text: str


@dataclass
class NodeRow:
    code: str
    title: str
    depth: int
    is_leaf: bool
    survey: bool
    bonus: bool
    max: Decimal  # the framework's (total_max)
    final: Cell
    self_points: Decimal | None = None
    self_max: Decimal | None = None  # the self stage's applicable max (0: nothing self-scored)
    self_note: str = ""  # "tính khi tổng hợp", "Không áp dụng", "điều tra XHH"
    round1: Decimal | None = None
    round2: Decimal | None = None
    survey_points: Decimal | None = None
    reasons: list[Reason] = field(default_factory=list)
    last: Cell | None = None
    # a domain's standing in the block (depth 0 only): the mean and the highest of the
    # block's component indices (of the points for a bonus domain), from the same document
    block_mean: Decimal | None = None
    block_best: Decimal | None = None

    @property
    def lost(self) -> Decimal | None:
        """Points below the applicable max (the final document's)."""
        if self.final.points is None or self.final.max is None or self.bonus:
            return None
        return self.final.max - self.final.points


@dataclass
class LastYear:
    assessment: Assessment
    rank: int | None
    units: int
    points: Decimal | None
    max: Decimal | None
    index: Decimal | None
    band: str | None


@dataclass
class UnitResults:
    assessment: Assessment
    visible: bool  # False: the unit reads "not approved yet"
    frozen: bool
    state: PeriodAppraisal | None
    included: bool = True  # the unit is in the results document
    rank: int | None = None
    units: int = 0
    points: Decimal | None = None
    max: Decimal | None = None
    index: Decimal | None = None
    band: str | None = None
    self_scores: scoring.Scores | None = None
    survey: Any = None
    rows: list[NodeRow] = field(default_factory=list)
    last: LastYear | None = None
    approved_on: dt.date | None = None

    @property
    def domains(self) -> list[NodeRow]:
        return [r for r in self.rows if r.depth == 0]

    @property
    def self_gap(self) -> Decimal | None:
        own = self.self_scores.index if self.self_scores is not None else None
        if self.index is None or own is None:
            return None
        return round2(self.index) - round2(own)


def _walk(nodes: tuple[engine.Node, ...], depth: int = 0) -> list[tuple[engine.Node, int]]:
    out: list[tuple[engine.Node, int]] = []
    for n in nodes:
        out.append((n, depth))
        out += _walk(n.children, depth + 1)
    return out


def _cell(node: dict[str, Any] | None) -> Cell:
    node = node or {}
    return Cell(dec(node.get("points")), dec(node.get("max")), dec(node.get("index")))


def _reasons(assessment: Assessment) -> tuple[dict[str, list[Reason]], dict[str, set[int]]]:
    """The council's reasons per leaf code, and the rounds that decided each leaf."""
    reasons: dict[str, list[Reason]] = {}
    decided: dict[str, set[int]] = {}
    rows = (
        Decision.objects.filter(entry__assessment=assessment, current=True)
        .order_by("entry__node__position", "round")
        .values_list("entry__node__code", "round", "kind", "reason", "request")
    )
    for code, rnd, kind, reason, request in rows:
        decided.setdefault(code, set()).add(rnd)
        text = "\n".join(t for t in (reason.strip(), request.strip()) if t)
        if text:
            reasons.setdefault(code, []).append(Reason(rnd, K(kind).label, text))
    return reasons, decided


def _last_year(assessment: Assessment) -> tuple[LastYear | None, dict[str, Any]]:
    prev = (
        Assessment.objects.filter(
            unit_id=assessment.unit_id,
            period__organizer_id=assessment.period.organizer_id,
            period__year=assessment.period.year - 1,
            framework__block_id=assessment.framework.block_id,
        )
        .select_related("period", "framework__block")
        .order_by("-period_id")
        .first()
    )
    if prev is None:
        return None, {}
    state = approved_state(prev.period_id)
    document = frozen_document(state, prev.framework.block.code)
    unit = document_units(document).get(assessment.unit.code)
    if document is None or unit is None:
        return None, {}
    last = LastYear(
        assessment=prev,
        rank=unit["rank"],
        units=(document.get("summary") or {}).get("units", 0),
        points=dec(unit["points"]),
        max=dec(unit["max"]),
        index=dec(unit["index"]),
        band=unit["band"],
    )
    return last, unit.get("nodes") or {}


def unit_results(assessment: Assessment, *, preview: bool) -> UnitResults:
    """The unit's results; ``preview``: the organizer, who sees them before the approval."""
    state = approved_state(assessment.period_id)
    frozen = state is not None
    if not frozen and not preview:
        return UnitResults(assessment=assessment, visible=False, frozen=False, state=None)
    fw = framework_to_engine(assessment.framework)
    group = [
        a for a in under_appraisal(assessment.period) if a.framework_id == assessment.framework_id
    ]
    if frozen:
        document = frozen_document(state, assessment.framework.block.code) or {}
    else:
        document = scoring.results_document(group) if group else {}
    ranked = document_units(document).get(assessment.unit.code)
    result = UnitResults(
        assessment=assessment,
        visible=True,
        frozen=frozen,
        state=state,
        approved_on=state.approved_at.date() if state and state.approved_at else None,
    )
    if ranked is None or not any(a.pk == assessment.pk for a in group):
        result.included = False
        return result
    data = scoring.entry_data(a.pk for a in group)
    entries = data.get(assessment.pk, [])
    own = scoring.score_with(fw, entries, scoring.SELF)
    after1 = scoring.period_scores(group, (scoring.FINAL,), data=without_round2(data))
    final_live = scoring.period_scores(group, (scoring.FINAL,), data=data)
    r1 = after1[assessment.pk][scoring.FINAL]
    live = final_live[assessment.pk][scoring.FINAL]
    reasons, decided = _reasons(assessment)
    by_code = {e.code: e for e in entries}
    last, last_nodes = _last_year(assessment)
    nodes = ranked.get("nodes") or {}
    rows: list[NodeRow] = []
    for node, depth in _walk(fw.nodes):
        survey = node.is_leaf and node.source == "survey"
        row = NodeRow(
            code=node.code,
            title=node.title,
            depth=depth,
            is_leaf=node.is_leaf,
            survey=survey,
            bonus=node.bonus,
            max=node.total_max,
            final=_cell(nodes.get(node.code)),
            last=_cell(last_nodes[node.code]) if node.code in last_nodes else None,
        )
        if node.is_leaf:
            entry = by_code.get(node.code)
            if survey:
                row.self_note = "điều tra XHH"
                row.survey_points = live.leaves.get(node.code)
            elif node.code in own.pending:
                row.self_note = scoring.PENDING_TEXT
            elif entry is not None and entry.value.strip().upper() == scoring.NA:
                row.self_note = "Không áp dụng"
            else:
                row.self_points = own.leaves.get(node.code)
            rounds = decided.get(node.code, set())
            if 1 in rounds and not survey:
                row.round1 = r1.leaves.get(node.code)
            if 2 in rounds and not survey:
                row.round2 = live.leaves.get(node.code)
            row.reasons = reasons.get(node.code, [])
        else:
            self_node = own.nodes.get(node.code)
            row.self_points = self_node.points if self_node else None
            row.self_max = self_node.max if self_node else None
        rows.append(row)
    for row in rows:
        if row.depth == 0:
            field_ = "points" if row.bonus else "index"
            values = [
                v
                for u in document.get("units", [])
                if (v := dec(((u.get("nodes") or {}).get(row.code) or {}).get(field_))) is not None
            ]
            if values:
                row.block_mean = round2(sum(values, Decimal(0)) / len(values))
                row.block_best = max(values)
    result.rows = rows
    result.rank = ranked["rank"]
    result.units = (document.get("summary") or {}).get("units", 0)
    result.points = dec(ranked["points"])
    result.max = dec(ranked["max"])
    result.index = dec(ranked["index"])
    result.band = ranked["band"]
    result.self_scores = own
    result.survey = survey_points(fw, {assessment.unit.code: entries}).get(assessment.unit.code)
    result.last = last
    return result
