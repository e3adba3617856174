"""{% load assessment_tags %}: status badges and declared values as officers read them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from parindex.assessments import workflow
from parindex.assessments.models import Status
from parindex.common import dates
from parindex.common.numbers import vn_points
from parindex.engine import boolean_word
from parindex.frameworks.rules import describe_rule
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
        word = boolean_word(value)
        if word is not None:
            return "Có" if word else "Không"
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


# ---------------------------------------------------------------- the unit's workspace


@register.filter
def rule_text(node: Any) -> str:
    """The leaf's scoring rule in plain Vietnamese."""
    return describe_rule(node.rule_type, node.rule_params, node.max)


@register.filter
def points(value: Any) -> str:
    """Option points as officers write them (0,5; 1; -0,25)."""
    from decimal import Decimal, InvalidOperation

    try:
        return vn_points(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


@register.filter
def days_left_text(days: int | None) -> str:
    return dates.days_left_text(days)


FIELD_LABELS = {
    "value": "Số liệu",
    "value2": "Mẫu số",
    "explanation": "Giải trình",
    "self_score": "Điểm tự chấm",
    "not_applicable": "Không áp dụng",
    "round1_score": "Điểm thẩm định lần 1",
    "round1_note": "Ý kiến thẩm định lần 1",
    "round2_score": "Điểm thẩm định lần 2",
    "round2_note": "Ý kiến thẩm định lần 2",
    "survey_score": "Điểm điều tra XHH",
}

VERB_LABELS = {
    "entry.record": "Kê khai, giải trình",
    "entry.appraise1": "Thẩm định lần 1",
    "entry.appraise2": "Thẩm định lần 2",
    "entry.survey_score": "Điểm điều tra XHH",
    "evidence.upload": "Đính kèm tài liệu kiểm chứng",
    "evidence.remove": "Xoá tài liệu kiểm chứng",
    "entry.assign": "Phân công đơn vị thực hiện",
}


@register.filter
def verb_label(verb: str) -> str:
    return VERB_LABELS.get(verb, verb)


def _shown(key: str, value: Any) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if key.endswith("_score"):
        return points(value)
    if key == "value" and str(value).upper() == "NA":
        return "Không áp dụng"
    return str(value)


@register.filter
def audit_changes(event: Any) -> list[dict[str, str]]:
    """An audit row as lines ``label: old → new`` (files: the file's name)."""
    old = event.old if isinstance(event.old, dict) else {}
    new = event.new if isinstance(event.new, dict) else {}
    if event.verb.startswith("evidence."):
        info = new or old
        name = info.get("name") or info.get("original_name") or ""
        return [{"label": "Tệp", "old": "", "new": str(name)}]
    out = []
    for key in [k for k in FIELD_LABELS if k in old or k in new] + sorted(
        k for k in set(old) | set(new) if k not in FIELD_LABELS
    ):
        out.append(
            {
                "label": FIELD_LABELS.get(key, key),
                "old": _shown(key, old.get(key)),
                "new": _shown(key, new.get(key)),
            }
        )
    return out


@register.filter
def appraisal_started(assessment: Any) -> bool:
    """Has the appraisal of this assessment started (its total after appraisal is meaningful)?"""
    return assessment.status in workflow.APPRAISAL_STARTED


@register.filter
def deadline_extendable(assessment: Any) -> bool:
    """May the organizer still extend this unit's deadline? Only while the unit has not sent
    its self-assessment (``workflow.DEADLINE_EXTENDABLE``) and the period is not closed — the
    same rule ``services.assessment_extend_deadline`` enforces."""
    return assessment.status in workflow.DEADLINE_EXTENDABLE and not assessment.period.closed
