"""A survey definition (``parindex.survey/v1``) as an XLSX workbook and back. Pure openpyxl,
no database access: what is read is a dict for ``engine.parse_survey`` (which checks it).

Sheets (columns found by their header, in any order; empty rows skipped):

- ``Thông tin``: Mục | Giá trị — Định dạng, Mã phiếu, Tên phiếu, Năm, Khối, Bộ tiêu chí;
- ``Thang đo``: Câu hỏi | Mã phương án | Nhãn | Trọng số | Hài lòng — the common scale
  (Câu hỏi empty) and the own options of a question (its code in Câu hỏi); Trọng số empty:
  "không đánh giá được"; Hài lòng: ``x`` (or có/1/true);
- ``Nhóm``: Mã nhóm | Tên nhóm | Trọng số;
- ``Câu hỏi``: Mã câu hỏi | Nội dung | Tiêu chí | Nhóm (codes separated by commas; empty:
  every group) | Yếu tố SIPAS.

Formula injection: a text cell starting with = + - @ (or ') is written with a leading ' and
read back without it, so a title typed as ``=HYPERLINK(…)`` stays text and the round trip
gives the same definition."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from parindex.engine.fmt import xlsx_text_cells

INFO_SHEET = "Thông tin"
SCALE_SHEET = "Thang đo"
GROUP_SHEET = "Nhóm"
QUESTION_SHEET = "Câu hỏi"
MAX_ROWS = 2000
RISKY = ("=", "+", "-", "@", "'")

# key of the definition -> label in the Thông tin sheet
INFO_ROWS: list[tuple[str, str]] = [
    ("format", "Định dạng"),
    ("code", "Mã phiếu"),
    ("title", "Tên phiếu"),
    ("year", "Năm"),
    ("block", "Khối"),
    ("framework", "Bộ tiêu chí"),
]
SCALE_COLUMNS = ["Câu hỏi", "Mã phương án", "Nhãn", "Trọng số", "Hài lòng"]
GROUP_COLUMNS = ["Mã nhóm", "Tên nhóm", "Trọng số"]
QUESTION_COLUMNS = ["Mã câu hỏi", "Nội dung", "Tiêu chí", "Nhóm", "Yếu tố SIPAS"]
YES = {"x", "có", "co", "1", "true", "yes", "đúng"}


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def guard(value: Any) -> Any:
    """A text that a spreadsheet could read as a formula, prefixed with ' (numbers as is)."""
    if isinstance(value, str) and value.startswith(RISKY):
        return "'" + value
    return value


def unguard(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text[1] in RISKY:
        return text[1:]
    return text


# ---------------------------------------------------------------- writing


def _sheet(wb: Any, title: str, headers: list[str], widths: list[int], first: bool) -> Any:
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(headers)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    return ws


def _option_row(question: str, option: dict[str, Any]) -> list[Any]:
    return [
        guard(question),
        guard(str(option["key"])),
        guard(option["label"]),
        option.get("weight"),
        "x" if option.get("satisfied") else "",
    ]


def build_definition_xlsx(definition: dict[str, Any]) -> bytes:
    """The workbook of a stored (canonical) definition."""
    wb = Workbook()
    ws = _sheet(wb, INFO_SHEET, ["Mục", "Giá trị"], [18, 70], True)
    for key, label in INFO_ROWS:
        if key in definition:
            ws.append([label, guard(definition[key])])
    ws = _sheet(wb, SCALE_SHEET, SCALE_COLUMNS, [12, 14, 40, 10, 10], False)
    for option in definition.get("scale", []):
        ws.append(_option_row("", option))
    for q in definition.get("questions", []):
        for option in q.get("options", []):
            ws.append(_option_row(str(q["code"]), option))
    ws = _sheet(wb, GROUP_SHEET, GROUP_COLUMNS, [14, 60, 10], False)
    for g in definition.get("groups", []):
        ws.append([guard(str(g["code"])), guard(g["title"]), g.get("weight", 1)])
    ws = _sheet(wb, QUESTION_SHEET, QUESTION_COLUMNS, [12, 80, 10, 30, 16], False)
    for q in definition.get("questions", []):
        ws.append(
            [
                guard(str(q["code"])),
                guard(q["text"]),
                guard(q.get("criterion") or ""),
                guard(", ".join(q.get("groups", []))),
                guard(q.get("factor") or ""),
            ]
        )
        ws.cell(row=ws.max_row, column=2).alignment = Alignment(wrap_text=True)
    xlsx_text_cells(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- reading


class XlsxProblems(Exception):
    """The workbook's shape is wrong; ``problems`` lists every one (Vietnamese)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _text(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, texts NFC and stripped, unguarded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return unguard(unicodedata.normalize("NFC", str(value)).strip())


def number_value(value: Any) -> Any:
    """A weight: a number as int/float, a typed text with a decimal comma too; anything else
    as typed (the engine reports it); empty: None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else value
    text = _text(value)
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return text
    return int(number) if number == number.to_integral_value() else float(number)


def _rows(ws: Any, headers: list[str], problems: list[str]) -> list[tuple[int, dict[str, Any]]]:
    rows = ws.iter_rows(values_only=True)
    head = next(rows, None) or ()
    index: dict[str, int] = {}
    for i, cell in enumerate(head):
        name = _norm(_text(cell))
        for h in headers:
            if name == _norm(h) and h not in index:
                index[h] = i
    missing = [h for h in headers if h not in index]
    if missing:
        problems.append(f"Trang “{ws.title}”: thiếu cột {', '.join(missing)} ở dòng tiêu đề.")
        return []
    out: list[tuple[int, dict[str, Any]]] = []
    for n, row in enumerate(rows, start=2):
        if n > MAX_ROWS:
            problems.append(f"Trang “{ws.title}”: quá {MAX_ROWS} dòng.")
            break
        values = {h: (row[i] if i < len(row) else None) for h, i in index.items()}
        if all(_text(v) == "" for v in values.values()):
            continue
        out.append((n, values))
    return out


def _option(values: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"key": _text(values["Mã phương án"]), "label": _text(values["Nhãn"])}
    weight = number_value(values["Trọng số"])
    if weight is not None:
        item["weight"] = weight
    if _norm(_text(values["Hài lòng"])) in YES:
        item["satisfied"] = True
    return item


def parse_definition_xlsx(data: bytes) -> dict[str, Any]:
    """The definition dict of an uploaded workbook; ``XlsxProblems`` if its shape is wrong
    (not an XLSX, a sheet or a column missing, a question's options for an unknown code)."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError):
        raise XlsxProblems(["Tệp không phải bảng tính Excel (.xlsx) đọc được."]) from None
    problems: list[str] = []
    sheets = {_norm(name): wb[name] for name in wb.sheetnames}
    wanted = [INFO_SHEET, SCALE_SHEET, GROUP_SHEET, QUESTION_SHEET]
    missing = [name for name in wanted if _norm(name) not in sheets]
    if missing:
        names = ", ".join(f"“{m}”" for m in missing)
        raise XlsxProblems([f"Bảng tính thiếu trang {names}."])
    data_out: dict[str, Any] = {}
    labels = {_norm(label): key for key, label in INFO_ROWS} | {k: k for k, _ in INFO_ROWS}
    for row in sheets[_norm(INFO_SHEET)].iter_rows(values_only=True):
        if not row:
            continue
        key = labels.get(_norm(_text(row[0])))
        value = row[1] if len(row) > 1 else None
        if key is None or value is None or _text(value) == "":
            continue
        if key == "year":
            number = number_value(value)
            data_out[key] = number if isinstance(number, int) else _text(value)
        else:
            data_out[key] = _text(value)

    groups: list[dict[str, Any]] = []
    for _n, v in _rows(sheets[_norm(GROUP_SHEET)], GROUP_COLUMNS, problems):
        group: dict[str, Any] = {"code": _text(v["Mã nhóm"]), "title": _text(v["Tên nhóm"])}
        weight = number_value(v["Trọng số"])
        if weight is not None:
            group["weight"] = weight
        groups.append(group)
    data_out["groups"] = groups

    questions: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for _n, v in _rows(sheets[_norm(QUESTION_SHEET)], QUESTION_COLUMNS, problems):
        q: dict[str, Any] = {"code": _text(v["Mã câu hỏi"]), "text": _text(v["Nội dung"])}
        if criterion := _text(v["Tiêu chí"]):
            q["criterion"] = criterion
        if names := _text(v["Nhóm"]):
            q["groups"] = [c.strip() for c in names.replace(";", ",").split(",") if c.strip()]
        if factor := _text(v["Yếu tố SIPAS"]):
            q["factor"] = factor
        questions.append(q)
        by_code.setdefault(q["code"], q)
    data_out["questions"] = questions

    scale: list[dict[str, Any]] = []
    for n, v in _rows(sheets[_norm(SCALE_SHEET)], SCALE_COLUMNS, problems):
        owner = _text(v["Câu hỏi"])
        if not owner:
            scale.append(_option(v))
        elif owner in by_code:
            by_code[owner].setdefault("options", []).append(_option(v))
        else:
            problems.append(
                f"Trang “{SCALE_SHEET}” dòng {n}: câu hỏi {owner} không có trong trang "
                f"“{QUESTION_SHEET}”."
            )
    if scale:
        data_out["scale"] = scale
    if problems:
        raise XlsxProblems(problems)
    return data_out
