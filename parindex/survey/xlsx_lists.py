"""A unit's respondent list as XLSX: the template (Hướng dẫn, Danh sách, Danh mục) and reading
an uploaded file back. Pure openpyxl, no database access: the rows are checked against the
survey's groups, the units and the other lists by ``services.respondents``.

Columns (found by their header, in any order): STT, Nhóm đối tượng (the group's code), Họ và
tên, Chức vụ/nơi công tác, Thư điện tử, Số điện thoại, Đơn vị được đánh giá (unit codes,
comma-separated; empty = the unit that lists). Empty rows are skipped; every problem with
the file's shape is returned, never raised."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from parindex.common.xlsx import (
    Column,
    read_one_sheet,
    write_header,
)
from parindex.engine.fmt import xlsx_text_cells

LIST_SHEET = "Danh sách"
GUIDE_SHEET = "Hướng dẫn"
CODES_SHEET = "Danh mục"
MAX_ROWS = 2000

COLUMNS: list[Column] = [
    Column("stt", "STT"),
    Column("group", "Nhóm đối tượng", True, ("nhóm", "mã nhóm", "nhóm đối tượng (mã)")),
    Column("name", "Họ và tên", True, ("họ tên",)),
    Column("position", "Chức vụ/nơi công tác", False, ("chức vụ", "chức vụ, nơi công tác")),
    Column("email", "Thư điện tử", False, ("email", "e-mail", "thư điện tử công vụ")),
    Column("phone", "Số điện thoại", False, ("điện thoại", "sđt")),
    Column("units", "Đơn vị được đánh giá", False, ("đơn vị đánh giá", "mã đơn vị được đánh giá")),
]
WIDTHS = [6, 16, 28, 36, 30, 16, 26]


@dataclass
class ListRow:
    """One row as typed (texts, NFC, spaces collapsed) and its row number in the sheet."""

    row: int
    stt: str = ""
    group: str = ""
    name: str = ""
    position: str = ""
    email: str = ""
    phone: str = ""
    units: str = ""


@dataclass
class ParsedList:
    rows: list[ListRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_list(data: bytes) -> ParsedList:
    """Read the list's sheet (streamed, see ``common.xlsx``)."""
    rows, problems = read_one_sheet(
        data,
        LIST_SHEET,
        COLUMNS,
        others=(GUIDE_SHEET, CODES_SHEET),
        max_rows=MAX_ROWS,
        too_many=f"Tệp có nhiều hơn {MAX_ROWS} người: hãy chia nhỏ danh sách.",
    )
    return ParsedList(rows=[ListRow(row=n, **texts) for n, texts in rows], problems=problems)


# --- Writing -------------------------------------------------------------------------------


def build_list_template(
    *,
    survey_title: str,
    unit_code: str,
    unit_name: str,
    groups: list[tuple[str, str]],
    units: list[tuple[str, str]],
    lists_due: str = "",
    rows: list[list[str]] | None = None,
) -> bytes:
    """The template for ``unit_code``: the guide, the list's sheet (a drop-down on the group,
    pre-filled with ``rows`` when given: the current list) and the codes of the groups and
    of the units that may be rated."""
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    lines = [
        ("DANH SÁCH NGƯỜI ĐƯỢC KHẢO SÁT", True),
        (f"{survey_title} — {unit_name} ({unit_code})", False),
        (f"Hạn gửi danh sách: {lists_due}" if lists_due else "", False),
        ("1. Trang “Danh sách”: mỗi dòng một người.", True),
        ("   • Nhóm đối tượng (bắt buộc): mã nhóm ở trang “Danh mục”.", False),
        ("   • Họ và tên (bắt buộc); Chức vụ/nơi công tác.", False),
        (
            "   • Thư điện tử: địa chỉ nhận thư mời khảo sát (mỗi người một đường dẫn riêng); "
            "Số điện thoại.",
            False,
        ),
        (
            "   • Đơn vị được đánh giá: mã các đơn vị người này đánh giá, cách nhau bằng dấu "
            f"phẩy (ví dụ STP, SYT); để trống là đánh giá {unit_name}.",
            False,
        ),
        (
            "2. Mỗi người chỉ trả lời một phiếu: không ghi một người (cùng thư điện tử hoặc cùng "
            "số điện thoại) hai lần, kể cả ở hai nhóm hoặc trong danh sách của đơn vị khác.",
            True,
        ),
        (
            "3. Nếu tệp có bất kỳ lỗi nào thì không có ai được lưu: sửa tất cả các dòng được "
            "liệt kê rồi tải lên lại. Tải lên lần sau thay thế danh sách đã gửi.",
            True,
        ),
    ]
    for text, bold in lines:
        guide.append([text])
        if bold:
            guide.cell(row=guide.max_row, column=1).font = Font(bold=True)
    guide["A1"].font = Font(bold=True, size=14, color="A4161A")
    guide.column_dimensions["A"].width = 120

    ws = wb.create_sheet(LIST_SHEET)
    write_header(ws, [c.header for c in COLUMNS], WIDTHS)
    for i, row in enumerate(rows or [], start=1):
        ws.append([i, *row])
    for col in "BCDEFG":
        for r in range(2, 302):
            ws[f"{col}{r}"].number_format = "@"

    codes = wb.create_sheet(CODES_SHEET)
    codes.append(["Mã nhóm", "Nhóm đối tượng", "", "Mã đơn vị", "Tên đơn vị"])
    for cell in codes[1]:
        cell.font = Font(bold=True)
    for i in range(max(len(groups), len(units))):
        g = groups[i] if i < len(groups) else (None, None)
        u = units[i] if i < len(units) else (None, None)
        codes.append([g[0], g[1], None, u[0], u[1]])
    for col, width in zip("ABCDE", [12, 50, 4, 14, 48], strict=True):
        codes.column_dimensions[col].width = width
    if groups:
        dv = DataValidation(
            type="list",
            formula1=f"='{CODES_SHEET}'!$A$2:$A${len(groups) + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        ws.add_data_validation(dv)
        dv.add(f"B2:B{MAX_ROWS + 1}")
    wb.active = 1
    buf = io.BytesIO()
    xlsx_text_cells(wb)
    wb.save(buf)
    return buf.getvalue()
