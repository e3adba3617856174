"""Writes on units, accounts and roles. Atomic, audited, take the acting user."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from parindex.accounts.access import (
    parent_in_scope,
    role_grant_problem,
    roles_for,
    roles_forget,
    unit_in_scope,
)
from parindex.accounts.models import Block, LoginFailure, Membership, Unit, User
from parindex.audit.services import audit_record, snapshot
from parindex.common.errors import DomainError

UNIT_FIELDS = [
    "code",
    "name",
    "short_name",
    "kind",
    "parent",
    "block",
    "admin_root",
    "email",
    "phone",
    "position",
    "is_active",
]


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent_id and unit.parent else "/"
    unit.path = f"{parent_path}{unit.pk}/"


def _require_unit_placement(
    actor: Any, unit: Unit, *, old_parent_id: int | None, old_admin_root_id: int | None
) -> None:
    """An organizer admin keeps every unit it creates or changes inside its scope: the unit
    itself, a new parent (its scope or the root of its area) and a new ``admin_root`` (its
    scope) — the form offers only those, the service refuses the rest (``actor=None``: the
    system)."""
    if actor is None:
        return
    roles = roles_for(actor)
    if roles.is_system_admin:
        return
    if unit.pk and not unit_in_scope(roles, unit):
        raise DomainError(f"Đơn vị “{unit.name}” không thuộc phạm vi quản lý của bạn.")
    parent = unit.parent if unit.parent_id else None
    if parent is None and (not unit.pk or old_parent_id is not None):
        raise DomainError("Đơn vị phải có đơn vị cấp trên thuộc phạm vi quản lý của bạn.")
    if parent is not None and parent.pk != old_parent_id and not parent_in_scope(roles, parent):
        raise DomainError(f"Đơn vị cấp trên “{parent.name}” không thuộc phạm vi quản lý của bạn.")
    root = unit.admin_root if unit.admin_root_id else None
    if root is not None and root.pk != old_admin_root_id and not unit_in_scope(roles, root):
        raise DomainError(
            f"Địa bàn tổ chức đánh giá “{root.name}” không thuộc phạm vi quản lý của bạn."
        )


@transaction.atomic
def unit_create(*, actor: Any, reason: str = "", **fields: Any) -> Unit:
    unit = Unit(**fields)
    _require_unit_placement(actor, unit, old_parent_id=None, old_admin_root_id=None)
    unit.full_clean(exclude=["path"])
    unit.save()
    _set_path(unit)
    unit.save(update_fields=["path"])
    audit_record(
        actor=actor, verb="unit.create", obj=unit, new=snapshot(unit, UNIT_FIELDS), reason=reason
    )
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, actor: Any, reason: str = "", **fields: Any) -> Unit:
    old = snapshot(unit, UNIT_FIELDS)
    old_path = unit.path
    old_parent_id, old_admin_root_id = unit.parent_id, unit.admin_root_id
    for name, value in fields.items():
        setattr(unit, name, value)
    _require_unit_placement(
        actor, unit, old_parent_id=old_parent_id, old_admin_root_id=old_admin_root_id
    )
    if unit.parent_id is not None:
        ancestor: Unit | None = unit.parent
        while ancestor is not None:
            if ancestor.pk == unit.pk:
                raise DomainError(
                    "Không thể đặt đơn vị cấp trên là chính nó hoặc đơn vị cấp dưới của nó."
                )
            ancestor = ancestor.parent
    unit.full_clean(exclude=["path"])
    _set_path(unit)
    unit.save()
    if unit.path != old_path:
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    audit_record(
        actor=actor,
        verb="unit.update",
        obj=unit,
        old=old,
        new=snapshot(unit, UNIT_FIELDS),
        reason=reason,
    )
    return unit


@transaction.atomic
def block_create(*, actor: Any, code: str, name: str, position: int = 0) -> Block:
    block = Block(code=code, name=name, position=position)
    block.full_clean()
    block.save()
    audit_record(actor=actor, verb="block.create", obj=block, new={"code": code, "name": name})
    return block


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


# --- Units ---------------------------------------------------------------------------------------


@transaction.atomic
def unit_deactivate(*, actor: Any, unit: Unit, reason: str = "") -> Unit:
    """Stop using a unit (kept with its history). Its active sub-units must be stopped first."""
    if not unit.is_active:
        return unit
    active_children = [c.name for c in unit.children.filter(is_active=True)]
    if active_children:
        raise DomainError(
            "Đơn vị còn đơn vị cấp dưới đang hoạt động: "
            + ", ".join(active_children[:5])
            + ("…" if len(active_children) > 5 else "")
            + ". Hãy ngừng hoạt động các đơn vị đó trước."
        )
    return unit_update(unit=unit, actor=actor, reason=reason, is_active=False)


@transaction.atomic
def unit_activate(*, actor: Any, unit: Unit, reason: str = "") -> Unit:
    if unit.parent_id is not None and unit.parent is not None and not unit.parent.is_active:
        raise DomainError(
            f"Đơn vị cấp trên “{unit.parent.name}” đang ngừng hoạt động; hãy kích hoạt nó trước."
        )
    return unit_update(unit=unit, actor=actor, reason=reason, is_active=True)


@transaction.atomic
def unit_delete(*, actor: Any, unit: Unit, reason: str = "") -> None:
    """Delete a unit never used (no sub-units, accounts, assessments, frameworks…)."""
    if unit.children.exists() or unit.memberships.exists() or unit.organizers.exists():
        raise DomainError(
            "Đơn vị đã có đơn vị cấp dưới hoặc tài khoản nên không xóa được; "
            "hãy chuyển sang ngừng hoạt động."
        )
    audit_record(
        actor=actor, verb="unit.delete", obj=unit, old=snapshot(unit, UNIT_FIELDS), reason=reason
    )
    try:
        with transaction.atomic():
            unit.delete()
    except ProtectedError as exc:
        raise DomainError(
            "Đơn vị đã được dùng (đợt đánh giá, bộ tiêu chí, bản tự đánh giá…) nên không xóa "
            "được; hãy chuyển sang ngừng hoạt động."
        ) from exc


# --- Blocks --------------------------------------------------------------------------------------

BLOCK_FIELDS = ["code", "name", "position"]


@transaction.atomic
def block_update(*, actor: Any, block: Block, reason: str = "", **fields: Any) -> Block:
    old = snapshot(block, BLOCK_FIELDS)
    for name, value in fields.items():
        if name not in BLOCK_FIELDS:
            raise ValueError(f"unknown block field {name}")
        setattr(block, name, value)
    block.full_clean()
    block.save()
    audit_record(
        actor=actor,
        verb="block.update",
        obj=block,
        old=old,
        new=snapshot(block, BLOCK_FIELDS),
        reason=reason,
    )
    return block


# --- Accounts ------------------------------------------------------------------------------------

USER_FIELDS = ["username", "full_name", "email", "phone", "job_title", "is_active"]
USER_EDITABLE = {"full_name", "email", "phone", "job_title", "is_active"}

_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


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
def user_set_password(*, actor: Any, user: User, password: str, reason: str = "") -> User:
    """Set a new password (the admin's reset, or the user's own change). The audit row says that
    the password changed and who did it — never the password."""
    problems = password_problems(password, user)
    if problems:
        raise DomainError("Mật khẩu chưa đạt yêu cầu: " + " ".join(problems), problems=problems)
    user.set_password(password)
    user.save(update_fields=["password"])
    own = getattr(actor, "pk", None) == user.pk
    audit_record(
        actor=actor,
        verb="user.password_change" if own else "user.password_reset",
        obj=user,
        new={"password": "(đã thay đổi)"},
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


# --- Login throttling ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginLock:
    """Whether a login is refused now, and until when."""

    locked: bool
    until: datetime | None = None
    failures: int = 0
    by_address: bool = False  # locked for the failures from this address, not this user name

    @property
    def minutes_left(self) -> int:
        if not self.until:
            return 0
        seconds = (self.until - timezone.now()).total_seconds()
        return max(1, -(-int(seconds) // 60))

    @property
    def attempts_left(self) -> int:
        return max(0, settings.LOGIN_MAX_FAILURES - self.failures)

    def message(self) -> str:
        """What caused the lock, in words: this user name's failures, or this address's."""
        later = f"Vui lòng thử lại sau {self.minutes_left} phút."
        if self.by_address:
            return (
                f"Máy của bạn tạm thời không đăng nhập được: địa chỉ mạng này đã có "
                f"{settings.LOGIN_MAX_FAILURES_PER_IP} lần đăng nhập sai trong "
                f"{settings.LOGIN_LOCK_MINUTES} phút (tính cả các máy dùng chung mạng của cơ "
                f"quan, với mọi tên đăng nhập). {later}"
            )
        return (
            f"Tên đăng nhập này tạm thời bị khóa vì đã nhập sai mật khẩu "
            f"{settings.LOGIN_MAX_FAILURES} lần trong {settings.LOGIN_LOCK_MINUTES} phút. "
            f"{later} Nếu quên mật khẩu, hãy liên hệ cán bộ quản trị để được đặt lại."
        )


def _norm_username(username: str) -> str:
    return username.strip().casefold()[:150]


def login_lock_status(*, username: str, ip: str | None) -> LoginLock:
    """Locked when LOGIN_MAX_FAILURES failures happened within LOGIN_LOCK_MINUTES for the same
    user name, or LOGIN_MAX_FAILURES_PER_IP from the same address. Two queries at most."""
    window = timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    since = timezone.now() - window
    worst = LoginLock(locked=False)
    # A whole office often sits behind one address: the per-address limit is higher.
    filters: list[tuple[int, dict[str, Any]]] = [
        (settings.LOGIN_MAX_FAILURES, {"username": _norm_username(username)})
    ]
    if ip:
        filters.append((settings.LOGIN_MAX_FAILURES_PER_IP, {"ip": ip}))
    for limit, flt in filters:
        times = list(
            LoginFailure.objects.filter(at__gte=since, **flt)
            .order_by("-at")
            .values_list("at", flat=True)[:limit]
        )
        if len(times) >= limit:
            until = times[limit - 1] + window
            if not worst.locked or (worst.until and until > worst.until):
                worst = LoginLock(
                    locked=True, until=until, failures=len(times), by_address="ip" in flt
                )
        elif not worst.locked and len(times) > worst.failures:
            worst = LoginLock(locked=False, failures=len(times))
    return worst


@transaction.atomic
def login_failure_record(*, username: str, ip: str | None) -> LoginLock:
    """Record a wrong user name or password; audit it, and the lock when it starts. The audit row
    points at the account when it exists, else at the failure itself — the screen never says
    which."""
    now = timezone.now()
    LoginFailure.objects.filter(at__lt=now - timedelta(days=1)).delete()
    failure = LoginFailure.objects.create(username=_norm_username(username), ip=ip)
    target = User.objects.filter(username__iexact=username.strip()).first()
    obj = target if target is not None else failure
    detail = {"username": username.strip()[:150], "ip": ip}
    audit_record(actor=None, verb="auth.login_failed", obj=obj, new=detail)
    lock = login_lock_status(username=username, ip=ip)
    if lock.locked:
        audit_record(
            actor=None,
            verb="auth.locked",
            obj=obj,
            new={**detail, "until": lock.until},
            reason=(
                f"{settings.LOGIN_MAX_FAILURES} lần đăng nhập sai trong "
                f"{settings.LOGIN_LOCK_MINUTES} phút"
            ),
        )
    return lock


@transaction.atomic
def login_success_record(*, user: User, ip: str | None) -> None:
    """A successful login clears that user name's failures and is audited."""
    LoginFailure.objects.filter(username=_norm_username(user.username)).delete()
    audit_record(actor=user, verb="auth.login", obj=user, new={"ip": ip})


# The bulk import lives in its own module (it is long); re-exported here as a service.
from parindex.accounts.imports import ImportReport, units_accounts_import  # noqa: E402, F401
