"""Writes on accounts and roles: create, update, passwords, role grants and revocations."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from parindex.accounts.access import (
    role_grant_problem,
    roles_for,
    roles_forget,
)
from parindex.accounts.models import Membership, Unit, User
from parindex.accounts.services.sessions import sessions_end_all
from parindex.audit.services import audit_record, snapshot
from parindex.common.errors import DomainError

USER_FIELDS = ["username", "full_name", "email", "phone", "job_title", "is_active"]
USER_EDITABLE = {"full_name", "email", "phone", "job_title", "is_active"}
# The letters of generated passwords (no 0/O, 1/l/I).
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - not a password


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    job_title: str = "",
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        job_title=job_title,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        verb="user.create",
        obj=user,
        new={
            "username": username,
            "full_name": full_name,
            "email": email,
            "is_superuser": is_superuser,
        },
    )
    return user


def membership_grant_problem(*, actor: Any, unit: Unit, role: str) -> str | None:
    """Why ``actor`` may not grant ``role`` in ``unit`` (``accounts.access.role_grant_problem``;
    ``actor=None`` is the system: only the unit must be able to hold the role)."""
    return role_grant_problem(None if actor is None else roles_for(actor), unit, role)


@transaction.atomic
def membership_grant(
    *, actor: Any, user: User, unit: Unit, role: str, reason: str = ""
) -> Membership:
    """Grant ``role`` in ``unit``; refused (DomainError) outside the actor's scope and for the
    cross-unit roles the actor's organizer does not own (``membership_grant_problem``)."""
    problem = membership_grant_problem(actor=actor, unit=unit, role=role)
    if problem:
        raise DomainError(f"Không cấp được vai trò: {problem}")
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        audit_record(
            actor=actor,
            verb="membership.grant",
            obj=membership,
            new={"user": user.username, "unit": unit.code, "role": role},
            reason=reason,
        )
    roles_forget(user)
    return membership


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership, reason: str = "") -> None:
    if (
        getattr(actor, "pk", None) == membership.user_id
        and membership.role == Membership.Role.ORGANIZER_ADMIN
    ):
        raise DomainError("Bạn không thể tự thu hồi vai trò Quản trị của chính mình.")
    audit_record(
        actor=actor,
        verb="membership.revoke",
        obj=membership,
        old={
            "user": membership.user.username,
            "unit": membership.unit.code,
            "role": membership.role,
        },
        reason=reason,
    )
    roles_forget(membership.user)
    membership.delete()


# --- Accounts ------------------------------------------------------------------------------------


def password_generate(length: int = 14) -> str:
    """A strong random password without look-alike characters (l/1, O/0), with a symbol,
    a digit, an upper and a lower case letter, so it passes every password validator."""
    while True:
        body = [secrets.choice(_PASSWORD_ALPHABET) for _ in range(length - 1)]
        body.insert(secrets.randbelow(length), secrets.choice("-_.@#"))
        pw = "".join(body)
        if (
            any(c.isdigit() for c in pw)
            and any(c.isupper() for c in pw)
            and any(c.islower() for c in pw)
        ):
            return pw


def password_problems(password: str, user: User | None = None) -> list[str]:
    """The password rules of settings.AUTH_PASSWORD_VALIDATORS, as Vietnamese messages."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


@transaction.atomic
def user_update(*, actor: Any, user: User, reason: str = "", **fields: Any) -> User:
    """Change an account's details (never its password or system-admin flag)."""
    unknown = set(fields) - USER_EDITABLE
    if unknown:
        raise ValueError(f"fields not editable here: {sorted(unknown)}")
    if fields.get("is_active") is False and getattr(actor, "pk", None) == user.pk:
        raise DomainError("Bạn không thể tự khóa tài khoản của chính mình.")
    old = snapshot(user, USER_FIELDS)
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    new = snapshot(user, USER_FIELDS)
    if new != old:
        audit_record(actor=actor, verb="user.update", obj=user, old=old, new=new, reason=reason)
    return user


@transaction.atomic
def user_set_password(
    *,
    actor: Any,
    user: User,
    password: str,
    reason: str = "",
    keep_session_id: int | None = None,
) -> User:
    """Set a new password (the admin's reset, the user's own change, the e-mailed link). The
    audit row says that the password changed and who did it — never the password. Every
    session of the account ends (Django would refuse them at their next request anyway), but
    ``keep_session_id``: the user's own session changing it."""
    problems = password_problems(password, user)
    if problems:
        raise DomainError("Mật khẩu chưa đạt yêu cầu: " + " ".join(problems), problems=problems)
    user.set_password(password)
    user.save(update_fields=["password"])
    ended = sessions_end_all(user=user, keep_id=keep_session_id)
    own = getattr(actor, "pk", None) == user.pk
    audit_record(
        actor=actor,
        verb="user.password_change" if own else "user.password_reset",
        obj=user,
        new={"password": "(đã thay đổi)", "sessions_ended": ended},
        reason=reason,
    )
    return user


@transaction.atomic
def user_create_with_role(
    *,
    actor: Any,
    username: str,
    unit: Unit,
    role: str,
    password: str | None = None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    job_title: str = "",
    is_active: bool = True,
) -> tuple[User, str]:
    """Create an account holding one role in one unit. Without a password a strong one is
    generated. Returns the user and the password, to be shown once and never stored."""
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(f"Tên đăng nhập “{username}” đã được dùng.")
    problem = membership_grant_problem(actor=actor, unit=unit, role=role)
    if problem:
        raise DomainError(f"Không tạo được tài khoản: {problem}")
    password = password or password_generate()
    problems = password_problems(
        password, User(username=username, full_name=full_name, email=email)
    )
    if problems:
        raise DomainError("Mật khẩu chưa đạt yêu cầu: " + " ".join(problems), problems=problems)
    user = user_create(
        actor=actor,
        username=username,
        password=password,
        full_name=full_name,
        email=email,
        phone=phone,
        job_title=job_title,
    )
    if not is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    membership_grant(actor=actor, user=user, unit=unit, role=role)
    return user, password
