"""The self-assessment report (Báo cáo tự đánh giá, chấm điểm Chỉ số CCHC) as plain data.

``self_assessment_report_data(assessment)`` reads everything the Word, PDF and Excel
renderers need in a fixed number of queries (5, plus the evidence app's own), whatever the
number of criteria.

Totals (stated in the note under the summary table):
- "Điểm tối đa" of a domain counts only the sub-criteria the unit scores itself: applicable
  (not "Không áp dụng"), not bonus, ``source: self``. Survey sub-criteria (điều tra XHH) are
  listed under their domain with "Đánh giá qua điều tra XHH" and stay out of both the points
  and the max; bonus points count in the points, not in the max (spec §3).
- A sub-criterion with no declared data counts 0 points (spec §2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from parindex import engine
from parindex.accounts.models import Membership, Unit
from parindex.assessments import contributors, scoring
from parindex.assessments.models import Assessment, Entry, Status
from parindex.common.numbers import vn_points
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.selectors import framework_to_engine
from parindex.reports import texts
from parindex.reports.evidence import EvidenceLine, evidence_lines

ZERO = Decimal(0)
HUNDRED = Decimal(100)
LOCAL_GOVERNMENT = {Unit.Kind.DISTRICT, Unit.Kind.COMMUNE, Unit.Kind.PROVINCE}
UNSENT = {Status.DRAFT, Status.PENDING_APPROVAL}


@dataclass
class SummaryRow:
    """A row of the summary table. ``kind``: domain | survey | total | survey_total | grand."""

    kind: str
    stt: str
    title: str
    max: Decimal | None
    points: Decimal | None = None
    percent: Decimal | None = None
    points_text: str = ""  # shown instead of points (e.g. "Đánh giá qua điều tra XHH")


@dataclass
class DetailRow:
    """A node of the framework in tree order, with the unit's data for a leaf."""

    code: str
    title: str
    depth: int
    is_leaf: bool
    max: Decimal | None
    points: Decimal | None  # the bridge's self stage (leaf: None when it does not count)
    rule_type: str = ""
    value_text: str = ""
    value: str = ""
    value2: str = ""
    survey: bool = False
    not_applicable: bool = False
    bonus: bool = False
    declared: bool = False
    pending: bool = False  # a relative leaf: "tính khi tổng hợp" (scoring.PENDING_TEXT)
    evidence_required: str = ""
    evidence: list[EvidenceLine] = field(default_factory=list)
    explanation: str = ""


@dataclass
class ReportData:
    assessment_id: int
    unit_code: str
    unit_name: str
    year: int
    header_parent: str  # "UBND TỈNH BẮC GIANG" (may be empty)
    header_unit: list[str]  # ["SỞ TƯ PHÁP"] or ["ỦY BAN NHÂN DÂN", "HUYỆN YÊN DŨNG"]
    number: str  # "Số:      /BC-STP"
    place: str
    date: dt.date
    date_text: str  # "ngày 22 tháng 11 năm 2026"
    title: str
    subtitle: str
    addressee: str  # "Sở Nội vụ"
    intro: str
    summary: list[SummaryRow]
    summary_note: str
    detail_note: str
    self_points: Decimal
    self_max: Decimal
    survey_max: Decimal
    framework_max: Decimal
    details: list[DetailRow]
    difficulties: list[str]
    closing: str
    signer_prefix: str  # "TM. ỦY BAN NHÂN DÂN" for a People's Committee, else ""
    signer_title: str  # "GIÁM ĐỐC" / "CHỦ TỊCH"
    signer_name: str
    recipients: list[str]
    status_label: str
    filename_ascii: str  # "bao-cao-tu-danh-gia-STP-2026"
    filename_vi: str  # "Báo cáo tự đánh giá Chỉ số CCHC 2026 - Sở Tư pháp"

    @property
    def place_date(self) -> str:
        return f"{self.place}, {self.date_text}" if self.place else self.date_text.capitalize()

    @property
    def self_percent(self) -> Decimal | None:
        return percent(self.self_points, self.self_max)


def _engine(a: Assessment) -> engine.Framework | None:
    try:
        return framework_to_engine(a.framework)
    except engine.InvalidInput:
        return None


def percent(points: Decimal | None, max_: Decimal | None) -> Decimal | None:
    if points is None or not max_:
        return None
    return points * HUNDRED / max_


def _signer_title(kind: str) -> tuple[str, str]:
    if kind in LOCAL_GOVERNMENT:
        return "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    if kind == Unit.Kind.DEPARTMENT:
        return "", "GIÁM ĐỐC"
    if kind == Unit.Kind.OFFICE:
        return "", "TRƯỞNG PHÒNG"
    return "", "THỦ TRƯỞNG CƠ QUAN"


def _intro(plan_reference: str, organizer: str, unit: str, year: int) -> str:
    ref = texts.plan_document(plan_reference)
    if ref:
        basis = f"Thực hiện {ref}"
    else:
        basis = (
            f"Thực hiện hướng dẫn của {organizer} về việc xác định Chỉ số cải cách "
            f"hành chính năm {year}"
        )
    return (
        f"{basis}, {unit} báo cáo kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính "
        f"(CCHC) năm {year} như sau:"
    )


def self_assessment_report_data(assessment: Assessment) -> ReportData:
    """Everything the self-assessment report shows, in 5 queries (+ the evidence app's)."""
    a = Assessment.objects.select_related(
        "unit", "unit__parent", "period", "period__organizer", "framework"
    ).get(pk=assessment.pk)
    unit, period = a.unit, a.period
    nodes = list(FrameworkNode.objects.filter(framework_id=a.framework_id).order_by("position"))
    entries = {e.node_id: e for e in Entry.objects.filter(assessment_id=a.pk)}
    # a contributor's report holds only its own leaves (and their headings)
    shown = contributors.shown_node_ids(assessment, nodes, entries)
    if shown is not None:
        nodes = [n for n in nodes if n.pk in shown]
        entries = {nid: e for nid, e in entries.items() if nid in shown}
    ancestor_ids = [int(x) for x in unit.path.strip("/").split("/") if x.isdigit()]
    ancestors = list(
        Unit.objects.filter(pk__in=ancestor_ids, kind=Unit.Kind.PROVINCE).only("name", "kind")
    )
    leader = (
        Membership.objects.filter(unit_id=unit.pk, role=Membership.Role.UNIT_LEADER)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    files = evidence_lines(a)

    # -- detail rows; every total is the bridge's self stage (scoring) --------------------
    by_id = {n.pk: n for n in nodes}
    scores = scoring.score_entries(
        a.framework,
        [
            scoring.EntryData(
                a.pk,
                by_id[e.node_id].code,
                e.value,
                e.value2,
                e.round1_score,
                e.round2_score,
                e.survey_score,
            )
            for e in entries.values()
            if e.node_id in by_id
        ],
        scoring.SELF,
    )
    fw = _engine(a)
    survey_of: dict[int, list[FrameworkNode]] = {}
    details: list[DetailRow] = []

    def top_of(node: FrameworkNode) -> int:
        while node.parent_id is not None and node.parent_id in by_id:
            node = by_id[node.parent_id]
        return node.pk

    for node in nodes:
        eng = fw.get(node.code) if fw is not None else None
        row = DetailRow(
            code=node.code,
            title=node.title,
            depth=node.depth,
            is_leaf=node.is_leaf,
            max=eng.total_max if eng is not None else node.max,
            points=None,
            rule_type=node.rule_type,
            bonus=node.bonus,
            evidence_required=node.evidence,
        )
        details.append(row)
        if not node.is_leaf:
            row.points = scores.node(node.code).points
            continue
        entry = entries.get(node.pk)
        value = entry.value if entry else ""
        value2 = entry.value2 if entry else ""
        na = bool(entry and entry.not_applicable) or texts.is_not_applicable(
            node.rule_type, node.rule_params, value, value2
        )
        survey = node.source == FrameworkNode.Source.SURVEY
        row.survey = survey
        row.not_applicable = na and not survey
        row.pending = node.code in scores.pending
        row.value, row.value2 = value, value2
        row.declared = bool(value.strip()) or row.not_applicable
        row.value_text = texts.declared_value_text(
            node.rule_type, node.rule_params, value, value2, not_applicable=row.not_applicable
        )
        if entry is not None:
            row.explanation = entry.explanation.strip()
            row.evidence = files.get(entry.pk, [])
        if survey:
            survey_of.setdefault(top_of(node), []).append(node)
            continue
        if not row.not_applicable and not row.pending:
            row.points = scores.leaves.get(node.code) or ZERO

    # -- summary table ------------------------------------------------------------------------
    summary: list[SummaryRow] = []
    survey_max = ZERO
    for node in nodes:
        if node.parent_id is not None:
            continue
        score = scores.node(node.code)
        pts, mx = score.points, score.max
        surveys = survey_of.get(node.pk, [])
        survey_here = sum((leaf.max or ZERO for leaf in surveys), ZERO)
        survey_max += survey_here
        eng = fw.get(node.code) if fw is not None else None
        if surveys and mx == 0 and pts == 0:
            # A domain assessed only through the survey (e.g. "Mức độ hài lòng…").
            summary.append(
                SummaryRow(
                    kind="domain",
                    stt=node.code,
                    title=node.title,
                    max=survey_here,
                    points_text=texts.SURVEY_TEXT,
                )
            )
            continue
        if eng is not None and eng.bonus:
            # Bonus points count in the total; their max does not (spec §3).
            summary.append(
                SummaryRow(
                    kind="bonus",
                    stt=node.code,
                    title=f"{node.title} (tối đa "
                    f"{vn_points(eng.total_max)} điểm, "
                    "không tính vào điểm tối đa)",
                    max=None,
                    points=pts,
                )
            )
            continue
        summary.append(
            SummaryRow(
                kind="domain",
                stt=node.code,
                title=node.title,
                max=mx,
                points=pts,
                percent=score.index,
            )
        )
        for leaf in surveys:
            summary.append(
                SummaryRow(
                    kind="survey",
                    stt="",
                    title=f"{leaf.code}. {leaf.title}",
                    max=leaf.max,
                    points_text=texts.SURVEY_TEXT,
                )
            )
    self_points, self_max = scores.points, scores.max
    summary.append(
        SummaryRow(
            kind="total",
            stt="",
            title="Tổng điểm tự đánh giá",
            max=self_max,
            points=self_points,
            percent=scores.index,
        )
    )
    if survey_max:
        summary.append(
            SummaryRow(
                kind="survey_total",
                stt="",
                title="Điểm các nội dung đánh giá qua điều tra xã hội học",
                max=survey_max,
                points_text=texts.SURVEY_TEXT,
            )
        )
    summary.append(
        SummaryRow(kind="grand", stt="", title="Tổng điểm tối đa của Bộ tiêu chí", max=None)
    )
    summary[-1].max = fw.max_total if fw is not None else a.framework.max_total

    organizer = texts.full_name(period.organizer.name)
    note = (
        "Ghi chú: Điểm tối đa ở từng lĩnh vực chỉ tính các tiêu chí thành phần do đơn vị tự "
        "đánh giá, chấm điểm (không tính tiêu chí thành phần không áp dụng đối với đơn vị và "
        "điểm thưởng); điểm thưởng được cộng vào tổng điểm tự đánh giá nhưng không cộng vào "
        "điểm tối đa; Tỷ lệ (%) = Điểm tự đánh giá / Điểm tối đa × 100. "
        f"Các nội dung đánh giá qua điều tra xã hội học (tổng {vn_points(survey_max)} "
        f"điểm) do {organizer} tổng hợp từ kết quả điều tra, không thuộc phần đơn vị tự chấm "
        "điểm nên không cộng vào tổng điểm tự đánh giá."
        if survey_max
        else "Ghi chú: Điểm tối đa chỉ tính các tiêu chí thành phần áp dụng đối với đơn vị "
        "(không tính điểm thưởng); Tỷ lệ (%) = Điểm tự đánh giá / Điểm tối đa × 100."
    )

    if scores.pending:
        note += " " + scoring.PENDING_NOTE
    province = ancestors[0].name if ancestors else ""
    if unit.kind in {Unit.Kind.DISTRICT, Unit.Kind.COMMUNE}:
        place = texts.place_name(unit.name)
    else:
        place = texts.place_name(province) if province else ""
    # A sent report keeps the day it was sent (reprinted later, it is still that report).
    sent = a.submitted_at is not None and a.status not in UNSENT
    today = timezone.localdate(a.submitted_at) if sent else timezone.localdate()
    prefix, title = _signer_title(unit.kind)
    header_parent = ""
    if unit.kind not in LOCAL_GOVERNMENT and unit.parent is not None:
        header_parent = texts.governing_line(unit.parent.name, unit.parent.kind)
    symbol = "UBND" if unit.kind in LOCAL_GOVERNMENT else unit.code
    difficulties = [p.strip() for p in a.difficulties.splitlines() if p.strip()]
    return ReportData(
        assessment_id=a.pk,
        unit_code=unit.code,
        unit_name=unit.name,
        year=period.year,
        header_parent=header_parent,
        header_unit=texts.own_name_lines(unit.name, unit.kind),
        number=f"Số:          /BC-{symbol}",
        place=place,
        date=today,
        date_text=texts.vn_long_date(today),
        title="BÁO CÁO",
        subtitle=(f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {period.year}"),
        addressee=organizer,
        intro=_intro(period.plan_reference, organizer, texts.full_name(unit.name), period.year),
        summary=summary,
        summary_note=note,
        detail_note=(
            "Điểm tự đánh giá của lĩnh vực, tiêu chí là tổng điểm các tiêu chí thành phần "
            "đơn vị tự chấm điểm (không gồm nội dung đánh giá qua điều tra xã hội học); "
            "điểm tối đa của lĩnh vực, tiêu chí là điểm tối đa theo Bộ tiêu chí."
        ),
        self_points=self_points,
        self_max=self_max,
        survey_max=survey_max,
        framework_max=summary[-1].max or ZERO,
        details=details,
        difficulties=difficulties or ["Không có."],
        closing=(
            f"Trên đây là báo cáo kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm {period.year} "
            f"của {texts.full_name(unit.name)}, kính đề nghị {organizer} xem xét, tổng hợp./."
        ),
        signer_prefix=prefix,
        signer_title=title,
        signer_name=leader.user.display_name if leader else "",
        recipients=["Như trên;", "Lưu: VT."],
        status_label=a.get_status_display(),
        filename_ascii=f"bao-cao-tu-danh-gia-{texts.ascii_slug(unit.code)}-{period.year}",
        filename_vi=f"Báo cáo tự đánh giá Chỉ số CCHC {period.year} - {unit.name}",
    )
