"""Reading and writing the import templates' XLSX files — the one reader of the units and
accounts import, the council's members and the survey's respondent lists. Pure openpyxl, no
database access.

Reading: the workbook is opened read-only (streamed, never loaded whole) with the cached
values of formulas (``data_only``); a table's columns are found by their header text (any
order, NFC, spaces collapsed, case-folded, a trailing "*" ignored, aliases allowed); empty
rows are skipped; every problem with the file's shape is returned as a Vietnamese sentence,
never raised. Writing: the red header row every template uses.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

NOT_XLSX = (
    "Không đọc được tệp: đây không phải tệp Excel .xlsx hợp lệ. Hãy dùng mẫu tải từ trang này."
)
NO_ROWS = "Tệp không có dòng dữ liệu nào để nhập."
HEAD_FONT = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="A4161A")


@dataclass(frozen=True)
class Column:
    """A column of a template: the row attribute it fills, its header, whether a file
    without it is refused, other headers accepted for it, and ``exact`` (the text kept as
    typed but for outer spaces — a password — instead of NFC with spaces collapsed)."""

    attr: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    exact: bool = False


def norm(text: str) -> str:
    """NFC, collapsed spaces, case-folded, "uỷ" written "ủy": how headers, sheet titles and
    labels are compared."""
    text = " ".join(unicodedata.normalize("NFC", text).split()).casefold()
    return text.replace("uỷ", "ủy")


def cell_text(value: Any) -> str:
    """A cell as the text it shows: NFC, spaces collapsed; 12.0 → "12"; TRUE → "Có"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def open_xlsx(data: bytes) -> Any | None:
    """The workbook (read-only; close it), or None when ``data`` is not an .xlsx file."""
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError):
        return None


def find_sheet(wb: Any, title: str, *, else_first_but: Iterable[str] | None = None) -> Any:
    """The sheet titled ``title`` (compared by ``norm``); with ``else_first_but``, failing
    that, the first sheet whose title is none of those (a file of one's own); else None."""
    for ws in wb.worksheets:
        if norm(ws.title) == norm(title):
            return ws
    if else_first_but is not None:
        skip = {norm(t) for t in else_first_but}
        for ws in wb.worksheets:
            if norm(ws.title) not in skip:
                return ws
    return None


def read_table(
    ws: Any,
    columns: Sequence[Column],
    *,
    max_rows: int,
    too_many: str,
    not_content: Iterable[str] = ("stt",),
) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """``([(row number, {attr: text})…], problems)`` of the sheet's table: its header is the
    first non-empty row; a row whose only texts are in ``not_content`` columns (the STT) is
    empty. A required column missing from the header: no rows and that problem. More than
    ``max_rows`` rows: the rows so far and ``too_many``. No header at all: ``([], [])``."""
    rows_iter = ws.iter_rows(values_only=True)
    header: tuple[Any, ...] | None = None
    header_row = 0
    for header_row, values in enumerate(rows_iter, start=1):  # noqa: B007
        if any(cell_text(v) for v in values):
            header = values
            break
    if header is None:
        return [], []
    wanted: dict[str, Column] = {}
    for col in columns:
        for label in (col.header, *col.aliases):
            wanted.setdefault(norm(label), col)
    positions: dict[str, tuple[int, Column]] = {}
    for idx, value in enumerate(header):
        col = wanted.get(norm(cell_text(value)).rstrip(" *"))
        if col is not None and col.attr not in positions:
            positions[col.attr] = (idx, col)
    missing = [c.header for c in columns if c.required and c.attr not in positions]
    if missing:
        return [], [
            f"Trang “{ws.title}”: thiếu cột "
            + ", ".join(f"“{h}”" for h in missing)
            + " ở dòng tiêu đề (hãy dùng mẫu tải từ trang này)."
        ]
    skip = set(not_content)
    out: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(rows_iter, start=header_row + 1):
        texts = {
            attr: _text(values[i], col) if i < len(values) else ""
            for attr, (i, col) in positions.items()
        }
        if not any(v for k, v in texts.items() if k not in skip):
            continue
        if len(out) >= max_rows:
            return out, [too_many]
        out.append((number, texts))
    return out, []


def read_one_sheet(
    data: bytes,
    title: str,
    columns: Sequence[Column],
    *,
    others: Iterable[str],
    max_rows: int,
    too_many: str,
) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The table of a one-table template: the sheet ``title`` (else the first sheet that is
    none of ``others`` — a file of one's own), read by ``read_table``; no row is a problem."""
    wb = open_xlsx(data)
    if wb is None:
        return [], [NOT_XLSX]
    try:
        ws = find_sheet(wb, title, else_first_but=others)
        if ws is None:
            return [], [f"Tệp không có trang “{title}”. Hãy dùng mẫu tải từ trang này."]
        rows, problems = read_table(ws, columns, max_rows=max_rows, too_many=too_many)
    finally:
        wb.close()
    if not rows and not problems:
        problems = [NO_ROWS]
    return rows, problems


def _text(value: Any, col: Column) -> str:
    if col.exact:
        return str(value).strip() if value is not None else ""
    return cell_text(value)


def write_header(ws: Any, headers: list[str], widths: list[int]) -> None:
    """The template's first row: white bold on red, wrapped, the widths given, frozen."""
    ws.append(headers)
    for idx, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=idx)
        cell.font = HEAD_FONT
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(idx)].width = width
    ws.freeze_panes = "A2"
