"""Input validation for the notices sent by hand."""

from __future__ import annotations

from typing import Any

from django import forms

from parindex.assessments.models import Assessment
from parindex.periods.models import Period


class RemindForm(forms.Form):
    assessments = forms.ModelMultipleChoiceField(
        label="Đơn vị",
        queryset=None,
        error_messages={
            "required": "Chọn ít nhất một đơn vị để gửi nhắc nhở.",
            "invalid_choice": "Có đơn vị không tham gia đợt đánh giá này.",
            "invalid_pk_value": "Đơn vị không hợp lệ.",
        },
    )

    def __init__(self, *args: Any, period: Period, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessments"].queryset = Assessment.objects.filter(
            period=period
        ).select_related("unit")
