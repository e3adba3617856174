"""The results of a period, per block (the organizer's page and its XLSX). No writes.

Per block: the ranking (rank with shared ranks, band from the framework, index, points vs
the applicable max), every domain's component index (chỉ số thành phần), the self-assessed
index beside the final one, the survey points.

- After the chair's approval the ranking, the points, the max, the bands and the component
  indices are the frozen snapshot's (``PeriodAppraisal.snapshot``, one ``parindex.results/v1``
  per block), never a recomputation; the decision (number, date, signer) is shown with it.
- Before, the same document computed live by the bridge (``scoring.results_document`` over
  the assessments sent so far): a preview, "Tạm tính — chưa phê duyệt".
- The self-assessed index is the bridge's self stage (survey leaves and the relative leaves
  still pending are outside its max); the gap is the final index less the self index, both
  rounded to 2 decimals first, as printed.
- The survey points are the engine's on the survey leaves' final rows (``common.survey_points``).

Queries: the state, the blocks, the assessments, their entries, and before the approval one
results document per block (it reads its own entries) — whatever the number of units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex import engine
from parindex.appraisal.models import PeriodAppraisal
from parindex.assessments import scoring
from parindex.assessments.models import Assessment
from parindex.common.numbers import round2
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.models import Period, PeriodBlock
from parindex.results.selectors.common import (
    Domain,
    SurveyPoints,
    approved_state,
    dec,
    document_units,
    domains,
    frozen_document,
    survey_points,
    under_appraisal,
)


@dataclass(frozen=True)
class Cell:
    """A node's figures in a results document (2 decimals)."""

    points: Decimal | None
    max: Decimal | None
    index: Decimal | None


@dataclass
class RankedUnit:
    rank: int
    unit: str
    name: str
    points: Decimal | None
    max: Decimal | None
    index: Decimal | None
    band: str | None
    domains: list[Cell]
    assessment: Assessment | None = None
    self_index: Decimal | None = None
    survey: SurveyPoints | None = None

    @property
    def gap(self) -> Decimal | None:
        """Final index less the self-assessed index, each rounded to 2 decimals first."""
        if self.index is None or self.self_index is None:
            return None
        return round2(self.index) - round2(self.self_index)


@dataclass(frozen=True)
class BandCount:
    label: str
    min: Decimal
    units: int


@dataclass
class BlockResults:
    code: str
    name: str
    framework_code: str
    framework_title: str
    domains: list[Domain]
    units: list[RankedUnit]
    summary: dict[str, Any]  # units, mean_index, min_index, max_index (Decimal | None)
    bands: list[BandCount]
    frozen: bool
    has_survey: bool
    not_included: list[Assessment] = field(default_factory=list)  # not sent: not ranked


@dataclass
class PeriodResults:
    period: Period
    state: PeriodAppraisal | None
    blocks: list[BlockResults]

    @property
    def approved(self) -> bool:
        return self.state is not None


def _cells(unit: dict[str, Any], doms: list[Domain]) -> list[Cell]:
    nodes = unit.get("nodes") or {}
    out = []
    for d in doms:
        n = nodes.get(d.code) or {}
        out.append(Cell(dec(n.get("points")), dec(n.get("max")), dec(n.get("index"))))
    return out


def _bands(fw: engine.Framework, ranked: list[RankedUnit]) -> list[BandCount]:
    return [
        BandCount(b.label, b.min, sum(1 for u in ranked if u.band == b.label)) for b in fw.bands
    ]


def block_results(
    pb: PeriodBlock,
    group: list[Assessment],
    document: dict[str, Any],
    *,
    frozen: bool,
    data: dict[int, list[scoring.EntryData]],
    others: list[Assessment] | None = None,
) -> BlockResults:
    """One block's table from its results document and the bridge's stages of its units."""
    fw = framework_to_engine(pb.framework)
    doms = domains(fw)
    by_code = {a.unit.code: a for a in group}
    own = scoring.period_scores(group, (scoring.SELF,), data=data) if group else {}
    survey = survey_points(fw, {a.unit.code: data.get(a.pk, []) for a in group})
    ranked: list[RankedUnit] = []
    for u in document.get("units", []):
        a = by_code.get(u["unit"])
        ranked.append(
            RankedUnit(
                rank=u["rank"],
                unit=u["unit"],
                name=u["name"],
                points=dec(u["points"]),
                max=dec(u["max"]),
                index=dec(u["index"]),
                band=u["band"],
                domains=_cells(u, doms),
                assessment=a,
                self_index=own[a.pk][scoring.SELF].index if a is not None else None,
                survey=survey.get(u["unit"]),
            )
        )
    s = document.get("summary") or {}
    framework = document.get("framework") or {}
    return BlockResults(
        code=pb.block.code,
        name=pb.block.name,
        framework_code=str(framework.get("code") or pb.framework.code),
        framework_title=str(framework.get("title") or pb.framework.title),
        domains=doms,
        units=ranked,
        summary={
            "units": s.get("units", 0),
            "mean_index": dec(s.get("mean_index")),
            "min_index": dec(s.get("min_index")),
            "max_index": dec(s.get("max_index")),
        },
        bands=_bands(fw, ranked),
        frozen=frozen,
        has_survey=any(leaf.source == "survey" for leaf in fw.leaves()),
        not_included=others or [],
    )


def period_results(period: Period) -> PeriodResults:
    """Every block of the period with units sent (or a frozen result)."""
    state = approved_state(period)
    blocks = list(
        PeriodBlock.objects.filter(period=period)
        .select_related("block", "framework")
        .order_by("block__position", "block__code")
    )
    items = under_appraisal(period)
    data = scoring.entry_data(a.pk for a in items)
    not_sent = list(
        Assessment.objects.filter(period=period)
        .exclude(pk__in=[a.pk for a in items])
        .select_related("unit")
        .order_by("unit__code")
    )
    out: list[BlockResults] = []
    for pb in blocks:
        group = [a for a in items if a.framework_id == pb.framework_id]
        others = [a for a in not_sent if a.framework_id == pb.framework_id]
        if state is not None:
            document = frozen_document(state, pb.block.code)
            if document is None:
                continue
            codes = set(document_units(document))
            group = [a for a in group if a.unit.code in codes]
        else:
            if not group:
                if others:
                    out.append(block_results(pb, [], {}, frozen=False, data=data, others=others))
                continue
            document = scoring.results_document(group)
        out.append(
            block_results(pb, group, document, frozen=state is not None, data=data, others=others)
        )
    return PeriodResults(period=period, state=state, blocks=out)
