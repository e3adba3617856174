"""``SignInSecurityMiddleware`` (after AuthenticationMiddleware and LoginRequiredMiddleware):

- the second factor: a signed-in session that still owes its code (``twofactor_state``) reaches
  only the views marked ``two_factor_exempt`` (the code, enrolment and sign-out pages); every
  other page — the back-office, the admin site (/quan-tri-he-thong/), the account's own pages,
  the API token page — redirects to the code page (or the enrolment when the account has no
  authenticator yet). /api/v1/ is left alone: a session is no credential there (a token is,
  and tokens are made only from a session that passed this check);
- the session list: ``last_seen`` moves at most once a minute, and the row follows the session
  key when a request changed it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from parindex.accounts import twofactor_state as tfs
from parindex.accounts.services.sessions import session_rekey, session_touch


def two_factor_exempt(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view as reachable before the second factor (code entry, enrolment, sign-out)."""
    view.two_factor_exempt = True  # type: ignore[attr-defined]
    return view


class SignInSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session_rekey(request)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and "api" in match.namespaces:
            return None
        state = tfs.state_of(request)
        if session_touch(request, user) and state == tfs.NONE and tfs.needs_code(user):
            state = tfs.PENDING  # a role that requires it, or a device added elsewhere
            request.session[tfs.STATE] = state
        if state in (tfs.NONE, tfs.VERIFIED):
            return None
        if getattr(view_func, "two_factor_exempt", False):
            return None
        # pending (or a session from before the second factor existed)
        if not tfs.needs_code(user):
            tfs.mark_not_needed(request)
            return None
        if state != tfs.PENDING:
            request.session[tfs.STATE] = tfs.PENDING
        name = "accounts:two-factor-verify" if tfs.has_device(user) else "accounts:two-factor-enrol"
        url = reverse(name)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)  # htmx: the whole page goes to the code page
            response["HX-Redirect"] = url
            return response
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)
