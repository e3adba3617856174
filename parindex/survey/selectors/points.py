"""Reads of the survey points: the organizer's table (per unit, the survey leaves' value,
points and max as stored) and the open computation of one assessment (per survey leaf and
group: the answers, m(g, q) per question, s(g, c), the group's weight, the value and the
points — the engine's figures). No writes.

The open computation is the engine's (``compute_survey``) on the unit's counted responses
now: the value of a unit depends on its own responses only, so it equals the full
computation's. The points shown beside it are the stored ones (``Entry.survey_score``); they
differ only while a recompute is pending or after the freeze, and the page says so.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Max

from parindex import engine
from parindex.assessments.models import Assessment, Entry
from parindex.common.numbers import vn_number
from parindex.engine.survey_scores import round_half_up
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.selectors import framework_to_engine
from parindex.survey.definition import engine_survey
from parindex.survey.models import Response, Survey, SurveyAnswer, UnitVoid
from parindex.survey.services.points import compute, leaf_points

NO_RESULT = "chưa có kết quả điều tra"
ZERO = Decimal(0)


def exact_text(value: Decimal | None) -> str:
    """An exact decimal with a decimal comma, trailing zeros dropped (3.475556 → 3,475556;
    4.000000 → 4); None → —."""
    if value is None:
        return "—"
    text = vn_number(value, 6)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


@dataclass(frozen=True)
class Leaf:
    code: str
    title: str
    max: Decimal

    @property
    def max_text(self) -> str:
        return exact_text(self.max)


def survey_leaves(survey: Survey) -> list[Leaf]:
    """The survey leaves of the block's framework, in framework order."""
    fw = framework_to_engine(survey.period_block.framework)
    return [Leaf(n.code, n.title, n.max or ZERO) for n in fw.leaves() if n.source == "survey"]


@dataclass(frozen=True)
class Cell:
    points: Decimal | None
    max: Decimal

    @property
    def value(self) -> Decimal | None:
        return None if self.points is None or not self.max else self.points / self.max

    @property
    def value_text(self) -> str:
        return exact_text(self.value)

    @property
    def points_text(self) -> str:
        return exact_text(self.points)


@dataclass(frozen=True)
class UnitRow:
    assessment: Assessment
    responses: int
    voided: bool
    cells: list[Cell]

    @property
    def points(self) -> Decimal:
        return sum((c.points for c in self.cells if c.points is not None), ZERO)

    @property
    def points_text(self) -> str:
        return exact_text(self.points)

    @property
    def missing(self) -> int:
        return sum(1 for c in self.cells if c.points is None)


@dataclass(frozen=True)
class OrganizerTable:
    leaves: list[Leaf]
    rows: list[UnitRow]
    max_total: Decimal
    pending: bool  # responses changed after the last computation (or never computed)
    last_change: dt.datetime | None = None

    @property
    def max_total_text(self) -> str:
        return exact_text(self.max_total)


def block_assessments(survey: Survey) -> list[Assessment]:
    pb = survey.period_block
    return list(
        Assessment.objects.filter(period_id=pb.period_id, unit__block_id=pb.block_id)
        .select_related("unit")
        .order_by("unit__position", "unit__name", "pk")
    )


def last_change(survey: Survey) -> dt.datetime | None:
    """The newest response submission or review (what a recompute waits for)."""
    got = Response.objects.filter(survey_id=survey.pk).aggregate(
        s=Max("submitted_at"), r=Max("reviewed_at")
    )
    times = [t for t in (got["s"], got["r"]) if t is not None]
    return max(times) if times else None


def organizer_table(survey: Survey) -> OrganizerTable:
    """Per assessment of the block: its counted responses and, per survey leaf, the stored
    points (value = points ÷ max). Five queries, whatever the number of units."""
    leaves = survey_leaves(survey)
    assessments = block_assessments(survey)
    voided = set(UnitVoid.objects.filter(survey_id=survey.pk).values_list("unit_id", flat=True))
    counts = dict(
        Response.objects.filter(survey_id=survey.pk, status=Response.Status.VALID)
        .order_by()
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    scores: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    for aid, code, points in (
        Entry.objects.filter(
            assessment_id__in=[a.pk for a in assessments],
            node__source=FrameworkNode.Source.SURVEY,
        )
        .order_by()
        .values_list("assessment_id", "node__code", "survey_score")
    ):
        scores[aid][code] = points
    rows = [
        UnitRow(
            assessment=a,
            responses=0 if a.unit_id in voided else counts.get(a.unit_id, 0),
            voided=a.unit_id in voided,
            cells=[Cell(scores[a.pk].get(leaf.code), leaf.max) for leaf in leaves],
        )
        for a in assessments
    ]
    changed = last_change(survey)
    pending = survey.frozen_at is None and (
        survey.points_computed_at is None
        or (changed is not None and changed > survey.points_computed_at)
    )
    return OrganizerTable(
        leaves=leaves,
        rows=rows,
        max_total=sum((leaf.max for leaf in leaves), ZERO),
        pending=pending,
        last_change=changed,
    )


# ---------------------------------------------------------------- the open computation


@dataclass(frozen=True)
class OptionCount:
    key: str
    label: str
    weight: Decimal | None
    count: int


@dataclass(frozen=True)
class QuestionMean:
    code: str
    text: str
    options: list[OptionCount]
    answers: int  # weighted answers
    mean: Decimal | None  # m(g, q), 6 decimals half up (exact fraction behind it)

    @property
    def mean_text(self) -> str:
        return exact_text(self.mean)

    @property
    def unweighted(self) -> int:
        return sum(o.count for o in self.options if o.weight is None)


@dataclass(frozen=True)
class GroupPart:
    code: str
    title: str
    weight: Decimal
    questions: list[QuestionMean]
    score: engine.GroupScore | None  # the engine's: answers and s(g, c)

    @property
    def score_text(self) -> str:
        return exact_text(self.score.score) if self.score else "—"

    @property
    def weight_text(self) -> str:
        return exact_text(self.weight)

    @property
    def weighted(self) -> Decimal | None:
        """w(g) × s(g, c) (with s as published, 6 decimals)."""
        return None if self.score is None else self.weight * self.score.score

    @property
    def weighted_text(self) -> str:
        return exact_text(self.weighted)


@dataclass(frozen=True)
class LeafComputation:
    leaf: Leaf
    groups: list[GroupPart]
    value: Decimal | None  # the engine's value(u, c)
    points: Decimal | None  # max × value
    stored: Decimal | None  # Entry.survey_score
    weights: Decimal = ZERO  # Σ w(g) over the groups with s(g, c)

    @property
    def value_text(self) -> str:
        return exact_text(self.value)

    @property
    def points_text(self) -> str:
        return exact_text(self.points)

    @property
    def stored_text(self) -> str:
        return exact_text(self.stored) if self.stored is not None else NO_RESULT

    @property
    def weights_text(self) -> str:
        return exact_text(self.weights)

    @property
    def weighted_sum_text(self) -> str:
        return exact_text(sum((g.weighted for g in self.groups if g.weighted is not None), ZERO))

    @property
    def differs(self) -> bool:
        return self.points != self.stored


@dataclass
class UnitComputation:
    responses: int
    voided: bool
    leaves: list[LeafComputation] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return any(leaf.differs for leaf in self.leaves)


def _counts(survey: Survey, unit_id: int) -> dict[tuple[str, str], dict[str, int]]:
    """(group, question) → option → number of counted answers (one GROUP BY)."""
    out: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    rows = (
        SurveyAnswer.objects.filter(
            response__survey_id=survey.pk,
            response__status=Response.Status.VALID,
            response__unit_id=unit_id,
        )
        .order_by()
        .values("response__group", "question", "option")
        .annotate(n=Count("id"))
        .values_list("response__group", "question", "option", "n")
    )
    for group, question, option, n in rows:
        out[group, question][option] = n
    return out


def unit_computation(survey: Survey, assessment: Assessment) -> UnitComputation:
    """The open computation of one assessment's survey leaves (four queries and the engine
    on the unit's responses)."""
    es = engine_survey(survey)
    leaves = survey_leaves(survey)
    voided = UnitVoid.objects.filter(survey_id=survey.pk, unit_id=assessment.unit_id).exists()
    stored = dict(
        Entry.objects.filter(assessment=assessment, node__source=FrameworkNode.Source.SURVEY)
        .order_by()
        .values_list("node__code", "survey_score")
    )
    unit: engine.UnitSurvey | None = None
    counts: dict[tuple[str, str], dict[str, int]] = {}
    if not voided:
        results = compute(survey, unit_id=assessment.unit_id)
        unit = next((u for u in results.units if u.unit == assessment.unit.code), None)
        counts = _counts(survey, assessment.unit_id)
    out = UnitComputation(responses=unit.responses if unit else 0, voided=voided)
    for leaf in leaves:
        value = unit.criterion(leaf.code) if unit else None
        engine_groups = {g.group: g for g in value.groups} if value else {}
        parts: list[GroupPart] = []
        for g in es.groups:
            questions = [q for q in es.questions if q.criterion == leaf.code and g.code in q.groups]
            if not questions:
                continue
            means: list[QuestionMean] = []
            for q in questions:
                got = counts.get((g.code, q.code), {})
                options = [
                    OptionCount(o.key, o.label, o.weight, got.get(o.key, 0)) for o in q.options
                ]
                n = sum(o.count for o in options if o.weight is not None)
                total = sum(
                    (Fraction(o.weight) * o.count for o in options if o.weight is not None),
                    Fraction(0),
                )
                mean = round_half_up(total / (n * 100), 6) if n else None
                means.append(QuestionMean(q.code, q.text, options, n, mean))
            parts.append(GroupPart(g.code, g.title, g.weight, means, engine_groups.get(g.code)))
        points = leaf_points(leaf.max, value.value) if value else None
        out.leaves.append(
            LeafComputation(
                leaf=leaf,
                groups=parts,
                value=value.value if value else None,
                points=points,
                stored=stored.get(leaf.code),
                weights=sum((p.weight for p in parts if p.score is not None), ZERO),
            )
        )
    return out
