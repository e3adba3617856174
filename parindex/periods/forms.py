"""Input validation for the period pages (the rules themselves live in services.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from parindex.accounts.models import Block, Unit
from parindex.frameworks.models import Framework
from parindex.periods.calendar import Calendar, default_calendar
from parindex.periods.models import PHASE_ORDER, Period, Phase, parse_reminder_days

DATE_ERRORS = {
    "required": "Nhập ngày (dd/mm/yyyy).",
    "invalid": "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 15/11/2026.",
}


def date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={
                "class": "form-control form-control-sm pi-date",
                "placeholder": "dd/mm/yyyy",
                "inputmode": "numeric",
                "autocomplete": "off",
            },
        ),
    )


class CalendarFieldsMixin(forms.Form):
    """Two date fields per phase: ``start_<phase>`` and ``end_<phase>``."""

    def add_calendar_fields(self, initial: Calendar | None) -> None:
        for phase in PHASE_ORDER:
            label = Phase(phase).label
            self.fields[f"start_{phase}"] = date_field(f"{label}: từ ngày")
            self.fields[f"end_{phase}"] = date_field(f"{label}: đến ngày")
            if initial and phase in initial:
                self.initial.setdefault(f"start_{phase}", initial[phase][0])
                self.initial.setdefault(f"end_{phase}", initial[phase][1])

    def calendar_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "phase": phase,
                "label": Phase(phase).label,
                "start": self[f"start_{phase}"],
                "end": self[f"end_{phase}"],
            }
            for phase in PHASE_ORDER
        ]

    def calendar(self) -> Calendar:
        data = self.cleaned_data
        return {phase: (data[f"start_{phase}"], data[f"end_{phase}"]) for phase in PHASE_ORDER}


class FrameworkSelect(forms.Select):
    """A framework picker whose options carry their year and status (for the year switch)."""

    def __init__(self, frameworks: list[Framework], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.by_pk = {str(fw.pk): fw for fw in frameworks}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        fw = self.by_pk.get(str(option["value"]))
        if fw is not None:
            option["attrs"]["data-year"] = str(fw.year)
            option["attrs"]["data-active"] = "1" if fw.status == Framework.Status.ACTIVE else "0"
        return option


def pick_framework(frameworks: list[Framework], year: int) -> Framework | None:
    """The ACTIVE framework of ``year`` (else the newest of that year), for pre-selection."""
    of_year = [fw for fw in frameworks if fw.year == year]
    active = [fw for fw in of_year if fw.status == Framework.Status.ACTIVE]
    return (active or of_year or [None])[0]


class PeriodCreateForm(CalendarFieldsMixin):
    year = forms.IntegerField(
        label="Năm đánh giá",
        min_value=2000,
        max_value=2100,
        error_messages={"required": "Nhập năm đánh giá.", "invalid": "Năm phải là số."},
        widget=forms.NumberInput(attrs={"class": "form-control", "id": "id_year"}),
    )
    name = forms.CharField(
        label="Tên đợt đánh giá",
        max_length=300,
        error_messages={"required": "Nhập tên đợt đánh giá."},
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    kind = forms.ChoiceField(
        label="Loại",
        choices=Period.Kind.choices,
        initial=Period.Kind.INTERNAL,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    plan_reference = forms.CharField(
        label="Số, ký hiệu kế hoạch",
        max_length=200,
        required=False,
        help_text="Ví dụ: 125/KH-SNV ngày 30/9/2026",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(
        self,
        *args: Any,
        blocks: list[Block],
        frameworks: dict[int, list[Framework]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        year = self.initial.get("year") or timezone.localdate().year
        self.initial.setdefault("year", year)
        self.initial.setdefault("name", f"Xác định Chỉ số cải cách hành chính năm {year}")
        self.add_calendar_fields(default_calendar(int(year)))
        self.blocks = blocks
        for block in blocks:
            choices = frameworks.get(block.pk, [])
            name = f"framework_{block.pk}"
            self.fields[name] = forms.ModelChoiceField(
                label=block.name,
                queryset=Framework.objects.filter(pk__in=[fw.pk for fw in choices]),
                required=False,
                empty_label="— Không tham gia —",
                error_messages={"invalid_choice": "Bộ tiêu chí không hợp lệ."},
                widget=FrameworkSelect(choices, attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[name].label_from_instance = lambda fw: (
                f"{fw.code} — năm {fw.year}, phiên bản {fw.version} "
                f"({fw.get_status_display().lower()})"
            )
            picked = pick_framework(choices, int(year))
            if picked is not None:
                self.initial.setdefault(name, picked.pk)

    def general_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("year", "name", "kind", "plan_reference")]

    def block_rows(self) -> list[dict[str, Any]]:
        return [{"block": b, "field": self[f"framework_{b.pk}"]} for b in self.blocks]

    def chosen_blocks(self) -> list[tuple[Block, Framework]]:
        return [
            (b, self.cleaned_data[f"framework_{b.pk}"])
            for b in self.blocks
            if self.cleaned_data.get(f"framework_{b.pk}") is not None
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(data.get(f"framework_{b.pk}") for b in self.blocks):
            raise forms.ValidationError("Chọn bộ tiêu chí cho ít nhất một khối tham gia.")
        return data


class CalendarEditForm(CalendarFieldsMixin):
    reminder_days = forms.CharField(
        label="Gửi thư nhắc trước hạn tự đánh giá (số ngày)",
        max_length=60,
        required=False,
        help_text=(
            "Các số ngày cách nhau bởi dấu phẩy, ví dụ 7,3,1 (0: sáng ngày hết hạn). "
            "Thư nhắc gửi cho chuyên viên đầu mối và lãnh đạo các đơn vị chưa gửi kết quả. "
            "Để trống nếu không nhắc."
        ),
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "7,3,1"}),
    )
    reason = forms.CharField(
        label="Lý do điều chỉnh",
        max_length=1000,
        error_messages={"required": "Ghi lý do điều chỉnh lịch."},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(
        self, *args: Any, current: Calendar, reminder_days: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("reminder_days", reminder_days)
        self.add_calendar_fields(current)

    def clean_reminder_days(self) -> str:
        text = self.cleaned_data.get("reminder_days", "")
        try:
            days = parse_reminder_days(text)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        return ",".join(str(n) for n in days)


class AddUnitsForm(forms.Form):
    block = forms.IntegerField(widget=forms.HiddenInput)
    units = forms.ModelMultipleChoiceField(
        label="Đơn vị",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
    )
    all = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, candidates: list[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates or []
        self.fields["units"].queryset = Unit.objects.filter(pk__in=[u.pk for u in self.candidates])

    def chosen(self) -> list[Unit]:
        if self.cleaned_data.get("all"):
            return list(self.candidates)
        return list(self.cleaned_data["units"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("all") and not data.get("units"):
            raise forms.ValidationError("Chọn ít nhất một đơn vị.")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Lý do",
        max_length=1000,
        error_messages={"required": "Ghi lý do."},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", max_length=1000, required=False)


class ProgressFilterForm(forms.Form):
    """The filters of the progress page (GET); unknown values fall back to "all"."""

    khoi = forms.TypedChoiceField(
        label="Khối",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    trang_thai = forms.ChoiceField(
        label="Trạng thái",
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    sap_xep = forms.ChoiceField(
        label="Sắp xếp",
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(
        self,
        *args: Any,
        blocks: list[Block],
        statuses: list[tuple[str, str]],
        sorts: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["khoi"].choices = [("", "Tất cả các khối"), *((b.pk, b.name) for b in blocks)]
        self.fields["trang_thai"].choices = statuses
        self.fields["sap_xep"].choices = sorts

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"block": None, "status": "", "sort": ""}
        data = self.cleaned_data
        return {
            "block": data.get("khoi"),
            "status": data.get("trang_thai") or "",
            "sort": data.get("sap_xep") or "",
        }


KEEP = "__mixed__"
CHECKED = "__checked__"


class ContributorAssignForm(forms.Form):
    """One submit of the "Phân công tiêu chí" page: either one row's select ("apply" = the
    node code, the unit in ``unit-<code>``) or the checked rows with the bulk select."""

    apply = forms.CharField(max_length=60)
    codes = forms.MultipleChoiceField(required=False)
    bulk_unit = forms.CharField(required=False)
    reason = forms.CharField(label="Ghi chú", max_length=1000, required=False)

    def __init__(self, *args: Any, codes: list[str], units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.node_codes = codes
        self.units = {str(u.pk): u for u in units}
        self.fields["codes"].choices = [(c, c) for c in codes]
        self.fields["codes"].error_messages["invalid_choice"] = "Tiêu chí %(value)s không có."

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        apply = data.get("apply")
        if apply == CHECKED:
            chosen = data.get("codes") or []
            if not chosen:
                raise forms.ValidationError("Đánh dấu ít nhất một lĩnh vực hoặc tiêu chí.")
            raw = data.get("bulk_unit")
        elif apply in self.node_codes:
            chosen = [apply]
            raw = self.data.get(f"unit-{apply}")
        else:
            raise forms.ValidationError("Tiêu chí không hợp lệ.")
        if raw is None or raw == KEEP:
            raise forms.ValidationError("Chọn đơn vị được phân công.")
        if raw == "":
            unit = None
        elif raw in self.units:
            unit = self.units[raw]
        else:
            raise forms.ValidationError("Đơn vị được chọn không hợp lệ.")
        data["node_codes"] = chosen
        data["unit"] = unit
        return data
