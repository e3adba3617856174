"""Login and the user's own password change."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from parindex.accounts import services
from parindex.accounts.backends import login_lock_of
from parindex.accounts.forms import (
    LoginForm,
)
from parindex.accounts.services.sessions import current_session_id
from parindex.accounts.views.base import min_password_length

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
            keep_session_id=current_session_id(request),
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, "Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.")
        return redirect("home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "min_length": min_password_length()},
    )
