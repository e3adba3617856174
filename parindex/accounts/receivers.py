"""Sign-in and sign-out: the session's second-factor state and its ``UserSession`` row."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from parindex.accounts.models import User
from parindex.accounts.services.sessions import session_forget, session_register
from parindex.accounts.twofactor_state import state_at_sign_in


def on_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or getattr(request, "session", None) is None:
        return
    state_at_sign_in(request, user)
    session_register(request, user)


def on_sign_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None:
        session_forget(request)
