"""Input of the organizer's appraisal pages (the rules are the services'): the council's
decision, its members, the assignment, the Giải trình extension and the uploads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from parindex.accounts.models import Membership, Unit, User
from parindex.assessments.forms import ExtendDeadlineForm
from parindex.frameworks.models import FrameworkNode
from parindex.periods.forms import date_field
from parindex.periods.models import CouncilMember, Period

P = CouncilMember.Position
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class SupplementExtendForm(ExtendDeadlineForm):
    """Gia hạn giải trình, bổ sung for one unit: date, time and the reason."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["until_date"].label = "Gia hạn giải trình đến ngày"
        self.fields["reason"].error_messages["required"] = "Ghi lý do gia hạn giải trình."


class CouncilForm(forms.Form):
    """The decision that establishes the council."""

    name = forms.CharField(
        label="Tên hội đồng",
        max_length=300,
        error_messages={"required": "Nhập tên hội đồng."},
        widget=forms.TextInput(attrs=TEXT),
    )
    decision_number = forms.CharField(
        label="Số quyết định thành lập",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "ví dụ 1234/QĐ-UBND"}),
    )
    decision_date = date_field("Ngày quyết định")
    decision_signer = forms.CharField(
        label="Người ký",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "ví dụ Chủ tịch UBND tỉnh"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision_date"].required = False
        self.fields["decision_date"].widget.attrs["class"] = "form-control"


class MemberAddForm(forms.Form):
    """Seat an existing active account: its user name (typed or picked from the accounts of
    the organizer's area), its unit (empty: the account's unit when it has one in the area),
    the role and the title (empty: the account's job title)."""

    username = forms.CharField(
        label="Tài khoản (tên đăng nhập)",
        max_length=150,
        error_messages={"required": "Chọn hoặc nhập tên đăng nhập của thành viên."},
        widget=forms.TextInput(
            attrs={**TEXT, "list": "pi-accounts", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    unit = forms.TypedChoiceField(
        label="Cơ quan công tác", coerce=int, empty_value=None, required=False,
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip
    position = forms.ChoiceField(
        label="Vai trò", choices=P.choices, initial=P.MEMBER, widget=forms.Select(attrs=SELECT)
    )
    title = forms.CharField(
        label="Chức vụ",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "trống: theo tài khoản"}),
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        self.fields["unit"].choices = [("", "— đơn vị của tài khoản —")] + [
            (u.pk, f"{u.name} ({u.code})") for u in units
        ]
        self.fields["unit"].error_messages["invalid_choice"] = (
            "Cơ quan công tác phải là một đơn vị thuộc địa bàn."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username = (data.get("username") or "").strip()
        if not username:
            return data
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            self.add_error("username", f"Không có tài khoản với tên đăng nhập “{username}”.")
            return data
        if not user.is_active:
            self.add_error("username", f"Tài khoản {user.username} đã bị khóa.")
            return data
        data["user"] = user
        unit_id = data.get("unit")
        if unit_id is None:
            own = list(
                Membership.objects.filter(user=user, unit_id__in=list(self.units))
                .values_list("unit_id", flat=True)
                .distinct()
            )
            if len(own) != 1:
                self.add_error(
                    "unit",
                    f"Chọn cơ quan công tác của {user.display_name}"
                    + (" (tài khoản có vai trò ở nhiều đơn vị)." if own else "."),
                )
                return data
            unit_id = own[0]
        data["unit_obj"] = self.units[unit_id]
        data["title"] = (data.get("title") or "").strip() or user.job_title
        return data


class MemberRemoveForm(forms.Form):
    reason = forms.CharField(label="Lý do", max_length=1000, required=False)


class PeriodChoiceForm(forms.Form):
    """A previous period of the same organizer (to copy its council or assignment)."""

    source = forms.TypedChoiceField(
        label="Đợt đánh giá trước", coerce=int,
        error_messages={
            "required": "Chọn đợt đánh giá để sao chép.",
            "invalid_choice": "Chọn một đợt đánh giá trước của cùng cơ quan tổ chức.",
        },
        widget=forms.Select(attrs=SELECT),
    )  # fmt: skip

    def __init__(self, *args: Any, periods: list[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = {p.pk: p for p in periods}
        self.fields["source"].choices = [(p.pk, f"{p.name} ({p.year})") for p in periods]

    def chosen(self) -> Period:
        return self.periods[self.cleaned_data["source"]]


class CouncilImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp Excel (.xlsx) theo mẫu",
        error_messages={"required": "Hãy chọn tệp Excel theo mẫu."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx"})

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel .xlsx (hãy dùng mẫu tải từ trang này).")
        if f.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"Tệp lớn hơn {settings.MAX_UPLOAD_MB} MB.")
        return f


class AssignmentForm(forms.Form):
    """Assign a domain, criterion or leaf to one member or to a unit (every member from it),
    with the substitute for the appraiser's own unit."""

    node = forms.ChoiceField(
        label="Lĩnh vực / tiêu chí",
        error_messages={
            "required": "Chọn lĩnh vực hoặc tiêu chí cần phân công.",
            "invalid_choice": "Tiêu chí không thuộc bộ tiêu chí của đợt đánh giá này.",
        },
        widget=forms.Select(attrs=SELECT),
    )
    who = forms.ChoiceField(
        label="Người / cơ quan thẩm định",
        error_messages={
            "required": "Chọn một thẩm định viên hoặc một cơ quan thẩm định.",
            "invalid_choice": "Người hoặc cơ quan này không có trong hội đồng của đợt.",
        },
        widget=forms.Select(attrs=SELECT),
    )
    substitute = forms.ChoiceField(
        label="Người thẩm định thay (cho đơn vị của người được phân công)",
        required=False,
        error_messages={"invalid_choice": "Người thẩm định thay phải là thành viên hội đồng."},
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(
        self,
        *args: Any,
        nodes: dict[int, FrameworkNode],
        node_choices: list[Any],
        members: list[CouncilMember],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.nodes = nodes
        self.members = {m.pk: m for m in members}
        self.units: dict[int, Unit] = {}
        for m in members:
            self.units.setdefault(m.unit_id, m.unit)
        self.fields["node"].choices = [("", "— chọn —"), *node_choices]
        people = [
            (f"m{m.pk}", f"{m.display_name} — {m.unit.name} ({m.get_position_display()})")
            for m in members
        ]
        units = [
            (f"u{u.pk}", f"{u.name} (mọi thành viên của cơ quan)")
            for u in sorted(self.units.values(), key=lambda u: (u.position, u.name))
        ]
        self.fields["who"].choices = [
            ("", "— chọn —"),
            ("Thẩm định viên", people),
            ("Cơ quan thẩm định", units),
        ]
        self.fields["substitute"].choices = [("", "— không có —")] + [
            (f"m{m.pk}", f"{m.display_name} — {m.unit.name}") for m in members
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        node = data.get("node")
        if node:
            data["node_obj"] = self.nodes.get(int(node))
            if data["node_obj"] is None:
                self.add_error("node", "Tiêu chí không thuộc bộ tiêu chí của đợt đánh giá này.")
        who = data.get("who") or ""
        data["member"] = self.members.get(int(who[1:])) if who.startswith("m") else None
        data["unit"] = self.units.get(int(who[1:])) if who.startswith("u") else None
        sub = data.get("substitute") or ""
        data["substitute_obj"] = self.members.get(int(sub[1:])) if sub else None
        return data
