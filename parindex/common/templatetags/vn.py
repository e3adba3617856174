import json
from decimal import Decimal

from django import template

from parindex.common import dates
from parindex.common.numbers import vn_number, vn_points

register = template.Library()


@register.filter
def vnnum(value: Decimal | None, places: int = 2) -> str:
    """{{ index|vnnum }} -> 85,41"""
    return vn_number(value, int(places))


@register.filter
def vnpoints(value: Decimal | None) -> str:
    """{{ node.max|vnpoints }} -> 1,5"""
    return vn_points(value)


@register.filter
def days_left_text(days: int | None) -> str:
    """{{ c.days_left|days_left_text }} -> còn 3 ngày / hôm nay là ngày cuối"""
    return dates.days_left_text(days)


@register.filter
def heat(value: Decimal | None) -> str:
    """{{ cell.index|heat }} -> "pi-heat-8" (a share in percent, by tenths; "" when none)."""
    if value is None:
        return ""
    return f"pi-heat-{max(0, min(int(Decimal(value) // 10), 9))}"


@register.filter
def chart_json(values: list[object]) -> str:
    """{{ labels|chart_json }} -> a JSON list for a chart's data-* attribute (escaped by the
    template): decimals rounded to 2 places, None as null."""
    out: list[object] = []
    for v in values:
        if isinstance(v, Decimal):
            out.append(float(round(v, 2)))
        elif v is None or isinstance(v, int | float):
            out.append(v)
        else:
            out.append(str(v))
    return json.dumps(out, ensure_ascii=False)
