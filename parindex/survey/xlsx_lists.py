"""A unit's respondent list as XLSX: the template (Hướng dẫn, Danh sách, Danh mục) and reading
an uploaded file back. Pure openpyxl, no database access: the rows are checked against the
survey's groups, the units and the other lists by ``services.respondents``.

Columns (found by their header, in any order): STT, Nhóm đối tượng (the group's code), Họ và
tên, Chức vụ/nơi công tác, Thư điện tử, Số điện thoại, Đơn vị được đánh giá (unit codes,
comma-separated; empty = the unit that lists). Empty rows are skipped; every problem with
the file's shape is returned, never raised."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from parindex.engine.fmt import xlsx_text_cells

LIST_SHEET = "Danh sách"
GUIDE_SHEET = "Hướng dẫn"
CODES_SHEET = "Danh mục"
MAX_ROWS = 2000

# (attribute, header, required, aliases)
COLUMNS: list[tuple[str, str, bool, tuple[str, ...]]] = [
    ("stt", "STT", False, ()),
    ("group", "Nhóm đối tượng", True, ("nhóm", "mã nhóm", "nhóm đối tượng (mã)")),
    ("name", "Họ và tên", True, ("họ tên",)),
    ("position", "Chức vụ/nơi công tác", False, ("chức vụ", "chức vụ, nơi công tác")),
    ("email", "Thư điện tử", False, ("email", "e-mail", "thư điện tử công vụ")),
    ("phone", "Số điện thoại", False, ("điện thoại", "sđt")),
    ("units", "Đơn vị được đánh giá", False, ("đơn vị đánh giá", "mã đơn vị được đánh giá")),
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


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _sheet(wb: Any) -> Any:
    for ws in wb.worksheets:
        if norm(ws.title) == norm(LIST_SHEET):
            return ws
    for ws in wb.worksheets:
        if norm(ws.title) not in (norm(GUIDE_SHEET), norm(CODES_SHEET)):
            return ws
    return None


def _read(ws: Any, parsed: ParsedList) -> None:
    rows_iter = ws.iter_rows(values_only=True)
    header: tuple[Any, ...] | None = None
    header_row = 0
    for header_row, values in enumerate(rows_iter, start=1):  # noqa: B007
        if any(_cell_text(v) for v in values):
            header = values
            break
    if header is None:
        parsed.problems.append("Tệp không có dòng dữ liệu nào để nhập.")
        return
    wanted: dict[str, str] = {}
    for attr, h, _, aliases in COLUMNS:
        for label in (h, *aliases):
            wanted[norm(label)] = attr
    positions: dict[str, int] = {}
    for idx, value in enumerate(header):
        attr = wanted.get(norm(_cell_text(value)).rstrip(" *"))
        if attr and attr not in positions:
            positions[attr] = idx
    missing = [h for attr, h, required, _ in COLUMNS if required and attr not in positions]
    if missing:
        parsed.problems.append(
            f"Trang “{ws.title}”: thiếu cột "
            + ", ".join(f"“{h}”" for h in missing)
            + " ở dòng tiêu đề (hãy dùng mẫu tải từ trang này)."
        )
        return
    for number, values in enumerate(rows_iter, start=header_row + 1):
        texts = {
            attr: _cell_text(values[i]) if i < len(values) else "" for attr, i in positions.items()
        }
        if not any(v for k, v in texts.items() if k != "stt"):
            continue
        if len(parsed.rows) >= MAX_ROWS:
            parsed.problems.append(f"Tệp có nhiều hơn {MAX_ROWS} người: hãy chia nhỏ danh sách.")
            return
        parsed.rows.append(ListRow(row=number, **texts))
    if not parsed.rows:
        parsed.problems.append("Tệp không có dòng dữ liệu nào để nhập.")


def parse_list(data: bytes) -> ParsedList:
    """Read the list's sheet (read-only mode: the file is streamed, not loaded whole)."""
    parsed = ParsedList()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError):
        parsed.problems.append(
            "Không đọc được tệp: đây không phải tệp Excel .xlsx hợp lệ. "
            "Hãy dùng mẫu tải từ trang này."
        )
        return parsed
    try:
        ws = _sheet(wb)
        if ws is None:
            parsed.problems.append(
                f"Tệp không có trang “{LIST_SHEET}”. Hãy dùng mẫu tải từ trang này."
            )
            return parsed
        _read(ws, parsed)
    finally:
        wb.close()
    return parsed


# --- Writing -------------------------------------------------------------------------------

HEAD_FONT = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="A4161A")


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
    headers = [h for _, h, _, _ in COLUMNS]
    ws.append(headers)
    for idx, width in enumerate(WIDTHS, start=1):
        cell = ws.cell(row=1, column=idx)
        cell.font = HEAD_FONT
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(idx)].width = width
    ws.freeze_panes = "A2"
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
