"""Reads of the consolidation (Tổng hợp), the minutes of one unit (Biên bản thẩm định) and the
report of the period (Báo cáo kết quả thẩm định). No writes.

Every number comes from the scoring bridge (``assessments.scoring``): the self and final
stages of ``period_scores`` (the assessments of one framework computed together, as
``parindex score`` on the period's values file), the ranking of ``results_document``
(``parindex.results/v1``) — and, once the chair has approved, the frozen snapshot
(``PeriodAppraisal.snapshot``), never a recomputation.

Decisions where the issue was silent:
- "Sau thẩm định lần 1" is the bridge's final stage computed without the round-2 scores (the
  entries' data with ``round2_score`` left out), so it is what the period stood at when round
  1 closed (the engine scores it; nothing is added here). It is shown once round 1 has
  started for the unit.
- The difference (chênh lệch) is the final total less the self total, both rounded to 2
  decimals first, so that it matches the two numbers printed beside it.
- A leaf is *adjusted* (điều chỉnh) when a current decision of either round is Điều chỉnh or
  a round's score differs from the self score; the count is per unit.
- After the approval, the final points, max, index, band and rank are the snapshot's (matched
  by unit code); the self and round-1 columns stay the bridge's: the services lock every
  entry of an approved period, so they cannot move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from parindex.accounts.models import Membership, Unit
from parindex.appraisal.models import Answer, Decision, PeriodAppraisal
from parindex.appraisal.selectors.assignment import UNDER_APPRAISAL
from parindex.assessments import scoring
from parindex.assessments.models import Assessment, Entry, Status
from parindex.common.numbers import round2
from parindex.frameworks.models import FrameworkNode
from parindex.periods.models import Council, CouncilMember, Period, PeriodBlock
from parindex.reports import texts

R = PeriodAppraisal.Review
K = Decision.Kind
ZERO = Decimal(0)

# The statuses where round 1 has started for the unit, and where round 2 has.
ROUND1_STARTED = frozenset(UNDER_APPRAISAL) - {Status.SUBMITTED}
ROUND2_STARTED = frozenset({Status.APPRAISAL_2, Status.APPRAISED, Status.FINALIZED})
# Round 2 closed for the unit: the unit may read its minutes.
ROUND2_CLOSED = frozenset({Status.APPRAISED, Status.FINALIZED})


def _dec(value: Any) -> Decimal | None:
    """A number of a results document (a float rounded to 2 decimals) as a Decimal."""
    return None if value is None else Decimal(str(value))


def difference(final: Decimal | None, own: Decimal | None) -> Decimal | None:
    """Final less self, each rounded to 2 decimals first (as printed beside it)."""
    if final is None or own is None:
        return None
    return round2(final) - round2(own)


def appraisal_state(period: Period) -> PeriodAppraisal | None:
    return PeriodAppraisal.objects.filter(period=period).select_related("approved_by").first()


def frozen_results(state: PeriodAppraisal | None) -> dict[str, Any] | None:
    """The approved snapshot's blocks (code -> {"block", "results"}), or None before."""
    if state is None or state.review != R.APPROVED or not state.snapshot:
        return None
    blocks: dict[str, Any] = state.snapshot.get("blocks") or {}
    return blocks


# ---------------------------------------------------------------- the consolidation page


@dataclass
class UnitRow:
    assessment: Assessment
    self_points: Decimal
    self_max: Decimal
    self_index: Decimal | None
    round1_points: Decimal | None  # None: round 1 has not started for this unit
    round1_index: Decimal | None
    final_points: Decimal | None
    final_max: Decimal | None
    final_index: Decimal | None
    band: str | None
    rank: int | None
    difference: Decimal | None
    adjusted: int
    minutes_open: bool = True


@dataclass
class RankRow:
    rank: int
    unit: str
    name: str
    points: Decimal | None
    max: Decimal | None
    index: Decimal | None
    band: str | None


@dataclass
class BlockTable:
    code: str
    name: str
    framework_title: str
    rows: list[UnitRow]
    ranking: list[RankRow]
    summary: dict[str, Any]  # units, mean_index, min_index, max_index (Decimal | None)
    frozen: bool


@dataclass
class Consolidation:
    period: Period
    state: PeriodAppraisal | None
    blocks: list[BlockTable]
    pending: list[Assessment]  # under appraisal but not through round 2
    units: int

    @property
    def review(self) -> str:
        return self.state.review if self.state is not None else R.NONE

    @property
    def review_label(self) -> str:
        return R(self.review).label

    @property
    def approved(self) -> bool:
        return self.review == R.APPROVED

    @property
    def ready(self) -> bool:
        return self.units > 0 and not self.pending


def _ranking(results: Mapping[str, Any]) -> list[RankRow]:
    rows = [
        RankRow(
            rank=u["rank"],
            unit=u["unit"],
            name=u["name"],
            points=_dec(u["points"]),
            max=_dec(u["max"]),
            index=_dec(u["index"]),
            band=u["band"],
        )
        for u in results.get("units", [])
    ]
    return sorted(rows, key=lambda r: (r.rank, r.name))


def _summary(results: Mapping[str, Any]) -> dict[str, Any]:
    s = results.get("summary") or {}
    return {
        "units": s.get("units", 0),
        "mean_index": _dec(s.get("mean_index")),
        "min_index": _dec(s.get("min_index")),
        "max_index": _dec(s.get("max_index")),
    }


def without_round2(
    data: Mapping[int, list[scoring.EntryData]],
) -> dict[int, list[scoring.EntryData]]:
    """The entries as they stood after round 1: the round-2 scores left out."""
    return {aid: [e._replace(round2_score=None) for e in rows] for aid, rows in data.items()}


def adjusted_codes(
    data: Mapping[int, list[scoring.EntryData]], assessment_ids: Iterable[int]
) -> dict[int, set[str]]:
    """The adjusted leaves of each assessment (one query): a current Điều chỉnh in either
    round, or a round's score other than the self score."""
    out: dict[int, set[str]] = {aid: set() for aid in assessment_ids}
    for aid, code in (
        Decision.objects.filter(entry__assessment_id__in=list(out), current=True, kind=K.ADJUST)
        .order_by()
        .values_list("entry__assessment_id", "entry__node__code")
    ):
        out[aid].add(code)
    for aid, rows in data.items():
        for e in rows:
            for score in (e.round1_score, e.round2_score):
                if score is not None and score != e.self_score:
                    out.setdefault(aid, set()).add(e.code)
    return out


def under_appraisal(period: Period) -> list[Assessment]:
    return list(
        Assessment.objects.filter(period=period, status__in=UNDER_APPRAISAL)
        .select_related("unit", "framework")
        .order_by("unit__position", "unit__name")
    )


def consolidation(period: Period) -> Consolidation:
    """The consolidation page of a period (≈ 6 queries, plus one per block before the
    approval: ``results_document`` reads its own entries)."""
    state = appraisal_state(period)
    frozen = frozen_results(state)
    blocks = list(PeriodBlock.objects.filter(period=period).select_related("block", "framework"))
    items = under_appraisal(period)
    data = scoring.entry_data(a.pk for a in items)
    scores = scoring.period_scores(items, data=data)
    after_round1 = scoring.period_scores(
        [a for a in items if a.status in ROUND1_STARTED],
        (scoring.FINAL,),
        data=without_round2(data),
    )
    adjusted = adjusted_codes(data, [a.pk for a in items])
    tables: list[BlockTable] = []
    for pb in blocks:
        group = [a for a in items if a.framework_id == pb.framework_id]
        if frozen is not None:
            results = (frozen.get(pb.block.code) or {}).get("results") or {}
        else:
            results = scoring.results_document(group) if group else {}
        by_unit = {u["unit"]: u for u in results.get("units", [])}
        rows: list[UnitRow] = []
        for a in group:
            own = scores[a.pk][scoring.SELF]
            r1 = after_round1.get(a.pk, {}).get(scoring.FINAL)
            ranked = by_unit.get(a.unit.code)
            if frozen is not None:
                final_points = _dec(ranked["points"]) if ranked else None
                final_max = _dec(ranked["max"]) if ranked else None
                final_index = _dec(ranked["index"]) if ranked else None
            else:
                final = scores[a.pk][scoring.FINAL]
                final_points, final_max, final_index = final.points, final.max, final.index
            rows.append(
                UnitRow(
                    assessment=a,
                    self_points=own.points,
                    self_max=own.max,
                    self_index=own.index,
                    round1_points=r1.points if r1 is not None else None,
                    round1_index=r1.index if r1 is not None else None,
                    final_points=final_points,
                    final_max=final_max,
                    final_index=final_index,
                    band=ranked["band"] if ranked else None,
                    rank=ranked["rank"] if ranked else None,
                    difference=difference(final_points, own.points),
                    adjusted=len(adjusted.get(a.pk, ())),
                )
            )
        if not group and not results:
            continue
        tables.append(
            BlockTable(
                code=pb.block.code,
                name=pb.block.name,
                framework_title=(results.get("framework") or {}).get("title") or pb.framework.title,
                rows=rows,
                ranking=_ranking(results),
                summary=_summary(results),
                frozen=frozen is not None,
            )
        )
    pending = [a for a in items if a.status not in ROUND2_CLOSED]
    return Consolidation(
        period=period, state=state, blocks=tables, pending=pending, units=len(items)
    )


# ---------------------------------------------------------------- documents: common parts


@dataclass
class Letterhead:
    """What the national header of a document needs (the reports' Word renderer reads these
    names): the governing line, the organ's name, the number, the place and date."""

    header_parent: str
    header_unit: list[str]
    number: str
    place: str
    date: dt.date

    @property
    def date_text(self) -> str:
        return texts.vn_long_date(self.date)

    @property
    def place_date(self) -> str:
        return f"{self.place}, {self.date_text}" if self.place else self.date_text.capitalize()


def _place(organizer: Unit) -> tuple[str, Unit | None]:
    """The place of the organizer's documents (the province's or the district's name) and the
    local government above it."""
    root = organizer.admin_root
    if root is None and organizer.parent is not None:
        root = organizer.parent
    if root is None:
        return "", None
    return texts.place_name(root.name), root


def _local_day(moment: dt.datetime | None) -> dt.date:
    return timezone.localdate(moment) if moment is not None else timezone.localdate()


# ---------------------------------------------------------------- the minutes of one unit


@dataclass
class MinutesLeaf:
    code: str
    title: str
    max: Decimal | None
    self_points: Decimal | None
    round1: Decimal | None
    round2: Decimal | None
    final: Decimal | None
    reasons: list[str]
    appraisers: list[str]


@dataclass
class MinutesRequest:
    code: str
    title: str
    request: str
    appraiser: str
    answer: str
    answer_values: str
    conclusion: str


@dataclass
class Member:
    name: str
    title: str
    position: str
    unit: str


@dataclass
class MinutesData(Letterhead):
    title: str = "BIÊN BẢN"
    subtitle: str = ""
    council_name: str = ""
    council_decision: str = ""
    members: list[Member] = field(default_factory=list)
    unit_name: str = ""
    status_label: str = ""
    intro: str = ""
    self_points: Decimal = ZERO
    self_max: Decimal = ZERO
    self_index: Decimal | None = None
    final_points: Decimal | None = None
    final_max: Decimal | None = None
    final_index: Decimal | None = None
    band: str | None = None
    difference: Decimal | None = None
    frozen: bool = False
    round1_shown: bool = False
    round2_shown: bool = False
    leaves: list[MinutesLeaf] = field(default_factory=list)
    requests: list[MinutesRequest] = field(default_factory=list)
    conclusion: str = ""
    secretary_name: str = ""
    chair_name: str = ""
    filename_ascii: str = ""
    filename_vi: str = ""


def _decision_date_text(number: str, day: dt.date | None, signer: str) -> str:
    parts = []
    if number:
        parts.append(f"số {number}")
    if day is not None:
        parts.append(f"ngày {day:%d/%m/%Y}")
    text = "Quyết định " + " ".join(parts) if parts else ""
    if text and signer:
        text += f" (người ký: {signer})"
    return text


def minutes_data(assessment: Assessment) -> MinutesData:
    """The minutes of the appraisal of one unit (a fixed number of queries)."""
    a = Assessment.objects.select_related(
        "unit", "framework", "period", "period__organizer", "period__organizer__admin_root",
        "period__organizer__parent",
    ).get(pk=assessment.pk)  # fmt: skip
    period = a.period
    state = appraisal_state(period)
    frozen = frozen_results(state)
    council = Council.objects.filter(period=period).first()
    members = (
        list(council.members.select_related("user", "unit").order_by("order", "id"))
        if council
        else []
    )
    group = [x for x in under_appraisal(period) if x.framework_id == a.framework_id]
    if a.pk not in {x.pk for x in group}:
        group.append(a)
    data = scoring.entry_data(x.pk for x in group)
    scores = scoring.period_scores(group, data=data)[a.pk]
    own, final = scores[scoring.SELF], scores[scoring.FINAL]
    final_points: Decimal | None = final.points
    final_max: Decimal | None = final.max
    final_index: Decimal | None = final.index
    band: str | None = final.band
    final_leaves: dict[str, Decimal | None] = dict(final.leaves)
    if frozen is not None:
        pb = (
            PeriodBlock.objects.filter(period=period, framework_id=a.framework_id)
            .select_related("block")
            .first()
        )
        results = (frozen.get(pb.block.code) or {}).get("results") or {} if pb else {}
        ranked = next((u for u in results.get("units", []) if u["unit"] == a.unit.code), None)
        if ranked is not None:
            final_points, final_max = _dec(ranked["points"]), _dec(ranked["max"])
            final_index, band = _dec(ranked["index"]), ranked["band"]
            final_leaves = {code: _dec(n["points"]) for code, n in ranked["nodes"].items()}
    adjusted = adjusted_codes({a.pk: data.get(a.pk, [])}, [a.pk])[a.pk]
    nodes = {
        n.code: n
        for n in FrameworkNode.objects.filter(framework_id=a.framework_id).order_by("position")
    }
    entries = {
        e.node.code: e for e in Entry.objects.filter(assessment=a).select_related("node").order_by()
    }
    decisions: dict[str, dict[int, Decision]] = {}
    for d in (
        Decision.objects.filter(entry__assessment=a, current=True)
        .select_related("appraiser", "entry__node")
        .order_by("round", "at", "id")
    ):
        decisions.setdefault(d.entry.node.code, {})[d.round] = d
    answers = {
        ans.entry.node.code: ans
        for ans in Answer.objects.filter(entry__assessment=a).select_related("entry__node")
    }
    round1_shown = a.status in ROUND1_STARTED
    round2_shown = a.status in ROUND2_STARTED

    leaves: list[MinutesLeaf] = []
    for code, node in nodes.items():
        if code not in adjusted:
            continue
        entry = entries.get(code)
        by_round = decisions.get(code, {})
        self_points = own.leaves.get(code)
        r1 = entry.round1_score if entry and entry.round1_score is not None else self_points
        r2 = entry.round2_score if entry and entry.round2_score is not None else r1
        reasons, appraisers = [], []
        for rnd, d in sorted(by_round.items()):
            if d.kind == K.ADJUST and d.reason.strip():
                reasons.append(f"Lần {rnd}: {d.reason.strip()}")
            name = d.appraiser.display_name if d.appraiser else ""
            if name and name not in appraisers:
                appraisers.append(name)
        leaves.append(
            MinutesLeaf(
                code=code,
                title=node.title,
                max=node.max,
                self_points=self_points,
                round1=r1 if round1_shown else None,
                round2=r2 if round2_shown else None,
                final=final_leaves.get(code),
                reasons=reasons,
                appraisers=appraisers,
            )
        )

    requests: list[MinutesRequest] = []
    for code, node in nodes.items():
        d1 = decisions.get(code, {}).get(1)
        if d1 is None or d1.kind != K.REQUEST:
            continue
        ans = answers.get(code)
        d2 = decisions.get(code, {}).get(2)
        if d2 is None:
            conclusion = "Chưa thẩm định lần 2" if not round2_shown else "Chưa có kết luận"
        else:
            conclusion = d2.get_kind_display()
            if d2.reason.strip():
                conclusion += f": {d2.reason.strip()}"
        values = ""
        if ans is not None and (ans.value.strip() or ans.value2.strip()):
            values = texts.declared_value_text(node.rule_type, node.rule_params, ans.value,
                                               ans.value2)  # fmt: skip
        requests.append(
            MinutesRequest(
                code=code,
                title=node.title,
                request=d1.request.strip(),
                appraiser=d1.appraiser.display_name if d1.appraiser else "",
                answer=(ans.text.strip() if ans is not None else "") or "Không có giải trình.",
                answer_values=values,
                conclusion=conclusion,
            )
        )

    unit, organizer = a.unit, period.organizer
    place, root = _place(organizer)
    council_name = council.name if council else "Hội đồng thẩm định Chỉ số cải cách hành chính"
    closed_at = state.round2_closed_at if state is not None else None
    day = _local_day(closed_at if a.status in ROUND2_CLOSED else None)
    P = CouncilMember.Position
    secretary = next((m for m in members if m.position == P.SECRETARY), None)
    chair = next((m for m in members if m.position == P.CHAIR), None)
    unit_full = texts.full_name(unit.name)
    plan = texts.plan_document(period.plan_reference)
    basis = f"Thực hiện {plan}, " if plan else ""
    if a.status in ROUND2_CLOSED:
        conclusion = (
            f"Hội đồng thống nhất kết quả thẩm định của {unit_full}: tổng điểm sau thẩm định "
            "như bảng trên."
        )
    else:
        conclusion = (
            f"Việc thẩm định kết quả tự đánh giá của {unit_full} chưa hoàn thành "
            f"(tình trạng: {a.get_status_display()}); số liệu trên là kết quả đến thời điểm "
            "lập biên bản."
        )
    return MinutesData(
        header_parent=texts.governing_line(root.name, root.kind) if root is not None else "",
        header_unit=[council_name.upper()],
        number="Số:          /BB-HĐTĐ",
        place=place,
        date=day,
        subtitle=(
            f"Thẩm định kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm "
            f"{period.year} của {unit_full}"
        ),
        council_name=council_name,
        council_decision=_decision_date_text(
            council.decision_number, council.decision_date, council.decision_signer
        )
        if council
        else "",
        members=[
            Member(
                name=m.display_name,
                title=m.title,
                position=m.get_position_display(),
                unit=m.unit.name,
            )
            for m in members
        ],
        unit_name=unit_full,
        status_label=a.get_status_display(),
        intro=(
            f"{basis}{council_name} tiến hành thẩm định kết quả tự đánh giá, chấm điểm Chỉ số "
            f"cải cách hành chính năm {period.year} của {unit_full}, kết quả như sau:"
        ),
        self_points=own.points,
        self_max=own.max,
        self_index=own.index,
        final_points=final_points,
        final_max=final_max,
        final_index=final_index,
        band=band,
        difference=difference(final_points, own.points),
        frozen=frozen is not None,
        round1_shown=round1_shown,
        round2_shown=round2_shown,
        leaves=leaves,
        requests=requests,
        conclusion=conclusion,
        secretary_name=secretary.display_name if secretary else "",
        chair_name=chair.display_name if chair else "",
        filename_ascii=(f"bien-ban-tham-dinh-{texts.ascii_slug(unit.code)}-{period.year}"),
        filename_vi=f"Biên bản thẩm định Chỉ số CCHC {period.year} - {unit.name}",
    )


# ---------------------------------------------------------------- the period's report


@dataclass
class ReportBlock:
    code: str
    name: str
    framework_title: str
    max: Decimal | None
    units: int
    mean_index: Decimal | None
    min_index: Decimal | None
    max_index: Decimal | None
    ranking: list[RankRow]


@dataclass
class ResultsReportData(Letterhead):
    year: int = 0
    title: str = "BÁO CÁO"
    subtitle: str = ""
    addressee: str = ""
    intro: str = ""
    status_text: str = ""
    frozen: bool = False
    blocks: list[ReportBlock] = field(default_factory=list)
    closing: str = ""
    signer_prefix: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)
    filename_ascii: str = ""
    filename_vi: str = ""


def _organizer_signer(kind: str) -> str:
    if kind == Unit.Kind.DEPARTMENT:
        return "GIÁM ĐỐC"
    if kind == Unit.Kind.OFFICE:
        return "TRƯỞNG PHÒNG"
    return "THỦ TRƯỞNG CƠ QUAN"


def results_report_data(period: Period) -> ResultsReportData:
    """The report of the appraisal's results of a period: per block the summary and the
    ranking, exactly ``results_document`` (the snapshot once approved)."""
    period = Period.objects.select_related(
        "organizer", "organizer__admin_root", "organizer__parent"
    ).get(pk=period.pk)
    state = appraisal_state(period)
    frozen = frozen_results(state)
    council = Council.objects.filter(period=period).first()
    items = under_appraisal(period) if frozen is None else []
    out: list[ReportBlock] = []
    for pb in PeriodBlock.objects.filter(period=period).select_related("block", "framework"):
        if frozen is not None:
            results = (frozen.get(pb.block.code) or {}).get("results") or {}
        else:
            group = [a for a in items if a.framework_id == pb.framework_id]
            results = scoring.results_document(group) if group else {}
        if not results:
            continue
        s = _summary(results)
        out.append(
            ReportBlock(
                code=pb.block.code,
                name=pb.block.name,
                framework_title=(results.get("framework") or {}).get("title", ""),
                max=_dec((results.get("framework") or {}).get("max")),
                units=s["units"],
                mean_index=s["mean_index"],
                min_index=s["min_index"],
                max_index=s["max_index"],
                ranking=_ranking(results),
            )
        )
    organizer = period.organizer
    place, _root = _place(organizer)
    leader = (
        Membership.objects.filter(unit_id=organizer.pk, role=Membership.Role.UNIT_LEADER)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    council_name = council.name if council else "Hội đồng thẩm định Chỉ số cải cách hành chính"
    organizer_full = texts.full_name(organizer.name)
    if frozen is not None and state is not None and state.approved_at is not None:
        day = timezone.localdate(state.approved_at)
        status_text = (
            f"Kết quả đã được Chủ tịch Hội đồng phê duyệt ngày {day:%d/%m/%Y}; số liệu trong "
            "báo cáo là bản chốt."
        )
    else:
        day = timezone.localdate()
        status_text = (
            "Kết quả chưa được Chủ tịch Hội đồng phê duyệt; số liệu trong báo cáo là kết quả "
            "tổng hợp đến thời điểm lập báo cáo."
        )
    plan = texts.plan_document(period.plan_reference)
    basis = f"Thực hiện {plan}, " if plan else ""
    parent = organizer.parent
    return ResultsReportData(
        header_parent=texts.governing_line(parent.name, parent.kind) if parent else "",
        header_unit=texts.own_name_lines(organizer.name, organizer.kind),
        number=f"Số:          /BC-{texts.ascii_slug(organizer.code).upper()}",
        place=place,
        date=day,
        year=period.year,
        subtitle=(f"Kết quả thẩm định, xác định Chỉ số cải cách hành chính năm {period.year}"),
        addressee=f"Chủ tịch {council_name}",
        intro=(
            f"{basis}{organizer_full} tổng hợp kết quả thẩm định, xác định Chỉ số cải cách "
            f"hành chính năm {period.year} ({period.name}) như sau:"
        ),
        status_text=status_text,
        frozen=frozen is not None,
        blocks=out,
        closing=(
            f"Trên đây là báo cáo kết quả thẩm định, xác định Chỉ số cải cách hành chính năm "
            f"{period.year}, {organizer_full} kính trình Chủ tịch {council_name} xem xét, "
            "phê duyệt./."
        ),
        signer_title=_organizer_signer(organizer.kind),
        signer_name=leader.user.display_name if leader else "",
        recipients=["Như trên;", "Lưu: VT."],
        filename_ascii=f"bao-cao-ket-qua-tham-dinh-{period.year}-{period.pk}",
        filename_vi=f"Báo cáo kết quả thẩm định Chỉ số CCHC {period.year} - {organizer.name}",
    )
