"""The ranking of a period as an Excel workbook: one sheet per block (rank, unit, band,
points, max, index, every domain's component index, the self-assessed index, the survey
points), numbers as numbers (2 decimals, as published), every text cell written as text —
a unit's name or a title starting with ``=``, ``+``, ``-`` or ``@`` never becomes a formula
(``engine.fmt.xlsx_text_cells``)."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from parindex.common.numbers import round2
from parindex.engine.fmt import xlsx_text_cells
from parindex.results.selectors.period import PeriodResults

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def _n(value: Decimal | None) -> float | None:
    return None if value is None else float(round2(value))


def _sheet_title(name: str, used: set[str]) -> str:
    title = _BAD_SHEET.sub(" ", name).strip()[:31] or "Khối"
    base, n = title, 2
    while title in used:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title)
    return title


def ranking_xlsx(data: PeriodResults) -> bytes:
    wb = Workbook()
    first = wb.active
    assert first is not None  # noqa: S101 - a new workbook has a sheet: narrows the type
    wb.remove(first)
    used: set[str] = set()
    state = data.state
    for block in data.blocks:
        ws: Any = wb.create_sheet(_sheet_title(block.name, used))
        status = (
            f"Đã phê duyệt ngày {timezone.localdate(state.approved_at):%d/%m/%Y}"
            if state is not None and state.approved_at
            else "Tạm tính — chưa phê duyệt"
        )
        if state is not None and state.decision_number:
            status += f"; Quyết định số {state.decision_number}"
            if state.decision_date:
                status += f" ngày {state.decision_date:%d/%m/%Y}"
        ws.append([f"Kết quả Chỉ số CCHC — {block.name}"])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([data.period.name])
        ws.append([f"Bộ tiêu chí {block.framework_code}: {block.framework_title}"])
        ws.append([status])
        ws.append([])
        headers = [
            "Xếp hạng", "Mã đơn vị", "Đơn vị", "Xếp loại", "Điểm đạt được", "Điểm tối đa",
            "Chỉ số",
        ]  # fmt: skip
        for d in block.domains:
            headers.append(f"{d.code}. {d.title} ({'điểm thưởng' if d.bonus else 'chỉ số'})")
        headers += ["Chỉ số tự đánh giá", "Chênh lệch chỉ số"]
        if block.has_survey:
            headers += ["Điểm điều tra XHH", "Tối đa điều tra XHH"]
        ws.append(headers)
        head_row = ws.max_row
        for cell in ws[head_row]:
            cell.font = Font(bold=True)
            cell.fill = HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for u in block.units:
            row: list[Any] = [
                u.rank, u.unit, u.name, u.band or "", _n(u.points), _n(u.max), _n(u.index),
            ]  # fmt: skip
            for d, cell in zip(block.domains, u.domains, strict=True):
                row.append(_n(cell.points) if d.bonus else _n(cell.index))
            row += [_n(u.self_index), _n(u.gap)]
            if block.has_survey:
                row += [_n(u.survey.points) if u.survey else None]
                row += [_n(u.survey.max) if u.survey else None]
            ws.append(row)
            for c in range(5, len(row) + 1):
                ws.cell(ws.max_row, c).number_format = "0.00"
        ws.freeze_panes = ws.cell(head_row + 1, 4)
        widths = [9, 12, 44, 14, 11, 11, 10] + [14] * len(block.domains) + [12, 12, 12, 12]
        for i, w in enumerate(widths[: len(headers)], 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.row_dimensions[head_row].height = 60
    if not wb.worksheets:
        wb.create_sheet("Kết quả").append(["Chưa có kết quả."])
    xlsx_text_cells(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
