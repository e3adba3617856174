"""Forms of the fraud checks: the thresholds (one field per rule, bounds from
``fraud.THRESHOLDS``), a review decision (valid / void with a reason), the bulk decision on a
selection, and voiding / restoring a unit's whole survey."""

from __future__ import annotations

from typing import Any

from django import forms

from parindex.survey.fraud import THRESHOLDS
from parindex.survey.models import Response

REASON_MAX = 1000
DECISIONS = [
    (Response.Status.VALID, "Hợp lệ (được tính)"),
    (Response.Status.VOID, "Loại phiếu (không tính)"),
]


def _int_field(label: str, help_text: str, low: int, high: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=low,
        max_value=high,
        error_messages={
            "required": "Nhập một số nguyên.",
            "invalid": "Nhập một số nguyên.",
            "min_value": f"Không nhỏ hơn {low}.",
            "max_value": f"Không lớn hơn {high}.",
        },
        widget=forms.NumberInput(attrs={"class": "form-control", "min": low, "max": high}),
    )


class FraudThresholdsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for t in THRESHOLDS:
            self.fields[t.key] = _int_field(t.label, t.help, t.low, t.high)

    def values(self) -> dict[str, int]:
        return {t.key: int(self.cleaned_data[t.key]) for t in THRESHOLDS}


def _reason_field(required: bool, label: str = "Lý do") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX,
        strip=True,
        error_messages={
            "required": "Ghi lý do.",
            "max_length": f"Lý do dài tối đa {REASON_MAX} ký tự.",
        },
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label="Kết luận",
        choices=DECISIONS,
        error_messages={"required": "Chọn kết luận.", "invalid_choice": "Chọn kết luận."},
    )
    reason = _reason_field(False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Response.Status.VOID and not data.get("reason"):
            self.add_error("reason", "Ghi lý do loại phiếu.")
        return data


class BulkReviewForm(ReviewForm):
    ids = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": "Chọn ít nhất một phiếu.",
            "invalid_choice": "Có phiếu đã chọn không còn trong danh sách.",
        },
    )

    def __init__(self, *args: Any, ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids_field = self.fields["ids"]
        if isinstance(ids_field, forms.TypedMultipleChoiceField):
            ids_field.choices = [(str(i), str(i)) for i in ids]


class UnitVoidForm(forms.Form):
    unit = forms.TypedChoiceField(
        label="Đơn vị",
        coerce=int,
        error_messages={"required": "Chọn đơn vị.", "invalid_choice": "Chọn đơn vị."},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = _reason_field(True, "Lý do hủy kết quả")

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        if isinstance(unit_field, forms.TypedChoiceField):
            unit_field.choices = [("", "— Chọn đơn vị —"), *((str(pk), n) for pk, n in units)]
        self.fields["reason"].widget.attrs["class"] = "form-control"


class UnitUnvoidForm(forms.Form):
    reason = _reason_field(True, "Lý do khôi phục")
