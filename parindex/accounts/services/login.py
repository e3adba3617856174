"""The login throttle: failures counted per user name and address, the lock they cause, and
the audit of logins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import LoginFailure, User
from parindex.audit.services import audit_record
from parindex.common.throttle import minutes_until, window_count

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
        return minutes_until(self.until)

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
    worst = LoginLock(locked=False)
    # A whole office often sits behind one address: the per-address limit is higher.
    filters: list[tuple[int, dict[str, Any]]] = [
        (settings.LOGIN_MAX_FAILURES, {"username": _norm_username(username)})
    ]
    if ip:
        filters.append((settings.LOGIN_MAX_FAILURES_PER_IP, {"ip": ip}))
    for limit, flt in filters:
        failures, until = window_count(
            LoginFailure.objects.filter(**flt), limit=limit, window=window
        )
        if until is not None:
            if not worst.locked or (worst.until and until > worst.until):
                worst = LoginLock(
                    locked=True, until=until, failures=failures, by_address="ip" in flt
                )
        elif not worst.locked and failures > worst.failures:
            worst = LoginLock(locked=False, failures=failures)
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
