"""Input validation for the assessment pages (rules live in services.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from parindex.assessments.workflow import Transition
from parindex.common.numbers import parse_vn_input


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


class EntryForm(forms.Form):
    """One leaf's autosave: the declared value(s), Không áp dụng, the explanation, and the
    version the officer's screen was showing (for the conflict check)."""

    value = forms.CharField(label="Số liệu kê khai", max_length=200, required=False)
    value2 = forms.CharField(label="Mẫu số", max_length=200, required=False)
    na = forms.BooleanField(label="Không áp dụng", required=False)
    explanation = forms.CharField(label="Giải trình", max_length=20000, required=False)
    version = forms.IntegerField(
        label="Phiên bản",
        min_value=0,
        error_messages={
            "required": "Thiếu phiên bản của số liệu: tải lại trang.",
            "invalid": "Phiên bản không hợp lệ: tải lại trang.",
        },
    )
    force = forms.BooleanField(required=False)

    def __init__(self, *args: Any, numeric: bool = True, **kwargs: Any) -> None:
        """``numeric``: the leaf's value is a number (not a choice key or a yes/no word), read
        as Vietnamese officers type it (``parse_vn_input``: 1.000 is a thousand, 1,5 is one
        and a half)."""
        super().__init__(*args, **kwargs)
        self.numeric = numeric
        self.fields["value"].error_messages["max_length"] = "Số liệu dài quá 200 ký tự."
        self.fields["value2"].error_messages["max_length"] = "Mẫu số dài quá 200 ký tự."
        self.fields["explanation"].error_messages["max_length"] = "Giải trình dài quá 20.000 ký tự."

    def _number(self, name: str, label: str) -> str:
        text = self.cleaned_data[name].strip()
        try:
            number = parse_vn_input(text)
        except ValueError as exc:
            raise forms.ValidationError(f"{label}: {exc}") from None
        return number if self.numeric else text

    def clean_value(self) -> str:
        return self._number("value", "Số liệu")

    def clean_value2(self) -> str:
        return self._number("value2", "Mẫu số")

    def values(self) -> tuple[str, str]:
        """(value, value2) as the engine reads them."""
        if self.cleaned_data["na"]:
            return "NA", ""
        return self.cleaned_data["value"], self.cleaned_data["value2"]


class SendForm(forms.Form):
    """The unit's step from its workspace (Trình lãnh đạo, Phê duyệt và gửi đi, Trả lại)."""

    to = forms.ChoiceField(
        label="Thao tác",
        choices=[
            ("pending_approval", "Trình lãnh đạo duyệt"),
            ("submitted", "Phê duyệt và gửi đi"),
            ("draft", "Trả lại chuyên viên"),
        ],
        error_messages={"invalid_choice": "Thao tác không hợp lệ."},
    )
    note = forms.CharField(
        label="Ý kiến",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
