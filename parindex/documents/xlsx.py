"""The period's workbook: the results' ranking sheets (one per block, ``results.xlsx``), a
sheet of the component indices per domain, and per block a units × criteria matrix with the
self score, round 1, round 2, the survey points and the final points of every leaf. Numbers
are numbers (2 decimals), every text cell is text (``engine.fmt.xlsx_text_cells``)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from parindex.common.numbers import vn_points
from parindex.documents.selectors import PeriodDocs, Progress, _quiet, block_matrix
from parindex.engine.fmt import xlsx_text_cells
from parindex.results.xlsx import HEAD_FILL, _n, _sheet_title, ranking_xlsx

STAGES = ["Tự chấm", "Lần 1", "Lần 2", "Điều tra XHH", "Kết quả"]
DOMAIN_HEADERS = ["Khối", "Mã lĩnh vực", "Lĩnh vực", "Điểm tối đa", "Số đơn vị áp dụng",
                  "Chỉ số thành phần bình quân (%)", "Cao nhất (%)", "Thấp nhất (%)",
                  "Điểm thưởng bình quân"]  # fmt: skip


def _head(ws: Any, row: int) -> None:
    for cell in ws[row]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _num(value: Decimal | None) -> float | None:
    return _n(value)


def _domains_sheet(wb: Any, data: PeriodDocs, used: set[str]) -> None:
    ws = wb.create_sheet(_sheet_title("Chỉ số thành phần", used))
    ws.append([f"Chỉ số thành phần theo lĩnh vực — năm {data.year}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(DOMAIN_HEADERS)
    _head(ws, ws.max_row)
    for b in data.blocks:
        for d in b.domains:
            ws.append([b.name, d.code, d.title, _num(d.max), d.units, _num(d.mean_index),
                       _num(d.best), _num(d.worst), _num(d.mean_points) if d.bonus else None])  # fmt: skip
    # per unit: every domain's component index
    for b in data.blocks:
        ws.append([])
        ws.append([f"{b.name}: chỉ số thành phần của từng đơn vị"])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        doms = b.results.domains
        ws.append(["Xếp hạng", "Mã đơn vị", "Đơn vị"]
                  + [f"{d.code}. {d.title}" + (" (điểm thưởng)" if d.bonus else " (%)") for d in doms])  # fmt: skip
        _head(ws, ws.max_row)
        for u in b.results.units:
            ws.append([u.rank, u.unit, u.name] + [
                _num(c.points) if d.bonus else _num(c.index)
                for d, c in zip(doms, u.domains, strict=True)
            ])  # fmt: skip
    for i, w in enumerate([22, 12, 44, 12, 12, 14, 12, 12, 12], 1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _matrix_sheet(wb: Any, data: PeriodDocs, index: int, used: set[str]) -> None:
    doc = data.blocks[index]
    ws = wb.create_sheet(_sheet_title(f"Ma trận {doc.name}", used))
    leaves = doc.fw.leaves()
    ws.append([f"Điểm từng tiêu chí thành phần — {doc.name} — năm {data.year}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["Tự chấm: điểm đơn vị tự đánh giá; Lần 1, Lần 2: điểm thẩm định (nơi vòng đó "
               "quyết định); Điều tra XHH: điểm điều tra xã hội học; Kết quả: điểm cuối cùng."])  # fmt: skip
    top = ["Xếp hạng", "Mã đơn vị", "Đơn vị"]
    second = ["", "", ""]
    for leaf in leaves:
        top += [f"{leaf.code}. {leaf.title} (tối đa {vn_points(leaf.max)})"] + [""] * 4
        second += STAGES
    ws.append(top)
    head1 = ws.max_row
    ws.append(second)
    head2 = ws.max_row
    for i in range(len(leaves)):
        col = 4 + i * 5
        ws.merge_cells(start_row=head1, start_column=col, end_row=head1, end_column=col + 4)
    for c in range(1, 4):
        ws.merge_cells(start_row=head1, start_column=c, end_row=head2, end_column=c)
    _head(ws, head1)
    _head(ws, head2)
    for row in block_matrix(doc):
        values: list[Any] = [row.rank, row.unit, row.name]
        for leaf in leaves:
            f = row.leaves[leaf.code]
            own: Any = _num(f.self_points) if f.self_points is not None else (f.self_note or None)
            values += [own, _num(f.round1), _num(f.round2), _num(f.survey), _num(f.final)]
        ws.append(values)
        for c in range(4, len(values) + 1):
            ws.cell(ws.max_row, c).number_format = "0.00"
    ws.freeze_panes = ws.cell(head2 + 1, 4)
    ws.column_dimensions["C"].width = 36
    ws.row_dimensions[head1].height = 75


def workbook(data: PeriodDocs, *, progress: Progress = _quiet) -> bytes:
    assert data.results is not None  # noqa: S101 - period_docs always sets it
    wb = load_workbook(io.BytesIO(ranking_xlsx(data.results)))
    used = set(wb.sheetnames)
    _domains_sheet(wb, data, used)
    total = len(data.blocks) or 1
    for i in range(len(data.blocks)):
        progress(60 + 30 * i // total, f"Ma trận điểm {data.blocks[i].name} ({i + 1}/{total})")
        _matrix_sheet(wb, data, i, used)
    xlsx_text_cells(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
