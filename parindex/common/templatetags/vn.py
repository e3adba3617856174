from decimal import Decimal

from django import template

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
