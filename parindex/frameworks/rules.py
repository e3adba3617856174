"""Rule parameters: how they are stored, handed to the engine, exported and described.

Stored form (``FrameworkNode.rule_params``): the spec's rule mapping without ``type``, with
every number written as a decimal string (``"0.5"``) so that nothing ever passes through a
binary float. Only the keys the spec defines are kept.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from parindex.common.numbers import vn_points
from parindex.engine import RULE_TYPES

# Parameter keys of each of the engine's rule types, in the order they are written out.
_PARAMS: dict[str, tuple[str, ...]] = {
    "choice": ("options",),
    "number": ("min",),
    "ratio": ("mode", "steps", "when_zero"),
    "count": ("per",),
    "deduction": ("per", "floor"),
}
RULE_KEYS: dict[str, tuple[str, ...]] = {t: _PARAMS.get(t, ()) for t in RULE_TYPES}
NUMBER_KEYS = {"min", "per", "floor", "points", "min_percent"}
OPTION_KEYS = ("key", "label", "points")
STEP_KEYS = ("min_percent", "points")

RATIO_MODES = {"proportional": "Tỷ lệ thuận", "steps": "Theo ngưỡng"}
WHEN_ZERO = {
    "zero": "Được 0 điểm",
    "full": "Được điểm tối đa",
    "na": "Không áp dụng (không tính)",
}


def to_decimal(value: Any) -> Decimal | None:
    """A number (int, float, Decimal or decimal text, ``0,5`` accepted) as a Decimal."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip().replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            dec = Decimal(text)
        except InvalidOperation:
            return None
        return dec if dec.is_finite() else None
    return None


def dec_text(value: Decimal) -> str:
    """A decimal as plain text without exponent: ``Decimal('1E+1')`` -> ``'10'``."""
    text = format(value, "f")
    return "0" if text in ("-0", "") else text


def number_out(value: Decimal) -> int | float:
    """A decimal for JSON/YAML/XLSX: whole numbers as int, others as the shortest float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _map_numbers(value: Any, convert: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _map_numbers(v, convert, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_numbers(v, convert, key) for v in value]
    if key in NUMBER_KEYS:
        return convert(value)
    return value


def params_to_stored(rule_type: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The spec's rule mapping (or a form's) -> the stored form (known keys, numbers as text).

    A value that is not a number is kept as given, so the engine names it in its problems.
    """

    def convert(value: Any) -> Any:
        dec = to_decimal(value) if not isinstance(value, str) else None
        return dec_text(dec) if dec is not None else value

    out: dict[str, Any] = {}
    for key in RULE_KEYS.get(rule_type, ()):
        if key not in raw or raw[key] is None:
            continue
        value = raw[key]
        if key == "options" and isinstance(value, list):
            value = [
                (
                    {k: (str(o[k]).strip() if k == "key" else o[k]) for k in OPTION_KEYS if k in o}
                    if isinstance(o, dict)
                    else o
                )
                for o in value
            ]
        elif key == "steps" and isinstance(value, list):
            value = [
                {k: s[k] for k in STEP_KEYS if k in s} if isinstance(s, dict) else s for s in value
            ]
        out[key] = _map_numbers(value, convert, key)
    return out


def params_for_engine(params: dict[str, Any]) -> dict[str, Any]:
    """Stored params -> values the engine reads exactly (decimal text becomes Decimal)."""

    def convert(value: Any) -> Any:
        if isinstance(value, str):
            dec = to_decimal(value) if "," not in value else None
            return dec if dec is not None else value
        return value

    return _map_numbers(params, convert)


def params_for_export(params: dict[str, Any]) -> dict[str, Any]:
    """Stored params -> JSON/YAML numbers (1, 0.5), as the spec writes them."""

    def convert(value: Any) -> Any:
        dec = to_decimal(value) if isinstance(value, str) and "," not in value else None
        return number_out(dec) if dec is not None else value

    return _map_numbers(params, convert)


# -- plain Vietnamese ---------------------------------------------------------------------


def pts(value: Any) -> str:
    """``Decimal('-0.5')`` -> ``−0,5`` (a true minus sign, as printed documents write it)."""
    dec = to_decimal(value)
    if dec is None:
        return str(value)
    return vn_points(dec).replace("-", "−")


def describe_rule(rule_type: str, params: dict[str, Any], max_: Any) -> str:
    """The rule in plain Vietnamese, e.g. ``Tỷ lệ: ≥100% được 2 điểm; ≥80% được 1 điểm``."""
    p = params or {}
    top = pts(max_) if max_ is not None else "?"
    if rule_type == "choice":
        parts = [f"{o.get('label')}: {pts(o.get('points'))} điểm" for o in p.get("options", [])]
        return "; ".join(parts)
    if rule_type == "boolean":
        return f"Có: {top} điểm; Không: 0"
    if rule_type == "number":
        return f"Nhập điểm từ {pts(p.get('min', 0))} đến {top}"
    if rule_type == "ratio":
        if p.get("mode") == "steps":
            steps = p.get("steps", [])
            parts = [
                f"≥{pts(s.get('min_percent'))}% được {pts(s.get('points'))} điểm" for s in steps
            ]
            text = "Tỷ lệ: " + "; ".join(parts)
            if steps:
                text += f"; dưới {pts(steps[-1].get('min_percent'))}%: 0 điểm"
        else:
            text = f"Tỷ lệ: điểm = {top} × tử số / mẫu số"
        when = p.get("when_zero", "zero")
        if when != "zero":
            text += f". Mẫu số bằng 0: {WHEN_ZERO.get(when, when).lower()}"
        return text
    if rule_type == "count":
        return f"Cộng {pts(p.get('per'))} điểm mỗi trường hợp, tối đa {top} điểm"
    if rule_type == "deduction":
        return (
            f"Tối đa {top} điểm; trừ {pts(p.get('per'))} điểm mỗi vi phạm, "
            f"thấp nhất {pts(p.get('floor', 0))}"
        )
    if rule_type == "relative":
        return f"Điểm = {top} × giá trị của đơn vị / giá trị cao nhất trong các đơn vị"
    if rule_type == "survey":
        return f"Điểm = {top} × kết quả điều tra xã hội học (tỷ lệ từ 0 đến 1)"
    return ""
