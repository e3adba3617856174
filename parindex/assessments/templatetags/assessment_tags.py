"""{% load assessment_tags %}: status badges and declared values as officers read them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from parindex.assessments.models import Status
from parindex.common.numbers import vn_points
from parindex.periods.models import Phase

register = template.Library()

STATUS_CLASSES = {
    Status.DRAFT: "text-bg-secondary",
    Status.PENDING_APPROVAL: "text-bg-warning",
    Status.SUBMITTED: "text-bg-primary",
    Status.APPRAISAL_1: "text-bg-info",
    Status.SUPPLEMENT: "text-bg-warning",
    Status.APPRAISAL_2: "text-bg-info",
    Status.APPRAISED: "text-bg-success",
    Status.FINALIZED: "text-bg-dark",
}

PHASE_CLASSES = {
    Phase.PREPARATION: "text-bg-light border",
    Phase.SELF_ASSESSMENT: "text-bg-primary",
    Phase.APPRAISAL_1: "text-bg-info",
    Phase.SUPPLEMENT: "text-bg-warning",
    Phase.APPRAISAL_2: "text-bg-info",
    Phase.CONSOLIDATION: "text-bg-secondary",
    Phase.APPROVAL: "text-bg-success",
    Phase.ARCHIVE: "text-bg-dark",
}


@register.simple_tag
def status_badge(status: str) -> SafeString:
    label = Status(status).label if status in Status.values else status
    return format_html(
        '<span class="badge {}">{}</span>', STATUS_CLASSES.get(status, "text-bg-light"), label
    )


@register.simple_tag
def phase_badge(phase: str | None) -> SafeString:
    if not phase:
        return format_html('<span class="badge text-bg-light border">{}</span>', "Chưa bắt đầu")
    return format_html(
        '<span class="badge {}">{}</span>', PHASE_CLASSES.get(phase, ""), Phase(phase).label
    )


@register.filter
def phase_class(phase: str) -> str:
    return PHASE_CLASSES.get(phase, "")


@register.filter
def declared(entry: Any) -> str:
    """The declared value in words: option label, Có/Không, 17/20, Không áp dụng."""
    if entry is None:
        return ""
    node = entry.node
    value = entry.value
    if not value and not entry.value2:
        return ""
    if value.upper() == "NA":
        return "Không áp dụng"
    rule = node.rule_type
    if rule == "choice":
        for option in node.rule_params.get("options", []):
            if str(option.get("key", "")).casefold() == value.casefold():
                return f"{option['key']}. {option.get('label', '')}"
    if rule == "boolean":
        folded = value.casefold()
        if folded in {"yes", "có", "1", "true"}:
            return "Có"
        if folded in {"no", "không", "0", "false"}:
            return "Không"
    if rule == "ratio":
        return f"{_num(value)}/{_num(entry.value2)}"
    return _num(value)


def _num(text: str) -> str:
    try:
        from decimal import Decimal

        number = Decimal(text)
    except Exception:  # noqa: BLE001 - show the text as typed
        return text
    if number == number.to_integral_value():
        return f"{int(number):,}".replace(",", ".")
    return vn_points(number) if abs(number.as_tuple().exponent) <= 2 else text.replace(".", ",")
