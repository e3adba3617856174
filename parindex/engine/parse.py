"""Reading and validating a criteria framework (``parindex.framework/v1``).

Every problem is collected; :class:`InvalidInput` is raised with all of them at the end.
Problems about a node name it by code (``node 1.1.2``) once its code is known, else by
its path in the file (``nodes[2].children[0]``).
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml

from .errors import InvalidInput, Problem
from .model import (
    FORMAT,
    RULE_TYPES,
    ZERO,
    Band,
    BooleanRule,
    ChoiceRule,
    CountRule,
    DeductionRule,
    Framework,
    Node,
    NumberRule,
    Option,
    RatioRule,
    RelativeRule,
    Rule,
    Step,
    SurveyRule,
)

HUNDRED = Decimal(100)


def fmt_dec(value: Decimal) -> str:
    """A decimal as plain text for messages: ``1.50`` -> ``1.5``, ``1E+2`` -> ``100``."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def to_decimal(value: object) -> Decimal | None:
    """A YAML/JSON number as a Decimal (``None`` for anything else, booleans included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.seen: dict[str, str] = {}

    def add(self, where: str, message: str, message_vi: str) -> None:
        self.problems.append(Problem(self.source, where, message, message_vi))

    # -- helpers -------------------------------------------------------------------------
    def text(self, raw: dict[str, Any], key: str, where: str, *, required: bool) -> str | None:
        if key not in raw or raw[key] is None:
            if required:
                self.add(where, f"{key} is missing", f"thiếu {key}")
            return None
        value = raw[key]
        if not isinstance(value, str) or not value.strip():
            self.add(where, f"{key} must be non-empty text", f"{key} phải là chuỗi ký tự khác rỗng")
            return None
        return value.strip()

    def flag(self, raw: dict[str, Any], key: str, where: str) -> bool:
        value = raw.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.add(
                where,
                f"{key} must be true or false, not {value!r}",
                f"{key} phải là true hoặc false, không phải {value!r}",
            )
            return False
        return value

    def number(
        self, raw: dict[str, Any], key: str, where: str, *, required: bool, prefix: str = ""
    ) -> Decimal | None:
        if key not in raw or raw[key] is None:
            if required:
                self.add(where, f"{prefix}{key} is missing", f"{prefix}thiếu {key}")
            return None
        value = to_decimal(raw[key])
        if value is None:
            self.add(
                where,
                f"{prefix}{key} must be a number, not {raw[key]!r}",
                f"{prefix}{key} phải là một số, không phải {raw[key]!r}",
            )
        return value

    # -- framework -----------------------------------------------------------------------
    def framework(self, data: object) -> Framework | None:
        if not isinstance(data, dict):
            self.add(
                "",
                "the framework must be a mapping with format, code, title, year, block and nodes",
                "bộ tiêu chí phải là một ánh xạ gồm format, code, title, year, block và nodes",
            )
            return None
        fmt = data.get("format")
        if fmt != FORMAT:
            if fmt is None:
                self.add(
                    "format",
                    f"format is missing (expected {FORMAT})",
                    f"thiếu format (phải là {FORMAT})",
                )
            else:
                self.add(
                    "format",
                    f"format must be {FORMAT}, not {fmt!r}",
                    f"format phải là {FORMAT}, không phải {fmt!r}",
                )
        code = self.code_of(data, "code")
        title = self.text(data, "title", "title", required=True)
        year_raw = data.get("year")
        year: int | None = None
        if year_raw is None:
            self.add("year", "year is missing", "thiếu year")
        elif isinstance(year_raw, bool) or not isinstance(year_raw, int):
            self.add(
                "year",
                f"year must be a whole number, not {year_raw!r}",
                f"year phải là số nguyên, không phải {year_raw!r}",
            )
        else:
            year = year_raw
        block = self.text(data, "block", "block", required=True)
        bands = self.bands(data.get("bands"))
        nodes_raw = data.get("nodes")
        nodes: list[Node] = []
        if not isinstance(nodes_raw, list) or not nodes_raw:
            self.add(
                "nodes", "nodes must be a non-empty list", "nodes phải là danh sách không rỗng"
            )
        else:
            for i, raw in enumerate(nodes_raw):
                node = self.node(raw, f"nodes[{i}]", None, 0, False)
                if node is not None:
                    nodes.append(node)
        if self.problems or code is None or title is None or year is None or block is None:
            return None
        return Framework(
            code=code, title=title, year=year, block=block, bands=bands, nodes=tuple(nodes)
        )

    def code_of(self, raw: dict[str, Any], where: str) -> str | None:
        value = raw.get("code")
        if value is None:
            self.add(where, "code is missing", "thiếu mã (code)")
            return None
        if isinstance(value, float):
            self.add(
                where,
                f'code {value!r} was read as a number: quote it, e.g. code: "{value!r}"',
                f'mã {value!r} bị đọc thành số: hãy đặt trong dấu nháy, ví dụ code: "{value!r}"',
            )
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.add(where, "code must be text", "mã (code) phải là chuỗi ký tự")
            return None
        text = str(value).strip()
        if not text:
            self.add(where, "code must not be empty", "mã (code) không được để trống")
            return None
        return text

    def bands(self, raw: object) -> tuple[Band, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.add("bands", "bands must be a list", "bands phải là danh sách")
            return ()
        bands: list[Band] = []
        ok = True
        for i, item in enumerate(raw):
            where = f"bands[{i}]"
            if not isinstance(item, dict):
                self.add(where, "a band must be {min, label}", "mỗi mức phải có dạng {min, label}")
                ok = False
                continue
            low = self.number(item, "min", where, required=True)
            label = self.text(item, "label", where, required=True)
            if low is None or label is None:
                ok = False
                continue
            if bands and low >= bands[-1].min:
                self.add(
                    where,
                    f"bands must be listed highest first: min {fmt_dec(low)} is not below "
                    f"{fmt_dec(bands[-1].min)}",
                    f"các mức xếp loại phải xếp từ cao xuống thấp: min {fmt_dec(low)} không nhỏ "
                    f"hơn {fmt_dec(bands[-1].min)}",
                )
                ok = False
            bands.append(Band(min=low, label=label))
        return tuple(bands) if ok else ()

    # -- nodes ---------------------------------------------------------------------------
    def node(
        self, raw: object, path: str, parent: str | None, depth: int, inherited_bonus: bool
    ) -> Node | None:
        if not isinstance(raw, dict):
            self.add(
                path,
                "a node must be a mapping with code and title",
                "mỗi nút phải có code và title",
            )
            return None
        n_before = len(self.problems)
        code = self.code_of(raw, path)
        where = f"node {code}" if code is not None else path
        if code is not None:
            if code in self.seen:
                self.add(
                    path,
                    f"code {code} is used twice (first at {self.seen[code]})",
                    f"mã {code} bị trùng (đã dùng ở {self.seen[code]})",
                )
                where = path
            else:
                self.seen[code] = path
        title = self.text(raw, "title", where, required=True)
        own_bonus = self.flag(raw, "bonus", where)
        bonus = inherited_bonus or own_bonus
        evidence = self.text(raw, "evidence", where, required=False)
        guide = self.text(raw, "guide", where, required=False)
        declared_max = self.number(raw, "max", where, required=False)
        if declared_max is not None and declared_max <= 0:
            self.add(
                where,
                f"max must be greater than 0, not {fmt_dec(declared_max)}",
                f"max phải lớn hơn 0, không phải {fmt_dec(declared_max)}",
            )
        if "children" in raw:
            return self.inner(
                raw,
                path,
                where,
                code,
                title,
                declared_max,
                parent,
                depth,
                own_bonus,
                bonus,
                evidence,
                guide,
                n_before,
            )
        # a leaf
        if "max" not in raw or raw["max"] is None:
            self.add(
                where,
                "a leaf must have max (a number greater than 0)",
                "nút lá phải có max (một số lớn hơn 0)",
            )
        rule: Rule | None = None
        if "rule" not in raw or raw["rule"] is None:
            self.add(where, "a leaf must have a rule", "nút lá phải có quy tắc chấm điểm (rule)")
        else:
            rule = self.rule(raw["rule"], where, declared_max)
        source_raw = raw.get("source", "self")
        source: Literal["self", "survey"] = "self"
        if source_raw == "survey":
            source = "survey"
        elif source_raw != "self":
            self.add(
                where,
                f"source must be self or survey, not {source_raw!r}",
                f"source phải là self hoặc survey, không phải {source_raw!r}",
            )
        if isinstance(rule, SurveyRule) and source_raw != "survey":
            self.add(
                where, "a survey rule needs source: survey", "quy tắc survey phải có source: survey"
            )
        if source_raw == "survey" and rule is not None and not isinstance(rule, SurveyRule):
            self.add(
                where,
                "source: survey needs a rule of type survey",
                "tiêu chí có source: survey phải dùng quy tắc survey",
            )
        allow_na = self.flag(raw, "allow_na", where)
        if len(self.problems) > n_before or code is None or title is None or rule is None:
            return None
        assert declared_max is not None  # noqa: S101 - narrows the type for mypy: an invariant, not a check
        return Node(
            code=code, title=title, max=declared_max, total_max=declared_max, children=(),
            rule=rule, source=source, allow_na=allow_na, own_bonus=own_bonus, bonus=bonus,
            evidence=evidence, guide=guide, parent=parent, depth=depth,
        )  # fmt: skip

    def inner(
        self,
        raw: dict[str, Any],
        path: str,
        where: str,
        code: str | None,
        title: str | None,
        declared_max: Decimal | None,
        parent: str | None,
        depth: int,
        own_bonus: bool,
        bonus: bool,
        evidence: str | None,
        guide: str | None,
        n_before: int,
    ) -> Node | None:
        for key in ("rule", "source", "allow_na"):
            if key in raw:
                self.add(
                    where,
                    f"a node with children must not have {key} (only leaves are scored)",
                    f"nút có tiêu chí con không được có {key} (chỉ nút lá được chấm điểm)",
                )
        kids_raw = raw["children"]
        if not isinstance(kids_raw, list) or not kids_raw:
            self.add(
                where, "children must be a non-empty list", "children phải là danh sách không rỗng"
            )
            return None
        kids: list[Node] = []
        all_ok = True
        for i, kid_raw in enumerate(kids_raw):
            kid = self.node(kid_raw, f"{path}.children[{i}]", code, depth + 1, bonus)
            if kid is None:
                all_ok = False
            else:
                kids.append(kid)
        total = ZERO
        for kid in kids:
            if bonus or not kid.bonus:
                total += kid.total_max
        if all_ok and declared_max is not None and declared_max > 0 and declared_max != total:
            self.add(
                where,
                f"max {fmt_dec(declared_max)} is not the sum of its children's max {fmt_dec(total)}",
                f"max {fmt_dec(declared_max)} khác tổng max của các tiêu chí con {fmt_dec(total)}",
            )
        if len(self.problems) > n_before or code is None or title is None:
            return None
        return Node(
            code=code, title=title, max=declared_max, total_max=total, children=tuple(kids),
            rule=None, own_bonus=own_bonus, bonus=bonus, evidence=evidence, guide=guide,
            parent=parent, depth=depth,
        )  # fmt: skip

    # -- rules ---------------------------------------------------------------------------
    def rule(self, raw: object, where: str, max_: Decimal | None) -> Rule | None:
        if not isinstance(raw, dict):
            self.add(where, "rule must be a mapping with a type", "rule phải là ánh xạ có type")
            return None
        kind = raw.get("type")
        if kind not in RULE_TYPES:
            allowed = ", ".join(RULE_TYPES)
            if kind is None:
                self.add(
                    where,
                    f"rule: type is missing (one of {allowed})",
                    f"rule: thiếu type (một trong {allowed})",
                )
            else:
                self.add(
                    where,
                    f"rule: unknown type {kind!r} (expected one of {allowed})",
                    f"rule: loại quy tắc không hợp lệ {kind!r} (phải là một trong {allowed})",
                )
            return None
        n_before = len(self.problems)
        rule: Rule | None = None
        if kind == "choice":
            rule = self.choice(raw, where, max_)
        elif kind == "boolean":
            rule = BooleanRule()
        elif kind == "number":
            low = self.number(raw, "min", where, required=False, prefix="rule: ")
            low = ZERO if low is None else low
            if max_ is not None and low >= max_:
                self.add(
                    where,
                    f"rule: min {fmt_dec(low)} must be below max {fmt_dec(max_)}",
                    f"rule: min {fmt_dec(low)} phải nhỏ hơn max {fmt_dec(max_)}",
                )
            rule = NumberRule(min=low)
        elif kind == "ratio":
            rule = self.ratio(raw, where, max_)
        elif kind in ("count", "deduction"):
            per = self.number(raw, "per", where, required=True, prefix="rule: ")
            if per is not None and per <= 0:
                self.add(
                    where,
                    f"rule: per must be greater than 0, not {fmt_dec(per)}",
                    f"rule: per phải lớn hơn 0, không phải {fmt_dec(per)}",
                )
            if kind == "count":
                if per is not None:
                    rule = CountRule(per=per)
            else:
                floor = self.number(raw, "floor", where, required=False, prefix="rule: ")
                floor = ZERO if floor is None else floor
                if max_ is not None and floor > max_:
                    self.add(
                        where,
                        f"rule: floor {fmt_dec(floor)} must not be above max {fmt_dec(max_)}",
                        f"rule: floor {fmt_dec(floor)} không được lớn hơn max {fmt_dec(max_)}",
                    )
                if per is not None:
                    rule = DeductionRule(per=per, floor=floor)
        elif kind == "relative":
            rule = RelativeRule()
        else:
            rule = SurveyRule()
        return rule if len(self.problems) == n_before else None

    def choice(self, raw: dict[str, Any], where: str, max_: Decimal | None) -> ChoiceRule | None:
        options_raw = raw.get("options")
        if not isinstance(options_raw, list) or not options_raw:
            self.add(
                where,
                "rule: options must be a non-empty list",
                "rule: options phải là danh sách không rỗng",
            )
            return None
        options: list[Option] = []
        keys: set[str] = set()
        for i, item in enumerate(options_raw):
            at = f"rule: options[{i}]: "
            if not isinstance(item, dict):
                self.add(
                    where,
                    f"{at}an option must be {{key, label, points}}",
                    f"{at}mỗi phương án phải có dạng {{key, label, points}}",
                )
                continue
            key_raw = item.get("key")
            key: str | None = None
            if (
                isinstance(key_raw, bool)
                or not isinstance(key_raw, str | int)
                or not str(key_raw).strip()
            ):
                self.add(
                    where,
                    f"{at}key must be non-empty text",
                    f"{at}key phải là chuỗi ký tự khác rỗng",
                )
            else:
                key = str(key_raw).strip()
                if key.casefold() in keys:
                    self.add(
                        where,
                        f"{at}option key {key} is used twice",
                        f"{at}khóa phương án {key} bị trùng",
                    )
                keys.add(key.casefold())
            label = self.text(item, "label", where, required=True)
            points = self.number(item, "points", where, required=True, prefix=at)
            if points is not None and max_ is not None and points > max_:
                self.add(
                    where,
                    f"{at}points {fmt_dec(points)} are above the max {fmt_dec(max_)}",
                    f"{at}điểm {fmt_dec(points)} lớn hơn max {fmt_dec(max_)}",
                )
            if key is not None and label is not None and points is not None:
                options.append(Option(key=key, label=label, points=points))
        return ChoiceRule(options=tuple(options))

    def ratio(self, raw: dict[str, Any], where: str, max_: Decimal | None) -> RatioRule | None:
        mode = raw.get("mode")
        when_zero = raw.get("when_zero", "zero")
        ok = True
        if when_zero not in ("na", "full", "zero"):
            self.add(
                where,
                f"rule: when_zero must be na, full or zero, not {when_zero!r}",
                f"rule: when_zero phải là na, full hoặc zero, không phải {when_zero!r}",
            )
            ok = False
        if mode not in ("proportional", "steps"):
            self.add(
                where,
                f"rule: mode must be proportional or steps, not {mode!r}",
                f"rule: mode phải là proportional hoặc steps, không phải {mode!r}",
            )
            return None
        steps: list[Step] = []
        if mode == "proportional":
            if raw.get("steps") is not None:
                self.add(
                    where,
                    "rule: steps are only used with mode: steps",
                    "rule: steps chỉ dùng với mode: steps",
                )
                ok = False
        else:
            steps_raw = raw.get("steps")
            if not isinstance(steps_raw, list) or not steps_raw:
                self.add(
                    where,
                    "rule: steps must be a non-empty list",
                    "rule: steps phải là danh sách không rỗng",
                )
                return None
            for i, item in enumerate(steps_raw):
                at = f"rule: steps[{i}]: "
                if not isinstance(item, dict):
                    self.add(
                        where,
                        f"{at}a step must be {{min_percent, points}}",
                        f"{at}mỗi bậc phải có dạng {{min_percent, points}}",
                    )
                    ok = False
                    continue
                low = self.number(item, "min_percent", where, required=True, prefix=at)
                points = self.number(item, "points", where, required=True, prefix=at)
                if low is None or points is None:
                    ok = False
                    continue
                if not ZERO <= low <= HUNDRED:
                    self.add(
                        where,
                        f"{at}min_percent {fmt_dec(low)} must be between 0 and 100",
                        f"{at}min_percent {fmt_dec(low)} phải từ 0 đến 100",
                    )
                    ok = False
                if max_ is not None and points > max_:
                    self.add(
                        where,
                        f"{at}points {fmt_dec(points)} are above the max {fmt_dec(max_)}",
                        f"{at}điểm {fmt_dec(points)} lớn hơn max {fmt_dec(max_)}",
                    )
                    ok = False
                if steps and low >= steps[-1].min_percent:
                    self.add(
                        where,
                        f"{at}steps must be listed highest first: min_percent {fmt_dec(low)} is "
                        f"not below {fmt_dec(steps[-1].min_percent)}",
                        f"{at}các bậc phải xếp từ cao xuống thấp: min_percent {fmt_dec(low)} không "
                        f"nhỏ hơn {fmt_dec(steps[-1].min_percent)}",
                    )
                    ok = False
                steps.append(Step(min_percent=low, points=points))
        if not ok:
            return None
        return RatioRule(mode=mode, steps=tuple(steps), when_zero=when_zero)


def parse_framework(data: object, *, source: str) -> Framework:
    """Validate an already-loaded framework (a dict from YAML or JSON).

    Raises :class:`InvalidInput` with every problem found.
    """
    parser = _Parser(source)
    framework = parser.framework(data)
    if parser.problems or framework is None:
        raise InvalidInput(parser.problems)
    return framework


def read_text(path: str | Path, source: str) -> str:
    """A file's text (UTF-8, BOM tolerated); unreadable files raise :class:`InvalidInput`."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InvalidInput(
            [Problem(source, "", f"cannot read file: {reason}", f"không đọc được tệp: {reason}")]
        ) from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            [
                Problem(
                    source,
                    "",
                    f"the file is not UTF-8 text (byte {exc.start})",
                    f"tệp không phải văn bản UTF-8 (byte {exc.start})",
                )
            ]
        ) from None


def load_framework(path: str | Path) -> Framework:
    """Read and validate a framework file (``.yaml``, ``.yml`` or ``.json``)."""
    source = Path(path).name
    text = read_text(path, source)
    data: object
    if Path(path).suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                [
                    Problem(
                        source,
                        str(exc.lineno),
                        f"invalid JSON: {exc.msg}",
                        f"JSON không hợp lệ: {exc.msg}",
                    )
                ]
            ) from None
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = str(mark.line + 1) if mark is not None else ""
            what = getattr(exc, "problem", None) or str(exc)
            raise InvalidInput(
                [Problem(source, line, f"invalid YAML: {what}", f"YAML không hợp lệ: {what}")]
            ) from None
    return parse_framework(data, source=source)


def _number_out(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _rule_to_dict(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"type": rule.type}
    if isinstance(rule, ChoiceRule):
        out["options"] = [
            {"key": o.key, "label": o.label, "points": _number_out(o.points)} for o in rule.options
        ]
    elif isinstance(rule, NumberRule):
        if rule.min != 0:
            out["min"] = _number_out(rule.min)
    elif isinstance(rule, RatioRule):
        out["mode"] = rule.mode
        if rule.mode == "steps":
            out["steps"] = [
                {"min_percent": _number_out(s.min_percent), "points": _number_out(s.points)}
                for s in rule.steps
            ]
        if rule.when_zero != "zero":
            out["when_zero"] = rule.when_zero
    elif isinstance(rule, CountRule):
        out["per"] = _number_out(rule.per)
    elif isinstance(rule, DeductionRule):
        out["per"] = _number_out(rule.per)
        if rule.floor != 0:
            out["floor"] = _number_out(rule.floor)
    return out


def _node_to_dict(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"code": node.code, "title": node.title}
    if node.max is not None:
        out["max"] = _number_out(node.max)
    if node.own_bonus:
        out["bonus"] = True
    if node.evidence is not None:
        out["evidence"] = node.evidence
    if node.guide is not None:
        out["guide"] = node.guide
    if node.children:
        out["children"] = [_node_to_dict(c) for c in node.children]
    else:
        if node.source != "self":
            out["source"] = node.source
        if node.allow_na:
            out["allow_na"] = True
        assert node.rule is not None  # noqa: S101 - narrows the type for mypy: an invariant, not a check
        out["rule"] = _rule_to_dict(node.rule)
    return out


def framework_to_dict(fw: Framework) -> dict[str, Any]:
    """The framework in the spec's structure (safe for ``json.dumps``/``yaml.safe_dump``)."""
    out: dict[str, Any] = {
        "format": FORMAT,
        "code": fw.code,
        "title": fw.title,
        "year": fw.year,
        "block": fw.block,
    }
    if fw.bands:
        out["bands"] = [{"min": _number_out(b.min), "label": b.label} for b in fw.bands]
    out["nodes"] = [_node_to_dict(n) for n in fw.nodes]
    return out
