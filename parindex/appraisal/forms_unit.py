"""Input of the unit's Giải trình, bổ sung (the rules are the services')."""

from __future__ import annotations

from typing import Any

from django import forms

from parindex.common.numbers import parse_vn_input
from parindex.evidence.forms import MultipleFileField, MultipleFileInput


class AnswerForm(forms.Form):
    """The unit's answer on one leaf: the text and, for a request, corrected values (read as
    Vietnamese officers type numbers: 1.000 is a thousand, 1,5 one and a half)."""

    text = forms.CharField(
        label="Nội dung giải trình",
        max_length=20000,
        required=False,
        error_messages={"max_length": "Nội dung giải trình dài quá 20.000 ký tự."},
    )
    value = forms.CharField(
        label="Số liệu bổ sung",
        max_length=200,
        required=False,
        error_messages={"max_length": "Số liệu dài quá 200 ký tự."},
    )
    value2 = forms.CharField(
        label="Mẫu số bổ sung",
        max_length=200,
        required=False,
        error_messages={"max_length": "Mẫu số dài quá 200 ký tự."},
    )

    def __init__(self, *args: Any, numeric: bool = True, **kwargs: Any) -> None:
        """``numeric``: the leaf's value is a number (not a choice key or a yes/no word)."""
        super().__init__(*args, **kwargs)
        self.numeric = numeric

    def _number(self, name: str, label: str) -> str:
        text = self.cleaned_data[name].strip()
        if not self.numeric:
            return text
        try:
            return parse_vn_input(text)
        except ValueError as exc:
            raise forms.ValidationError(f"{label}: {exc}") from None

    def clean_value(self) -> str:
        return self._number("value", "Số liệu")

    def clean_value2(self) -> str:
        return self._number("value2", "Mẫu số")


class AnswerUploadForm(forms.Form):
    files = MultipleFileField(
        label="Tài liệu bổ sung (PDF)",
        widget=MultipleFileInput(attrs={"accept": "application/pdf,.pdf", "class": "form-control"}),
    )


class AnswersSendForm(forms.Form):
    confirm = forms.BooleanField(
        label="Tôi đã xem lại nội dung giải trình và tài liệu bổ sung; sau khi gửi, đơn vị "
        "không sửa được nữa.",
        error_messages={
            "required": "Đánh dấu ô xác nhận đã xem lại nội dung giải trình trước khi gửi."
        },
    )
