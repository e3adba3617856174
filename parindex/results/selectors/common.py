"""What the results pages share: the approved state of a period, the results document of a
block (``parindex.results/v1``: the frozen snapshot once approved, the bridge's live
``results_document`` before), the survey points of the units (the engine on the survey
leaves' rows only), the domains of a framework.

Every number is the engine's: a results document (2 decimals, as published), the bridge's
stages (exact), or an engine computation here. Nothing is added up in Python or SQL — but
for the survey max, a constant of the framework (the sum of its survey leaves' max).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parindex import engine
from parindex.appraisal.models import PeriodAppraisal
from parindex.appraisal.selectors.assignment import UNDER_APPRAISAL
from parindex.assessments import scoring
from parindex.assessments.models import Assessment
from parindex.periods.models import Period

R = PeriodAppraisal.Review
ZERO = Decimal(0)


def dec(value: Any) -> Decimal | None:
    """A number of a results document (a float rounded to 2 decimals) as a Decimal."""
    return None if value is None else Decimal(str(value))


def approved_state(period: Period | int) -> PeriodAppraisal | None:
    """The period's appraisal state when the chair has approved it (with a snapshot)."""
    period_id = period if isinstance(period, int) else period.pk
    state = PeriodAppraisal.objects.filter(period_id=period_id).first()
    if state is None or state.review != R.APPROVED or not state.snapshot:
        return None
    return state


def frozen_blocks(state: PeriodAppraisal | None) -> dict[str, Any] | None:
    """The snapshot's blocks (code -> {"block", "results"}), or None before approval."""
    if state is None or state.review != R.APPROVED or not state.snapshot:
        return None
    blocks: dict[str, Any] = state.snapshot.get("blocks") or {}
    return blocks


def frozen_document(state: PeriodAppraisal | None, block_code: str) -> dict[str, Any] | None:
    blocks = frozen_blocks(state)
    if blocks is None:
        return None
    results: dict[str, Any] | None = (blocks.get(block_code) or {}).get("results")
    return results


def under_appraisal(period: Period) -> list[Assessment]:
    """The assessments that count in the period's results: sent, appraised or approved (the
    approval's snapshot is computed over exactly these)."""
    return list(
        Assessment.objects.filter(period=period, status__in=UNDER_APPRAISAL)
        .select_related("unit", "framework")
        .order_by("unit__code")
    )


@dataclass(frozen=True)
class Domain:
    """A top-level node of the framework (lĩnh vực): its component index is shown."""

    code: str
    title: str
    max: Decimal
    bonus: bool


def domains(fw: engine.Framework) -> list[Domain]:
    return [Domain(n.code, n.title, n.total_max, n.bonus) for n in fw.nodes]


@dataclass(frozen=True)
class SurveyPoints:
    points: Decimal
    max: Decimal


def survey_max(fw: engine.Framework) -> Decimal:
    return sum(
        (leaf.max or ZERO for leaf in fw.leaves() if leaf.source == "survey" and not leaf.bonus),
        ZERO,
    )


def survey_points(
    fw: engine.Framework, units: Mapping[str, Iterable[scoring.EntryData]]
) -> dict[str, SurveyPoints]:
    """Per unit key, the points of its survey leaves (điểm điều tra xã hội học): the engine
    on the bridge's final rows of those leaves only (the other leaves score 0 there). Empty
    when the framework has no survey leaf."""
    codes = [leaf.code for leaf in fw.leaves() if leaf.source == "survey"]
    if not codes or not units:
        return {}
    wanted = set(codes)
    rows, _ = scoring.values_rows(fw, units, scoring.FINAL, period=True)
    rows = [r for r in rows if r[1] in wanted]
    present = {r[0] for r in rows}
    rows += [(u, codes[0], "", "", "0") for u in units if u not in present]
    values = engine.UnitValues.from_rows(fw, rows, source="survey")
    top = survey_max(fw)
    return {u.unit: SurveyPoints(u.points, top) for u in engine.compute(fw, values).units}


def document_units(document: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The units of a results document by code."""
    return {u["unit"]: u for u in (document or {}).get("units", [])}
