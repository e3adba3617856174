"""The council's XLSX: the import template (Hướng dẫn, Thành viên, Danh mục) and reading an
uploaded file back. Pure openpyxl, no database access: the rows are checked against the
accounts and units by ``services.council_import``.

Columns (found by their header, in any order): STT, Họ và tên, Tên đăng nhập, Mã đơn vị,
Chức vụ, Vai trò. Empty rows are skipped; every problem with the file's shape is returned,
never raised. Text cells are written as text (``xlsx_text_cells``): a name or a title that
starts with = + - @ stays what was typed."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from parindex.common.xlsx import (
    Column,
    norm,
    read_one_sheet,
    write_header,
)
from parindex.engine.fmt import xlsx_text_cells
from parindex.periods.models import CouncilMember

MEMBER_SHEET = "Thành viên"
GUIDE_SHEET = "Hướng dẫn"
LIST_SHEET = "Danh mục"
MAX_ROWS = 500

COLUMNS: list[Column] = [
    Column("stt", "STT"),
    Column("full_name", "Họ và tên"),
    Column("username", "Tên đăng nhập", True),
    Column("unit", "Mã đơn vị", True),
    Column("title", "Chức vụ"),
    Column("position", "Vai trò", True),
]
WIDTHS = [6, 28, 20, 14, 34, 28]

P = CouncilMember.Position
# Other ways the role is written in the decisions (old tone placement, short forms).
ROLE_ALIASES = {
    "chủ tịch": P.CHAIR,
    "chủ tịch hđ": P.CHAIR,
    "phó chủ tịch": P.VICE_CHAIR,
    "phó chủ tịch hđ": P.VICE_CHAIR,
    "thành viên": P.MEMBER,
    "thành viên hội đồng": P.MEMBER,
    "tổ giúp việc": P.SUPPORT,
    "thành viên tgv": P.SUPPORT,
    "tổ viên tổ giúp việc": P.SUPPORT,
    "thư ký hội đồng": P.SECRETARY,
}


@dataclass
class MemberRow:
    """One row of the file as typed (texts, NFC, spaces collapsed) and its row number."""

    row: int
    stt: str = ""
    full_name: str = ""
    username: str = ""
    unit: str = ""
    title: str = ""
    position: str = ""


@dataclass
class ParsedCouncil:
    rows: list[MemberRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def position_of(label: str) -> str | None:
    """The position key of a role as written in the file (its label, key or a usual alias)."""
    wanted = norm(label)
    if not wanted:
        return None
    for value, text in P.choices:
        if wanted in (norm(text), value):
            return str(value)
    alias = ROLE_ALIASES.get(wanted)
    return str(alias) if alias else None


def parse_council(data: bytes) -> ParsedCouncil:
    """Read the members' sheet (streamed, see ``common.xlsx``)."""
    rows, problems = read_one_sheet(
        data,
        MEMBER_SHEET,
        COLUMNS,
        others=(GUIDE_SHEET, LIST_SHEET),
        max_rows=MAX_ROWS,
        too_many=f"Tệp có nhiều hơn {MAX_ROWS} thành viên: hãy kiểm tra lại tệp.",
    )
    return ParsedCouncil(rows=[MemberRow(row=n, **texts) for n, texts in rows], problems=problems)


# --- Writing -------------------------------------------------------------------------------


def build_council_template(
    *, council_name: str, period_name: str, units: list[tuple[str, str]]
) -> bytes:
    """The template: the guide, an empty members' sheet with a drop-down on Vai trò and the
    lists (the roles; the codes and names of the organizer's units)."""
    roles = [label for _, label in P.choices]
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    lines = [
        ("NHẬP THÀNH VIÊN HỘI ĐỒNG THẨM ĐỊNH TỪ EXCEL", True),
        (f"{council_name} — {period_name}", False),
        ("", False),
        ("1. Trang “Thành viên”: mỗi dòng một thành viên Hội đồng hoặc Tổ giúp việc.", True),
        (
            "   • Tên đăng nhập (bắt buộc): tài khoản đã có trong phần mềm, đang hoạt động. "
            "Thành viên dùng chính tài khoản này để thẩm định.",
            False,
        ),
        (
            "   • Họ và tên: để đối chiếu; nếu ghi mà khác họ tên của tài khoản thì dòng đó bị "
            "báo lỗi (tránh nhầm tên đăng nhập).",
            False,
        ),
        (
            "   • Mã đơn vị (bắt buộc): cơ quan công tác của thành viên, thuộc địa bàn (xem "
            "trang “Danh mục”). Thành viên không thẩm định đơn vị của chính mình.",
            False,
        ),
        (
            "   • Chức vụ: ví dụ Phó Giám đốc Sở Tư pháp; để trống thì lấy chức vụ của tài khoản.",
            False,
        ),
        ("   • Vai trò (bắt buộc): " + "; ".join(roles) + ". Hội đồng chỉ có một Chủ tịch.", False),
        (
            "2. Nếu tệp có bất kỳ lỗi nào (tài khoản, mã đơn vị, vai trò không đúng; hai Chủ "
            "tịch; một tài khoản ghi hai lần; người đã là thành viên) thì không có ai được thêm: "
            "sửa tất cả các dòng được liệt kê rồi tải lên lại.",
            True,
        ),
        ("3. Ví dụ:", True),
    ]
    for text, bold in lines:
        guide.append([text])
        if bold:
            guide.cell(row=guide.max_row, column=1).font = Font(bold=True)
    guide.append([c.header for c in COLUMNS])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    guide.append([1, "Nguyễn Văn An", "td.stp", "STP", "Phó Giám đốc Sở Tư pháp", roles[2]])
    guide.append([2, "Trần Thị Bình", "tgv.snv", "SNV", "Chuyên viên Sở Nội vụ", roles[4]])
    guide["A1"].font = Font(bold=True, size=14, color="A4161A")
    guide.column_dimensions["A"].width = 12
    for col, width in zip("BCDEF", WIDTHS[1:], strict=True):
        guide.column_dimensions[col].width = width

    ws = wb.create_sheet(MEMBER_SHEET)
    write_header(ws, [c.header for c in COLUMNS], WIDTHS)
    for col in "BCDE":
        for r in range(2, MAX_ROWS + 2):
            ws[f"{col}{r}"].number_format = "@"

    lists = wb.create_sheet(LIST_SHEET)
    lists.append(["Vai trò", "Mã đơn vị", "Tên đơn vị"])
    for cell in lists[1]:
        cell.font = Font(bold=True)
    for i in range(max(len(roles), len(units))):
        lists.append(
            [
                roles[i] if i < len(roles) else None,
                units[i][0] if i < len(units) else None,
                units[i][1] if i < len(units) else None,
            ]
        )
    for col, width in zip("ABC", [28, 16, 48], strict=True):
        lists.column_dimensions[col].width = width
    dv = DataValidation(
        type="list",
        formula1=f"='{LIST_SHEET}'!$A$2:$A${len(roles) + 1}",
        allow_blank=True,
        showErrorMessage=False,
    )
    ws.add_data_validation(dv)
    dv.add(f"F2:F{MAX_ROWS + 1}")
    wb.active = 1
    buf = io.BytesIO()
    xlsx_text_cells(wb)
    wb.save(buf)
    return buf.getvalue()
