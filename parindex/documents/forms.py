from __future__ import annotations

from django import forms

from parindex.documents.build import FORMATS
from parindex.documents.models import ExportJob

FMT_CHOICES = [
    ("docx", "Word (DOCX)"),
    ("pdf", "PDF"),
    ("xlsx", "Excel (XLSX)"),
    ("zip", "Tệp nén (ZIP)"),
]


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label="Văn bản", choices=ExportJob.Kind.choices)
    fmt = forms.ChoiceField(label="Định dạng", choices=FMT_CHOICES)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        kind, fmt = data.get("kind"), data.get("fmt")
        if kind and fmt and fmt not in FORMATS.get(str(kind), ()):
            raise forms.ValidationError("Văn bản này không có định dạng đã chọn.")
        return data
