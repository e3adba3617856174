"""Back-office views: login, units, blocks, accounts and roles, bulk import. Thin: access helper
-> form -> one service -> redirect/render."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import services
from parindex.accounts.access import (
    can_manage_blocks,
    get_block_for_user,
    get_membership_for_user,
    get_unit_for_user,
    get_user_for_user,
    require_block_admin,
    require_organizer_admin,
    roles_for,
    unit_in_scope,
    user_manageable,
)
from parindex.accounts.backends import login_lock_of
from parindex.accounts.forms import (
    BlockForm,
    ImportConfirmForm,
    ImportUploadForm,
    LoginForm,
    MembershipForm,
    PasswordResetForm,
    ReasonForm,
    UnitForm,
    UserCreateForm,
    UserForm,
)
from parindex.accounts.models import Block, Membership, Unit
from parindex.accounts.selectors import (
    block_list as select_blocks,
)
from parindex.accounts.selectors import (
    unit_choices_for_admin,
    unit_tree_for_admin,
    user_list_for_admin,
)
from parindex.accounts.xlsx_import import build_password_sheet, build_template, parse_workbook
from parindex.common.errors import DomainError
from parindex.common.params import int_param, text_param

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


# --- Login, password -----------------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """Django's login page. The throttle (LOGIN_MAX_FAILURES failures within
    LOGIN_LOCK_MINUTES for a user name, LOGIN_MAX_FAILURES_PER_IP for an address) lives in the
    authentication backend (``backends.ThrottledModelBackend``), so the admin site's login obeys
    it too; this page shows its lock message and the attempts left."""

    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        context: dict[str, Any] = {"form": form}
        lock = login_lock_of(self.request)
        if lock is not None and lock.locked:
            context["lock_message"] = lock.message()
        elif lock is not None and lock.attempts_left <= 3:
            context["attempts_left"] = lock.attempts_left
        return self.render_to_response(self.get_context_data(**context))


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    if request.method == "POST" and form.is_valid():
        services.user_set_password(
            actor=request.user,
            user=request.user,
            password=form.cleaned_data["new_password1"],
            reason="Người dùng tự đổi mật khẩu",
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, "Đã đổi mật khẩu.")
        return redirect("home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "min_length": _min_password_length()},
    )


def _min_password_length() -> int:
    for v in settings.AUTH_PASSWORD_VALIDATORS:
        if v["NAME"].endswith("MinimumLengthValidator"):
            return int(v.get("OPTIONS", {}).get("min_length", 8))
    return 8


# --- Units ---------------------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    return int_param(value)


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    roles = require_organizer_admin(request.user)
    f = request.GET
    rows = unit_tree_for_admin(
        roles=roles,
        block_id=_int(f.get("khoi")),
        kind=text_param(f.get("loai")),
        q=text_param(f.get("q")),
        active=text_param(f.get("hoat_dong")),
    )
    filtered = any(f.get(k) for k in ("khoi", "loai", "q", "hoat_dong"))
    return render(
        request,
        "accounts/unit_list.html",
        {
            "rows": rows,
            "blocks": list(Block.objects.all()),
            "kinds": Unit.Kind.choices,
            "filters": f,
            "filtered": filtered,
            "can_manage_blocks": can_manage_blocks(roles),
        },
    )


def _unit_form(request: HttpRequest, unit: Unit | None) -> UnitForm:
    roles = roles_for(request)
    initial: dict[str, Any] = {}
    if unit is not None:
        initial = {
            "code": unit.code,
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": unit.kind,
            "parent": unit.parent_id,
            "block": unit.block_id,
            "admin_root": unit.admin_root_id,
            "email": unit.email,
            "phone": unit.phone,
            "position": unit.position,
        }
    elif request.GET.get("cap_tren"):
        initial["parent"] = _int(request.GET.get("cap_tren"))
    return UnitForm(
        request.POST or None,
        initial=initial,
        unit=unit,
        parent_choices=unit_choices_for_admin(roles=roles, exclude_subtree_of=unit, as_parent=True),
        root_choices=unit_choices_for_admin(roles=roles),
        parent_required=not roles.is_system_admin,
    )


@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    require_organizer_admin(request.user)
    form = _unit_form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Đã thêm đơn vị “{unit.name}”.")
            return redirect("accounts:unit-list")
    return render(request, "accounts/unit_form.html", {"form": form, "unit": None})


@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_organizer_admin(request.user)
    unit = get_unit_for_user(request.user, pk, write=True)
    form = _unit_form(request, unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(unit=unit, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Đã lưu đơn vị “{unit.name}”.")
            return redirect("accounts:unit-list")
    return render(
        request,
        "accounts/unit_form.html",
        {"form": form, "unit": unit, "reason_form": ReasonForm()},
    )


def _unit_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require_organizer_admin(request.user)
    unit = get_unit_for_user(request.user, pk, write=True)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    service = {
        "deactivate": services.unit_deactivate,
        "activate": services.unit_activate,
        "delete": services.unit_delete,
    }[action]
    try:
        service(actor=request.user, unit=unit, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:unit-edit", pk=unit.pk)
    done = {
        "deactivate": "Đã ngừng hoạt động",
        "activate": "Đã kích hoạt lại",
        "delete": "Đã xóa",
    }[action]
    messages.success(request, f"{done} đơn vị “{unit.name}”.")
    return redirect("accounts:unit-list")


@require_POST
def unit_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(request, pk, "deactivate")


@require_POST
def unit_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(request, pk, "activate")


@require_POST
def unit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(request, pk, "delete")


# --- Blocks --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def block_list(request: HttpRequest) -> HttpResponse:
    require_block_admin(request.user)
    form = BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        block = services.block_create(actor=request.user, **form.cleaned_data)
        messages.success(request, f"Đã thêm khối “{block.name}”.")
        return redirect("accounts:block-list")
    return render(request, "accounts/block_list.html", {"blocks": select_blocks(), "form": form})


@require_http_methods(["GET", "POST"])
def block_edit(request: HttpRequest, pk: int) -> HttpResponse:
    block = get_block_for_user(request.user, pk, write=True)
    form = BlockForm(
        request.POST or None,
        block=block,
        initial={"code": block.code, "name": block.name, "position": block.position},
    )
    if request.method == "POST" and form.is_valid():
        services.block_update(actor=request.user, block=block, **form.cleaned_data)
        messages.success(request, f"Đã lưu khối “{block.name}”.")
        return redirect("accounts:block-list")
    return render(request, "accounts/block_form.html", {"form": form, "block": block})


# --- Accounts ------------------------------------------------------------------------------------


@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    roles = require_organizer_admin(request.user)
    f = request.GET
    users = user_list_for_admin(
        roles=roles,
        unit_id=_int(f.get("don_vi")),
        role=text_param(f.get("vai_tro")),
        q=text_param(f.get("q")),
    )
    page = Paginator(users, 50).get_page(f.get("trang"))
    rows = [
        {
            "user": u,
            "roles": [(m, unit_in_scope(roles, m.unit)) for m in u.memberships.all()],
            "manageable": user_manageable(roles, u),
        }
        for u in page.object_list
    ]
    query = f.copy()
    query.pop("trang", None)
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "rows": rows,
            "units": unit_choices_for_admin(roles=roles).only("pk", "name", "code", "path"),
            "role_choices": Membership.Role.choices,
            "filters": f,
            "query": query.urlencode(),
        },
    )


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    roles = require_organizer_admin(request.user)
    initial = {"is_active": True}
    if request.GET.get("don_vi"):
        initial["unit"] = _int(request.GET.get("don_vi"))
    form = UserCreateForm(
        request.POST or None, initial=initial, unit_choices=unit_choices_for_admin(roles=roles)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.user_create_with_role(actor=request.user, **data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return _no_store(
                render(
                    request,
                    "accounts/password_once.html",
                    {
                        "target": user,
                        "password": password,
                        "generated": not data["password"],
                        "title": "Đã tạo tài khoản",
                    },
                )
            )
    return render(request, "accounts/user_form.html", {"form": form, "target": None})


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    roles = require_organizer_admin(request.user)
    target = get_user_for_user(request.user, pk)
    manageable = user_manageable(roles, target)
    form = UserForm(
        request.POST or None,
        initial={
            "full_name": target.full_name,
            "email": target.email,
            "phone": target.phone,
            "job_title": target.job_title,
            "is_active": target.is_active,
        },
    )
    if request.method == "POST":
        target = get_user_for_user(request.user, pk, write=True)
        if form.is_valid():
            try:
                services.user_update(actor=request.user, user=target, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Đã lưu tài khoản “{target.username}”.")
                return redirect("accounts:user-edit", pk=target.pk)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "target": target,
            "manageable": manageable,
            "memberships": [(m, unit_in_scope(roles, m.unit)) for m in target.memberships.all()],
            "grant_form": MembershipForm(unit_choices=unit_choices_for_admin(roles=roles)),
            "reset_form": PasswordResetForm(user=target),
        },
    )


@require_POST
def user_grant(request: HttpRequest, pk: int) -> HttpResponse:
    roles = require_organizer_admin(request.user)
    target = get_user_for_user(request.user, pk, write=True)
    form = MembershipForm(request.POST, unit_choices=unit_choices_for_admin(roles=roles))
    if form.is_valid():
        try:
            services.membership_grant(actor=request.user, user=target, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Đã cấp vai trò {Membership.Role(form.cleaned_data['role']).label} tại "
                f"{form.cleaned_data['unit'].name}.",
            )
    else:
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, "Không cấp được vai trò: " + " ".join(errors))
    return redirect("accounts:user-edit", pk=target.pk)


@require_POST
def membership_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_membership_for_user(request.user, pk, write=True)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.membership_revoke(actor=request.user, membership=membership, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Đã thu hồi vai trò {membership.get_role_display()} tại {membership.unit.name}.",
        )
    if not Membership.objects.filter(user_id=membership.user_id).exists():
        messages.warning(
            request,
            f"Tài khoản “{membership.user.username}” không còn vai trò nào "
            "nên không còn hiện trong danh sách của bạn.",
        )
        return redirect("accounts:user-list")
    return redirect("accounts:user-edit", pk=membership.user_id)


@sensitive_post_parameters("password")
@require_POST
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_user_for_user(request.user, pk, write=True)
    form = PasswordResetForm(request.POST, user=target)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, "Không đặt lại được mật khẩu: " + " ".join(errors))
        return redirect("accounts:user-edit", pk=target.pk)
    password = form.cleaned_data["password"] or services.password_generate()
    services.user_set_password(
        actor=request.user,
        user=target,
        password=password,
        reason=form.cleaned_data["reason"] or "Quản trị đặt lại mật khẩu",
    )
    return _no_store(
        render(
            request,
            "accounts/password_once.html",
            {
                "target": target,
                "password": password,
                "generated": not form.cleaned_data["password"],
                "title": "Đã đặt lại mật khẩu",
            },
        )
    )


# --- Bulk import ---------------------------------------------------------------------------------


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    roles = require_organizer_admin(request.user)
    scope = list(unit_choices_for_admin(roles=roles).select_related(None)[:2000])
    blocks = list(Block.objects.all())
    anchor = next((o.admin_root for o in roles.organizer_units if o.admin_root), None)
    data = build_template(
        kinds=[label for _, label in Unit.Kind.choices],
        roles=[label for _, label in Membership.Role.choices],
        blocks=[(b.code, b.name) for b in blocks],
        units=[(u.code, u.name) for u in scope],
        example_parent=anchor.code if anchor else (scope[0].code if scope else ""),
        example_block=blocks[0].code if blocks else "",
        min_password_length=_min_password_length(),
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-don-vi-tai-khoan.xlsx"'
    return response


def _import_render(request: HttpRequest, **context: Any) -> HttpResponse:
    context.setdefault("form", ImportUploadForm())
    return _no_store(render(request, "accounts/import.html", context))


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Step 1: upload -> "Kiểm tra" (dry run) shows every problem, or the plan to confirm."""
    require_organizer_admin(request.user)
    if request.method == "GET":
        return _import_render(request)
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_render(request, form=form)
    upload = form.cleaned_data["file"]
    data = upload.read()
    return _import_check(request, data, upload.name, form=form)


def _import_check(request: HttpRequest, data: bytes, filename: str, **ctx: Any) -> HttpResponse:
    parsed = parse_workbook(data)
    if parsed.problems:
        return _import_render(request, problems=parsed.problems, filename=filename, **ctx)
    report = services.units_accounts_import(
        actor=request.user,
        units=parsed.units,
        accounts=parsed.accounts,
        dry_run=True,
        roles=roles_for(request),
    )
    confirm = None
    if report.ok:
        confirm = ImportConfirmForm(
            initial={"payload": base64.b64encode(data).decode(), "filename": filename}
        )
    return _import_render(
        request, report=report, problems=report.problems, filename=filename, confirm=confirm, **ctx
    )


@sensitive_post_parameters("payload")
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: "Xác nhận nhập" — the same file, checked again, then saved in one transaction.
    Generated passwords are shown once and offered as an XLSX inside this response only."""
    require_organizer_admin(request.user)
    form = ImportConfirmForm(request.POST)
    data = b""
    if form.is_valid():
        try:
            data = base64.b64decode(form.cleaned_data["payload"], validate=True)
        except (binascii.Error, ValueError):
            data = b""
    if not data:
        messages.error(request, "Không đọc được tệp đã kiểm tra; hãy tải tệp lên lại.")
        return redirect("accounts:import")
    filename = form.cleaned_data.get("filename", "")
    parsed = parse_workbook(data)
    if parsed.problems:
        return _import_render(request, problems=parsed.problems, filename=filename)
    try:
        report = services.units_accounts_import(
            actor=request.user,
            units=parsed.units,
            accounts=parsed.accounts,
            dry_run=False,
            roles=roles_for(request),
        )
    except DomainError as exc:
        return _import_render(request, problems=[exc.message], filename=filename)
    if not report.applied:
        return _import_render(request, report=report, problems=report.problems, filename=filename)
    password_file = ""
    if report.passwords:
        password_file = base64.b64encode(build_password_sheet(report.passwords)).decode()
    return _import_render(
        request,
        report=report,
        done=True,
        filename=filename,
        password_file=password_file,
        xlsx_mime=XLSX,
        units_url=reverse("accounts:unit-list"),
    )
