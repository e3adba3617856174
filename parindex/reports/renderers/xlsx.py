"""The report's tables as an Excel workbook: "Tổng hợp" and "Chi tiết". Points and
percentages are real numbers (rounded half up to 2 decimals, shown with number format 0.00)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parindex.assessments.scoring import PENDING_TEXT
from parindex.common.numbers import round2
from parindex.engine.fmt import xlsx_text_cells
from parindex.reports.renderers import common
from parindex.reports.selectors import ReportData

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E7E6E6")
DOMAIN_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(name="Times New Roman", bold=True, size=12)
NORMAL = Font(name="Times New Roman", size=12)
ITALIC = Font(name="Times New Roman", italic=True, size=12)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
NUMBER = "0.00"


def _num(value: Decimal | None) -> Decimal | None:
    return None if value is None else round2(value)


def _raw_number(text: str) -> Decimal | str | None:
    """A declared value as a number when it is one ('412' -> 412), else the text."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except ArithmeticError:
        return text


def _title(ws: Worksheet, data: ReportData, subtitle: str, width: int) -> int:
    ws.cell(row=1, column=1, value=f"{data.unit_name} — {data.subtitle}").font = Font(
        name="Times New Roman", bold=True, size=13
    )
    ws.cell(row=2, column=1, value=subtitle).font = ITALIC
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    return 4  # the header row


def _header(ws: Worksheet, row: int, headers: list[str], widths: list[float]) -> None:
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = CENTER
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=3)
    ws.print_title_rows = f"{row}:{row}"


def _summary(ws: Worksheet, data: ReportData) -> None:
    headers = [*common.SUMMARY_HEADERS, "Ghi chú"]
    top = _title(ws, data, f"Bảng tổng hợp — {data.place_date}", len(headers))
    _header(ws, top, headers, [7, 60, 13, 16, 12, 28])
    r = top
    for row in data.summary:
        r += 1
        values = [
            row.stt,
            row.title,
            _num(row.max),
            _num(row.points),
            _num(row.percent),
            row.points_text,
        ]
        strong = row.kind in {"domain", "total", "grand"}
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.border = BORDER
            cell.font = BOLD if strong else (ITALIC if row.kind.startswith("survey") else NORMAL)
            cell.alignment = CENTER if col in (1, 3, 4, 5) else WRAP
            if col in (3, 4, 5):
                cell.number_format = NUMBER
    note = ws.cell(row=r + 2, column=1, value=data.summary_note)
    note.font = ITALIC
    note.alignment = WRAP
    ws.merge_cells(start_row=r + 2, start_column=1, end_row=r + 2, end_column=len(headers))
    ws.row_dimensions[r + 2].height = 75


def _detail(ws: Worksheet, data: ReportData) -> None:
    headers = [
        "Mã",
        "Tiêu chí, tiêu chí thành phần",
        "Điểm tối đa",
        "Số liệu, kết quả đạt được",
        "Giá trị kê khai",
        "Mẫu số",
        "Điểm tự đánh giá",
        "Tài liệu kiểm chứng",
        "Giải trình",
    ]
    top = _title(ws, data, "Chi tiết từng tiêu chí, tiêu chí thành phần", len(headers))
    _header(ws, top, headers, [8, 55, 11, 30, 13, 11, 13, 40, 45])
    r = top
    for row in data.details:
        r += 1
        leaf = row.is_leaf
        points: Any = None if leaf and (row.survey or row.not_applicable) else _num(row.points)
        if leaf and row.pending:
            points = PENDING_TEXT
        values = [
            row.code,
            row.title + (" (điểm thưởng)" if row.bonus and leaf else ""),
            _num(row.max),
            row.value_text if leaf else None,
            _raw_number(row.value) if leaf and not row.survey else None,
            _raw_number(row.value2) if leaf and row.rule_type == "ratio" else None,
            points,
            "\n".join(item.text for item in row.evidence) or None,
            row.explanation or None,
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.border = BORDER
            cell.font = NORMAL if leaf else BOLD
            cell.alignment = CENTER if col in (1, 3, 5, 6, 7) else WRAP
            if col in (3, 7):
                cell.number_format = NUMBER
            if row.depth == 0 and not leaf:
                cell.fill = DOMAIN_FILL
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{r}"


def render_xlsx(data: ReportData) -> bytes:
    wb = Workbook()
    summary = wb.active
    summary.title = "Tổng hợp"
    _summary(summary, data)
    _detail(wb.create_sheet("Chi tiết"), data)
    for ws in wb.worksheets:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.creator = "parindex"
    xlsx_text_cells(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
