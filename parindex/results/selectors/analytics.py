"""Analytics of a period's results, per block (the organizer's page and its XLSX). No writes.

Every figure is the results document's (the approved snapshot, or the live preview before the
approval — the same numbers as the ranking page) or the bridge's self stage; here they are
only arranged and averaged:

- **heat map**: units × domains, each domain's component index (chỉ số thành phần);
- **self vs appraised**: per unit the self-assessed index less the final index (positive: the
  unit scored itself higher than the council did); per criterion the mean of self points less
  final points over the units that self-scored it — where self-assessment was most inflated;
- **weakest criteria**: the leaves with the lowest mean share of their max across the block
  (final points ÷ max, units where the leaf counts), with how many units lost points there;
- **trends**: the block's earlier approved periods of the same organizer, per unit (index,
  rank, band by year; units matched by code) and per criterion (mean share by year, matched
  by code across framework versions; a criterion whose title or max changed is marked, one
  that did not exist is blank);
- **distribution**: how many units' indices fall in each tenth (0–10, …, 90–100).

Means are exact decimals of the printed (2-decimal) figures, rounded to 2 decimals to show.

Queries: those of ``period_results``, the entries once (self stage), before the approval the
live document of each block again, and for the trends the earlier approvals with their blocks
and each framework's nodes — whatever the number of units.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex import engine
from parindex.appraisal.models import PeriodAppraisal
from parindex.assessments import scoring
from parindex.common.numbers import round2
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.models import Period, PeriodBlock
from parindex.results.selectors.common import (
    Domain,
    dec,
    document_units,
    frozen_document,
)
from parindex.results.selectors.period import BlockResults, Cell, RankedUnit, period_results

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TOP = 10  # rows in the "weakest" and "most inflated" lists


@dataclass(frozen=True)
class UnitGap:
    unit: str
    name: str
    self_index: Decimal | None
    index: Decimal | None

    @property
    def gap(self) -> Decimal | None:
        """Self-assessed less final (2 decimals each, as printed)."""
        if self.self_index is None or self.index is None:
            return None
        return round2(self.self_index) - round2(self.index)


@dataclass(frozen=True)
class CriterionStat:
    code: str
    title: str
    domain: str
    max: Decimal
    units: int  # units where the leaf counts (final)
    mean_points: Decimal | None
    mean_share: Decimal | None  # percent of the max
    losing: int  # units below the max
    self_units: int  # units that self-scored it
    mean_gap: Decimal | None  # mean (self − final) points over those units


@dataclass(frozen=True)
class YearFigure:
    year: int
    index: Decimal | None = None
    rank: int | None = None
    band: str | None = None


@dataclass
class UnitTrend:
    unit: str
    name: str
    years: list[YearFigure]


@dataclass
class CriterionTrend:
    code: str
    title: str
    shares: list[Decimal | None]  # per year of ``BlockAnalytics.years``
    changed: list[bool]  # the criterion's title or max differed that year from this year's

    @property
    def cells(self) -> list[tuple[Decimal | None, bool]]:
        return list(zip(self.shares, self.changed, strict=True))


@dataclass
class Bin:
    low: int
    high: int
    units: int

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}"


@dataclass
class BlockAnalytics:
    code: str
    name: str
    frozen: bool
    domains: list[Domain]
    heat: list[RankedUnit]
    domain_means: list[Decimal | None]
    unit_gaps: list[UnitGap]
    criteria: list[CriterionStat]
    years: list[int] = field(default_factory=list)
    unit_trends: list[UnitTrend] = field(default_factory=list)
    criterion_trends: list[CriterionTrend] = field(default_factory=list)
    histogram: list[Bin] = field(default_factory=list)

    @property
    def weakest(self) -> list[CriterionStat]:
        rated = [c for c in self.criteria if c.mean_share is not None and c.max > 0]
        return sorted(rated, key=lambda c: (c.mean_share or ZERO, c.code))[:TOP]

    @property
    def inflated(self) -> list[CriterionStat]:
        rated = [c for c in self.criteria if c.mean_gap is not None and c.mean_gap > 0]
        return sorted(rated, key=lambda c: (-(c.mean_gap or ZERO), c.code))[:TOP]

    def chart(self, what: str) -> tuple[list[str], list[Decimal | int | None]]:
        """(labels, values) of a chart: "histogram", "gaps" or "weakest"."""
        if what == "histogram":
            return [b.label for b in self.histogram], [b.units for b in self.histogram]
        if what == "gaps":
            return [g.unit for g in self.gaps_sorted], [g.gap for g in self.gaps_sorted]
        return [c.code for c in self.weakest], [c.mean_share for c in self.weakest]

    @property
    def histogram_chart(self) -> tuple[list[str], list[Decimal | int | None]]:
        return self.chart("histogram")

    @property
    def gaps_chart(self) -> tuple[list[str], list[Decimal | int | None]]:
        return self.chart("gaps")

    @property
    def weakest_chart(self) -> tuple[list[str], list[Decimal | int | None]]:
        return self.chart("weakest")

    @property
    def gaps_sorted(self) -> list[UnitGap]:
        known = [g for g in self.unit_gaps if g.gap is not None]
        return sorted(known, key=lambda g: (-(g.gap or ZERO), g.unit))


def domain_figure(domain: Domain, cell: Cell) -> Decimal | None:
    """What a domain shows: its component index, or its points for a bonus domain."""
    return cell.points if domain.bonus else cell.index


def _mean(values: list[Decimal]) -> Decimal | None:
    return round2(sum(values, ZERO) / len(values)) if values else None


def _leaf_figures(
    fw: engine.Framework, units: Iterable[Mapping[str, Any]]
) -> dict[str, list[tuple[Decimal, Decimal]]]:
    """Per leaf code, the (points, max) of each unit where it counts (max > 0)."""
    out: dict[str, list[tuple[Decimal, Decimal]]] = {leaf.code: [] for leaf in fw.leaves()}
    for u in units:
        nodes = u.get("nodes") or {}
        for code, figures in out.items():
            n = nodes.get(code)
            if not n:
                continue
            points, top = dec(n.get("points")), dec(n.get("max"))
            if points is not None and top:
                figures.append((points, top))
    return out


def _share(figures: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    return _mean([p / m * HUNDRED for p, m in figures]) if figures else None


def _criteria(
    fw: engine.Framework,
    document: Mapping[str, Any],
    self_leaves: Mapping[str, Mapping[str, Decimal | None]],
) -> list[CriterionStat]:
    units = document.get("units", [])
    figures = _leaf_figures(fw, units)
    final_by_unit = {
        u["unit"]: {c: dec(n.get("points")) for c, n in (u.get("nodes") or {}).items()}
        for u in units
    }
    out = []
    for leaf in fw.leaves():
        domain = leaf.code.split(".")[0]
        rows = figures[leaf.code]
        gaps = []
        for unit, leaves in self_leaves.items():
            own = leaves.get(leaf.code)
            final = final_by_unit.get(unit, {}).get(leaf.code)
            if own is not None and final is not None and leaf.source != "survey":
                gaps.append(round2(own) - final)
        out.append(
            CriterionStat(
                code=leaf.code,
                title=leaf.title,
                domain=domain,
                max=leaf.max or ZERO,
                units=len(rows),
                mean_points=_mean([p for p, _ in rows]),
                mean_share=_share(rows),
                losing=sum(1 for p, m in rows if p < m),
                self_units=len(gaps),
                mean_gap=_mean(gaps),
            )
        )
    return out


def _histogram(indices: Iterable[Decimal | None]) -> list[Bin]:
    bins = [Bin(low, low + 10, 0) for low in range(0, 100, 10)]
    for index in indices:
        if index is None:
            continue
        slot = min(int(index // 10), 9) if index >= 0 else 0
        bins[slot].units += 1
    return bins


def _earlier(period: Period, block_code: str) -> list[tuple[int, engine.Framework, dict[str, Any]]]:
    """(year, framework, frozen document) of the block's earlier approved periods of the same
    organizer, oldest first."""
    states = list(
        PeriodAppraisal.objects.filter(
            period__organizer_id=period.organizer_id,
            period__year__lt=period.year,
            review=PeriodAppraisal.Review.APPROVED,
        ).select_related("period")
    )
    if not states:
        return []
    pbs = {
        pb.period_id: pb
        for pb in PeriodBlock.objects.filter(
            period_id__in=[s.period_id for s in states], block__code=block_code
        ).select_related("framework")
    }
    out = []
    for state in states:
        doc = frozen_document(state, block_code)
        pb = pbs.get(state.period_id)
        if doc is not None and pb is not None:
            out.append((state.period.year, framework_to_engine(pb.framework), doc))
    return sorted(out, key=lambda t: t[0])


def _trends(
    period: Period,
    block: BlockResults,
    fw: engine.Framework,
    document: Mapping[str, Any],
    earlier: list[tuple[int, engine.Framework, dict[str, Any]]],
) -> tuple[list[int], list[UnitTrend], list[CriterionTrend]]:
    years = [y for y, _, _ in earlier] + [period.year]
    docs = [d for _, _, d in earlier] + [dict(document)]
    fws = [f for _, f, _ in earlier] + [fw]
    by_year = [document_units(d) for d in docs]
    unit_trends = []
    for u in block.units:
        figures = []
        for year, units in zip(years, by_year, strict=True):
            row = units.get(u.unit)
            figures.append(
                YearFigure(year, dec(row["index"]), row["rank"], row["band"])
                if row
                else YearFigure(year)
            )
        unit_trends.append(UnitTrend(u.unit, u.name, figures))
    leaf_figs = [_leaf_figures(f, d.get("units", [])) for f, d in zip(fws, docs, strict=True)]
    leaves_by_year = [{leaf.code: leaf for leaf in f.leaves()} for f in fws]
    criterion_trends = []
    for leaf in fw.leaves():
        shares: list[Decimal | None] = []
        changed: list[bool] = []
        for figs, leaves in zip(leaf_figs, leaves_by_year, strict=True):
            old = leaves.get(leaf.code)
            shares.append(_share(figs.get(leaf.code, [])) if old is not None else None)
            changed.append(old is not None and (old.title != leaf.title or old.max != leaf.max))
        criterion_trends.append(CriterionTrend(leaf.code, leaf.title, shares, changed))
    return years, unit_trends, criterion_trends


def period_analytics(period: Period) -> list[BlockAnalytics]:
    """The analytics of every block of the period that has results."""
    results = period_results(period)
    state = results.state
    blocks = {
        pb.block.code: pb
        for pb in PeriodBlock.objects.filter(period=period).select_related("block", "framework")
    }
    ranked = [u.assessment for b in results.blocks for u in b.units if u.assessment is not None]
    data = scoring.entry_data(a.pk for a in ranked)
    own = scoring.period_scores(ranked, (scoring.SELF,), data=data) if ranked else {}
    out = []
    for block in results.blocks:
        pb = blocks.get(block.code)
        if pb is None or not block.units:
            continue
        fw = framework_to_engine(pb.framework)
        if state is not None:
            document: Mapping[str, Any] = frozen_document(state, block.code) or {}
        else:  # the preview: the same live document as the ranking page's
            document = scoring.results_document(
                [u.assessment for u in block.units if u.assessment is not None]
            )
        self_leaves = {
            u.unit: own[u.assessment.pk][scoring.SELF].leaves
            for u in block.units
            if u.assessment is not None and u.assessment.pk in own
        }
        years, unit_trends, criterion_trends = _trends(
            period, block, fw, document, _earlier(period, block.code)
        )
        out.append(
            BlockAnalytics(
                code=block.code,
                name=block.name,
                frozen=block.frozen,
                domains=block.domains,
                heat=block.units,
                domain_means=[
                    _mean(
                        [
                            v
                            for u in block.units
                            if (v := domain_figure(d, u.domains[i])) is not None
                        ]
                    )
                    for i, d in enumerate(block.domains)
                ],
                unit_gaps=[UnitGap(u.unit, u.name, u.self_index, u.index) for u in block.units],
                criteria=_criteria(fw, document, self_leaves),
                years=years,
                unit_trends=unit_trends,
                criterion_trends=criterion_trends,
                histogram=_histogram(u.index for u in block.units),
            )
        )
    return out
