""" "Quên mật khẩu": the request form (same answer for every address), and the e-mailed link's
page (Django's PasswordResetConfirmView, the password set through our service)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from parindex.accounts.forms import PasswordForgotForm
from parindex.accounts.services import user_set_password
from parindex.accounts.services.password_reset import password_reset_request
from parindex.accounts.views.base import min_password_length
from parindex.common.errors import DomainError
from parindex.common.ratelimit import client_ip, rate_limit


@login_not_required
@rate_limit("account", "RATE_LIMIT_PUBLIC")
@never_cache
@require_http_methods(["GET", "POST"])
def password_forgot(request: HttpRequest) -> HttpResponse:
    form = PasswordForgotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_request(email=form.cleaned_data["email"], ip=client_ip(request))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("accounts:password-forgot-sent")
    return render(request, "accounts/password_forgot.html", {"form": form})


@login_not_required
@rate_limit("account", "RATE_LIMIT_PUBLIC")
@require_GET
def password_forgot_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_forgot_sent.html")


@login_not_required
@rate_limit("account", "RATE_LIMIT_PUBLIC")
@require_GET
def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_done.html")


@method_decorator(login_not_required, name="dispatch")
@method_decorator(rate_limit("account", "RATE_LIMIT_PUBLIC"), name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link's page. Django checks the token (single use: it hashes the password and the
    last sign-in; PASSWORD_RESET_TIMEOUT) and moves it out of the URL into the session before
    showing the form; the password is set by ``user_set_password`` (audited, every session of
    the account ends)."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-done")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "form-control"
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "min_length": min_password_length()}

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.user
        try:
            user_set_password(
                actor=user,
                user=user,
                password=form.cleaned_data["new_password1"],
                reason="Đặt lại mật khẩu qua liên kết gửi tới thư điện tử",
            )
        except DomainError as exc:
            form.add_error("new_password2", exc.message)
            return self.form_invalid(form)
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())
