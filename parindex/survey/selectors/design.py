"""Reads of the organizer's survey design: the period's blocks and their surveys, a survey's
check against its block's framework (every survey leaf fed by at least one question), and the
quota matrix (groups × units taking part) with its totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parindex import engine
from parindex.accounts.models import Unit
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.models import Period, PeriodBlock
from parindex.survey.definition import problem_text
from parindex.survey.models import Quota, Survey
from parindex.survey.services.design import copy_problems, survey_leaves, vi_problem
from parindex.survey.services.quota import quota_groups, quota_units


@dataclass
class BlockRow:
    period_block: PeriodBlock
    survey: Survey | None
    n_groups: int = 0
    n_questions: int = 0
    last_year: Survey | None = None
    n_survey_leaves: int = 0
    copy_problems: list[str] = field(default_factory=list)


def period_surveys(period: Period) -> list[BlockRow]:
    """Each block of the period with its survey (or last year's to copy): three queries."""
    pbs = list(
        PeriodBlock.objects.filter(period=period)
        .select_related("block", "framework")
        .order_by("block__position", "block__code")
    )
    surveys = {s.period_block_id: s for s in Survey.objects.filter(period_block__in=pbs)}
    previous = {
        s.period_block.block_id: s
        for s in Survey.objects.filter(
            period_block__period__organizer_id=period.organizer_id,
            period_block__period__year=period.year - 1,
            period_block__block_id__in=[pb.block_id for pb in pbs],
        )
        .select_related("period_block__period")
        .order_by("period_block__period_id")
    }
    rows = []
    for pb in pbs:
        pb.period = period
        survey = surveys.get(pb.pk)
        row = BlockRow(pb, survey, last_year=previous.get(pb.block_id))
        row.n_survey_leaves = len(survey_leaves(framework_to_engine(pb.framework)))
        if survey is None and row.last_year is not None:
            row.copy_problems = copy_problems(pb, row.last_year)
        if survey is not None:
            survey.period_block = pb
            row.n_groups = len(survey.definition.get("groups", []))
            row.n_questions = len(survey.definition.get("questions", []))
        rows.append(row)
    return rows


# ---------------------------------------------------------------- the framework check


@dataclass
class LeafRow:
    code: str
    title: str
    questions: list[str] = field(default_factory=list)


@dataclass
class FrameworkCheck:
    leaves: list[LeafRow]
    not_fed: list[LeafRow]
    unmapped: list[str]  # questions feeding no criterion (SIPAS only)
    problems: list[str]  # the stored definition no longer fits the framework


def framework_check(survey: Survey) -> FrameworkCheck:
    """Every survey leaf of the block's framework with the questions that feed it."""
    fw = framework_to_engine(survey.period_block.framework)
    leaves = [LeafRow(n.code, n.title) for n in survey_leaves(fw)]
    by_code = {row.code: row for row in leaves}
    unmapped: list[str] = []
    for q in survey.definition.get("questions", []):
        criterion = q.get("criterion")
        if criterion and str(criterion) in by_code:
            by_code[str(criterion)].questions.append(str(q["code"]))
        elif not criterion:
            unmapped.append(str(q["code"]))
    problems: list[str] = []
    try:
        engine.parse_survey(survey.definition, source="survey", framework=fw)
    except engine.InvalidInput as exc:
        problems = [vi_problem(problem_text(p)) for p in exc.problems]
    return FrameworkCheck(leaves, [r for r in leaves if not r.questions], unmapped, problems)


def leaf_choices(survey: Survey) -> list[tuple[str, str]]:
    fw = framework_to_engine(survey.period_block.framework)
    return [(n.code, f"{n.code} — {n.title}") for n in survey_leaves(fw)]


# ---------------------------------------------------------------- the quota matrix


@dataclass
class QuotaCell:
    group: str
    unit: Unit
    target: int = 0
    census: bool = False


@dataclass
class QuotaGroupRow:
    code: str
    title: str
    cells: list[QuotaCell]
    total: int = 0
    n_census: int = 0

    @property
    def all_census(self) -> bool:
        return bool(self.cells) and self.n_census == len(self.cells)


@dataclass
class QuotaUnitRow:
    unit: Unit
    cells: list[QuotaCell]  # one per group, in the groups' order
    total: int


@dataclass
class QuotaMatrix:
    units: list[Unit]
    groups: list[QuotaGroupRow]
    unit_totals: list[int]
    unit_census: list[int]
    total: int

    @property
    def rows(self) -> list[QuotaUnitRow]:
        return [
            QuotaUnitRow(unit, [g.cells[i] for g in self.groups], self.unit_totals[i])
            for i, unit in enumerate(self.units)
        ]


def quota_matrix(survey: Survey) -> QuotaMatrix:
    """Groups × units of the block taking part in the period: two queries."""
    units = quota_units(survey)
    stored: dict[tuple[str, int], Any] = {
        (q.group, q.unit_id): q for q in Quota.objects.filter(survey=survey)
    }
    rows: list[QuotaGroupRow] = []
    unit_totals = [0] * len(units)
    unit_census = [0] * len(units)
    for code, title in quota_groups(survey):
        cells = []
        for i, unit in enumerate(units):
            q = stored.get((code, unit.pk))
            cell = QuotaCell(code, unit, q.target if q else 0, q.census if q else False)
            cells.append(cell)
            unit_totals[i] += cell.target
            unit_census[i] += int(cell.census)
        rows.append(
            QuotaGroupRow(
                code,
                title,
                cells,
                sum(c.target for c in cells),
                sum(1 for c in cells if c.census),
            )
        )
    return QuotaMatrix(units, rows, unit_totals, unit_census, sum(unit_totals))
