"""Input of the respondent lists' pages (the rules are ``services.respondents``')."""

from __future__ import annotations

from typing import Any

from django import forms

from parindex.accounts.models import Unit
from parindex.periods.forms import date_field

MAX_LIST_BYTES = 5 * 1024 * 1024


class ListUploadForm(forms.Form):
    """A unit's list as XLSX (the organizer also chooses the unit)."""

    file = forms.FileField(
        label="Tệp danh sách (.xlsx)",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "class": "form-control",
            }
        ),
        error_messages={"required": "Chọn tệp danh sách (.xlsx) để tải lên."},
    )

    def __init__(self, *args: Any, units: list[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"] = forms.TypedChoiceField(
                label="Danh sách của đơn vị",
                choices=[("", "— chọn đơn vị —")] + [(u.pk, f"{u.code} — {u.name}") for u in units],
                coerce=int,
                widget=forms.Select(attrs={"class": "form-select"}),
                error_messages={"required": "Chọn đơn vị của danh sách."},
            )

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > MAX_LIST_BYTES:
            raise forms.ValidationError("Tệp lớn quá 5 MB: hãy kiểm tra lại tệp.")
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel .xlsx (hãy dùng mẫu tải từ trang này).")
        return f


class RespondentAddForm(forms.Form):
    """The organizer adds one person to a unit's list."""

    listed_by = forms.TypedChoiceField(
        label="Danh sách của đơn vị",
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": "Chọn đơn vị của danh sách."},
    )
    group = forms.ChoiceField(
        label="Nhóm đối tượng",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": "Chọn nhóm đối tượng."},
    )
    name = forms.CharField(
        label="Họ và tên",
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"required": "Ghi họ và tên.", "max_length": "Họ và tên dài quá."},
    )
    position = forms.CharField(
        label="Chức vụ/nơi công tác",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    email = forms.CharField(
        label="Thư điện tử",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"class": "form-control"}),
    )
    phone = forms.CharField(
        label="Số điện thoại",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel"}),
    )
    units = forms.CharField(
        label="Đơn vị được đánh giá (mã, cách nhau bằng dấu phẩy; để trống: đơn vị lập danh sách)",
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(
        self, *args: Any, units: list[Unit], groups: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["listed_by"].choices = [("", "— chọn đơn vị —")] + [  # type: ignore[attr-defined]
            (u.pk, f"{u.code} — {u.name}") for u in units
        ]
        self.fields["group"].choices = [("", "— chọn nhóm —")] + [  # type: ignore[attr-defined]
            (code, f"{code} — {title}") for code, title in groups
        ]


class RespondentRemoveForm(forms.Form):
    reason = forms.CharField(label="Lý do", max_length=500, required=False)


class ListUnlockForm(forms.Form):
    """The organizer reopens a unit's list until a day, with a reason the unit sees."""

    until = date_field("Cho đơn vị sửa đến hết ngày")
    reason = forms.CharField(
        label="Lý do mở lại",
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        error_messages={"required": "Ghi lý do mở lại danh sách (đơn vị sẽ thấy)."},
    )


class MailTextForm(forms.Form):
    """The organizer's subject and body of one kind of mail (checked by the service)."""

    kind = forms.ChoiceField(choices=[("invitation", "Thư mời"), ("reminder", "Thư nhắc")])
    subject = forms.CharField(
        label="Tiêu đề",
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={
            "required": "Chưa có tiêu đề thư.",
            "max_length": "Tiêu đề thư dài quá 200 ký tự.",
        },
    )
    body = forms.CharField(
        label="Nội dung",
        max_length=5000,
        strip=False,
        widget=forms.Textarea(attrs={"class": "form-control font-monospace small", "rows": 14}),
        error_messages={
            "required": "Chưa có nội dung thư.",
            "max_length": "Nội dung thư dài quá 5000 ký tự.",
        },
    )
    reset = forms.BooleanField(required=False)

    def error_text(self) -> str:
        return " ".join(str(e) for errors in self.errors.values() for e in errors)
