from __future__ import annotations

from typing import Any

from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.Field):
    """One or more uploaded files, passed on as they are: the service judges each one."""

    widget = MultipleFileInput

    def clean(self, data: Any) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise forms.ValidationError("Chọn ít nhất một tệp PDF để tải lên.", code="required")
        return files


class EvidenceUploadForm(forms.Form):
    files = MultipleFileField(
        label="Tệp PDF",
        widget=MultipleFileInput(attrs={"accept": "application/pdf,.pdf", "class": "form-control"}),
    )


class EvidenceRemoveForm(forms.Form):
    reason = forms.CharField(label="Lý do xoá", required=False, max_length=1000)
