"""What the official documents of a period's results say. No writes.

Every figure is the results' selectors' (``results.selectors.period_results``: the approved
snapshot, or the live preview before the approval) or the scoring bridge's stages of the same
entries (``assessments.scoring``) — nothing is re-totalled. What is added here are averages
and counts of those figures, exact decimals, rounded only when printed:

- per block: the units, the mean / highest / lowest index (the results document's summary),
  the units per band, each domain's mean component index — its mean share of the domain's
  applicable max, over the units where the domain counts — with the highest and lowest;
- strengths and weaknesses (``Findings``): the domains with the highest and the lowest mean
  share, the sub-criteria most units lost points on (final points below the applicable max),
  the units whose self-assessed index was furthest above the appraised one;
- the units × criteria matrix of the workbook (``block_matrix``): per leaf the self score,
  round 1, round 2 (where that round decided the leaf), the survey points and the final
  points (the results document's), as ``results.selectors.unit`` shows them for one unit.

``progress(percent, step)`` is called between blocks, for the export jobs' indicator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from parindex import engine
from parindex.accounts.models import Membership, Unit
from parindex.appraisal.models import Decision
from parindex.appraisal.selectors.consolidation import (
    Letterhead,
    _organizer_signer,
    _place,
    without_round2,
)
from parindex.assessments import scoring
from parindex.assessments.models import Assessment
from parindex.common.numbers import round2
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.models import Council, Period, PeriodBlock
from parindex.reports import texts
from parindex.results.selectors import BlockResults, PeriodResults, period_results
from parindex.results.selectors.common import frozen_document

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TOP = 3  # domains, criteria and units named in the findings

Progress = Callable[[int, str], None]


def _quiet(percent: int, step: str) -> None:
    """The progress callback of a request: nothing to report to."""


def mean(values: list[Decimal]) -> Decimal | None:
    """The exact mean (no rounding: round only to print)."""
    return sum(values, ZERO) / len(values) if values else None


@dataclass(frozen=True)
class DomainStat:
    code: str
    title: str
    max: Decimal
    bonus: bool
    units: int  # units where the domain counts (applicable max > 0)
    mean_index: Decimal | None  # mean share of the max: the units' component indices' mean
    best: Decimal | None
    worst: Decimal | None
    mean_points: Decimal | None  # bonus domains: points, not an index


@dataclass(frozen=True)
class LostCriterion:
    code: str
    title: str
    losing: int  # units below the applicable max
    units: int  # units where the leaf counts
    mean_share: Decimal | None


@dataclass(frozen=True)
class SelfGap:
    name: str
    self_index: Decimal
    index: Decimal

    @property
    def gap(self) -> Decimal:
        """Self-assessed less appraised, 2 decimals each as printed."""
        return round2(self.self_index) - round2(self.index)


@dataclass
class Findings:
    strong: list[DomainStat] = field(default_factory=list)
    weak: list[DomainStat] = field(default_factory=list)
    lost: list[LostCriterion] = field(default_factory=list)
    gaps: list[SelfGap] = field(default_factory=list)


@dataclass
class BlockDoc:
    results: BlockResults
    document: dict[str, Any]
    domains: list[DomainStat]
    findings: Findings
    fw: engine.Framework

    @property
    def name(self) -> str:
        return self.results.name

    @property
    def units(self) -> int:
        return int(self.results.summary.get("units") or 0)

    @property
    def best(self) -> list[str]:
        top = self.results.summary.get("max_index")
        return [u.name for u in self.results.units if u.index is not None and u.index == top]

    @property
    def worst(self) -> list[str]:
        low = self.results.summary.get("min_index")
        return [u.name for u in self.results.units if u.index is not None and u.index == low]


@dataclass
class PeriodDocs(Letterhead):
    period: Period | None = None
    results: PeriodResults | None = None
    blocks: list[BlockDoc] = field(default_factory=list)
    organizer_name: str = ""  # in full: "Sở Nội vụ", "Phòng Nội vụ huyện Yên Dũng"
    government: str = ""  # "Ủy ban nhân dân tỉnh Bắc Giang"
    government_lines: list[str] = field(default_factory=list)  # its header lines
    government_parent: str = ""
    chair_title: str = ""  # "Chủ tịch Ủy ban nhân dân tỉnh Bắc Giang"
    plan: str = ""
    council_name: str = ""
    council_decision: str = ""
    signer_title: str = ""
    signer_name: str = ""
    signer_prefix: str = ""
    recipients: list[str] = field(default_factory=lambda: ["Như trên;", "Lưu: VT, CCHC."])
    approved_on: dt.date | None = None
    decision_number: str = ""

    @property
    def frozen(self) -> bool:
        return self.results is not None and self.results.approved

    @property
    def year(self) -> int:
        return self.period.year if self.period else 0


# ---------------------------------------------------------------- per block


def _domain_stats(block: BlockResults) -> list[DomainStat]:
    out = []
    for i, d in enumerate(block.domains):
        cells = [u.domains[i] for u in block.units]
        applicable = [c for c in cells if c.max]
        indices = [c.index for c in applicable if c.index is not None]
        out.append(
            DomainStat(
                code=d.code,
                title=d.title,
                max=d.max,
                bonus=d.bonus,
                units=len(applicable),
                mean_index=mean(indices) if not d.bonus else None,
                best=max(indices) if indices else None,
                worst=min(indices) if indices else None,
                mean_points=mean([c.points for c in cells if c.points is not None]),
            )
        )
    return out


def _lost(fw: engine.Framework, document: Mapping[str, Any]) -> list[LostCriterion]:
    """The leaves by how many units lost points there — the bonus leaves and the survey's
    aside (every unit loses a little on a survey: a finding about the units' own work)."""
    units = document.get("units", [])
    out = []
    for leaf in fw.leaves():
        if leaf.bonus or leaf.source == "survey":
            continue
        figures = []
        for u in units:
            n = (u.get("nodes") or {}).get(leaf.code) or {}
            points, top = n.get("points"), n.get("max")
            if points is not None and top:
                figures.append((Decimal(str(points)), Decimal(str(top))))
        losing = sum(1 for p, m in figures if p < m)
        if losing:
            share = mean([p / m * HUNDRED for p, m in figures])
            out.append(LostCriterion(leaf.code, leaf.title, losing, len(figures), share))
    return sorted(out, key=lambda c: (-c.losing, c.mean_share or ZERO, c.code))


def findings(block: BlockResults, domains: list[DomainStat], lost: list[LostCriterion]) -> Findings:
    rated = [d for d in domains if not d.bonus and d.mean_index is not None]
    by_share = sorted(rated, key=lambda d: (-(d.mean_index or ZERO), d.code))
    n = min(TOP, len(by_share) // 2) or (1 if len(by_share) > 1 else 0)
    gaps = [
        SelfGap(u.name, u.self_index, u.index)
        for u in block.units
        if u.self_index is not None and u.index is not None
    ]
    gaps = sorted((g for g in gaps if g.gap > 0), key=lambda g: (-g.gap, g.name))
    return Findings(
        strong=by_share[:n],
        weak=list(reversed(by_share[-n:])) if n else [],
        lost=lost[:TOP],
        gaps=gaps[:TOP],
    )


def _document(results: PeriodResults, block: BlockResults) -> dict[str, Any]:
    """The block's results document: the snapshot's once approved; the live one before."""
    if results.state is not None:
        return frozen_document(results.state, block.code) or {}
    group = [u.assessment for u in block.units if u.assessment is not None]
    return scoring.results_document(group) if group else {}


# ---------------------------------------------------------------- the period


def _chair_title(root: Unit | None, place: str) -> tuple[str, list[str], str]:
    """The government that decides (its name, its header lines, the line above it)."""
    if root is None:
        return "Ủy ban nhân dân", ["ỦY BAN NHÂN DÂN"], ""
    lines = texts.own_name_lines(root.name, root.kind)
    name = texts.full_name(root.name)
    if root.kind in {Unit.Kind.PROVINCE, Unit.Kind.DISTRICT, Unit.Kind.COMMUNE}:
        local = texts.strip_ubnd(root.name)
        if local.lower().startswith(texts.LOCAL_PREFIXES):  # "Tỉnh Bắc Giang" -> "tỉnh …"
            local = local[:1].lower() + local[1:]
        name = "Ủy ban nhân dân " + local
    parent = root.parent
    above = texts.governing_line(parent.name, parent.kind) if parent is not None else ""
    return name, lines, above


def period_docs(period: Period, *, progress: Progress = _quiet) -> PeriodDocs:
    """Everything the report, the decision and the workbook print of a period."""
    period = Period.objects.select_related(
        "organizer", "organizer__admin_root", "organizer__parent",
        "organizer__admin_root__parent",
    ).get(pk=period.pk)  # fmt: skip
    progress(5, "Đọc kết quả của các khối")
    results = period_results(period)
    blocks: list[BlockDoc] = []
    total = len(results.blocks) or 1
    for i, block in enumerate(results.blocks, 1):
        if not block.units:
            continue
        progress(5 + 50 * i // total, f"Tổng hợp {block.name} ({i}/{total})")
        pb = PeriodBlock.objects.select_related("framework").get(
            period=period, block__code=block.code
        )
        fw = framework_to_engine(pb.framework)
        document = _document(results, block)
        stats = _domain_stats(block)
        blocks.append(
            BlockDoc(block, document, stats, findings(block, stats, _lost(fw, document)), fw)
        )
    organizer = period.organizer
    place, root = _place(organizer)
    government, lines, above = _chair_title(root, place)
    leader = (
        Membership.objects.filter(unit_id=organizer.pk, role=Membership.Role.UNIT_LEADER)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    council = Council.objects.filter(period=period).first()
    council_decision = ""
    if council is not None and council.decision_number:
        council_decision = f"Quyết định số {council.decision_number}"
        if council.decision_date:
            council_decision += f" ngày {council.decision_date:%d/%m/%Y}"
    state = results.state
    approved_on = (
        timezone.localdate(state.approved_at) if state is not None and state.approved_at else None
    )
    parent = organizer.parent
    return PeriodDocs(
        header_parent=texts.governing_line(parent.name, parent.kind) if parent else "",
        header_unit=texts.own_name_lines(organizer.name, organizer.kind),
        number=f"Số:          /BC-{texts.ascii_slug(organizer.code).upper()}",
        place=place,
        date=timezone.localdate(),
        period=period,
        results=results,
        blocks=blocks,
        organizer_name=texts.full_name(organizer.name),
        government=government,
        government_lines=lines,
        government_parent=above,
        chair_title=f"Chủ tịch {government}",
        plan=texts.plan_document(period.plan_reference),
        council_name=council.name if council else "",
        council_decision=council_decision,
        signer_title=_organizer_signer(organizer.kind),
        signer_name=leader.user.display_name if leader else "",
        approved_on=approved_on,
        decision_number=state.decision_number if state is not None else "",
    )


# ---------------------------------------------------------------- the matrix


@dataclass(frozen=True)
class LeafFigures:
    self_points: Decimal | None
    self_note: str
    round1: Decimal | None
    round2: Decimal | None
    survey: Decimal | None
    final: Decimal | None
    max: Decimal | None  # the final applicable max (None: not applicable)


@dataclass
class MatrixRow:
    rank: int
    unit: str
    name: str
    leaves: dict[str, LeafFigures]


def _decided(group: list[Assessment]) -> dict[tuple[int, str], set[int]]:
    """The rounds that decided each (assessment, leaf code): one query."""
    out: dict[tuple[int, str], set[int]] = {}
    rows = Decision.objects.filter(
        entry__assessment_id__in=[a.pk for a in group], current=True
    ).values_list("entry__assessment_id", "entry__node__code", "round")
    for aid, code, rnd in rows:
        out.setdefault((aid, code), set()).add(rnd)
    return out


def block_matrix(doc: BlockDoc) -> list[MatrixRow]:
    """Per ranked unit and leaf: self, round 1, round 2, survey, final (see the module)."""
    block, fw = doc.results, doc.fw
    group = [u.assessment for u in block.units if u.assessment is not None]
    data = scoring.entry_data(a.pk for a in group)
    own = scoring.period_scores(group, (scoring.SELF,), data=data) if group else {}
    after1 = scoring.period_scores(group, (scoring.FINAL,), data=without_round2(data))
    live = scoring.period_scores(group, (scoring.FINAL,), data=data)
    decided = _decided(group)
    nodes = {u["unit"]: u.get("nodes") or {} for u in doc.document.get("units", [])}
    rows = []
    for u in block.units:
        a = u.assessment
        final_nodes = nodes.get(u.unit, {})
        by_code = {e.code: e for e in data.get(a.pk, [])} if a is not None else {}
        leaves: dict[str, LeafFigures] = {}
        for leaf in fw.leaves():
            survey = leaf.source == "survey"
            n = final_nodes.get(leaf.code) or {}
            final = Decimal(str(n["points"])) if n.get("points") is not None else None
            top = Decimal(str(n["max"])) if n.get("max") is not None else None
            if a is None:
                leaves[leaf.code] = LeafFigures(None, "", None, None, None, final, top)
                continue
            mine = own[a.pk][scoring.SELF]
            rounds = decided.get((a.pk, leaf.code), set())
            note = ""
            self_points = None
            entry = by_code.get(leaf.code)
            if survey:
                note = "điều tra XHH"
            elif leaf.code in mine.pending:
                note = scoring.PENDING_TEXT
            elif entry is not None and entry.value.strip().upper() == scoring.NA:
                note = "Không áp dụng"
            else:
                self_points = mine.leaves.get(leaf.code)
            leaves[leaf.code] = LeafFigures(
                self_points=self_points,
                self_note=note,
                round1=after1[a.pk][scoring.FINAL].leaves.get(leaf.code)
                if 1 in rounds and not survey
                else None,
                round2=live[a.pk][scoring.FINAL].leaves.get(leaf.code)
                if 2 in rounds and not survey
                else None,
                survey=live[a.pk][scoring.FINAL].leaves.get(leaf.code) if survey else None,
                final=final,
                max=top,
            )
        rows.append(MatrixRow(u.rank, u.unit, u.name, leaves))
    return rows


def cells(period: Period) -> int:
    """Units × leaves of the period's blocks (the size that sends a document to the worker)."""
    total = 0
    for pb in PeriodBlock.objects.filter(period=period).only("framework_id"):
        leaves = FrameworkNode.objects.filter(framework_id=pb.framework_id, children__isnull=True)
        units = Assessment.objects.filter(period=period, framework_id=pb.framework_id).count()
        total += units * leaves.count()
    return total
