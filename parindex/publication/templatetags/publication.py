from decimal import Decimal
from typing import Any

from django import template
from django.utils import translation

from parindex.common.numbers import vn_number, vn_points
from parindex.publication.selectors.panel import publication_panel

register = template.Library()


def _english(text: str) -> str:
    return text.translate(str.maketrans({",": ".", ".": ","}))


@register.filter
def pubnum(value: Decimal | None, places: int = 2) -> str:
    """85,41 on the Vietnamese pages, 85.41 on the English ones."""
    text = vn_number(value, int(places))
    return _english(text) if translation.get_language() == "en" else text


@register.filter
def pubpoints(value: Decimal | None) -> str:
    text = vn_points(value)
    return _english(text) if translation.get_language() == "en" else text


@register.filter
def filesize(value: int) -> str:
    if value < 1024:
        return f"{value} B"
    kb = Decimal(value) / 1024
    return f"{pubnum(kb, 1)} KB" if kb < 1024 else f"{pubnum(kb / 1024, 1)} MB"


@register.inclusion_tag("publication/_panel.html", takes_context=True)
def publication_panel_for(context: Any, period: Any) -> dict[str, Any]:
    """The organizer's "Công bố kết quả" card on the results page of ``period``."""
    return {
        "period": period,
        "panel": publication_panel(period),
        "can_change": getattr(period, "can_change", False),
        "csrf_token": context.get("csrf_token"),
    }
