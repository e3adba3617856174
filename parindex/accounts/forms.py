"""Input validation for the back-office and the login (Vietnamese labels and messages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import QuerySet

from parindex.accounts.backends import login_lock_of
from parindex.accounts.models import Block, Membership, Unit, User
from parindex.accounts.services import password_problems

BS = {"class": "form-control"}
BS_SELECT = {"class": "form-select"}


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        depth = max(0, obj.path.count("/") - 2)
        return f"{'— ' * depth}{obj.name} ({obj.code})"


class ThrottledLoginMixin:
    """A refused login says why when the throttle locked it (``backends.ThrottledModelBackend``
    leaves its answer on the request), on the site's login page and the admin site's."""

    request: Any

    def get_invalid_login_error(self) -> forms.ValidationError:
        lock = login_lock_of(self.request)
        if lock is not None and lock.locked:
            return forms.ValidationError(lock.message(), code="locked")
        return super().get_invalid_login_error()  # type: ignore[misc]


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin site's login (/quan-tri-he-thong/login/), throttled like the site's."""


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": "Tài khoản này đã bị khóa. Hãy liên hệ cán bộ quản trị.",
    }


class UnitForm(forms.Form):
    code = forms.CharField(label="Mã đơn vị", max_length=40)
    name = forms.CharField(label="Tên đơn vị", max_length=255)
    short_name = forms.CharField(label="Tên viết tắt", max_length=100, required=False)
    kind = forms.ChoiceField(label="Loại", choices=Unit.Kind.choices)
    parent = UnitChoiceField(label="Đơn vị cấp trên", queryset=Unit.objects.none(), required=False)
    block = forms.ModelChoiceField(
        label="Khối",
        queryset=Block.objects.all(),
        required=False,
        empty_label="— Không thuộc khối nào (không xếp hạng) —",
    )
    admin_root = UnitChoiceField(
        label="Là cơ quan tổ chức đánh giá cho địa bàn",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="— Không —",
        help_text=(
            "Chọn khi đơn vị này (Sở Nội vụ, Phòng Nội vụ cấp huyện…) tổ chức đánh giá cho "
            "các đơn vị thuộc địa bàn đã chọn."
        ),
    )
    email = forms.EmailField(
        label="Thư điện tử",
        required=False,
        error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."},
    )
    phone = forms.CharField(label="Điện thoại", max_length=40, required=False)
    position = forms.IntegerField(label="Thứ tự hiển thị", min_value=0, initial=0, required=False)

    def __init__(
        self,
        *args: Any,
        parent_choices: QuerySet[Unit],
        root_choices: QuerySet[Unit],
        unit: Unit | None = None,
        parent_required: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        parent_qs = parent_choices
        if unit is not None and unit.parent_id:
            # Keeping the current parent is always allowed, even outside the admin's scope.
            parent_qs = (parent_choices | Unit.objects.filter(pk=unit.parent_id)).distinct()
        self.fields["parent"].queryset = parent_qs
        self.fields["parent"].required = parent_required and not (
            unit is not None and unit.parent_id is None
        )
        self.fields["parent"].empty_label = "— Chọn đơn vị cấp trên —"
        root_qs = root_choices
        if unit is not None and unit.admin_root_id:
            root_qs = (root_choices | Unit.objects.filter(pk=unit.admin_root_id)).distinct()
        self.fields["admin_root"].queryset = root_qs
        _bootstrap(self)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        qs = Unit.objects.filter(code__iexact=code)
        if self.unit is not None:
            qs = qs.exclude(pk=self.unit.pk)
        if qs.exists():
            raise forms.ValidationError(f"Mã đơn vị “{code}” đã được dùng.")
        return code

    def clean_position(self) -> int:
        return self.cleaned_data.get("position") or 0

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        parent = data.get("parent")
        if self.unit is not None and parent is not None and self.unit.pk:
            if parent.pk == self.unit.pk or parent.path.startswith(self.unit.path):
                self.add_error(
                    "parent",
                    "Không thể đặt đơn vị cấp trên là chính nó hoặc đơn vị cấp dưới của nó.",
                )
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", max_length=500, required=False)


class BlockForm(forms.Form):
    code = forms.SlugField(
        label="Mã khối",
        max_length=30,
        error_messages={"invalid": "Mã khối chỉ gồm chữ không dấu, số, gạch ngang, gạch dưới."},
    )
    name = forms.CharField(label="Tên khối", max_length=200)
    position = forms.IntegerField(label="Thứ tự", min_value=0, initial=0, required=False)

    def __init__(self, *args: Any, block: Block | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.block = block
        _bootstrap(self)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        qs = Block.objects.filter(code__iexact=code)
        if self.block is not None:
            qs = qs.exclude(pk=self.block.pk)
        if qs.exists():
            raise forms.ValidationError(f"Mã khối “{code}” đã được dùng.")
        return code

    def clean_position(self) -> int:
        return self.cleaned_data.get("position") or 0


class UserForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=200)
    email = forms.EmailField(
        label="Thư điện tử",
        required=False,
        error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."},
    )
    phone = forms.CharField(label="Điện thoại", max_length=40, required=False)
    job_title = forms.CharField(label="Chức vụ", max_length=200, required=False)
    is_active = forms.BooleanField(
        label="Đang hoạt động (được đăng nhập)", required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class RoleField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("initial", Membership.Role.UNIT_OFFICER)
        super().__init__(label="Vai trò", choices=Membership.Role.choices, **kwargs)


def _check_role_in_unit(form: forms.Form, data: dict[str, Any]) -> None:
    unit = data.get("unit")
    if data.get("role") == Membership.Role.ORGANIZER_ADMIN and unit is not None:
        if unit.admin_root_id is None:
            form.add_error(
                "role",
                "Vai trò Quản trị chỉ cấp được tại cơ quan tổ chức đánh giá "
                "(đơn vị có địa bàn tổ chức đánh giá).",
            )


class UserCreateForm(UserForm):
    username = forms.CharField(
        label="Tên đăng nhập",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Chữ, số và các ký tự @ . + - _ ; không có dấu cách.",
    )
    unit = UnitChoiceField(label="Đơn vị", queryset=Unit.objects.none())
    role = RoleField()
    password = forms.CharField(
        label="Mật khẩu ban đầu",
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=(
            "Để trống để phần mềm tạo một mật khẩu mạnh ngẫu nhiên (hiện một lần sau khi lưu)."
        ),
    )
    field_order = ["username", "full_name", "email", "phone", "job_title", "unit", "role"]

    def __init__(self, *args: Any, unit_choices: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices
        self.fields["unit"].empty_label = "— Chọn đơn vị —"
        self.order_fields(self.field_order)
        _bootstrap(self)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(f"Tên đăng nhập “{username}” đã được dùng.")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_role_in_unit(self, data)
        password = data.get("password")
        if password:
            probe = User(
                username=data.get("username", ""),
                full_name=data.get("full_name", ""),
                email=data.get("email", ""),
            )
            for problem in password_problems(password, probe):
                self.add_error("password", problem)
        return data


class MembershipForm(forms.Form):
    unit = UnitChoiceField(label="Đơn vị", queryset=Unit.objects.none())
    role = RoleField()

    def __init__(self, *args: Any, unit_choices: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices
        self.fields["unit"].empty_label = "— Chọn đơn vị —"
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_role_in_unit(self, data)
        return data


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label="Mật khẩu mới",
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Để trống để phần mềm tạo một mật khẩu mạnh ngẫu nhiên.",
    )
    reason = forms.CharField(label="Lý do", max_length=500, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        _bootstrap(self)

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password") or ""
        if password:
            problems = password_problems(password, self.user)
            if problems:
                raise forms.ValidationError(problems)
        return password


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
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


class ImportConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, required=False)


# --- Sign-in security ------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Mã xác thực",
        max_length=32,
        widget=forms.TextInput(
            attrs={
                **BS,
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "class": "form-control form-control-lg text-center font-monospace",
            }
        ),
        error_messages={"required": "Hãy nhập mã xác thực."},
    )


class PasswordConfirmForm(forms.Form):
    """The current password, asked again before a change to the account's sign-in."""

    password = forms.CharField(
        label="Mật khẩu hiện tại",
        widget=forms.PasswordInput(attrs={**BS, "autocomplete": "current-password"}),
        error_messages={"required": "Hãy nhập mật khẩu hiện tại."},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Mật khẩu hiện tại không đúng.")
        return password


class TwoFactorResetForm(forms.Form):
    reason = forms.CharField(
        label="Lý do",
        max_length=500,
        widget=forms.TextInput(attrs={**BS, "placeholder": "Ví dụ: người dùng báo mất điện thoại"}),
        error_messages={"required": "Hãy ghi lý do đặt lại."},
    )


class PasswordForgotForm(forms.Form):
    email = forms.EmailField(
        label="Thư điện tử của tài khoản",
        max_length=254,
        widget=forms.EmailInput(attrs={**BS, "autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": "Hãy nhập địa chỉ thư điện tử.",
            "invalid": "Địa chỉ thư điện tử không hợp lệ.",
        },
    )
