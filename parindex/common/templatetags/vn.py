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
