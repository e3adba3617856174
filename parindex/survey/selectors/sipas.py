"""The satisfaction index (SIPAS, spec §7) of a block's survey: per unit of the block its
factor indices and SIPAS index, from the engine (``compute_survey``) on the counted
responses — exact in the engine, 2 decimals as the spec publishes them. No writes.

Sorting (``sort``): ``unit`` (the block's order, default), ``name``, ``responses``,
``sipas`` or ``f:<factor>``; a leading ``-`` sorts descending. Units without a defined index
go last whichever the direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from parindex import engine
from parindex.assessments.models import Assessment
from parindex.survey.definition import engine_survey
from parindex.survey.models import Survey, UnitVoid
from parindex.survey.selectors.points import block_assessments
from parindex.survey.services.points import compute


@dataclass(frozen=True)
class Factor:
    code: str
    questions: list[engine.Question]


@dataclass(frozen=True)
class SipasRow:
    position: int
    assessment: Assessment
    responses: int
    voided: bool
    factors: list[Decimal | None]  # in the order of ``SipasTable.factors``
    sipas: Decimal | None


@dataclass(frozen=True)
class SipasTable:
    factors: list[Factor]
    rows: list[SipasRow]
    sort: str
    mean: Decimal | None  # the mean of the units' SIPAS (2 decimals, display)


SORTS = ("unit", "name", "responses", "sipas")


def factors_of(es: engine.Survey) -> list[Factor]:
    return [Factor(f, [q for q in es.questions if q.factor == f]) for f in es.factors()]


def clean_sort(sort: str, factors: list[Factor]) -> str:
    key = sort.removeprefix("-")
    allowed = set(SORTS) | {f"f:{f.code}" for f in factors}
    return sort if key in allowed else "unit"


def sipas_table(survey: Survey, sort: str = "unit") -> SipasTable:
    es = engine_survey(survey)
    factors = factors_of(es)
    sort = clean_sort(sort, factors)
    results = compute(survey)
    by_code = {u.unit: u for u in results.units}
    voided = set(UnitVoid.objects.filter(survey_id=survey.pk).values_list("unit_id", flat=True))
    rows: list[SipasRow] = []
    for i, a in enumerate(block_assessments(survey), 1):
        u = None if a.unit_id in voided else by_code.get(a.unit.code)
        got = dict(u.factors) if u else {}
        rows.append(
            SipasRow(
                position=i,
                assessment=a,
                responses=u.responses if u else 0,
                voided=a.unit_id in voided,
                factors=[got.get(f.code) for f in factors],
                sipas=u.sipas if u else None,
            )
        )
    rows = sort_rows(rows, sort, factors)
    defined = [r.sipas for r in rows if r.sipas is not None]
    mean = (sum(defined, Decimal(0)) / len(defined)).quantize(Decimal("0.01")) if defined else None
    return SipasTable(factors=factors, rows=rows, sort=sort, mean=mean)


def sort_rows(rows: list[SipasRow], sort: str, factors: list[Factor]) -> list[SipasRow]:
    """Stable sorts from the block's order: ties keep it in both directions."""
    desc = sort.startswith("-")
    key = sort.removeprefix("-")
    rows = sorted(rows, key=lambda r: r.position)
    if key == "unit":
        return rows[::-1] if desc else rows
    if key == "name":
        return sorted(rows, key=lambda r: r.assessment.unit.name.casefold(), reverse=desc)
    if key == "responses":
        return sorted(rows, key=lambda r: r.responses, reverse=desc)
    if key == "sipas":
        values = [r.sipas for r in rows]
    else:
        index = [f.code for f in factors].index(key.removeprefix("f:"))
        values = [r.factors[index] for r in rows]
    number = [(v, r) for v, r in zip(values, rows, strict=True) if v is not None]
    none = [r for v, r in zip(values, rows, strict=True) if v is None]
    ordered = sorted(number, key=lambda pair: pair[0], reverse=desc)
    return [r for _v, r in ordered] + none
