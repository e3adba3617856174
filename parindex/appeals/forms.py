"""Input of the appeals pages (the rules are ``services``')."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from parindex.common.numbers import parse_vn_input


class EvidenceForm(forms.Form):
    summary = forms.CharField(label="Nội dung kiến nghị chung", max_length=2000, required=False)
    file = forms.FileField(label="Văn bản kiến nghị, tài liệu kèm theo (PDF)", required=False)


class DaysForm(forms.Form):
    days = forms.IntegerField(
        label="Số ngày nhận kiến nghị",
        min_value=1,
        max_value=60,
        error_messages={
            "required": "Nhập số ngày nhận kiến nghị.",
            "invalid": "Số ngày phải là số nguyên.",
            "min_value": "Thời hạn kiến nghị phải từ 1 đến 60 ngày.",
            "max_value": "Thời hạn kiến nghị phải từ 1 đến 60 ngày.",
        },
    )


def chosen_items(data: Any) -> list[tuple[int, str]]:
    """The criteria ticked on the unit's form: ``chon`` (entry ids) and ``ly_do_<id>``."""
    out = []
    for raw in data.getlist("chon"):
        if raw.isdigit() and len(raw) < 12:
            out.append((int(raw), data.get(f"ly_do_{raw}", "")[:2000]))
    return out


def answer_scores(data: Any, item_ids: list[int]) -> tuple[dict[int, Decimal | None], list[str]]:
    """Per item ``ket_luan_<id>`` ("chap_nhan" / "khong") and ``diem_<id>`` (Vietnamese
    number): item id → corrected score or None; the problems in Vietnamese."""
    scores: dict[int, Decimal | None] = {}
    problems = []
    for pk in item_ids:
        verdict = data.get(f"ket_luan_{pk}", "")
        if verdict == "khong":
            scores[pk] = None
        elif verdict == "chap_nhan":
            text = (data.get(f"diem_{pk}", "") or "").strip()
            try:
                value = Decimal(parse_vn_input(text)) if text and len(text) <= 20 else None
            except (ValueError, InvalidOperation):
                value = None
            if value is None or not value.is_finite():
                problems.append("Nhập điểm sau khi sửa (ví dụ 1,5) cho tiêu chí được chấp nhận.")
            else:
                scores[pk] = value
        else:
            problems.append("Chọn chấp nhận hoặc không chấp nhận cho từng tiêu chí.")
    return scores, sorted(set(problems))
