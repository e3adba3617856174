"""The signed-in sessions of an account: one ``UserSession`` row each, so the account page can
list them and end one (or all others) in whatever SESSION_ENGINE keeps them.

The row is created at sign-in (``receivers``), follows the session key when it changes (a
password change, the second factor), and moves ``last_seen`` at most once a minute
(``SignInSecurityMiddleware``). Ending a session deletes it from the session store, so its next
request is anonymous at once — no per-request check is needed.
"""

from __future__ import annotations

import base64
import hashlib
from importlib import import_module
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from parindex.accounts.models import User, UserSession
from parindex.audit.services import audit_record
from parindex.common.ratelimit import client_ip

SID = "_pi_sid"  # the UserSession row of this session
SKH = "_pi_skh"  # the key hash that row holds (differs once the key was cycled)
TOUCH_SECONDS = 60


def key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode("ascii")).hexdigest()


def _fernet() -> Fernet:
    digest = salted_hmac("parindex.accounts.session-key", "sealing", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _seal(session_key: str) -> str:
    return _fernet().encrypt(session_key.encode("ascii")).decode("ascii")


def _unseal(sealed: str) -> str | None:
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode("ascii")
    except (InvalidToken, ValueError):
        return None  # sealed under an older SECRET_KEY: that session no longer authenticates


def _store() -> type[SessionBase]:
    return import_module(settings.SESSION_ENGINE).SessionStore  # type: ignore[no-any-return]


def touch_key(sid: int) -> str:
    return f"parindex:session-seen:{sid}"


def _client(request: HttpRequest) -> dict[str, Any]:
    return {
        "ip": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
    }


def session_register(request: HttpRequest, user: User) -> UserSession | None:
    """A new row for the session just signed in (replacing the row of the same session's
    earlier sign-in)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if session.session_key is None:
        session.save()
    key = session.session_key
    assert key is not None  # noqa: S101 - save() made one
    old = session.get(SID)
    if old:
        UserSession.objects.filter(pk=old).delete()
    UserSession.objects.filter(key_hash=key_hash(key)).delete()
    row = UserSession.objects.create(
        user=user,
        key_hash=key_hash(key),
        key_sealed=_seal(key),
        last_seen=timezone.now(),
        **_client(request),
    )
    session[SID] = row.pk
    session[SKH] = row.key_hash
    cache.set(touch_key(row.pk), 1, TOUCH_SECONDS)
    return row


def session_touch(request: HttpRequest, user: User) -> bool:
    """Once a minute per session: ``last_seen`` and the address move on. Returns whether it
    ran (the caller re-checks what may have changed since, e.g. the roles)."""
    session = request.session
    sid = session.get(SID)
    if sid is None:  # a session from before this table: track it from now on
        session_register(request, user)
        return True
    if not cache.add(touch_key(sid), 1, TOUCH_SECONDS):
        return False
    found = UserSession.objects.filter(pk=sid, user=user).update(
        last_seen=timezone.now(), ip=_client(request)["ip"]
    )
    if not found:
        session_register(request, user)
    return True


def session_rekey(request: HttpRequest) -> None:
    """After the session key changed within a request (``cycle_key``: a password change, the
    second factor), the row follows it."""
    session = getattr(request, "session", None)
    if session is None or session.session_key is None:
        return
    sid, recorded = session.get(SID), session.get(SKH)
    if sid is None or recorded is None:
        return
    current = key_hash(session.session_key)
    if current != recorded:
        UserSession.objects.filter(pk=sid).update(
            key_hash=current, key_sealed=_seal(session.session_key)
        )
        session[SKH] = current


def session_forget(request: HttpRequest) -> None:
    """Sign-out: the row goes with the session."""
    session = getattr(request, "session", None)
    if session is not None and session.get(SID):
        UserSession.objects.filter(pk=session[SID]).delete()


def current_session_id(request: HttpRequest) -> int | None:
    session = getattr(request, "session", None)
    return session.get(SID) if session is not None else None


def _end(rows: list[UserSession]) -> int:
    store = _store()()
    for row in rows:
        key = _unseal(row.key_sealed)
        if key is not None:
            store.delete(key)
    UserSession.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return len(rows)


@transaction.atomic
def session_end(*, actor: User, session: UserSession) -> None:
    """End one session of the actor's own account (the caller loaded it for ``actor``)."""
    _end([session])
    audit_record(
        actor=actor,
        verb="auth.session_ended",
        obj=session.user,
        new={"session": session.pk, "ip": session.ip, "user_agent": session.user_agent},
    )


def _others(user: User, keep_id: int | None) -> QuerySet[UserSession]:
    rows = UserSession.objects.filter(user=user)
    return rows.exclude(pk=keep_id) if keep_id is not None else rows


@transaction.atomic
def sessions_end_others(*, actor: User, user: User, keep_id: int | None) -> int:
    """End every session of ``user`` but ``keep_id`` (the one making the request)."""
    rows = list(_others(user, keep_id))
    if not rows:
        return 0
    count = _end(rows)
    audit_record(actor=actor, verb="auth.sessions_ended", obj=user, new={"count": count})
    return count


def sessions_end_all(*, user: User, keep_id: int | None = None) -> int:
    """End the account's sessions after a change that must sign it out everywhere (a new
    password, a reset second factor): the caller's own audit row says why."""
    rows = list(_others(user, keep_id))
    return _end(rows) if rows else 0


def sessions_alive(user: User) -> list[UserSession]:
    """The account's sessions that still exist in the session store (a session that expired on
    its own loses its row here)."""
    store = _store()()
    alive: list[int] = []
    dead: list[int] = []
    for row in UserSession.objects.filter(user=user).order_by("-last_seen"):
        key = _unseal(row.key_sealed)
        (alive if key is not None and store.exists(key) else dead).append(row.pk)
    if dead:
        UserSession.objects.filter(pk__in=dead).delete()
    return [r for r in UserSession.objects.filter(pk__in=alive).order_by("-last_seen")]
