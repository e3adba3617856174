"""Input validation for the consolidation, the chair's review and the publication decision
(the rules themselves live in services/approval.py)."""

from __future__ import annotations

from typing import Any

from django import forms

from parindex.periods.forms import date_field


class SubmitForm(forms.Form):
    note = forms.CharField(
        label="Ghi chú khi trình (không bắt buộc)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class ChairReturnForm(forms.Form):
    note = forms.CharField(
        label="Ý kiến của Chủ tịch Hội đồng (nội dung cần thẩm định lại)",
        max_length=4000,
        error_messages={"required": "Ghi rõ ý kiến khi trả lại kết quả để thẩm định lại."},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def clean_note(self) -> str:
        note: str = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError("Ghi rõ ý kiến khi trả lại kết quả để thẩm định lại.")
        return note


class ChairApproveForm(forms.Form):
    confirm = forms.BooleanField(
        label="Tôi đã xem xét bảng tổng hợp và đồng ý phê duyệt kết quả thẩm định.",
        error_messages={
            "required": "Đánh dấu xác nhận trước khi phê duyệt: kết quả đã phê duyệt sẽ được "
            "chốt và không thay đổi được nữa."
        },
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label="Ý kiến kèm theo (không bắt buộc)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class PublicationForm(forms.Form):
    number = forms.CharField(
        label="Số quyết định",
        max_length=100,
        error_messages={"required": "Nhập số, ký hiệu quyết định công bố."},
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": "ví dụ 1234/QĐ-UBND"}
        ),
    )
    date = date_field("Ngày ký")
    signer = forms.CharField(
        label="Người ký",
        max_length=200,
        error_messages={"required": "Nhập họ tên, chức vụ người ký quyết định."},
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": "ví dụ Nguyễn Văn A"}
        ),
    )
    file = forms.FileField(
        label="Tệp quyết định đã ký (PDF)",
        required=False,
        widget=forms.FileInput(
            attrs={"class": "form-control form-control-sm", "accept": "application/pdf,.pdf"}
        ),
    )

    def __init__(self, *args: Any, has_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_file = has_file
        if has_file:
            self.fields["file"].label = "Thay tệp quyết định đã ký (PDF, không bắt buộc)"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.has_file and not data.get("file") and "file" not in self.errors:
            self.add_error("file", "Chọn tệp PDF của quyết định công bố đã ký.")
        return data
