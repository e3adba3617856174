"""Decimal helpers shared by the web app: one rounding rule (half up), Vietnamese display."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

TWO = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


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
