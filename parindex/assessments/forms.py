"""Input validation for the assessment pages (rules live in services.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from parindex.assessments.workflow import Transition


class ExtendDeadlineForm(forms.Form):
    until_date = forms.DateField(
        label="Gia hạn đến ngày",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Nhập ngày gia hạn (dd/mm/yyyy).",
            "invalid": "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy.",
        },
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"class": "form-control", "placeholder": "dd/mm/yyyy", "autocomplete": "off"},
        ),
    )
    until_time = forms.TimeField(
        label="Giờ",
        initial=dt.time(17, 0),
        input_formats=["%H:%M"],
        error_messages={"required": "Nhập giờ (HH:MM).", "invalid": "Giờ không hợp lệ: HH:MM."},
        widget=forms.TimeInput(
            format="%H:%M", attrs={"class": "form-control", "placeholder": "HH:MM"}
        ),
    )
    reason = forms.CharField(
        label="Lý do gia hạn",
        max_length=1000,
        error_messages={"required": "Ghi lý do gia hạn."},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def until(self) -> dt.datetime:
        """The chosen moment, in local time (Asia/Ho_Chi_Minh), aware."""
        naive = dt.datetime.combine(
            self.cleaned_data["until_date"], self.cleaned_data["until_time"]
        )
        return timezone.make_aware(naive, timezone.get_default_timezone())


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label="Chuyển sang", choices=())
    note = forms.CharField(
        label="Ghi chú / lý do",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args: Any, transitions: list[Transition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(str(t.target), t.label) for t in transitions]
        self.fields["to"].error_messages["invalid_choice"] = (
            "Không thể chuyển sang trạng thái này từ trạng thái hiện tại."
        )
