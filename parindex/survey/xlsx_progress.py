"""The organizer's progress table as XLSX ("Chi tiết tiến độ khảo sát"): one row per unit ×
group, the unit's total after its groups, the totals per group at the end. Counts only.
Every text cell is written as text (``xlsx_text_cells``): a unit name starting with = + - @
stays what was typed, never a formula."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from parindex.engine.fmt import xlsx_text_cells
from parindex.survey.models import Survey
from parindex.survey.selectors.progress import Counts, Progress

HEADERS = [
    "STT",
    "Mã đơn vị",
    "Đơn vị được đánh giá",
    "Nhóm đối tượng",
    "Đã mời",
    "Đã trả lời",
    "Trong đó chờ xem xét",
    "Chỉ tiêu",
    "Tỷ lệ (%)",
    "Ghi chú",
]
WIDTHS = [6, 12, 40, 40, 10, 11, 12, 10, 10, 40]
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


def _pct(c: Counts) -> float | None:
    value: Decimal | None = c.percent
    return float(value) if value is not None else None


def _figures(c: Counts) -> list[object]:
    return [c.invited, c.answered, c.flagged, c.target, _pct(c)]


def build_progress_xlsx(survey: Survey, progress: Progress) -> bytes:
    wb = Workbook()
    ws = wb.create_sheet("Tiến độ khảo sát", 0)
    del wb[wb.sheetnames[1]]
    ws.title = "Tiến độ khảo sát"
    ws.append([f"CHI TIẾT TIẾN ĐỘ KHẢO SÁT — {survey}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(
        [
            "Đã trả lời: phiếu hợp lệ và phiếu chờ xem xét, mọi kênh; phiếu bị loại không "
            "tính. Chỉ tiêu của nhóm khảo sát toàn bộ = số người đã mời."
        ]
    )
    ws.append([])
    ws.append(HEADERS)
    head = ws.max_row
    for cell in ws[head]:
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    n = 0
    for u in progress.units:
        note = f"Đã hủy kết quả: {u.void.reason}" if u.void else ""
        for row in u.rows:
            n += 1
            ws.append(
                [
                    n,
                    u.unit.code,
                    u.unit.name,
                    row.group_title + (" (khảo sát toàn bộ)" if row.census else ""),
                    *_figures(row),
                    note,
                ]
            )
        ws.append(["", u.unit.code, u.unit.name, "Cộng đơn vị", *_figures(u.total), note])
        for cell in ws[ws.max_row]:
            cell.font = BOLD
            cell.fill = TOTAL_FILL
    ws.append([])
    for g in progress.groups:
        ws.append(["", "", "Cộng theo nhóm", g.group_title, *_figures(g), ""])
        for cell in ws[ws.max_row]:
            cell.font = BOLD
    ws.append(["", "", "TỔNG CỘNG", "", *_figures(progress.total), "Không gồm đơn vị đã hủy"])
    for cell in ws[ws.max_row]:
        cell.font = BOLD
        cell.fill = TOTAL_FILL
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row_cells in ws.iter_rows(min_row=head + 1, min_col=9, max_col=9):
        for cell in row_cells:
            cell.number_format = "0.0"
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    xlsx_text_cells(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
