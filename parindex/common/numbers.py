"""Decimal helpers shared by the web app: one rounding rule (half up), Vietnamese display."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from parindex.engine.results import round_cent as round2

__all__ = ["parse_vn_input", "round2", "vn_input_text", "vn_number", "vn_points"]


def vn_number(value: Decimal | int | float | str | None, places: int = 2) -> str:
    """85.4149 -> '85,41'; 1234.5 -> '1.234,50'; None -> '—'. Rounds half up, for display only."""
    if value is None or value == "":
        return "—"
    dec = value if isinstance(value, Decimal) else Decimal(str(value))
    q = Decimal(1).scaleb(-places) if places else Decimal(1)
    dec = dec.quantize(q, rounding=ROUND_HALF_UP)
    sign = "-" if dec < 0 else ""
    text = f"{abs(dec):.{places}f}"
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    return f"{sign}{out},{frac}" if places else f"{sign}{out}"


def vn_points(value: Decimal | None) -> str:
    """Points as officers write them: trailing zeros dropped (1 -> '1', 0.75 -> '0,75')."""
    if value is None:
        return "—"
    text = vn_number(value, 2)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


# -- Numbers as officers type them ------------------------------------------------------------

#: At most this many digits in a typed number (a count of documents, a budget in đồng).
MAX_INPUT_DIGITS = 20
_ASCII = frozenset("0123456789")
_NUMBERISH = re.compile(r"[+-]?[\d.,\s]*\d[\d.,\s]*\Z")
_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+\Z")
_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})*\Z")


def _foreign_digits(text: str) -> bool:
    return any(ch.isdigit() and ch not in _ASCII for ch in text)


def parse_vn_input(text: str) -> str:
    """A number as a Vietnamese officer types it, in the engine's notation; other text as is.

    ``1.000`` and ``1.234.567`` are thousands (dots group digits by three); ``1,5`` and
    ``1.234,5`` have a decimal comma; a single dot not followed by exactly three digits
    (``1.5``, ``0.9137``, ``12.50``) and any dot after a leading 0 (``0.500``) is a decimal
    point, as the engine and the CSV files write it. Spaces between digit groups
    (``1 000``) are dropped. Raises ``ValueError`` with a Vietnamese message for digits that
    are not 0–9 (``١٢٣``, ``１２``), misplaced separators (``1,234.5``, ``1.2.3``) and
    numbers of more than ``MAX_INPUT_DIGITS`` digits.
    """
    raw = (text or "").strip()
    if _foreign_digits(raw):
        raise ValueError(
            f"“{raw[:30]}” có chữ số không phải 0–9 (chữ số Ả Rập, chữ số toàn khổ…): "
            "hãy gõ lại bằng các phím 0–9."
        )
    if not raw or not _NUMBERISH.match(raw):
        return raw
    sign, body = "", raw
    if body[0] in "+-":
        sign, body = ("-" if body[0] == "-" else ""), body[1:]
    body = re.sub(r"\s+", "", body)
    if "," in body:
        if body.count(",") > 1:
            raise ValueError(
                f"Số “{raw}” có nhiều dấu phẩy: dấu phẩy chỉ đứng trước phần thập phân (1.234,5)."
            )
        whole, frac = body.split(",")
        if "." in frac or ("." in whole and not _GROUPED.match(whole)):
            raise ValueError(
                f"Số “{raw}” đặt dấu sai chỗ: dấu chấm ngăn cách hàng nghìn, dấu phẩy trước "
                "phần thập phân (1.234,5)."
            )
        whole = whole.replace(".", "")
    elif _THOUSANDS.match(body):
        whole, frac = body.replace(".", ""), ""
    elif body.count(".") > 1:
        raise ValueError(
            f"Số “{raw}” có nhiều dấu chấm nhưng không theo nhóm ba chữ số (1.234.567)."
        )
    else:
        whole, _, frac = body.partition(".")
    if not (whole + frac).isdigit():
        return raw  # "-", "," alone: the engine names the problem
    if len(whole.lstrip("0")) + len(frac) > MAX_INPUT_DIGITS:
        raise ValueError(f"Số “{raw[:30]}…” quá dài: tối đa {MAX_INPUT_DIGITS} chữ số.")
    return sign + (whole or "0") + (f".{frac}" if frac else "")


def vn_input_text(value: str) -> str:
    """A stored number shown back in an input with the decimal comma: '1.00' -> '1,00',
    '1234.5' -> '1234,5'; whole numbers and other text unchanged. Typed again, it reads the
    same (``parse_vn_input``)."""
    if re.fullmatch(r"-?[0-9]+\.[0-9]+", value or ""):
        return value.replace(".", ",")
    return value
