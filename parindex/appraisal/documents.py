"""The appraisal's documents in Word and PDF, laid out as the self-assessment report is
(``parindex/reports``): the national header, A4 with the margins of Nghị định 30/2020/NĐ-CP,
Times New Roman in Word, the bundled Liberation Serif in the PDF (WeasyPrint, no network).

- Biên bản thẩm định (one unit): ``MINUTES[fmt](MinutesData)``;
- Báo cáo kết quả thẩm định (the period): ``REPORT[fmt](ResultsReportData)``.

The renderers read nothing from the database; numbers are the selectors' (the scoring bridge,
the results document or the approved snapshot), written with the decimal comma.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt
from weasyprint import HTML

from parindex.appraisal.selectors.consolidation import (
    MinutesData,
    ReportBlock,
    ResultsReportData,
)
from parindex.reports.renderers.common import pct, points, score
from parindex.reports.renderers.docx import (
    BODY,
    TABLE,
    _cell_text,
    _national_header,
    _no_borders,
    _no_split,
    _para,
    _repeat_header,
    _run,
    _setup,
    _shade,
    _signature,
    _widths,
)
from parindex.reports.renderers.pdf import FONTS_DIR, BundledFontsOnly, font_urls

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
SMALL = Pt(11)
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

MEMBER_HEADERS = ["STT", "Họ và tên", "Chức vụ, cơ quan", "Vai trò"]
TOTAL_HEADERS = ["Nội dung", "Điểm", "Điểm tối đa", "Chỉ số (%)"]
LEAF_HEADERS = [
    "Mã",
    "Tiêu chí thành phần",
    "Tự chấm",
    "Lần 1",
    "Lần 2",
    "Kết quả",
    "Lý do điều chỉnh",
    "Người thẩm định",
]
REQUEST_HEADERS = ["Mã", "Nội dung yêu cầu giải trình, bổ sung", "Giải trình của đơn vị",
                   "Kết luận thẩm định lần 2"]  # fmt: skip
SUMMARY_HEADERS = [
    "STT",
    "Khối",
    "Số đơn vị",
    "Chỉ số bình quân (%)",
    "Chỉ số thấp nhất (%)",
    "Chỉ số cao nhất (%)",
]
ANNEX_NOTE = "Chi tiết xếp hạng của từng khối tại Phụ lục kèm theo."
RANK_HEADERS = ["Xếp hạng", "Đơn vị", "Điểm đạt được", "Điểm tối đa", "Chỉ số (%)", "Xếp loại"]


def signed(value: Decimal | None) -> str:
    """A difference with its sign: +0,25 / −0,40 / 0,00."""
    if value is None:
        return ""
    text = score(value)
    return f"+{text}" if value > 0 else text


# -- the tables, shared by Word and PDF -----------------------------------------------------


@dataclass
class Grid:
    """One table: headers, rows (a cell's lines split by "\\n"), column widths in cm (the
    text width is 16,5 cm; the PDF takes them as percentages), centred and bold columns."""

    headers: Sequence[str]
    rows: list[list[str]]
    widths: list[float]
    centered: frozenset[int] = frozenset()
    bold: frozenset[int] = frozenset()
    small: bool = False

    @property
    def percents(self) -> list[str]:
        total = sum(self.widths)
        return [f"{w * 100 / total:.2f}" for w in self.widths]

    def html(self) -> dict[str, Any]:
        return {
            "headers": self.headers,
            "rows": self.rows,
            "widths": self.percents,
            "centered": self.centered,
            "bold": self.bold,
            "small": self.small,
        }


def members_grid(data: MinutesData) -> Grid:
    rows = [
        [str(i), m.name, ", ".join(x for x in (m.title, m.unit) if x), m.position]
        for i, m in enumerate(data.members, 1)
    ]
    return Grid(MEMBER_HEADERS, rows, [1.2, 5.0, 6.8, 3.5], frozenset({0}))


def totals_grid(data: MinutesData) -> Grid:
    final = "Sau thẩm định" + (" (bản đã phê duyệt)" if data.frozen else "")
    rows = [
        ["Tự đánh giá", score(data.self_points), points(data.self_max), pct(data.self_index)],
        [final, score(data.final_points), points(data.final_max), pct(data.final_index)],
    ]
    return Grid(TOTAL_HEADERS, rows, [7.5, 3.0, 3.0, 3.0], frozenset({1, 2, 3}), frozenset({1}))


def leaves_grid(data: MinutesData) -> Grid:
    def shown(value: Decimal | None, on: bool = True) -> str:
        return score(value) if on and value is not None else "—"

    rows = [
        [
            leaf.code,
            leaf.title,
            shown(leaf.self_points),
            shown(leaf.round1, data.round1_shown),
            shown(leaf.round2, data.round2_shown),
            shown(leaf.final),
            "\n".join(leaf.reasons) or "—",
            ", ".join(leaf.appraisers) or "—",
        ]
        for leaf in data.leaves
    ]
    widths = [1.2, 3.7, 1.3, 1.3, 1.3, 1.4, 3.9, 2.4]
    return Grid(LEAF_HEADERS, rows, widths, frozenset({0, 2, 3, 4, 5}), frozenset({5}), True)


def requests_grid(data: MinutesData) -> Grid:
    rows = []
    for r in data.requests:
        asked = r.request + (f"\n({r.appraiser})" if r.appraiser else "")
        answer = r.answer + (f"\nSố liệu bổ sung: {r.answer_values}" if r.answer_values else "")
        rows.append([r.code, f"{r.title}\n{asked}", answer, r.conclusion])
    return Grid(REQUEST_HEADERS, rows, [1.2, 5.6, 5.5, 4.2], frozenset({0}), small=True)


def summary_grid(data: ResultsReportData) -> Grid:
    rows = [
        [str(i), b.name, str(b.units), pct(b.mean_index), pct(b.min_index), pct(b.max_index)]
        for i, b in enumerate(data.blocks, 1)
    ]
    return Grid(SUMMARY_HEADERS, rows, [1.2, 5.7, 2.1, 2.5, 2.5, 2.5], frozenset({0, 2, 3, 4, 5}))


def ranking_grid(block: ReportBlock) -> Grid:
    rows = [
        [str(r.rank), r.name, score(r.points), points(r.max), pct(r.index), r.band or "—"]
        for r in block.ranking
    ]
    widths = [1.8, 6.0, 2.3, 2.0, 2.0, 2.4]
    return Grid(RANK_HEADERS, rows, widths, frozenset({0, 2, 3, 4, 5}), frozenset({2}))


# -- Word -----------------------------------------------------------------------------------


def _grid(doc: Any, grid: Grid) -> None:
    size = SMALL if grid.small else TABLE
    table = doc.add_table(rows=1, cols=len(grid.widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    _repeat_header(head)
    for cell, text in zip(head.cells, grid.headers, strict=True):
        _cell_text(cell, text, size=size, bold=True, align=CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _shade(cell, "E7E6E6")
    for values in grid.rows:
        r = table.add_row()
        _no_split(r)
        for i, (cell, text) in enumerate(zip(r.cells, values, strict=True)):
            lines = text.split("\n")
            align = CENTER if i in grid.centered else None
            bold = i in grid.bold
            _cell_text(cell, lines[0], size=size, bold=bold, align=align)
            for line in lines[1:]:
                p = cell.add_paragraph()
                p.paragraph_format.space_before = Pt(1)
                p.paragraph_format.space_after = Pt(1)
                p.paragraph_format.line_spacing = 1.0
                if align is not None:
                    p.alignment = align
                _run(p, line, size=size, bold=bold)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    _widths(table, grid.widths)


def _heading(doc: Any, text: str) -> None:
    _para(doc, text, bold=True, before=6, keep_next=True)


def _two_signers(doc: Any, signers: Sequence[tuple[str, str]]) -> None:
    table = doc.add_table(rows=1, cols=len(signers))
    _no_borders(table)
    for cell, (title, name) in zip(table.rows[0].cells, signers, strict=True):
        _cell_text(cell, title, size=BODY, bold=True, align=CENTER)
        for _ in range(4):  # room for the signature
            cell.add_paragraph().paragraph_format.space_after = Pt(0)
        p = cell.add_paragraph()
        p.alignment = CENTER
        _run(p, name, size=BODY, bold=True)
    _widths(table, [8.25, 8.25])


def _save(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _council_line(data: MinutesData) -> str:
    text = data.council_name
    if data.council_decision:
        text += f", thành lập theo {data.council_decision}"
    return text + (", gồm các thành viên:" if data.members else ".")


def _difference_line(data: MinutesData) -> str:
    text = f"Chênh lệch (sau thẩm định − tự đánh giá): {signed(data.difference)} điểm"
    return text + (f"; xếp loại: {data.band}." if data.band else ".")


def minutes_docx(data: MinutesData) -> bytes:
    doc = Document()
    _setup(doc)
    _national_header(doc, data)  # type: ignore[arg-type]
    _para(doc, data.title, bold=True, align=CENTER, before=18, after=0)
    _para(doc, data.subtitle, bold=True, align=CENTER, after=12)
    _para(doc, data.intro, align=JUSTIFY, indent=True)

    _heading(doc, "I. THÀNH PHẦN HỘI ĐỒNG THẨM ĐỊNH")
    _para(doc, _council_line(data), align=JUSTIFY, indent=True, keep_next=True)
    if data.members:
        _grid(doc, members_grid(data))
    else:
        _para(doc, "Chưa có thành viên Hội đồng.", italic=True, indent=True)

    _heading(doc, "II. ĐƠN VỊ ĐƯỢC THẨM ĐỊNH")
    _para(doc, f"{data.unit_name} (tình trạng: {data.status_label}).", align=JUSTIFY, indent=True)

    _heading(doc, "III. KẾT QUẢ THẨM ĐỊNH")
    _grid(doc, totals_grid(data))
    _para(doc, _difference_line(data), align=JUSTIFY, indent=True, before=4)

    _heading(doc, "IV. CÁC TIÊU CHÍ THÀNH PHẦN ĐƯỢC ĐIỀU CHỈNH ĐIỂM")
    if data.leaves:
        _grid(doc, leaves_grid(data))
    else:
        _para(doc, "Không có tiêu chí thành phần nào được điều chỉnh điểm.", indent=True)

    _heading(doc, "V. YÊU CẦU GIẢI TRÌNH, BỔ SUNG VÀ Ý KIẾN CỦA ĐƠN VỊ")
    if data.requests:
        _grid(doc, requests_grid(data))
    else:
        _para(doc, "Hội đồng không yêu cầu giải trình, bổ sung.", indent=True)

    _heading(doc, "VI. KẾT LUẬN")
    _para(doc, data.conclusion, align=JUSTIFY, indent=True, after=12)
    _two_signers(
        doc, [("THƯ KÝ HỘI ĐỒNG", data.secretary_name), ("CHỦ TỊCH HỘI ĐỒNG", data.chair_name)]
    )
    return _save(doc)


def _annex_titles(data: ResultsReportData, i: int, block: ReportBlock) -> list[str]:
    return [
        f"PHỤ LỤC {i}",
        f"KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH — {block.name.upper()}",
        f"(Kèm theo Báo cáo kết quả thẩm định năm {data.year}; {block.framework_title})",
    ]


def report_docx(data: ResultsReportData) -> bytes:
    doc = Document()
    _setup(doc)
    _national_header(doc, data)  # type: ignore[arg-type]
    _para(doc, data.title, bold=True, align=CENTER, before=18, after=0)
    _para(doc, data.subtitle, bold=True, align=CENTER, after=12)
    _para(doc, f"Kính gửi: {data.addressee}", align=CENTER, after=12)
    _para(doc, data.intro, align=JUSTIFY, indent=True)
    _para(doc, data.status_text, italic=True, align=JUSTIFY, indent=True)

    _heading(doc, "I. TỔNG HỢP KẾT QUẢ THEO KHỐI")
    if data.blocks:
        _grid(doc, summary_grid(data))
        _para(doc, ANNEX_NOTE, size=Pt(12), italic=True, indent=True, before=4)
    else:
        _para(doc, "Chưa có đơn vị nào được thẩm định.", indent=True)
    _heading(doc, "II. KIẾN NGHỊ")
    _para(doc, data.closing, align=JUSTIFY, indent=True, after=12)
    _signature(doc, data)  # type: ignore[arg-type]

    for i, block in enumerate(data.blocks, 1):
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        number, title, note = _annex_titles(data, i, block)
        _para(doc, number, bold=True, align=CENTER, after=0)
        _para(doc, title, bold=True, align=CENTER, after=0)
        _para(doc, note, italic=True, align=CENTER, after=12)
        _grid(doc, ranking_grid(block))
    return _save(doc)


# -- PDF ------------------------------------------------------------------------------------


def minutes_html(data: MinutesData) -> str:
    return render_to_string(
        "appraisal/documents/minutes.html",
        {
            "fonts": font_urls(),
            "data": data,
            "council_line": _council_line(data),
            "difference_line": _difference_line(data),
            "tables": {
                "members": members_grid(data).html(),
                "totals": totals_grid(data).html(),
                "leaves": leaves_grid(data).html(),
                "requests": requests_grid(data).html(),
            },
        },
    )


def report_html(data: ResultsReportData) -> str:
    return render_to_string(
        "appraisal/documents/report.html",
        {
            "fonts": font_urls(),
            "data": data,
            "annex_note": ANNEX_NOTE,
            "tables": {"summary": summary_grid(data).html()},
            "annexes": [
                {"titles": _annex_titles(data, i, b), "table": ranking_grid(b).html()}
                for i, b in enumerate(data.blocks, 1)
            ],
        },
    )


def _render_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=BundledFontsOnly())
    pdf = document.write_pdf()  # bytes, since no target is given
    assert pdf is not None  # noqa: S101 - narrows the type for mypy: an invariant, not a check
    return pdf


def minutes_pdf(data: MinutesData) -> bytes:
    return _render_pdf(minutes_html(data))


def report_pdf(data: ResultsReportData) -> bytes:
    return _render_pdf(report_html(data))


MINUTES: dict[str, Callable[[MinutesData], bytes]] = {"docx": minutes_docx, "pdf": minutes_pdf}
REPORT: dict[str, Callable[[ResultsReportData], bytes]] = {"docx": report_docx, "pdf": report_pdf}
