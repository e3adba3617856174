"""The analytics of a period as an Excel workbook — per block the tables of the analytics
page: the heat map (units × domains), self vs appraised per unit, every criterion (mean share
of the max, units losing points, mean self − final), the trends by year (units, criteria) and
the distribution. Numbers as numbers (2 decimals), every text cell written as text
(``engine.fmt.xlsx_text_cells``)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from parindex.engine.fmt import xlsx_text_cells
from parindex.periods.models import Period
from parindex.results.selectors.analytics import BlockAnalytics, domain_figure
from parindex.results.xlsx import HEAD_FILL, _n, _sheet_title


def _table(
    ws: Any, title: str, headers: list[str], rows: list[list[Any]], widths: list[int]
) -> None:
    ws.append([title])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
    ws.append(headers)
    head = ws.max_row
    for cell in ws[head]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(row)
        for c, value in enumerate(row, 1):
            if isinstance(value, float):
                ws.cell(ws.max_row, c).number_format = "0.00"
    ws.append([])
    for i, w in enumerate(widths, 1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, w)


def _block_sheets(wb: Workbook, b: BlockAnalytics, used: set[str]) -> None:
    ws: Any = wb.create_sheet(_sheet_title(f"{b.name} - bản đồ", used))
    doms = [f"{d.code}. {d.title}{' (điểm thưởng)' if d.bonus else ''}" for d in b.domains]
    _table(
        ws,
        f"Chỉ số thành phần theo lĩnh vực — {b.name}",
        ["Xếp hạng", "Mã", "Đơn vị", "Chỉ số", *doms],
        [
            [u.rank, u.unit, u.name, _n(u.index)]
            + [_n(domain_figure(d, c)) for d, c in zip(b.domains, u.domains, strict=True)]
            for u in b.heat
        ]
        + [["", "", "Bình quân của khối", None] + [_n(m) for m in b.domain_means]],
        [9, 10, 40, 10] + [16] * len(doms),
    )
    ws = wb.create_sheet(_sheet_title(f"{b.name} - tự đánh giá", used))
    _table(
        ws,
        f"Tự đánh giá so với kết quả thẩm định, theo đơn vị — {b.name}",
        [
            "Mã",
            "Đơn vị",
            "Chỉ số tự đánh giá",
            "Chỉ số sau thẩm định",
            "Chênh lệch (tự − thẩm định)",
        ],
        [[g.unit, g.name, _n(g.self_index), _n(g.index), _n(g.gap)] for g in b.gaps_sorted],
        [10, 40, 14, 14, 16],
    )
    ws = wb.create_sheet(_sheet_title(f"{b.name} - tiêu chí", used))
    _table(
        ws,
        f"Các tiêu chí — {b.name}",
        [
            "Mã",
            "Tiêu chí",
            "Điểm tối đa",
            "Số đơn vị",
            "Điểm bình quân",
            "Tỷ lệ đạt bình quân (%)",
            "Số đơn vị bị trừ điểm",
            "Số đơn vị tự chấm",
            "Chênh lệch bình quân (tự − thẩm định)",
        ],  # fmt: skip
        [
            [
                c.code,
                c.title,
                _n(c.max),
                c.units,
                _n(c.mean_points),
                _n(c.mean_share),
                c.losing,
                c.self_units,
                _n(c.mean_gap),
            ]  # fmt: skip
            for c in b.criteria
        ],
        [10, 60, 10, 10, 12, 14, 14, 12, 16],
    )
    ws = wb.create_sheet(_sheet_title(f"{b.name} - xu hướng", used))
    years = [str(y) for y in b.years]
    _table(
        ws,
        f"Chỉ số qua các năm, theo đơn vị — {b.name}",
        ["Mã", "Đơn vị", *(f"Chỉ số {y}" for y in years), *(f"Hạng {y}" for y in years)],
        [
            [t.unit, t.name, *(_n(f.index) for f in t.years), *(f.rank for f in t.years)]
            for t in b.unit_trends
        ],
        [10, 40] + [11] * (2 * len(years)),
    )
    _table(
        ws,
        "Tỷ lệ đạt bình quân (%) qua các năm, theo tiêu chí (* : tiêu chí năm đó khác nội dung "
        "hoặc điểm tối đa so với năm nay; trống: chưa có)",
        ["Mã", "Tiêu chí", *years],
        [
            [
                t.code,
                t.title,
                *(
                    (f"{_n(s):.2f}*" if changed and s is not None else _n(s))
                    for s, changed in zip(t.shares, t.changed, strict=True)
                ),
            ]
            for t in b.criterion_trends
        ],
        [10, 60] + [11] * len(years),
    )
    ws = wb.create_sheet(_sheet_title(f"{b.name} - phân bố", used))
    _table(
        ws,
        f"Phân bố chỉ số — {b.name}",
        ["Khoảng chỉ số", "Số đơn vị"],
        [[bin_.label, bin_.units] for bin_ in b.histogram],
        [16, 12],
    )


def analytics_workbook(period: Period, blocks: list[BlockAnalytics]) -> bytes:
    wb = Workbook()
    first: Any = wb.active
    first.title = "Giới thiệu"
    first.append([f"Phân tích kết quả Chỉ số CCHC năm {period.year}"])
    first["A1"].font = Font(bold=True, size=13)
    first.append([period.name])
    first.append(
        [
            "Số liệu đã phê duyệt (bản chốt)"
            if blocks and blocks[0].frozen
            else "Tạm tính — chưa phê duyệt"
        ]
    )
    first.column_dimensions["A"].width = 90
    used = {first.title}
    for b in blocks:
        _block_sheets(wb, b, used)
    xlsx_text_cells(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
