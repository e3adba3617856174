"""The appraiser's forms: one decision on one leaf, and "Đồng ý tất cả tiêu chí còn lại".
Input only: the rules (who decides, what a kind needs, the points) are the services'."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from parindex.appraisal.models import Decision
from parindex.common.numbers import parse_vn_input

K = Decision.Kind
KIND_CHOICES_ROUND_2 = [(k, label) for k, label in K.choices if k != K.REQUEST]


class DecisionForm(forms.Form):
    """Đồng ý / Điều chỉnh / Yêu cầu giải trình, bổ sung (round 1 only), the appraiser's
    values (or, for choice and number rules, the points), a reason and a request. Numbers are
    read as Vietnamese officers type them (``parse_vn_input``: 1,5 is one and a half)."""

    kind = forms.ChoiceField(
        label="Kết luận",
        choices=K.choices,
        error_messages={
            "required": "Chọn kết luận: Đồng ý, Điều chỉnh hoặc Yêu cầu giải trình, bổ sung.",
            "invalid_choice": "Kết luận không hợp lệ.",
        },
    )
    value = forms.CharField(label="Số liệu thẩm định", max_length=200, required=False)
    value2 = forms.CharField(label="Mẫu số thẩm định", max_length=200, required=False)
    score = forms.CharField(label="Điểm thẩm định", max_length=30, required=False)
    reason = forms.CharField(label="Lý do", max_length=5000, required=False)
    request = forms.CharField(
        label="Nội dung yêu cầu giải trình, bổ sung", max_length=5000, required=False
    )

    def __init__(self, *args: Any, round: int = 1, numeric: bool = True, **kwargs: Any) -> None:
        """``numeric``: the leaf's values are numbers (not a choice key or a yes/no word)."""
        super().__init__(*args, **kwargs)
        self.numeric = numeric
        if self.is_bound and self.data.get("kind") == K.ACCEPT:
            # Đồng ý carries no values: what was left in the hidden fields is not read.
            self.data = self.data.copy()
            for name in ("value", "value2", "score"):
                self.data[name] = ""
        if round == 2:
            self.fields["kind"].choices = KIND_CHOICES_ROUND_2
            self.fields["kind"].error_messages["invalid_choice"] = (
                "Thẩm định lần 2 không yêu cầu giải trình thêm: giữ kết quả lần 1 hoặc điều chỉnh."
            )
            self.fields["kind"].error_messages["required"] = (
                "Chọn kết luận: Đồng ý hoặc Điều chỉnh."
            )
        self.fields["value"].error_messages["max_length"] = "Số liệu dài quá 200 ký tự."
        self.fields["value2"].error_messages["max_length"] = "Mẫu số dài quá 200 ký tự."
        self.fields["reason"].error_messages["max_length"] = "Lý do dài quá 5.000 ký tự."
        self.fields["request"].error_messages["max_length"] = (
            "Nội dung yêu cầu dài quá 5.000 ký tự."
        )

    def _number(self, name: str, label: str) -> str:
        text = self.cleaned_data[name].strip()
        if not self.numeric:
            return text
        try:
            return parse_vn_input(text)
        except ValueError as exc:
            raise forms.ValidationError(f"{label}: {exc}") from None

    def clean_value(self) -> str:
        return self._number("value", "Số liệu thẩm định")

    def clean_value2(self) -> str:
        return self._number("value2", "Mẫu số thẩm định")

    def clean_score(self) -> Decimal | None:
        text = self.cleaned_data["score"].strip()
        if not text:
            return None
        try:
            return Decimal(parse_vn_input(text))
        except (ValueError, InvalidOperation) as exc:
            message = str(exc) if isinstance(exc, ValueError) else ""
            raise forms.ValidationError(
                message or f"Điểm thẩm định “{text}” không phải là số (ví dụ 0,75)."
            ) from None

    def error_text(self) -> str:
        return " ".join(e for errors in self.errors.values() for e in errors)


class AcceptRestForm(forms.Form):
    confirm = forms.BooleanField(
        label="Tôi xác nhận đồng ý kết quả tự chấm của các tiêu chí thành phần còn lại",
        error_messages={
            "required": "Đánh dấu ô xác nhận trước khi đồng ý tất cả tiêu chí còn lại.",
        },
    )
