"""The account's API tokens (Mã truy cập API): list, create (the token shown once, on the
answer to the POST, never again), revoke. Thin views: access helper, form, one service."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from parindex.api import services
from parindex.api.access import get_token_for_user
from parindex.api.forms import TokenForm
from parindex.api.selectors import token_list_for_user
from parindex.api.throttling import DEFAULT_TOKEN_RATE
from parindex.common.errors import DomainError


@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, created = services.token_create(
                actor=request.user, user=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            form.add_error("name", exc.message)
        else:
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": token_list_for_user(request.user),
            "created": created,
            "token_rate": getattr(settings, "API_RATE_TOKEN", DEFAULT_TOKEN_RATE),
        },
    )


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_token_for_user(request.user, pk)
    try:
        services.token_revoke(actor=request.user, token=token, reason="Người dùng tự thu hồi")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã thu hồi mã “{token.name}”: mã này không dùng được nữa.")
    return redirect("api_tokens:list")
