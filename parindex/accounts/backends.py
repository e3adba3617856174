"""The authentication backend: Django's ModelBackend behind the login throttle, so that every
login path — the site's login page, the admin site's own login (/quan-tri-he-thong/login/),
any later API login calling ``django.contrib.auth.authenticate`` — is refused while the user
name or the address is locked, and counts its failures.

Why not django-axes (8.3.1 checked, installable): axes locks when the failures counted for
*one* limit (``AXES_FAILURE_LIMIT``) are reached, taking the maximum over its lockout
parameters; the policy here has two limits — 5 failures per user name, 30 per address (a
whole office behind one address) within 15 minutes — which axes cannot express without
replacing its handler, i.e. rewriting this throttle on top of it. So the hand-written
throttle (``services.login_lock_status``, ``login_failure_record``) stays, moved here.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from parindex.accounts.services import (
    LoginLock,
    login_failure_record,
    login_lock_status,
    login_success_record,
)
from parindex.common.ratelimit import client_ip

LOCK_ATTRIBUTE = "parindex_login_lock"


def login_lock_of(request: HttpRequest | None) -> LoginLock | None:
    """The throttle's answer for the last login attempt of ``request`` (None: not asked)."""
    return getattr(request, LOCK_ATTRIBUTE, None)


class ThrottledModelBackend(ModelBackend):
    """ModelBackend that refuses a locked user name or address unchecked (PermissionDenied:
    ``authenticate`` then tries no other backend), records every failure and audits every
    success. The lock (or the failures so far) is left on the request for the login page."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or not password:
            return None
        ip = client_ip(request)
        lock = login_lock_status(username=username, ip=ip)
        if lock.locked:
            self._remember(request, lock)
            raise PermissionDenied(lock.message())
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            self._remember(request, login_failure_record(username=username, ip=ip))
            return None
        login_success_record(user=user, ip=ip)
        return user

    @staticmethod
    def _remember(request: HttpRequest | None, lock: LoginLock) -> None:
        if request is not None:
            setattr(request, LOCK_ATTRIBUTE, lock)
