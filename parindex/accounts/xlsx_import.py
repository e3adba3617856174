"""The XLSX template for importing units and accounts: building it, reading it back, and the
one-off sheet of generated passwords. Pure openpyxl; no database access."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from parindex.common.xlsx import (
    NO_ROWS,
    NOT_XLSX,
    Column,
    find_sheet,
    open_xlsx,
    read_table,
    write_header,
)
from parindex.engine.fmt import xlsx_text_cells

UNIT_SHEET = "Đơn vị"
ACCOUNT_SHEET = "Tài khoản"
GUIDE_SHEET = "Hướng dẫn"
LIST_SHEET = "Danh mục"
MAX_ROWS = 3000

UNIT_COLUMNS: list[Column] = [
    Column("code", "Mã đơn vị", True),
    Column("name", "Tên đơn vị", True),
    Column("short_name", "Tên viết tắt"),
    Column("kind", "Loại", True),
    Column("parent", "Mã đơn vị cấp trên"),
    Column("block", "Khối"),
    Column("email", "Thư điện tử"),
    Column("phone", "Điện thoại"),
]
ACCOUNT_COLUMNS: list[Column] = [
    Column("username", "Tên đăng nhập", True),
    Column("full_name", "Họ và tên", True),
    Column("email", "Thư điện tử"),
    Column("phone", "Điện thoại"),
    Column("job_title", "Chức vụ"),
    Column("unit", "Mã đơn vị", True),
    Column("role", "Vai trò", True),
    # passwords keep their exact characters (only outer spaces dropped)
    Column("password", "Mật khẩu ban đầu", exact=True),
]


@dataclass
class UnitRow:
    row: int
    code: str = ""
    name: str = ""
    short_name: str = ""
    kind: str = ""
    parent: str = ""
    block: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class AccountRow:
    row: int
    username: str = ""
    full_name: str = ""
    email: str = ""
    phone: str = ""
    job_title: str = ""
    unit: str = ""
    role: str = ""
    password: str = field(default="", repr=False)


@dataclass
class ParsedWorkbook:
    units: list[UnitRow] = field(default_factory=list)
    accounts: list[AccountRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _read_sheet(ws: Any, columns: list[Column], row_cls: type, problems: list[str]) -> list[Any]:
    rows, found = read_table(
        ws,
        columns,
        max_rows=MAX_ROWS,
        too_many=f"Trang “{ws.title}”: nhiều hơn {MAX_ROWS} dòng; hãy chia nhỏ tệp.",
    )
    problems.extend(found)
    return [row_cls(row=n, **texts) for n, texts in rows]


def parse_workbook(data: bytes) -> ParsedWorkbook:
    """Read the two sheets. Columns are found by their header (any order); empty rows are
    skipped; problems with the file's shape are returned, never raised."""
    parsed = ParsedWorkbook()
    wb = open_xlsx(data)
    if wb is None:
        parsed.problems.append(NOT_XLSX)
        return parsed
    try:
        unit_ws = find_sheet(wb, UNIT_SHEET)
        account_ws = find_sheet(wb, ACCOUNT_SHEET)
        if unit_ws is None and account_ws is None:
            parsed.problems.append(
                f"Tệp không có trang “{UNIT_SHEET}” hay “{ACCOUNT_SHEET}”. "
                "Hãy dùng mẫu tải từ trang này."
            )
            return parsed
        if unit_ws is not None:
            parsed.units = _read_sheet(unit_ws, UNIT_COLUMNS, UnitRow, parsed.problems)
        if account_ws is not None:
            parsed.accounts = _read_sheet(account_ws, ACCOUNT_COLUMNS, AccountRow, parsed.problems)
        if not parsed.problems and not parsed.units and not parsed.accounts:
            parsed.problems.append(NO_ROWS)
    finally:
        wb.close()
    return parsed


# --- Writing -------------------------------------------------------------------------------------

EXAMPLE_FONT = Font(italic=True, color="7F7F7F")


def build_template(
    *,
    kinds: list[str],
    roles: list[str],
    blocks: list[tuple[str, str]],
    units: list[tuple[str, str]],
    example_parent: str,
    example_block: str,
    min_password_length: int,
) -> bytes:
    """The import template: instructions, the two sheets with 2 example rows each, and the
    lists (kinds, roles, blocks, the admin's units) with drop-downs on the columns."""
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    lines = [
        ("NHẬP ĐƠN VỊ VÀ TÀI KHOẢN TỪ EXCEL", True),
        ("", False),
        ("1. Trang “Đơn vị”: mỗi dòng một đơn vị.", True),
        ("   • Mã đơn vị (bắt buộc): duy nhất trong toàn tỉnh, ví dụ SXD, YDU-TD.", False),
        (
            "   • Tên đơn vị, Loại (bắt buộc). Loại: chọn trong danh sách (Tỉnh; Sở, ban, ngành; "
            "Huyện, thị xã, thành phố; Xã, phường, thị trấn; Phòng chuyên môn; Cơ quan khác) — "
            "có thể ghi gọn “Sở”, “Huyện”, “Xã”.",
            False,
        ),
        (
            "   • Mã đơn vị cấp trên: mã của một đơn vị đã có trong phần mềm hoặc có trong chính "
            "tệp này (thứ tự các dòng không quan trọng). Đơn vị cấp trên phải thuộc phạm vi "
            "bạn quản lý.",
            False,
        ),
        (
            "   • Khối: mã khối (xem trang “Danh mục”); để trống nếu đơn vị không được xếp hạng.",
            False,
        ),
        ("2. Trang “Tài khoản”: mỗi dòng một vai trò của một người tại một đơn vị.", True),
        (
            "   • Tên đăng nhập, Họ và tên, Mã đơn vị, Vai trò (bắt buộc). Một người giữ vai trò "
            "ở nhiều đơn vị thì ghi nhiều dòng cùng tên đăng nhập.",
            False,
        ),
        (
            "   • Vai trò: Quản trị; Chuyên viên đầu mối; Lãnh đạo đơn vị; Thẩm định viên; "
            "Chủ tịch Hội đồng. Vai trò Quản trị chỉ cấp tại cơ quan tổ chức đánh giá.",
            False,
        ),
        (
            f"   • Mật khẩu ban đầu: không bắt buộc; nếu ghi phải dài ít nhất "
            f"{min_password_length} ký tự, không toàn số, không quá phổ biến, không giống tên "
            "đăng nhập. Để trống thì phần mềm tạo mật khẩu mạnh ngẫu nhiên và hiện MỘT LẦN sau "
            "khi nhập (kèm tệp Excel tải về ngay lúc đó).",
            False,
        ),
        (
            "3. Đơn vị hoặc tài khoản đã có (cùng mã / cùng tên đăng nhập) sẽ được CẬP NHẬT theo "
            "tệp; ô để trống thì giữ nguyên giá trị cũ; mật khẩu của tài khoản đã có không bị "
            "thay đổi.",
            True,
        ),
        (
            "4. Bấm “Kiểm tra” để xem trước những gì sẽ được tạo mới, cập nhật; bấm “Xác nhận "
            "nhập” để lưu. Nếu tệp có bất kỳ lỗi nào thì không có gì được lưu: sửa tất cả các "
            "dòng được liệt kê rồi tải lên lại.",
            True,
        ),
        ("5. Các dòng chữ nghiêng màu xám là VÍ DỤ: hãy xóa hoặc ghi đè trước khi nhập.", True),
    ]
    for text, bold in lines:
        guide.append([text])
        if bold:
            guide.cell(row=guide.max_row, column=1).font = Font(bold=True)
    guide["A1"].font = Font(bold=True, size=14, color="A4161A")
    guide.column_dimensions["A"].width = 140

    ws_units = wb.create_sheet(UNIT_SHEET)
    write_header(ws_units, [c.header for c in UNIT_COLUMNS], [14, 40, 14, 24, 20, 12, 28, 16])
    ws_units.append(
        [
            "SXD",
            "Sở Xây dựng",
            "SXD",
            kinds[1],
            example_parent,
            example_block,
            "sxd@example.gov.vn",
            "0204 3854 000",
        ]
    )
    ws_units.append(["SXD-VP", "Văn phòng Sở Xây dựng", "", kinds[4], "SXD", "", "", ""])
    ws_accounts = wb.create_sheet(ACCOUNT_SHEET)
    write_header(ws_accounts, [c.header for c in ACCOUNT_COLUMNS], [18, 26, 28, 16, 22, 14, 22, 20])
    ws_accounts.append(
        [
            "cv.sxd",
            "Nguyễn Văn An",
            "an.nv@example.gov.vn",
            "0912 345 678",
            "Chuyên viên",
            "SXD",
            roles[1],
            "",
        ]
    )
    ws_accounts.append(
        [
            "ld.sxd",
            "Trần Thị Bình",
            "binh.tt@example.gov.vn",
            "",
            "Phó Giám đốc",
            "SXD",
            roles[2],
            "",
        ]
    )
    for ws in (ws_units, ws_accounts):
        for row in ws.iter_rows(min_row=2, max_row=3):
            for cell in row:
                cell.font = EXAMPLE_FONT
        for col in ("B", "C", "D", "E", "F", "G", "H"):
            for r in range(2, 4):
                ws[f"{col}{r}"].number_format = "@"

    lists = wb.create_sheet(LIST_SHEET)
    lists.append(["Loại đơn vị", "Vai trò", "Mã khối", "Tên khối", "Mã đơn vị", "Tên đơn vị"])
    for cell in lists[1]:
        cell.font = Font(bold=True)
    height = max(len(kinds), len(roles), len(blocks), len(units))
    for i in range(height):
        lists.append(
            [
                kinds[i] if i < len(kinds) else None,
                roles[i] if i < len(roles) else None,
                blocks[i][0] if i < len(blocks) else None,
                blocks[i][1] if i < len(blocks) else None,
                units[i][0] if i < len(units) else None,
                units[i][1] if i < len(units) else None,
            ]
        )
    for col, width in zip("ABCDEF", [26, 22, 12, 32, 16, 44], strict=True):
        lists.column_dimensions[col].width = width

    def dropdown(ws: Any, col: str, source_col: str, count: int) -> None:
        if not count:
            return
        dv = DataValidation(
            type="list",
            formula1=f"='{LIST_SHEET}'!${source_col}$2:${source_col}${count + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        ws.add_data_validation(dv)
        dv.add(f"{col}2:{col}{MAX_ROWS + 1}")

    dropdown(ws_units, "D", "A", len(kinds))
    dropdown(ws_units, "F", "C", len(blocks))
    dropdown(ws_accounts, "G", "B", len(roles))
    wb.active = 1
    buf = io.BytesIO()
    xlsx_text_cells(wb)
    wb.save(buf)
    return buf.getvalue()


def build_password_sheet(rows: list[tuple[str, str, str, str]]) -> bytes:
    """(username, full name, unit code, password) — handed over once, never stored."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Mật khẩu ban đầu"
    write_header(
        ws, ["Tên đăng nhập", "Họ và tên", "Mã đơn vị", "Mật khẩu ban đầu"], [20, 30, 14, 22]
    )
    for row in rows:
        ws.append(list(row))
    for cell in ws["D"][1:]:
        cell.number_format = "@"
    ws.append([])
    ws.append(
        [
            "Giao mật khẩu cho từng người qua kênh an toàn; đề nghị đổi mật khẩu ngay lần đăng "
            "nhập đầu tiên. Xóa tệp này sau khi đã giao."
        ]
    )
    buf = io.BytesIO()
    xlsx_text_cells(wb)
    wb.save(buf)
    return buf.getvalue()
