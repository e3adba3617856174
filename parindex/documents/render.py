"""The report to the chair of the People's Committee and the draft Quyết định công bố, in Word
and PDF, in the administrative layout of the appraisal's documents (``appraisal.documents``:
the national header, A4 with the margins of Nghị định 30/2020/NĐ-CP, Times New Roman in Word,
the bundled Liberation Serif in the PDF, no network). The per-block annexes of the report are
landscape (a column per domain). The renderers read nothing from the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from parindex.appraisal.documents import (
    CONTENT_TYPES,
    SUMMARY_HEADERS,
    Grid,
    _grid,
    _heading,
    _render_pdf,
    _save,
)
from parindex.documents import texts
from parindex.documents.selectors import BlockDoc, PeriodDocs
from parindex.reports.renderers.common import pct, points, score
from parindex.reports.renderers.docx import (
    BODY,
    _cell_text,
    _national_header,
    _para,
    _run,
    _setup,
    _signature,
    _widths,
)
from parindex.reports.renderers.pdf import font_urls

__all__ = ["CONTENT_TYPES", "DECISION", "REPORT"]

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
LANDSCAPE_WIDTH = 25.2  # 29,7 − 3 − 1,5 cm
DOMAIN_HEADERS = [
    "STT",
    "Lĩnh vực",
    "Điểm tối đa",
    "Chỉ số thành phần bình quân (%)",
    "Cao nhất (%)",
    "Thấp nhất (%)",
]
DECISION_HEADERS = ["STT", "Đơn vị", "Điểm đạt được", "Điểm tối đa", "Chỉ số CCHC (%)",
                    "Xếp hạng", "Xếp loại"]  # fmt: skip


# -- the tables (Word and PDF) --------------------------------------------------------------


def summary_grid(data: PeriodDocs) -> Grid:
    rows = []
    for i, b in enumerate(data.blocks, 1):
        s = b.results.summary
        rows.append([str(i), b.name, str(b.units), pct(s.get("mean_index")),
                     pct(s.get("min_index")), pct(s.get("max_index"))])  # fmt: skip
    return Grid(SUMMARY_HEADERS, rows, [1.2, 5.7, 2.1, 2.5, 2.5, 2.5], frozenset({0, 2, 3, 4, 5}))


def domains_grid(block: BlockDoc) -> Grid:
    rows = []
    for i, d in enumerate(block.domains, 1):
        if d.bonus:
            mean = (
                f"{points(d.mean_points)} điểm (điểm thưởng)" if d.mean_points is not None else ""
            )
            rows.append([str(i), f"{d.code}. {d.title}", points(d.max), mean, "", ""])
        else:
            rows.append([str(i), f"{d.code}. {d.title}", points(d.max), pct(d.mean_index),
                         pct(d.best), pct(d.worst)])  # fmt: skip
    return Grid(DOMAIN_HEADERS, rows, [1.0, 6.6, 1.9, 2.8, 2.1, 2.1], frozenset({0, 2, 3, 4, 5}))


def annex_grid(block: BlockDoc) -> Grid:
    """The ranking with every domain's component index (bonus domains: points)."""
    doms = block.results.domains
    headers = ["Xếp hạng", "Đơn vị", "Chỉ số CCHC (%)", "Xếp loại"]
    headers += [f"LV {d.code}" + (" (điểm thưởng)" if d.bonus else " (%)") for d in doms]
    rows = []
    for u in block.results.units:
        row = [str(u.rank), u.name, pct(u.index), u.band or "—"]
        for d, c in zip(doms, u.domains, strict=True):
            row.append((score(c.points) if d.bonus else pct(c.index)) or "—")
        rows.append(row)
    rest = LANDSCAPE_WIDTH - 1.6 - 2.4 - 2.2
    unit_w = max(6.0, rest - 1.7 * len(doms))
    each = (rest - unit_w) / len(doms) if doms else 0
    widths = [1.6, unit_w, 2.4, 2.2] + [each] * len(doms)
    centered = frozenset(i for i in range(len(headers)) if i != 1)
    return Grid(headers, rows, widths, centered, frozenset({2}), small=True)


def domain_legend(block: BlockDoc) -> str:
    parts = [f"LV {d.code} – {d.title}" for d in block.results.domains]
    return "Ghi chú: " + "; ".join(parts) + "."


def decision_grid(block: BlockDoc) -> Grid:
    rows = [
        [str(i), u.name, score(u.points), points(u.max), pct(u.index), str(u.rank), u.band or "—"]
        for i, u in enumerate(block.results.units, 1)
    ]
    widths = [1.1, 5.6, 2.0, 1.8, 2.1, 1.7, 2.2]
    return Grid(DECISION_HEADERS, rows, widths, frozenset({0, 2, 3, 4, 5, 6}), frozenset({4}))


# -- the texts ------------------------------------------------------------------------------


def annex_note(data: PeriodDocs) -> str:
    if len(data.blocks) > 1:
        return "Chi tiết xếp hạng của từng khối tại các Phụ lục kèm theo."
    return "Chi tiết xếp hạng tại Phụ lục kèm theo."


def report_title(data: PeriodDocs) -> str:
    return f"Kết quả xác định Chỉ số cải cách hành chính năm {data.year}"


def report_intro(data: PeriodDocs) -> str:
    basis = f"Thực hiện {data.plan}, " if data.plan else ""
    return (
        f"{basis}{data.organizer_name} báo cáo kết quả xác định Chỉ số cải cách hành chính "
        f"(CCHC) năm {data.year} của các cơ quan, đơn vị như sau:"
    )


def report_process(data: PeriodDocs) -> str:
    council = data.council_name or "Hội đồng thẩm định Chỉ số CCHC"
    if data.council_decision:
        council += f" (thành lập theo {data.council_decision})"
    return (
        "Các cơ quan, đơn vị tự đánh giá, chấm điểm trên phần mềm kèm tài liệu kiểm chứng; "
        f"{council} thẩm định hai lần, các đơn vị giải trình, bổ sung theo yêu cầu; điểm điều tra "
        "xã hội học được tổng hợp vào các tiêu chí tương ứng. Chỉ số CCHC của mỗi đơn vị bằng "
        "tổng điểm đạt được chia cho tổng điểm tối đa của các tiêu chí áp dụng, nhân 100."
    )


def report_proposal(data: PeriodDocs) -> list[str]:
    return [
        f"{data.organizer_name} kính đề nghị {data.chair_title} xem xét, ban hành Quyết định "
        f"công bố Chỉ số cải cách hành chính năm {data.year} của các cơ quan, đơn vị (dự thảo "
        "Quyết định kèm theo).",
        "Chỉ đạo các cơ quan, đơn vị căn cứ kết quả Chỉ số CCHC, rà soát những tiêu chí, tiêu "
        "chí thành phần bị mất điểm, xây dựng kế hoạch khắc phục hạn chế, nâng cao hiệu quả "
        f"công tác cải cách hành chính năm {data.year + 1}.",
    ]


def report_closing(data: PeriodDocs) -> str:
    return (
        f"Trên đây là báo cáo kết quả xác định Chỉ số cải cách hành chính năm {data.year}, "
        f"{data.organizer_name} kính báo cáo {data.chair_title} xem xét, chỉ đạo./."
    )


def annex_titles(data: PeriodDocs, i: int, block: BlockDoc, *, of: str) -> list[str]:
    return [
        f"PHỤ LỤC {roman(i)}" if len(data.blocks) > 1 else "PHỤ LỤC",
        f"KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {data.year} — {block.name.upper()}",
        f"(Kèm theo {of})",
    ]


def roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def report_of(data: PeriodDocs) -> str:
    return f"Báo cáo của {data.organizer_name} về kết quả xác định Chỉ số CCHC năm {data.year}"


BLANK = "\u00a0" * 8  # room to write the number and the day by hand (kept in HTML too)


def decision_of(data: PeriodDocs) -> str:
    return (
        f"Quyết định số{BLANK}/QĐ-UBND ngày{BLANK}/{BLANK}/{data.date.year} của {data.chair_title}"
    )


def decision_subject(data: PeriodDocs) -> str:
    blocks = texts.names([texts.block_label(b) for b in data.blocks]) or "các cơ quan, đơn vị"
    return f"Về việc công bố Chỉ số cải cách hành chính năm {data.year} của {blocks}"


def decision_bases(data: PeriodDocs) -> list[str]:
    out = ["Căn cứ Luật Tổ chức chính quyền địa phương;"]
    if data.plan:
        out.append(f"Căn cứ {data.plan};")
    council = data.council_name or "Hội đồng thẩm định Chỉ số cải cách hành chính"
    if data.council_decision:
        out.append(f"Căn cứ {data.council_decision} về việc thành lập {council};")
    approved = (
        f" đã được Chủ tịch Hội đồng phê duyệt ngày {data.approved_on:%d/%m/%Y}"
        if data.approved_on
        else ""
    )
    out.append(f"Căn cứ kết quả thẩm định của {council}{approved};")
    out.append(f"Theo đề nghị của {head_of(data)}.")
    return out


def head_of(data: PeriodDocs) -> str:
    """'Giám đốc Sở Nội vụ'; 'Trưởng phòng Nội vụ huyện Yên Dũng' (not 'Trưởng phòng Phòng')."""
    title = data.signer_title.capitalize()
    name = data.organizer_name
    if title == "Trưởng phòng" and name.lower().startswith("phòng "):
        return f"{title} {name[len('phòng ') :]}"
    return f"{title} {name}"


def decision_articles(data: PeriodDocs) -> list[tuple[str, str]]:
    blocks = texts.names([texts.block_label(b) for b in data.blocks]) or "các cơ quan, đơn vị"
    annexes = "các Phụ lục" if len(data.blocks) > 1 else "Phụ lục"
    return [
        (
            "Điều 1.",
            f"Công bố Chỉ số cải cách hành chính năm {data.year} của {blocks} "
            f"(chi tiết tại {annexes} kèm theo Quyết định này).",
        ),
        (
            "Điều 2.",
            "Căn cứ kết quả Chỉ số cải cách hành chính được công bố tại Điều 1, các cơ quan, đơn "
            "vị tổ chức quán triệt, rà soát những tiêu chí, tiêu chí thành phần bị mất điểm, xây "
            "dựng kế hoạch khắc phục tồn tại, hạn chế; giao "
            f"{data.organizer_name} theo dõi, đôn đốc, kiểm tra việc thực hiện.",
        ),
        (
            "Điều 3.",
            f"Quyết định này có hiệu lực kể từ ngày ký. {head_of(data)}, Thủ trưởng các cơ quan, đơn vị có tên tại Điều 1 và các "
            "cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
        ),
    ]


def decision_recipients(data: PeriodDocs) -> list[str]:
    return ["Như Điều 3;", f"{data.organizer_name};", "Lưu: VT."]


def decision_place_date(data: PeriodDocs) -> str:
    where = f"{data.place}, " if data.place else ""
    return f"{where}ngày{BLANK}tháng{BLANK}năm {data.date.year}"


def file_names(data: PeriodDocs, kind: str) -> tuple[str, str]:
    period = data.period
    pk = period.pk if period else 0
    if kind == "decision":
        return (f"du-thao-quyet-dinh-cong-bo-chi-so-cchc-{data.year}-{pk}",
                f"Dự thảo Quyết định công bố Chỉ số CCHC năm {data.year}")  # fmt: skip
    if kind == "workbook":
        return (f"so-lieu-chi-so-cchc-{data.year}-{pk}",
                f"Số liệu Chỉ số CCHC năm {data.year}")  # fmt: skip
    return (f"bao-cao-ket-qua-chi-so-cchc-{data.year}-{pk}",
            f"Báo cáo kết quả xác định Chỉ số CCHC năm {data.year}")  # fmt: skip


# -- Word -----------------------------------------------------------------------------------


def _landscape(doc: Any) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)


def _block_sentences(doc: Any, lines: list[str]) -> None:
    for line in lines:
        if line:
            _para(doc, f"- {line}", align=JUSTIFY, indent=True)


def report_docx(data: PeriodDocs) -> bytes:
    doc = Document()
    _setup(doc)
    _national_header(doc, data)  # type: ignore[arg-type]
    _para(doc, "BÁO CÁO", bold=True, align=CENTER, before=18, after=0)
    _para(doc, report_title(data), bold=True, align=CENTER, after=12)
    _para(doc, f"Kính gửi: {data.chair_title}.", align=CENTER, after=12)
    _para(doc, report_intro(data), align=JUSTIFY, indent=True)

    _heading(doc, "I. KHÁI QUÁT CHUNG")
    _para(doc, texts.units_line(data), align=JUSTIFY, indent=True)
    _para(doc, report_process(data), align=JUSTIFY, indent=True)
    _para(doc, texts.status_line(data), italic=True, align=JUSTIFY, indent=True)

    _heading(doc, f"II. KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {data.year}")
    _heading(doc, "1. Kết quả chung")
    if data.blocks:
        _grid(doc, summary_grid(data))
        _para(doc, "", after=0)
        for b in data.blocks:
            _block_sentences(doc, [texts.summary_line(b), texts.bands_line(b)])
        _para(doc, annex_note(data), size=Pt(12), italic=True, indent=True)
    else:
        _para(doc, "Chưa có đơn vị nào có kết quả.", indent=True)
    _heading(doc, "2. Chỉ số thành phần theo lĩnh vực")
    for i, b in enumerate(data.blocks, 1):
        _para(doc, f"2.{i}. {b.name}", italic=True, bold=True, keep_next=True)
        _grid(doc, domains_grid(b))
        _para(doc, "", after=0)

    _heading(doc, "III. ĐÁNH GIÁ CHUNG")
    _heading(doc, "1. Ưu điểm")
    for b in data.blocks:
        _block_sentences(doc, texts.strengths(b))
    _heading(doc, "2. Tồn tại, hạn chế")
    for b in data.blocks:
        _block_sentences(doc, texts.weaknesses(b))

    _heading(doc, "IV. ĐỀ XUẤT, KIẾN NGHỊ")
    for line in report_proposal(data):
        _para(doc, line, align=JUSTIFY, indent=True)
    _para(doc, report_closing(data), align=JUSTIFY, indent=True, after=12)
    _signature(doc, data)  # type: ignore[arg-type]

    for i, block in enumerate(data.blocks, 1):
        _landscape(doc)
        number, title, note = annex_titles(data, i, block, of=report_of(data))
        _para(doc, number, bold=True, align=CENTER, after=0)
        _para(doc, title, bold=True, align=CENTER, after=0)
        _para(doc, note, italic=True, align=CENTER, after=12)
        _grid(doc, annex_grid(block))
        _para(doc, domain_legend(block), size=Pt(11), italic=True, before=4)
    return _save(doc)


def _draft_mark(doc: Any) -> None:
    table = doc.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    _cell_text(table.rows[0].cells[0], "DỰ THẢO", size=Pt(13), bold=True, align=CENTER)
    _widths(table, [3.0])
    _para(doc, "", after=0)


class _DecisionHead:
    """The decision's letterhead: the People's Committee issues it, number and date blank."""

    def __init__(self, data: PeriodDocs) -> None:
        self.header_parent = data.government_parent
        self.header_unit = data.government_lines
        self.number = "Số:          /QĐ-UBND"
        self.place_date = decision_place_date(data)
        self.recipients = decision_recipients(data)
        self.signer_prefix = ""
        self.signer_title = "CHỦ TỊCH"
        self.signer_name = ""


def decision_docx(data: PeriodDocs) -> bytes:
    doc = Document()
    _setup(doc)
    _draft_mark(doc)
    head = _DecisionHead(data)
    _national_header(doc, head)  # type: ignore[arg-type]
    _para(doc, "QUYẾT ĐỊNH", bold=True, align=CENTER, before=18, after=0)
    _para(doc, decision_subject(data), bold=True, align=CENTER, after=12)
    _para(doc, data.chair_title.upper(), bold=True, align=CENTER, after=12)
    for line in decision_bases(data):
        _para(doc, line, italic=True, align=JUSTIFY, indent=True)
    _para(doc, "QUYẾT ĐỊNH:", bold=True, align=CENTER, before=6, after=6)
    for label, text in decision_articles(data):
        p = _para(doc, align=JUSTIFY, indent=True)
        _run(p, f"{label} ", size=BODY, bold=True)
        _run(p, text, size=BODY)
    _para(doc, "", after=0)
    _signature(doc, head)  # type: ignore[arg-type]
    for i, block in enumerate(data.blocks, 1):
        doc.add_section(WD_SECTION.NEW_PAGE)
        number, title, note = annex_titles(data, i, block, of=decision_of(data))
        _para(doc, number, bold=True, align=CENTER, after=0)
        _para(doc, title, bold=True, align=CENTER, after=0)
        _para(doc, note, italic=True, align=CENTER, after=12)
        _grid(doc, decision_grid(block))
    return _save(doc)


# -- PDF ------------------------------------------------------------------------------------


def report_html(data: PeriodDocs) -> str:
    return render_to_string(
        "documents/report.html",
        {
            "fonts": font_urls(),
            "data": data,
            "title": report_title(data),
            "intro": report_intro(data),
            "units_line": texts.units_line(data),
            "process": report_process(data),
            "status_line": texts.status_line(data),
            "annex_note": annex_note(data),
            "summary": summary_grid(data).html(),
            "blocks": [
                {
                    "name": b.name,
                    "lines": [x for x in (texts.summary_line(b), texts.bands_line(b)) if x],
                    "domains": domains_grid(b).html(),
                    "strengths": texts.strengths(b),
                    "weaknesses": texts.weaknesses(b),
                }
                for b in data.blocks
            ],
            "proposal": report_proposal(data),
            "closing": report_closing(data),
            "annexes": [
                {
                    "titles": annex_titles(data, i, b, of=report_of(data)),
                    "table": annex_grid(b).html(),
                    "legend": domain_legend(b),
                }
                for i, b in enumerate(data.blocks, 1)
            ],
        },
    )


def decision_html(data: PeriodDocs) -> str:
    head = _DecisionHead(data)
    return render_to_string(
        "documents/decision.html",
        {
            "fonts": font_urls(),
            "data": head,
            "docs": data,
            "subject": decision_subject(data),
            "issuer": data.chair_title.upper(),
            "bases": decision_bases(data),
            "articles": decision_articles(data),
            "annexes": [
                {
                    "titles": annex_titles(data, i, b, of=decision_of(data)),
                    "table": decision_grid(b).html(),
                }
                for i, b in enumerate(data.blocks, 1)
            ],
        },
    )


def report_pdf(data: PeriodDocs) -> bytes:
    return _render_pdf(report_html(data))


def decision_pdf(data: PeriodDocs) -> bytes:
    return _render_pdf(decision_html(data))


REPORT: dict[str, Callable[[PeriodDocs], bytes]] = {"docx": report_docx, "pdf": report_pdf}
DECISION: dict[str, Callable[[PeriodDocs], bytes]] = {"docx": decision_docx, "pdf": decision_pdf}
