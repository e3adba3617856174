"""The bridge to the scoring engine: the one place where the web app's numbers are computed.

Entries (declared values, round-1 / round-2 / survey scores, Không áp dụng) become the
engine's unit values (``unit,criterion,value,value2,points`` rows, spec §2), the framework
the cached engine framework (``frameworks.selectors.framework_to_engine``), and
``parindex.engine.compute`` gives the points, max and index of every node. The workspace
header and subtotals, the autosave answer, the stored totals, the period tables and the
self-assessment report all read :class:`Scores`; none of them adds points up itself.

Two stages:

- ``SELF`` (tự đánh giá): the unit's own scoring. A self-scored leaf counts by its declared
  value, scored by the engine from the text (exact, not the 6-decimal stored score); a leaf
  without a value counts 0 with its max. Survey leaves (điều tra XHH) are not the unit's to
  score: they are left out of the points and of the max. A ``relative`` leaf has no self
  score (its points depend on the best value of all units of the block): it is *pending*
  ("tính khi tổng hợp"), left out of the points and of the max too, until the period's
  computation over all its units gives it points.
- ``FINAL`` (sau thẩm định): round 2, else round 1, as appraised ``points``; else the
  declared value (the self score); survey leaves by their survey score. Computed over one
  assessment, a relative leaf without an appraised score is pending as above; computed over
  the period (:func:`period_scores`: all assessments of a framework together, as
  ``parindex score`` on the period's values file) it gets its relative points.

The rows of a stage are exactly what :func:`values_rows` writes to a values CSV: running
``parindex score`` on the exported framework and those rows gives the same numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Literal, NamedTuple

from django.db.models import BooleanField, ExpressionWrapper, Q

from parindex import engine
from parindex.assessments.models import Assessment, Entry
from parindex.frameworks.models import Framework
from parindex.frameworks.selectors import framework_to_engine

Stage = Literal["self", "final"]
SELF: Stage = "self"
FINAL: Stage = "final"

ZERO = Decimal(0)
NA = "NA"

#: What the screen and the report show for a pending relative leaf.
PENDING_TEXT = "tính khi tổng hợp"
#: The sentence under the tables that explains it.
PENDING_NOTE = (
    "Tiêu chí thành phần chấm điểm so sánh giữa các đơn vị (ghi “tính khi tổng hợp”) chưa có "
    "điểm tự đánh giá: điểm của tiêu chí này chỉ tính khi tổng hợp kết quả của tất cả các đơn "
    "vị, nên chưa cộng vào điểm tự đánh giá và điểm tối đa của nó chưa tính vào điểm tối đa."
)


class EntryData(NamedTuple):
    """What the bridge reads of one entry (one query: ``ENTRY_FIELDS``)."""

    assessment_id: int
    code: str
    value: str
    value2: str
    round1_score: Decimal | None
    round2_score: Decimal | None
    survey_score: Decimal | None
    # not used for scoring; they tell the period page whether the unit has started
    self_score: Decimal | None = None
    not_applicable: bool = False
    explained: bool = False

    @property
    def has_data(self) -> bool:
        return bool(
            self.value
            or self.value2
            or self.explained
            or self.not_applicable
            or (self.self_score, self.round1_score, self.round2_score, self.survey_score)
            != (None, None, None, None)
        )


#: What a values file needs of an entry (``EntryData``'s first fields).
VALUE_FIELDS = (
    "assessment_id",
    "node__code",
    "value",
    "value2",
    "round1_score",
    "round2_score",
    "survey_score",
)
#: Rows fetched at a time when the entries are streamed.
ITERATOR_CHUNK = 5000

ENTRY_FIELDS = (
    "assessment_id",
    "node__code",
    "value",
    "value2",
    "round1_score",
    "round2_score",
    "survey_score",
    "self_score",
    "not_applicable",
    "explained",
)


@dataclass(frozen=True)
class NodeScore:
    points: Decimal
    max: Decimal
    index: Decimal | None


EMPTY_NODE = NodeScore(ZERO, ZERO, None)


@dataclass(frozen=True)
class Scores:
    """One assessment's numbers at one stage (exact decimals; round only to display).

    ``nodes`` has every node of the framework by code; ``leaves`` the points of each leaf
    (``None``: not counted — Không áp dụng, survey at the self stage, pending); ``pending``
    the relative leaves waiting for the period's computation and ``pending_max`` the part
    of the max they leave out."""

    stage: Stage
    points: Decimal = ZERO
    max: Decimal = ZERO
    index: Decimal | None = None
    band: str | None = None
    nodes: Mapping[str, NodeScore] = field(default_factory=dict)
    leaves: Mapping[str, Decimal | None] = field(default_factory=dict)
    pending: frozenset[str] = frozenset()
    pending_max: Decimal = ZERO

    def node(self, code: str) -> NodeScore:
        return self.nodes.get(code, EMPTY_NODE)


def _is_relative(leaf: engine.Node) -> bool:
    return isinstance(leaf.rule, engine.RelativeRule)


def _num(value: Decimal) -> str:
    return format(value, "f")


def entry_row(
    leaf: engine.Node, unit: str, entry: EntryData, stage: Stage, *, period: bool = False
) -> engine.PointsRow | None:
    """The values row of one leaf at a stage (None: no row — counts 0, or left out, see
    :func:`left_out`)."""
    value, value2 = entry.value.strip(), entry.value2.strip()
    survey = leaf.source == "survey"
    if stage == FINAL:
        fixed = entry.round2_score if entry.round2_score is not None else entry.round1_score
        if survey:
            fixed = entry.survey_score
        if fixed is not None:
            if survey or value.upper() == NA:
                value = value2 = ""  # appraised points replace Không áp dụng
            return (unit, leaf.code, value, value2, _num(fixed))
        if _is_relative(leaf) and not period and value.upper() != NA:
            return None
    elif survey or _is_relative(leaf) and value.upper() != NA:
        return None
    if survey or not value:
        return None
    return (unit, leaf.code, value, value2, None)


def left_out(leaf: engine.Node, entry: EntryData | None, stage: Stage, *, period: bool) -> str:
    """Why a leaf without a row is not counted at all ("" when it counts 0 with its max):
    "survey" (the self stage) or "pending" (a relative leaf without points)."""
    if leaf.source == "survey":
        return "survey" if stage == SELF else ""
    if not _is_relative(leaf):
        return ""
    if entry is not None and entry.value.strip().upper() == NA:
        return ""
    if stage == FINAL and (
        period or entry is not None and (entry.round1_score, entry.round2_score) != (None, None)
    ):
        return ""
    return "pending"


def values_rows(
    fw: engine.Framework,
    units: Mapping[str, Iterable[EntryData]],
    stage: Stage,
    *,
    period: bool = False,
) -> tuple[list[engine.PointsRow], dict[str, dict[str, str]]]:
    """The values rows of the units (code -> its entries) and, per unit, the leaves left out
    (code -> "survey" | "pending")."""
    rows: list[engine.PointsRow] = []
    out: dict[str, dict[str, str]] = {}
    leaves = fw.leaves()
    for unit, entries in units.items():
        out[unit] = _unit_rows(leaves, unit, entries, stage, period, rows)
    return rows, out


def _unit_rows(
    leaves: list[engine.Node],
    unit: str,
    entries: Iterable[EntryData],
    stage: Stage,
    period: bool,
    rows: list[engine.PointsRow],
) -> dict[str, str]:
    """Append one unit's rows to ``rows``; its leaves left out (code -> why)."""
    by_code = {e.code: e for e in entries}
    skipped: dict[str, str] = {}
    first = len(rows)
    for leaf in leaves:
        entry = by_code.get(leaf.code)
        row = entry_row(leaf, unit, entry, stage, period=period) if entry else None
        if row is not None:
            rows.append(row)
            continue
        why = left_out(leaf, entry, stage, period=period)
        if why:
            skipped[leaf.code] = why
    if len(rows) == first:  # the engine scores only units with a row: give it one
        rows.append(_blank(leaves, unit))
    return skipped


def _blank(leaves: list[engine.Node], unit: str) -> engine.PointsRow:
    """A row that changes nothing, so that a unit without any value is still scored: the
    first leaf at 0 points (or left out through NA where that is allowed)."""
    leaf = leaves[0]
    return (unit, leaf.code, "", "", "0")


def _compute(
    fw: engine.Framework,
    units: Mapping[str, Iterable[EntryData]],
    stage: Stage,
    *,
    period: bool,
) -> dict[str, Scores]:
    rows, skipped = values_rows(fw, units, stage, period=period)
    try:
        values = engine.UnitValues.from_rows(fw, rows, source="entries")
    except engine.InvalidInput as exc:  # stored values the framework no longer accepts
        bad = {int(p.where) for p in exc.problems if p.where.isdigit()}
        rows = [r for i, r in enumerate(rows, 1) if i not in bad]
        values = engine.UnitValues.from_rows(fw, rows, source="entries")
    leaves = fw.leaves()
    for unit, codes in skipped.items():
        points = values.points.get(unit)
        if points is None:
            continue
        for i, leaf in enumerate(leaves):
            if leaf.code in codes:
                points[i] = None
    results = engine.compute(fw, values)
    out: dict[str, Scores] = {}
    for result in results.units:
        unit_points = values.points[result.unit]
        pending = frozenset(
            c for c, why in skipped.get(result.unit, {}).items() if why == "pending"
        )
        out[result.unit] = Scores(
            stage=stage,
            points=result.points,
            max=result.max,
            index=result.index,
            band=result.band,
            nodes={code: NodeScore(s.points, s.max, s.index) for code, s in result.nodes.items()},
            leaves={leaf.code: p for leaf, p in zip(leaves, unit_points, strict=True)},
            pending=pending,
            pending_max=sum(
                (fw.node(c).max or ZERO for c in pending if not fw.node(c).bonus), ZERO
            ),
        )
    return out


def entry_data(assessment_ids: Iterable[int]) -> dict[int, list[EntryData]]:
    """The entries of the assessments, by assessment id (one query)."""
    out: dict[int, list[EntryData]] = {}
    rows = (
        Entry.objects.filter(assessment_id__in=list(assessment_ids))
        .order_by()
        .annotate(explained=ExpressionWrapper(~Q(explanation=""), output_field=BooleanField()))
    )
    for row in rows.values_list(*ENTRY_FIELDS):
        out.setdefault(row[0], []).append(EntryData(*row))
    return out


def _engine(framework: Framework) -> engine.Framework | None:
    try:
        return framework_to_engine(framework)
    except engine.InvalidInput:  # the frameworks pages report the problems
        return None


def score_entries(framework: Framework, entries: Iterable[EntryData], stage: Stage) -> Scores:
    """One assessment's scores from its entries (no query when the engine framework is
    cached)."""
    return score_with(_engine(framework), entries, stage)


def score_with(fw: engine.Framework | None, entries: Iterable[EntryData], stage: Stage) -> Scores:
    """The same with the engine framework at hand (None: a framework the engine refuses,
    which scores nothing)."""
    if fw is None or not fw.leaves():
        return Scores(stage=stage)
    return _compute(fw, {"_": list(entries)}, stage, period=False)["_"]


def assessment_scores(assessment: Assessment, stage: Stage = SELF) -> Scores:
    """One assessment's scores (one query, plus the framework's nodes when not cached)."""
    entries = entry_data([assessment.pk]).get(assessment.pk, [])
    return score_entries(assessment.framework, entries, stage)


def appraised(entries: Iterable[EntryData]) -> bool:
    """Has any entry a round-1, round-2 or survey score? Without one, the final stage's
    *points* equal the self stage's: survey leaves score 0 in both (left out of the self
    stage, 0 with their max in the final one) and a relative leaf is pending in both; only
    the max differs."""
    return any(
        (e.round1_score, e.round2_score, e.survey_score) != (None, None, None) for e in entries
    )


def assessment_points(assessment: Assessment) -> tuple[Scores, Decimal]:
    """The self-stage scores and the final-stage points of one assessment (one query, and
    one engine computation while nothing is appraised: what every autosave pays)."""
    entries = entry_data([assessment.pk]).get(assessment.pk, [])
    fw = _engine(assessment.framework)
    own = score_with(fw, entries, SELF)
    if not appraised(entries):
        return own, own.points
    return own, score_with(fw, entries, FINAL).points


def period_scores(
    assessments: Iterable[Assessment],
    stages: Iterable[Stage] = (SELF, FINAL),
    *,
    data: Mapping[int, list[EntryData]] | None = None,
) -> dict[int, dict[Stage, Scores]]:
    """Scores of many assessments (their ``framework`` loaded) by id and stage, one query.

    The assessments of one framework are computed together, as ``parindex score`` on their
    values file: at the final stage a relative leaf gets its points relative to the best
    value among them. (At the self stage every assessment is computed alone.)"""
    items = list(assessments)
    if data is None:
        data = entry_data(a.pk for a in items)
    by_framework: dict[int, list[Assessment]] = {}
    for a in items:
        by_framework.setdefault(a.framework_id, []).append(a)
    out: dict[int, dict[Stage, Scores]] = {a.pk: {} for a in items}
    for group in by_framework.values():
        fw = _engine(group[0].framework)
        for stage in stages:
            if fw is None or not fw.leaves():
                for a in group:
                    out[a.pk][stage] = Scores(stage=stage)
                continue
            units = {str(a.pk): data.get(a.pk, []) for a in group}
            computed = _compute(fw, units, stage, period=stage == FINAL)
            for a in group:
                out[a.pk][stage] = computed.get(str(a.pk), Scores(stage=stage))
    return out


def values_csv(
    assessments: Iterable[Assessment],
    stage: Stage = FINAL,
    *,
    data: Mapping[int, list[EntryData]] | None = None,
) -> str:
    """The values file (spec §2: ``unit,criterion,value,value2,points``) of assessments of
    one framework (``unit`` and ``framework`` loaded) at a stage, as the period computes them:
    ``parindex score`` on it and the exported framework gives the web's numbers (at the self
    stage, less the leaves the bridge leaves out: survey and pending, which a values file
    cannot leave out)."""
    items = list(assessments)
    if not items:
        return ",".join(engine.POINTS_COLUMNS) + "\r\n"
    fw = framework_to_engine(items[0].framework)
    leaves = fw.leaves()
    period = stage == FINAL
    out = io.StringIO()
    writer = csv.writer(out)

    def text(unit: str, entries: Iterable[EntryData]) -> str:
        rows: list[engine.PointsRow] = []
        _unit_rows(leaves, unit, entries, stage, period, rows)
        writer.writerows([(*row[:4], row[4] or "") for row in rows])
        chunk = out.getvalue()
        out.seek(0)
        out.truncate()
        return chunk

    writer.writerow(engine.POINTS_COLUMNS)
    parts = [out.getvalue()]
    out.seek(0)
    out.truncate()
    if data is not None:
        parts += [text(a.unit.code, data.get(a.pk, [])) for a in items]
        return "".join(parts)
    # One pass over the entries in assessment order, never all of them in memory: each
    # assessment's rows become its text at once (a national file has 1.1 million entries).
    units = {a.pk: a.unit.code for a in items}
    chunks: dict[int, str] = {}
    rows_qs = (
        Entry.objects.filter(assessment_id__in=list(units))
        .order_by("assessment_id")
        .values_list(*VALUE_FIELDS)
        .iterator(chunk_size=ITERATOR_CHUNK)
    )
    for assessment_id, group in groupby(rows_qs, key=itemgetter(0)):
        chunks[assessment_id] = text(units[assessment_id], [EntryData(*r) for r in group])
    for a in items:
        chunk = chunks.get(a.pk)
        parts.append(text(a.unit.code, []) if chunk is None else chunk)
    return "".join(parts)


def results_document(assessments: Iterable[Assessment]) -> dict[str, object]:
    """The final results of assessments of one framework (``unit`` and ``framework``
    loaded) as ``parindex.results/v1`` — exactly what ``parindex score`` writes on the
    exported framework, the final values file (:func:`values_csv`) and the units' names: the
    consolidation's ranking preview and the chair's approved snapshot."""
    items = list(assessments)
    if not items:
        return {}
    fw = framework_to_engine(items[0].framework)
    data = entry_data(a.pk for a in items)
    units = {a.unit.code: data.get(a.pk, []) for a in items}
    rows, _ = values_rows(fw, units, FINAL, period=True)
    values = engine.UnitValues.from_rows(fw, rows, source="entries")
    names = {a.unit.code: a.unit.name for a in items}
    return engine.results_to_dict(engine.compute(fw, values, names))
