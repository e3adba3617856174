"""Writes on personal API tokens: create (the plain token returned once), revoke, and the
authentication of a request's token (which notes when it was last used)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from parindex.api.models import ApiToken
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError

TOKEN_PREFIX = "pi_"  # noqa: S105 - the visible start of every token, not a secret
# How stale ``last_used_at`` may get before a request writes it again (one UPDATE a minute
# at most per token, not one per request).
LAST_USED_EVERY = dt.timedelta(minutes=1)
MAX_ACTIVE = 20
TOKEN_FIELDS = ["name", "prefix", "revoked_at"]


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, actor: Any, user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token of ``user`` (only the user creates its own); returns the row and the plain
    token, which is never stored and cannot be shown again."""
    name = (name or "").strip()
    if actor is None or getattr(actor, "pk", None) != user.pk:
        raise DomainError("Chỉ chủ tài khoản mới tạo được mã truy cập API của mình.")
    if not name:
        raise DomainError("Nhập tên gợi nhớ của mã truy cập (ví dụ: “Phần mềm tổng hợp”).")
    if len(name) > 100:
        raise DomainError("Tên gợi nhớ dài quá 100 ký tự.")
    active = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    if len(list(active)) >= MAX_ACTIVE:
        raise DomainError(
            f"Tài khoản đã có {MAX_ACTIVE} mã truy cập còn hiệu lực: thu hồi mã không dùng "
            "nữa trước khi tạo mã mới."
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=token_digest(raw), prefix=raw[:10])
    token.full_clean()
    token.save()
    audit_record(
        actor=actor,
        verb="api_token.create",
        obj=token,
        new={"name": name, "prefix": token.prefix, "user": user.pk},
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: Any, token: ApiToken, reason: str = "") -> ApiToken:
    """Revoke a token (its owner, or a system admin); revoking twice changes nothing."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    is_owner = actor is not None and getattr(actor, "pk", None) == locked.user_id
    if not is_owner and not getattr(actor, "is_superuser", False):
        raise DomainError("Bạn không thu hồi được mã truy cập của tài khoản khác.")
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        verb="api_token.revoke",
        obj=locked,
        old={"revoked_at": None},
        new={"revoked_at": locked.revoked_at},
        reason=reason,
    )
    return locked


def token_authenticate(raw: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The active token whose SHA-256 matches, with its user (active too); None otherwise.
    Notes the use (``last_used_at``, at most once a minute: usage metadata, not audited)."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
