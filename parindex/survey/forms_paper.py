"""The enumerators' keyboard-first entry of a paper form: the serial (số phiếu), the rated
unit (its code), then one short text box per question of the chosen group where the option
key printed on the form is typed (A/B/C…, 1/2/3…; lower case accepted; blank = not answered).
A key that is not an option of its question is named with the keys allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from parindex import engine
from parindex.accounts.models import Unit
from parindex.survey.definition import questions_for
from parindex.survey.services.paper import SERIAL_MAX, normalize_serial

KEY_ATTRS = {
    "class": "form-control form-control-sm text-center fw-semibold pi-key",
    "maxlength": "3",
    "autocomplete": "off",
    "autocapitalize": "characters",
    "spellcheck": "false",
}


class GroupChoiceForm(forms.Form):
    nhom = forms.ChoiceField(label="Nhóm đối tượng của phiếu")

    def __init__(self, *args: Any, survey: engine.Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nhom"].choices = [
            (g.code, f"{g.code} — {g.title}")
            for g in survey.groups
            if questions_for(survey, g.code)
        ]
        self.fields["nhom"].widget.attrs.update({"class": "form-select", "data-pi-autosubmit": "1"})


class PaperForm(forms.Form):
    serial = forms.CharField(
        label="Số phiếu",
        max_length=SERIAL_MAX,
        error_messages={"required": "Nhập số phiếu (in trên phiếu giấy)."},
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "autofocus": "autofocus",
                "autocomplete": "off",
                "inputmode": "text",
            }
        ),
    )
    unit = forms.CharField(
        label="Đơn vị được đánh giá (mã)",
        max_length=40,
        error_messages={"required": "Nhập mã đơn vị được đánh giá."},
        widget=forms.TextInput(
            attrs={"class": "form-control", "list": "pi-units", "autocomplete": "off"}
        ),
    )

    def __init__(
        self,
        *args: Any,
        survey: engine.Survey,
        group: str,
        units: list[Unit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.group = group
        self.units = {u.code.upper(): u for u in units}
        self.questions = questions_for(survey, group)
        for q in self.questions:
            keys = [o.key for o in q.options]
            self.fields[q.code] = forms.CharField(
                label=q.code,
                required=False,
                max_length=3,
                help_text=q.text,
                widget=forms.TextInput(attrs={**KEY_ATTRS, "data-keys": " ".join(keys)}),
            )
            self.fields[q.code].keys = keys  # type: ignore[attr-defined]

    @property
    def question_rows(self) -> list[tuple[engine.Question, forms.BoundField, list[str]]]:
        return [(q, self[q.code], [o.key for o in q.options]) for q in self.questions]

    def clean_serial(self) -> str:
        value = normalize_serial(self.cleaned_data["serial"])
        if not value:
            raise forms.ValidationError("Nhập số phiếu (in trên phiếu giấy).")
        return value

    def clean_unit(self) -> Unit:
        code = self.cleaned_data["unit"].strip().upper()
        # "STP — Sở Tư pháp" chosen from the list: the code is the part before the dash
        code = code.split("—")[0].split(" ")[0].strip()
        unit = self.units.get(code)
        if unit is None:
            raise forms.ValidationError(
                f"Mã đơn vị “{code}” không có trong cuộc điều tra này (chọn trong danh sách)."
            )
        return unit

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        answered = 0
        for q in self.questions:
            raw = (data.get(q.code) or "").strip()
            key = next((o.key for o in q.options if o.key.upper() == raw.upper()), None)
            if raw and key is None:
                allowed = ", ".join(o.key for o in q.options)
                self.add_error(
                    q.code,
                    f"Câu {q.code}: “{raw}” không phải phương án của câu này (gõ một trong {allowed}"
                    " hoặc để trống).",
                )
                continue
            data[q.code] = key or ""
            answered += bool(key)
        if not answered and not self.errors:
            raise forms.ValidationError("Phiếu chưa có câu trả lời nào.")
        return data

    def answers(self) -> dict[str, str]:
        return {
            q.code: self.cleaned_data[q.code]
            for q in self.questions
            if self.cleaned_data.get(q.code)
        }

    def bad_codes(self) -> list[str]:
        return [q.code for q in self.questions if q.code in self.errors]
