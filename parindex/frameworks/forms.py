"""Input validation for the framework pages (Vietnamese labels and messages)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings

from parindex.accounts.models import Unit
from parindex.common.errors import DomainError
from parindex.frameworks.files import ALLOWED_EXTENSIONS, read_upload
from parindex.frameworks.models import Framework, FrameworkNode
from parindex.frameworks.rules import RATIO_MODES, WHEN_ZERO, to_decimal


class StyledForm(forms.Form):
    """Bootstrap classes on every widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()


def _dec(value: Any) -> str:
    """A stored number for a form field, Vietnamese style: '0.5' -> '0,5'."""
    dec = to_decimal(value)
    if dec is None:
        return "" if value is None else str(value)
    return format(dec.normalize(), "f").replace(".", ",")


def _number(form: forms.Form, name: str, label: str, *, required: bool = False) -> Decimal | None:
    raw = (form.cleaned_data.get(name) or "").strip()
    if not raw:
        if required:
            form.add_error(name, f"Hãy nhập {label.lower()}.")
        return None
    dec = to_decimal(raw)
    if dec is None:
        form.add_error(name, f"{label}: «{raw}» không phải là số (ví dụ 0,5).")
    return dec


class ImportForm(StyledForm):
    file = forms.FileField(
        label="Tệp bộ tiêu chí",
        help_text="Tệp .yaml, .yml, .json theo định dạng parindex.framework/v1, hoặc .xlsx theo mẫu.",
    )
    owner = forms.ModelChoiceField(
        label="Cơ quan ban hành", queryset=Unit.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, organizers: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type for mypy: an invariant, not a check
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in organizers])
        self.single_owner = organizers[0] if len(organizers) == 1 else None
        if self.single_owner is not None:
            del self.fields["owner"]
        self.problems: list[str] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.single_owner is not None:
            data["owner"] = self.single_owner
        return data

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name or "tệp"
        if not name.lower().endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError("Chỉ nhận tệp .yaml, .yml, .json hoặc .xlsx.")
        if upload.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"Tệp lớn hơn {settings.MAX_UPLOAD_MB} MB.")
        try:
            data, describe = read_upload(name, upload.read())
        except DomainError as exc:
            self.problems = exc.problems
            raise forms.ValidationError(exc.message) from None
        self.cleaned_data["data"] = data
        self.cleaned_data["describe"] = describe
        self.cleaned_data["source"] = name
        return upload


class CopyForm(StyledForm):
    year = forms.IntegerField(label="Năm áp dụng", min_value=2000, max_value=2100)
    code = forms.CharField(
        label="Mã bộ tiêu chí mới",
        required=False,
        max_length=60,
        help_text="Để trống: thay năm trong mã cũ (SO-2025 → SO-2026).",
    )
    title = forms.CharField(
        label="Tên bộ tiêu chí mới",
        required=False,
        max_length=500,
        help_text="Để trống: thay năm trong tên cũ.",
    )


class ReasonForm(StyledForm):
    reason = forms.CharField(label="Lý do", required=False, max_length=1000)


class FrameworkEditForm(StyledForm):
    title = forms.CharField(label="Tên bộ tiêu chí", max_length=500)
    bands = forms.CharField(
        label="Xếp loại",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "font-monospace"}),
        help_text="Mỗi dòng một mức, từ cao xuống thấp: chỉ số từ | tên xếp loại, "
        "ví dụ «90 | Xuất sắc».",
    )
    reason = forms.CharField(label="Lý do thay đổi", required=False, max_length=1000)

    @staticmethod
    def initial_for(framework: Framework) -> dict[str, Any]:
        lines = [f"{_dec(b.get('min'))} | {b.get('label')}" for b in framework.bands]
        return {"title": framework.title, "bands": "\n".join(lines)}

    def clean_bands(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        errors = []
        for i, line in enumerate((self.cleaned_data.get("bands") or "").splitlines(), start=1):
            if not line.strip():
                continue
            low, sep, label = line.partition("|")
            dec = to_decimal(low)
            if not sep or dec is None or not label.strip():
                errors.append(f"Dòng {i}: «{line.strip()}» phải có dạng «90 | Xuất sắc».")
                continue
            out.append({"min": dec, "label": label.strip()})
        if errors:
            raise forms.ValidationError(errors)
        return out


RULE_CHOICES = [("", "— chọn —"), *FrameworkNode.RuleType.choices]


class NodeForm(StyledForm):
    """One node: for a leaf the rule in structured fields, for an inner node the text only."""

    code = forms.CharField(label="Mã", max_length=40)
    title = forms.CharField(
        label="Nội dung", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    max = forms.CharField(label="Điểm tối đa", required=False, max_length=20)
    rule_type = forms.ChoiceField(label="Cách tính điểm", choices=RULE_CHOICES, required=False)
    options = forms.CharField(
        label="Các mức lựa chọn",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        help_text="Mỗi dòng một mức: khóa | nội dung | điểm, ví dụ «a | Đúng thời hạn | 1».",
    )
    mode = forms.ChoiceField(
        label="Kiểu tỷ lệ", choices=list(RATIO_MODES.items()), required=False, initial="steps"
    )
    steps = forms.CharField(
        label="Các ngưỡng",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}),
        help_text="Mỗi dòng một ngưỡng, từ cao xuống thấp: tỷ lệ % | điểm, ví dụ «80 | 1».",
    )
    when_zero = forms.ChoiceField(
        label="Khi mẫu số bằng 0", choices=list(WHEN_ZERO.items()), required=False, initial="zero"
    )
    per = forms.CharField(
        label="Điểm mỗi trường hợp",
        required=False,
        max_length=20,
        help_text="Đếm số lượng: điểm cộng; điểm trừ: điểm trừ cho mỗi vi phạm.",
    )
    floor = forms.CharField(
        label="Điểm sàn",
        required=False,
        max_length=20,
        help_text="Điểm trừ: thấp nhất (mặc định 0).",
    )
    min = forms.CharField(
        label="Điểm nhập thấp nhất",
        required=False,
        max_length=20,
        help_text="Nhập điểm: mặc định 0.",
    )
    allow_na = forms.BooleanField(label="Cho phép «Không áp dụng» (KAD)", required=False)
    bonus = forms.BooleanField(label="Điểm thưởng (không tính vào điểm tối đa)", required=False)
    evidence = forms.CharField(
        label="Tài liệu kiểm chứng", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    guide = forms.CharField(
        label="Hướng dẫn chấm điểm", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label="Lý do thay đổi", required=False, max_length=1000)

    LEAF_ONLY = (
        "rule_type",
        "options",
        "mode",
        "steps",
        "when_zero",
        "per",
        "floor",
        "min",
        "allow_na",
    )

    def __init__(self, *args: Any, leaf: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leaf = leaf
        if not leaf:
            for name in self.LEAF_ONLY:
                del self.fields[name]
            self.fields[
                "max"
            ].help_text = "Để trống: bằng tổng điểm các tiêu chí con. Nếu nhập, phải bằng tổng đó."

    @staticmethod
    def initial_for(node: FrameworkNode) -> dict[str, Any]:
        p = node.rule_params or {}
        return {
            "code": node.code,
            "title": node.title,
            "max": _dec(node.max) if node.max is not None else "",
            "rule_type": node.rule_type,
            "options": "\n".join(
                f"{o.get('key')} | {o.get('label')} | {_dec(o.get('points'))}"
                for o in p.get("options", [])
            ),
            "mode": p.get("mode", "steps"),
            "steps": "\n".join(
                f"{_dec(s.get('min_percent'))} | {_dec(s.get('points'))}"
                for s in p.get("steps", [])
            ),
            "when_zero": p.get("when_zero", "zero"),
            "per": _dec(p["per"]) if "per" in p else "",
            "floor": _dec(p["floor"]) if "floor" in p else "",
            "min": _dec(p["min"]) if "min" in p else "",
            "allow_na": node.allow_na,
            "bonus": node.bonus,
            "evidence": node.evidence,
            "guide": node.guide,
        }

    def _lines(self, name: str, parts: int, example: str) -> list[list[str]]:
        out = []
        for i, line in enumerate((self.cleaned_data.get(name) or "").splitlines(), start=1):
            if not line.strip():
                continue
            cells = [c.strip() for c in line.split("|")]
            if len(cells) != parts or not all(cells):
                self.add_error(name, f"Dòng {i}: «{line.strip()}» phải có dạng «{example}».")
                continue
            out.append(cells)
        return out

    def _point(self, name: str, i: int, text: str) -> Decimal | None:
        dec = to_decimal(text)
        if dec is None:
            self.add_error(name, f"Dòng {i}: «{text}» không phải là số.")
        return dec

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        fields: dict[str, Any] = {
            "code": data.get("code", ""),
            "title": data.get("title", ""),
            "bonus": data.get("bonus", False),
            "evidence": data.get("evidence", ""),
            "guide": data.get("guide", ""),
        }
        fields["max"] = _number(self, "max", "Điểm tối đa", required=self.leaf)
        if not self.leaf:
            data["fields"] = fields
            return data
        rule_type = data.get("rule_type") or ""
        if not rule_type:
            self.add_error("rule_type", "Hãy chọn cách tính điểm.")
        params: dict[str, Any] = {}
        if rule_type == "choice":
            options = []
            for i, (key, label, points) in enumerate(
                self._lines("options", 3, "a | Đúng thời hạn | 1"), start=1
            ):
                options.append(
                    {"key": key, "label": label, "points": self._point("options", i, points)}
                )
            if not options and "options" not in self.errors:
                self.add_error("options", "Hãy nhập ít nhất một mức lựa chọn.")
            params["options"] = options
        elif rule_type == "ratio":
            params["mode"] = data.get("mode") or "steps"
            if params["mode"] == "steps":
                steps = []
                for i, (low, points) in enumerate(self._lines("steps", 2, "80 | 1"), start=1):
                    steps.append(
                        {
                            "min_percent": self._point("steps", i, low.rstrip("%").strip()),
                            "points": self._point("steps", i, points),
                        }
                    )
                if not steps and "steps" not in self.errors:
                    self.add_error("steps", "Hãy nhập ít nhất một ngưỡng.")
                params["steps"] = steps
            if (data.get("when_zero") or "zero") != "zero":
                params["when_zero"] = data["when_zero"]
        elif rule_type in ("count", "deduction"):
            params["per"] = _number(self, "per", "Điểm mỗi trường hợp", required=True)
            if rule_type == "deduction":
                floor = _number(self, "floor", "Điểm sàn")
                if floor is not None and floor != 0:
                    params["floor"] = floor
        elif rule_type == "number":
            low = _number(self, "min", "Điểm nhập thấp nhất")
            if low is not None and low != 0:
                params["min"] = low
        fields.update(
            rule_type=rule_type,
            rule_params=params,
            source="survey" if rule_type == "survey" else "self",
            allow_na=data.get("allow_na", False),
        )
        data["fields"] = fields
        return data


class DiffForm(StyledForm):
    a = forms.ModelChoiceField(label="Phiên bản cũ", queryset=Framework.objects.none())
    b = forms.ModelChoiceField(label="Phiên bản mới", queryset=Framework.objects.none())

    def __init__(self, *args: Any, frameworks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type for mypy: an invariant, not a check
            field.queryset = frameworks
            field.label_from_instance = lambda f: (  # type: ignore[method-assign]
                f"{f.code} — {f.block.name}, năm {f.year}, phiên bản {f.version}"
            )
