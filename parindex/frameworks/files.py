"""Framework files: YAML and JSON in the public format, and the XLSX layout of
docs/framework-xlsx.md (sheets "Thông tin" and "Tiêu chí").

Readers return the framework as a spec mapping (numbers from XLSX as exact Decimals) and,
for XLSX, a function naming every engine problem by sheet and row ("Tiêu chí!12: …").
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from parindex import engine
from parindex.common.errors import DomainError
from parindex.engine.fmt import xlsx_text_cells
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.rules import RATIO_MODES, WHEN_ZERO, number_out, to_decimal

FORMAT = "parindex.framework/v1"
ProblemText = Callable[[engine.Problem], str]
ALLOWED_EXTENSIONS = (".yaml", ".yml", ".json", ".xlsx")

# -- YAML / JSON ----------------------------------------------------------------------------


class _Quoted(str):
    """A code: always written in double quotes ("1.1"), as the spec's examples do."""


class _Flow(dict):  # type: ignore[type-arg]
    """A mapping written on one line ({type: choice, options: [...]})."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"')
)
_Dumper.add_representer(
    _Flow,
    lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True),
)


def _yamlish(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        if key in ("rule",) or key == "bands-item":
            return _Flow({k: _yamlish(v, k) for k, v in value.items()})
        return {k: _yamlish(v, k) for k, v in value.items()}
    if isinstance(value, list):
        item_key = "bands-item" if key == "bands" else None
        return [_yamlish(v, item_key) for v in value]
    if key == "code" and isinstance(value, str):
        return _Quoted(value)
    return value


def dump_yaml(data: dict[str, Any]) -> str:
    """The framework as YAML: UTF-8 text, spec key order, codes quoted, rules on one line."""
    return yaml.dump(
        _yamlish(data),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100000,
        default_flow_style=False,
    )


def dump_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _load_text(name: str, content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(
            f"Tệp {name} không đọc được.",
            problems=[f"{name}: tệp không phải văn bản UTF-8 (byte {exc.start})"],
        ) from None


def read_yaml(name: str, content: bytes) -> Any:
    text = _load_text(name, content)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        what = getattr(exc, "problem", None) or str(exc)
        raise DomainError(
            f"Tệp {name} không đọc được.", problems=[f"{name}{line}: YAML không hợp lệ: {what}"]
        ) from None


def read_json(name: str, content: bytes) -> Any:
    text = _load_text(name, content)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DomainError(
            f"Tệp {name} không đọc được.",
            problems=[f"{name}:{exc.lineno}: JSON không hợp lệ: {exc.msg}"],
        ) from None


def read_upload(name: str, content: bytes) -> tuple[Any, ProblemText | None]:
    """A framework file by extension -> (spec mapping, problem namer or None)."""
    lower = name.lower()
    if lower.endswith((".yaml", ".yml")):
        return read_yaml(name, content), None
    if lower.endswith(".json"):
        return read_json(name, content), None
    if lower.endswith(".xlsx"):
        return read_xlsx(name, content)
    raise DomainError(
        f"Tệp {name}: chỉ nhận tệp .yaml, .yml, .json hoặc .xlsx.",
        problems=[f"{name}: định dạng tệp không được hỗ trợ"],
    )


# -- XLSX layout ----------------------------------------------------------------------------

INFO_SHEET = "Thông tin"
NODE_SHEET = "Tiêu chí"
HELP_SHEET = "Hướng dẫn"
INFO_LABELS = {
    "code": "Mã bộ tiêu chí",
    "title": "Tên bộ tiêu chí",
    "year": "Năm",
    "block": "Khối",
}
BANDS_HEADER = ("Chỉ số từ", "Xếp loại")
COLUMNS: list[tuple[str, str, int]] = [
    ("code", "Mã", 10),
    ("parent", "Mã cấp trên", 10),
    ("title", "Nội dung", 60),
    ("max", "Điểm tối đa", 10),
    ("rule", "Cách tính điểm", 14),
    ("options", "Các mức lựa chọn", 40),
    ("mode", "Kiểu tỷ lệ", 13),
    ("steps", "Các ngưỡng", 24),
    ("when_zero", "Khi mẫu số bằng 0", 13),
    ("per", "Điểm mỗi đơn vị", 10),
    ("floor", "Điểm sàn", 9),
    ("min", "Giá trị tối thiểu", 10),
    ("source", "Nguồn điểm", 10),
    ("allow_na", "Cho phép KAD", 9),
    ("bonus", "Điểm thưởng", 9),
    ("evidence", "Tài liệu kiểm chứng", 40),
    ("guide", "Hướng dẫn", 40),
]
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
DOMAIN_FILL = PatternFill("solid", fgColor="F2F2F2")


def _vn(value: Any) -> str:
    """A number inside a text cell, as Vietnamese write it: 0.5 -> '0,5'."""
    dec = to_decimal(value)
    if dec is None:
        return str(value)
    text = format(dec.normalize(), "f")
    return text.replace(".", ",")


def options_text(options: list[dict[str, Any]]) -> str:
    return "; ".join(f"{o['key']}={o['label']}:{_vn(o['points'])}" for o in options)


def steps_text(steps: list[dict[str, Any]]) -> str:
    return "; ".join(f"{_vn(s['min_percent'])}%:{_vn(s['points'])}" for s in steps)


def _header(ws: Any, titles: list[str], widths: list[int]) -> None:
    ws.append(titles)
    for i, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def _info_sheet(ws: Any, data: dict[str, Any]) -> None:
    _header(ws, ["Thuộc tính", "Giá trị"], [22, 70])
    for key, label in INFO_LABELS.items():
        ws.append([label, data.get(key)])
    ws.cell(row=3, column=2).number_format = "@"
    ws.cell(row=2, column=2).number_format = "@"
    ws.append([])
    ws.append(list(BANDS_HEADER))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for band in data.get("bands") or []:
        ws.append([band["min"], band["label"]])


def _node_row(node: dict[str, Any], parent: str | None) -> list[Any]:
    rule = node.get("rule") or {}
    values: dict[str, Any] = {
        "code": node["code"],
        "parent": parent,
        "title": node["title"],
        "max": node.get("max"),
        "rule": rule.get("type"),
        "options": options_text(rule["options"]) if "options" in rule else None,
        "mode": rule.get("mode"),
        "steps": steps_text(rule["steps"]) if "steps" in rule else None,
        "when_zero": rule.get("when_zero"),
        "per": rule.get("per"),
        "floor": rule.get("floor"),
        "min": rule.get("min"),
        "source": node.get("source") if node.get("source") not in (None, "self") else None,
        "allow_na": "x" if node.get("allow_na") else None,
        "bonus": "x" if node.get("bonus") else None,
        "evidence": node.get("evidence"),
        "guide": node.get("guide"),
    }
    return [values[key] for key, _, _ in COLUMNS]


def _help_sheet(ws: Any) -> None:
    _header(ws, ["Cột / giá trị", "Ý nghĩa"], [28, 100])
    rows = [
        ("Mã", "Mã tiêu chí, duy nhất trong bộ tiêu chí (ô dạng văn bản, ví dụ 1.1.2)."),
        ("Mã cấp trên", "Mã của tiêu chí cha (phải ở dòng phía trên); để trống với lĩnh vực."),
        ("Điểm tối đa", "Bắt buộc với tiêu chí chấm điểm; ở tiêu chí cha có thể để trống."),
        ("Cách tính điểm", "Một trong các khóa dưới đây; để trống ở tiêu chí có tiêu chí con."),
    ]
    for value, label in FrameworkNode.RuleType.choices:
        rows.append((f"  {value}", label))
    rows += [
        ("Các mức lựa chọn", "choice: khóa=nội dung:điểm; … ví dụ a=Đúng thời hạn:1; b=Chậm:0,5"),
        ("Kiểu tỷ lệ", "ratio: proportional (tỷ lệ thuận) hoặc steps (theo ngưỡng)"),
        ("Các ngưỡng", "ratio steps, từ cao xuống thấp: 100%:2; 80%:1; 70%:0,5"),
        (
            "Khi mẫu số bằng 0",
            "ratio: zero (0 điểm, mặc định), full (điểm tối đa), na (không tính)",
        ),
        ("Điểm mỗi đơn vị", "count, deduction: số điểm cộng/trừ cho mỗi trường hợp"),
        ("Điểm sàn", "deduction: điểm thấp nhất (mặc định 0, có thể âm)"),
        ("Giá trị tối thiểu", "number: điểm nhập thấp nhất (mặc định 0)"),
        ("Nguồn điểm", "self (đơn vị tự đánh giá, mặc định) hoặc survey (điều tra XHH)"),
        ("Cho phép KAD, Điểm thưởng", "x nếu có; để trống nếu không"),
    ]
    for row in rows:
        ws.append(list(row))


def xlsx_bytes(data: dict[str, Any] | None) -> bytes:
    """A workbook in the documented layout; ``None`` gives the empty import template."""
    wb = Workbook()
    info = wb.active
    info.title = INFO_SHEET
    _info_sheet(info, data or {})
    ws = wb.create_sheet(NODE_SHEET)
    _header(ws, [title for _, title, _ in COLUMNS], [width for _, _, width in COLUMNS])

    def walk(nodes: list[dict[str, Any]], parent: str | None) -> None:
        for node in nodes:
            ws.append(_node_row(node, parent))
            row = ws.max_row
            ws.cell(row=row, column=1).number_format = "@"
            ws.cell(row=row, column=2).number_format = "@"
            if parent is None:
                for cell in ws[row]:
                    cell.font = Font(bold=True)
                    cell.fill = DOMAIN_FILL
            walk(node.get("children") or [], node["code"])

    walk((data or {}).get("nodes") or [], None)
    if data is None:  # the template: codes typed in later stay text (1.10 is not 1.1)
        for column in (1, 2):
            for row in range(2, 301):
                ws.cell(row=row, column=column).number_format = "@"
    _help_sheet(wb.create_sheet(HELP_SHEET))
    xlsx_text_cells(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- XLSX reading ---------------------------------------------------------------------------

_TRUE = {"x", "có", "co", "1", "true", "yes", "đúng"}
_FALSE = {"", "không", "khong", "0", "false", "no"}


def _norm(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip().casefold()


class _XlsxReader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[str] = []
        self.node_rows: dict[str, int] = {}
        self.path_rows: dict[str, int] = {}
        self.info_rows: dict[str, int] = {}
        self.band_rows: list[int] = []

    def add(self, sheet: str, row: int | None, message: str) -> None:
        self.problems.append(f"{sheet}!{row}: {message}" if row else f"{sheet}: {message}")

    def code(self, value: Any, sheet: str, row: int, column: str) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, float):
            if value.is_integer():
                return str(int(value))
            self.add(
                sheet,
                row,
                f"{column}: {value!r} đang là số; hãy định dạng ô là văn bản (Text) rồi "
                "gõ lại mã (ví dụ 1.10 bị đọc thành 1.1)",
            )
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return str(value).strip()

    @staticmethod
    def number(value: Any) -> Any:
        """A cell as an exact Decimal (``0,5`` accepted); anything else is passed on as it is,
        so the engine names it ("… phải là một số, không phải 'abc'")."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        dec = to_decimal(value)
        return dec if dec is not None else value

    def flag(self, value: Any, row: int, column: str) -> bool:
        text = _norm(value) if value is not None else ""
        if text in _TRUE:
            return True
        if text not in _FALSE:
            self.add(
                NODE_SHEET,
                row,
                f"{column}: ghi x nếu có, để trống nếu không (không phải {value!r})",
            )
        return False

    def keyword(self, value: Any, choices: dict[str, str], row: int, column: str) -> str | None:
        """A key (``steps``) or its Vietnamese label (``Theo ngưỡng``), case-insensitive."""
        if value is None or not str(value).strip():
            return None
        text = _norm(value)
        for key, label in choices.items():
            if text in (key.casefold(), _norm(label)):
                return key
        allowed = ", ".join(choices)
        self.add(NODE_SHEET, row, f"{column}: {value!r} không hợp lệ (dùng một trong: {allowed})")
        return None

    # -- sheets ---------------------------------------------------------------------------
    def info(self, ws: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"format": FORMAT}
        labels = {_norm(v): k for k, v in INFO_LABELS.items()}
        bands: list[dict[str, Any]] | None = None
        for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
            first = row[0] if row else None
            second = row[1] if len(row) > 1 else None
            if bands is not None:
                if first is None and second is None:
                    break
                self.band_rows.append(r)
                bands.append(
                    {
                        "min": self.number(first),
                        "label": str(second).strip() if second is not None else None,
                    }
                )
                continue
            if first is None:
                continue
            key = labels.get(_norm(first))
            if key is not None:
                self.info_rows[key] = r
                if key == "year":
                    if isinstance(second, float) and second.is_integer():
                        second = int(second)
                    elif isinstance(second, str) and second.strip().isdigit():
                        second = int(second.strip())
                    data["year"] = second
                elif key == "code":
                    data["code"] = self.code(second, INFO_SHEET, r, INFO_LABELS["code"])
                else:
                    data[key] = str(second).strip() if second is not None else None
            elif _norm(first) == _norm(BANDS_HEADER[0]):
                bands = []
        for key, label in INFO_LABELS.items():
            if key not in self.info_rows:
                self.add(INFO_SHEET, None, f"thiếu dòng «{label}» ở cột A")
        if bands:
            data["bands"] = bands
        return data

    def nodes(self, ws: Any) -> list[dict[str, Any]]:
        rows = enumerate(ws.iter_rows(values_only=True), start=1)
        header = next(rows, (1, None))[1]
        if header is None:
            self.add(NODE_SHEET, None, "trang tính trống")
            return []
        by_title = {_norm(title): key for key, title, _ in COLUMNS}
        col: dict[str, int] = {}
        for i, value in enumerate(header):
            if value is not None and _norm(value) in by_title:
                col[by_title[_norm(value)]] = i
        for key in ("code", "parent", "title"):
            if key not in col:
                title = next(t for k, t, _ in COLUMNS if k == key)
                self.add(NODE_SHEET, 1, f"thiếu cột «{title}»")
        if self.problems:
            return []
        titles = {key: title for key, title, _ in COLUMNS}
        records: list[tuple[int, dict[str, Any]]] = []
        for r, row in rows:
            values = {k: (row[i] if i < len(row) else None) for k, i in col.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                continue
            records.append((r, values))
        roots: list[dict[str, Any]] = []
        by_code: dict[str, dict[str, Any]] = {}
        for r, v in records:
            code = self.code(v.get("code"), NODE_SHEET, r, titles["code"])
            if code is None:
                if v.get("code") is None:
                    self.add(NODE_SHEET, r, "thiếu mã tiêu chí")
                continue
            node = self.node(r, v, code, titles)
            if code in self.node_rows:
                self.add(
                    NODE_SHEET, r, f"mã {code} bị trùng (đã dùng ở dòng {self.node_rows[code]})"
                )
                continue
            self.node_rows[code] = r
            parent_code = self.code(v.get("parent"), NODE_SHEET, r, titles["parent"])
            if parent_code is None:
                self.path_rows[f"nodes[{len(roots)}]"] = r
                node["_path"] = f"nodes[{len(roots)}]"
                roots.append(node)
            elif parent_code not in by_code:
                self.add(
                    NODE_SHEET,
                    r,
                    f"mã cấp trên {parent_code} không có ở các dòng phía trên",
                )
                continue
            else:
                parent = by_code[parent_code]
                kids = parent.setdefault("children", [])
                node["_path"] = f"{parent['_path']}.children[{len(kids)}]"
                self.path_rows[node["_path"]] = r
                kids.append(node)
            by_code[code] = node
        for node in by_code.values():
            node.pop("_path", None)
        return roots

    def node(self, r: int, v: dict[str, Any], code: str, titles: dict[str, str]) -> dict[str, Any]:
        node: dict[str, Any] = {"code": code}
        title = v.get("title")
        node["title"] = str(title).strip() if title is not None else None
        if v.get("max") is not None:
            node["max"] = self.number(v.get("max"))
        rule_type = self.keyword(
            v.get("rule"),
            {key: label for key, label in FrameworkNode.RuleType.choices},
            r,
            titles["rule"],
        )
        if rule_type is not None:
            rule: dict[str, Any] = {"type": rule_type}
            if v.get("options") not in (None, ""):
                rule["options"] = self.options(v["options"], r, titles["options"])
            mode = self.keyword(v.get("mode"), RATIO_MODES, r, titles["mode"])
            if mode is not None:
                rule["mode"] = mode
            if v.get("steps") not in (None, ""):
                rule["steps"] = self.steps(v["steps"], r, titles["steps"])
            when = self.keyword(v.get("when_zero"), WHEN_ZERO, r, titles["when_zero"])
            if when is not None:
                rule["when_zero"] = when
            for key in ("per", "floor", "min"):
                value = self.number(v.get(key))
                if value is not None:
                    rule[key] = value
            node["rule"] = rule
        source = self.keyword(
            v.get("source"),
            {"self": "Tự đánh giá", "survey": "Điều tra XHH"},
            r,
            titles["source"],
        )
        if source is not None and source != "self":
            node["source"] = source
        if self.flag(v.get("allow_na"), r, titles["allow_na"]):
            node["allow_na"] = True
        if self.flag(v.get("bonus"), r, titles["bonus"]):
            node["bonus"] = True
        for key in ("evidence", "guide"):
            text = v.get(key)
            if text is not None and str(text).strip():
                node[key] = str(text).strip()
        return node

    def _pairs(self, value: Any, r: int, column: str, example: str) -> list[tuple[str, str]]:
        out = []
        for item in re.split(r"[;\n]", str(value)):
            if not item.strip():
                continue
            left, sep, right = item.rpartition(":")
            if not sep or not left.strip():
                self.add(NODE_SHEET, r, f"{column}: «{item.strip()}» phải có dạng {example}")
                continue
            out.append((left.strip(), right.strip()))
        return out

    def options(self, value: Any, r: int, column: str) -> list[dict[str, Any]]:
        out = []
        for left, right in self._pairs(value, r, column, "khóa=nội dung:điểm"):
            key, sep, label = left.partition("=")
            if not sep:
                self.add(
                    NODE_SHEET, r, f"{column}: «{left}:{right}» phải có dạng khóa=nội dung:điểm"
                )
                continue
            out.append({"key": key.strip(), "label": label.strip(), "points": self.number(right)})
        return out

    def steps(self, value: Any, r: int, column: str) -> list[dict[str, Any]]:
        out = []
        for left, right in self._pairs(value, r, column, "phần trăm%:điểm, ví dụ 80%:1"):
            low = self.number(left.rstrip("%").strip())
            out.append({"min_percent": low, "points": self.number(right)})
        return out

    def describe(self, problem: engine.Problem) -> str:
        where = problem.where
        if where.startswith("node "):
            code = where[5:]
            row = self.node_rows.get(code)
            return f"{NODE_SHEET}!{row} (mã {code}): {problem.message_vi}"
        path = where.split(":")[0]
        if path in self.path_rows:
            return f"{NODE_SHEET}!{self.path_rows[path]}: {problem.message_vi}"
        if where in self.info_rows:
            return f"{INFO_SHEET}!{self.info_rows[where]}: {problem.message_vi}"
        m = re.match(r"bands\[(\d+)\]", where)
        if m and int(m.group(1)) < len(self.band_rows):
            return f"{INFO_SHEET}!{self.band_rows[int(m.group(1))]}: {problem.message_vi}"
        if where == "nodes":
            return f"{NODE_SHEET}: {problem.message_vi}"
        return f"{INFO_SHEET}: {problem.message_vi}"


def read_xlsx(name: str, content: bytes) -> tuple[dict[str, Any], ProblemText]:
    """An XLSX framework -> (spec mapping, problem namer). Cell problems raise DomainError."""
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file gets the same message
        raise DomainError(
            f"Tệp {name} không đọc được.",
            problems=[f"{name}: không phải tệp Excel (.xlsx) hợp lệ"],
        ) from None
    reader = _XlsxReader(name)
    missing = [s for s in (INFO_SHEET, NODE_SHEET) if s not in wb.sheetnames]
    if missing:
        wb.close()
        raise DomainError(
            f"Tệp {name} không đúng mẫu.",
            problems=[f"{name}: thiếu trang tính «{s}»" for s in missing],
        )
    data = reader.info(wb[INFO_SHEET])
    data["nodes"] = reader.nodes(wb[NODE_SHEET])
    wb.close()
    if reader.problems:
        problems = list(reader.problems)
        try:
            engine.parse_framework(data, source=name)
        except engine.InvalidInput as exc:
            problems.extend(reader.describe(p) for p in exc.problems)
        raise DomainError(f"Tệp {name} có {len(problems)} lỗi; chưa lưu gì.", problems=problems)
    return data, reader.describe


def spec_numbers(data: Any) -> Any:
    """Decimals -> int/float, for comparing a mapping read from XLSX with one from YAML."""
    if isinstance(data, dict):
        return {k: spec_numbers(v) for k, v in data.items()}
    if isinstance(data, list):
        return [spec_numbers(v) for v in data]
    if isinstance(data, Decimal):
        return number_out(data)
    return data
