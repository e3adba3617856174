"""The second factor (enrolment, code entry, backup codes), the account page with its sessions,
and the system admin's reset of another account's second factor."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from parindex.accounts import selectors
from parindex.accounts import twofactor_state as tfs
from parindex.accounts.access import (
    get_user_for_user,
    require_system_admin,
    two_factor_required,
)
from parindex.accounts.forms import CodeForm, PasswordConfirmForm, TwoFactorResetForm
from parindex.accounts.middleware import two_factor_exempt
from parindex.accounts.models import User
from parindex.accounts.services import sessions as session_services
from parindex.accounts.services import twofactor as tf
from parindex.accounts.views.base import no_store
from parindex.common.errors import DomainError
from parindex.common.ratelimit import client_ip


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return "/"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- Code entry ----------------------------------------------------------------------------------


@two_factor_exempt
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if tfs.state_of(request) != tfs.PENDING:
        return HttpResponseRedirect(_next(request))
    if not tfs.has_device(user):
        return redirect("accounts:two-factor-enrol")
    form = CodeForm(request.POST or None)
    lock = tf.two_factor_lock_status(user)
    if request.method == "POST" and form.is_valid():
        try:
            kind = tf.two_factor_verify(
                user=user, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except DomainError as exc:
            form.add_error("code", exc.message)
            lock = tf.two_factor_lock_status(user)
        else:
            tfs.mark_verified(request)
            if kind == "backup":
                left = selectors.backup_codes_left(user)
                messages.warning(
                    request,
                    f"Bạn vừa dùng một mã dự phòng (còn {left} mã). Mỗi mã chỉ dùng được một "
                    "lần; tạo mã mới ở trang Tài khoản của tôi khi sắp hết.",
                )
            return HttpResponseRedirect(_next(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "lock": lock, "next": _next(request), "bare": True},
    )


# --- Enrolment -----------------------------------------------------------------------------------


def _qr_svg(uri: str) -> str:
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


@two_factor_exempt
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if tfs.has_device(user):
        if tfs.state_of(request) == tfs.PENDING:
            return redirect("accounts:two-factor-verify")
        messages.info(request, "Tài khoản đã bật xác thực hai bước.")
        return redirect("accounts:account")
    secret = request.session.get(tfs.PENDING_SECRET)
    if not secret:
        secret = tf.secret_new()
        request.session[tfs.PENDING_SECRET] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = tf.two_factor_enable(
                user=user, secret=secret, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            tfs.mark_verified(request)
            return _backup_codes_page(request, codes, first=True)
    return no_store(
        render(
            request,
            "accounts/two_factor_enrol.html",
            {
                "form": form,
                "qr": _qr_svg(tf.otpauth_uri(user, secret)),
                "secret": tf.secret_grouped(secret),
                "required": two_factor_required(user),
                "next": _next(request),
                "bare": tfs.state_of(request) == tfs.PENDING,
                "issuer": settings.TWO_FACTOR_ISSUER,
            },
        )
    )


def _backup_codes_page(request: HttpRequest, codes: list[str], *, first: bool) -> HttpResponse:
    return no_store(
        render(
            request,
            "accounts/two_factor_backup_codes.html",
            {"codes": codes, "first": first, "next": _next(request)},
        )
    )


# --- The account page ----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    current = session_services.current_session_id(request)
    alive = sorted(session_services.sessions_alive(user), key=lambda s: s.pk != current)
    return render(
        request,
        "accounts/account.html",
        {
            **selectors.account_security(user),
            "sessions": [(s, selectors.user_agent_label(s.user_agent)) for s in alive],
            "current_session": current,
            "confirm_form": PasswordConfirmForm(user=user),
        },
    )


@sensitive_post_parameters("password")
@require_POST
def backup_codes_regenerate(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordConfirmForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, "Chưa tạo mã mới: " + " ".join(form.errors.get("password", [])))
        return redirect("accounts:account")
    try:
        codes = tf.backup_codes_regenerate(actor=user, user=user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:account")
    return _backup_codes_page(request, codes, first=False)


@sensitive_post_parameters("password")
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordConfirmForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, "Chưa tắt: " + " ".join(form.errors.get("password", [])))
        return redirect("accounts:account")
    try:
        tf.two_factor_disable(actor=user, user=user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        tfs.mark_not_needed(request)
        messages.success(request, "Đã tắt xác thực hai bước.")
    return redirect("accounts:account")


@require_POST
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    session = selectors.session_of(user, pk)
    if session is None:
        raise Http404("Không tìm thấy phiên đăng nhập.")
    if session.pk == session_services.current_session_id(request):
        messages.error(request, "Đây là phiên bạn đang dùng: hãy bấm Đăng xuất.")
        return redirect("accounts:account")
    session_services.session_end(actor=user, session=session)
    messages.success(request, "Đã đăng xuất phiên đó.")
    return redirect("accounts:account")


@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    count = session_services.sessions_end_others(
        actor=user, user=user, keep_id=session_services.current_session_id(request)
    )
    if count:
        messages.success(request, f"Đã đăng xuất {count} phiên khác.")
    else:
        messages.info(request, "Không có phiên nào khác.")
    return redirect("accounts:account")


# --- The system admin's reset --------------------------------------------------------------------


@require_POST
def user_two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    require_system_admin(request.user)  # type: ignore[arg-type]
    target = get_user_for_user(request.user, pk, write=True)  # type: ignore[arg-type]
    form = TwoFactorResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chưa đặt lại: hãy ghi lý do.")
        return redirect("accounts:user-edit", pk=target.pk)
    try:
        tf.two_factor_reset(actor=_user(request), user=target, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Đã đặt lại xác thực hai bước của “{target.username}” và đăng xuất mọi phiên của "
            "tài khoản này. Lần đăng nhập sau, người dùng đăng ký lại ứng dụng xác thực.",
        )
    return redirect("accounts:user-edit", pk=target.pk)
