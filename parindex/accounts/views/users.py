"""Accounts and their roles: list, create, edit, grant, revoke, password reset."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import services
from parindex.accounts.access import (
    get_membership_for_user,
    get_user_for_user,
    require_organizer_admin,
    unit_in_scope,
    user_manageable,
)
from parindex.accounts.forms import (
    MembershipForm,
    PasswordResetForm,
    ReasonForm,
    UserCreateForm,
    UserForm,
)
from parindex.accounts.models import Membership
from parindex.accounts.selectors import (
    two_factor_of,
    unit_choices_for_admin,
    user_list_for_admin,
)
from parindex.accounts.views.base import no_store
from parindex.common.errors import DomainError
from parindex.common.params import int_param, text_param

# --- Accounts ------------------------------------------------------------------------------------


@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    roles = require_organizer_admin(request.user)
    f = request.GET
    users = user_list_for_admin(
        roles=roles,
        unit_id=int_param(f.get("don_vi")),
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
        initial["unit"] = int_param(request.GET.get("don_vi"))
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
            return no_store(
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
            **(two_factor_of(target) if roles.is_system_admin else {}),
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
    return no_store(
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
