"""Two-factor sign-in: TOTP codes (RFC 6238, the algorithm of ``django_otp.oath``), single-use
backup codes stored hashed, and the lock after wrong codes.

Why our own small model over django-otp's ``TOTPDevice``: its throttle is an exponential delay
per device (the policy here is "TWO_FACTOR_MAX_FAILURES wrong codes lock for
TWO_FACTOR_LOCK_MINUTES, audited", like the login), its backup codes (``StaticToken``) are stored
readable, and its session marker and admin pages would sit beside ours. What it does well — the
TOTP algorithm with its drift window and ``min_t`` against replay — is used as is.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP  # type: ignore[import-untyped]

from parindex.accounts.access import two_factor_required
from parindex.accounts.models import BackupCode, TwoFactorDevice, TwoFactorFailure, User
from parindex.accounts.services.sessions import sessions_end_all
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1  # a code of the step before or after is accepted (phone clocks drift)
BACKUP_CODES = 10
# No 0/o, 1/l/i: read off paper without doubt. 31 symbols x 12 = ~59 random bits per code.
BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BACKUP_LENGTH = 12


# --- Secrets, codes ------------------------------------------------------------------------------


def secret_new() -> str:
    """A new shared secret: 20 random bytes (160 bits, RFC 4226's advice), base32 without '='."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


def secret_grouped(secret: str) -> str:
    """``ABCD EFGH …``: the secret as people type it into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otpauth_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` link the QR code carries (Google Authenticator, FreeOTP, Microsoft
    Authenticator… all read it)."""
    issuer = settings.TWO_FACTOR_ISSUER
    label = quote(f"{issuer}:{user.username}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"


def totp_code(secret: str, at: float | None = None) -> str:
    """The code of ``secret`` now (or at the Unix time ``at``): for the demo and the tests."""
    totp = TOTP(_key(secret), step=STEP_SECONDS, digits=DIGITS)
    if at is not None:
        totp.time = at
    return f"{totp.token():0{DIGITS}d}"


def _normal(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _looks_like_totp(code: str) -> bool:
    return len(code) == DIGITS and code.isdigit()


def totp_match(secret: str, code: str) -> int | None:
    """The time step ``code`` belongs to (now ± DRIFT_STEPS), or None."""
    code = _normal(code)
    if not _looks_like_totp(code):
        return None
    totp = TOTP(_key(secret), step=STEP_SECONDS, digits=DIGITS)
    if totp.verify(int(code), tolerance=DRIFT_STEPS):
        return int(totp.t())
    return None


def backup_digest(code: str) -> str:
    return hashlib.sha256(_normal(code).encode("ascii", "replace")).hexdigest()


def backup_codes_new() -> list[str]:
    """BACKUP_CODES fresh codes, ``abcd-efgh-jkmn``."""
    codes = []
    for _ in range(BACKUP_CODES):
        raw = "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(BACKUP_LENGTH))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    return codes


def _store_backup_codes(user: User) -> list[str]:
    BackupCode.objects.filter(user=user).delete()
    codes = backup_codes_new()
    BackupCode.objects.bulk_create(
        [BackupCode(user=user, code_hash=backup_digest(c)) for c in codes]
    )
    return codes


# --- The lock ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeLock:
    locked: bool
    until: datetime | None = None
    failures: int = 0

    @property
    def attempts_left(self) -> int:
        return max(0, settings.TWO_FACTOR_MAX_FAILURES - self.failures)

    def message(self) -> str:
        minutes = 1
        if self.until:
            seconds = (self.until - timezone.now()).total_seconds()
            minutes = max(1, -(-int(seconds) // 60))
        return (
            f"Việc nhập mã xác thực của tài khoản này tạm thời bị khóa vì đã nhập sai "
            f"{settings.TWO_FACTOR_MAX_FAILURES} lần trong {settings.TWO_FACTOR_LOCK_MINUTES} "
            f"phút. Vui lòng thử lại sau {minutes} phút."
        )


def two_factor_lock_status(user: User) -> CodeLock:
    """Locked when TWO_FACTOR_MAX_FAILURES wrong codes came within TWO_FACTOR_LOCK_MINUTES."""
    limit = settings.TWO_FACTOR_MAX_FAILURES
    window = timedelta(minutes=settings.TWO_FACTOR_LOCK_MINUTES)
    times = list(
        TwoFactorFailure.objects.filter(user=user, at__gte=timezone.now() - window)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(times) >= limit:
        return CodeLock(locked=True, until=times[limit - 1] + window, failures=len(times))
    return CodeLock(locked=False, failures=len(times))


@transaction.atomic
def two_factor_failure_record(*, user: User, ip: str | None, what: str) -> CodeLock:
    """A wrong code: counted, audited, and the lock audited when it starts."""
    TwoFactorFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()
    TwoFactorFailure.objects.create(user=user, ip=ip)
    audit_record(actor=user, verb="auth.2fa_failed", obj=user, new={"ip": ip, "what": what})
    lock = two_factor_lock_status(user)
    if lock.locked:
        audit_record(
            actor=user,
            verb="auth.2fa_locked",
            obj=user,
            new={"ip": ip, "until": lock.until},
            reason=(
                f"{settings.TWO_FACTOR_MAX_FAILURES} lần nhập sai mã xác thực trong "
                f"{settings.TWO_FACTOR_LOCK_MINUTES} phút"
            ),
        )
    return lock


def _refuse_when_locked(user: User) -> None:
    lock = two_factor_lock_status(user)
    if lock.locked:
        raise DomainError(lock.message())


def _wrong(user: User, ip: str | None, what: str) -> DomainError:
    lock = two_factor_failure_record(user=user, ip=ip, what=what)
    if lock.locked:
        return DomainError(lock.message())
    left = lock.attempts_left
    return DomainError(
        f"Mã xác thực không đúng. Còn {left} lần thử trước khi bị tạm khóa."
        if left <= 3
        else "Mã xác thực không đúng."
    )


# --- Writes --------------------------------------------------------------------------------------


def two_factor_enable(*, user: User, secret: str, code: str, ip: str | None) -> list[str]:
    """Confirm a new authenticator with one of its codes; returns the backup codes (shown once).

    A wrong code is counted by the lock (and nothing is saved)."""
    if not secret:
        raise DomainError("Phiên đăng ký đã hết hạn. Hãy mở lại trang đăng ký.")
    _refuse_when_locked(user)
    step = totp_match(secret, code)
    if step is None:
        raise _wrong(user, ip, "enrol")
    return _enable(user=user, secret=secret, step=step, ip=ip)


@transaction.atomic
def _enable(*, user: User, secret: str, step: int, ip: str | None) -> list[str]:
    if TwoFactorDevice.objects.select_for_update().filter(user=user).exists():
        raise DomainError("Tài khoản này đã bật xác thực hai bước.")
    TwoFactorDevice.objects.create(
        user=user, secret=secret, last_step=step, last_used_at=timezone.now()
    )
    codes = _store_backup_codes(user)
    audit_record(actor=user, verb="user.2fa_enabled", obj=user, new={"ip": ip})
    return codes


def two_factor_verify(*, user: User, code: str, ip: str | None) -> str:
    """Check a sign-in code: a TOTP code of a step not used yet, or an unused backup code.
    Returns "totp" or "backup"; raises DomainError (the lock, a wrong or reused code)."""
    _refuse_when_locked(user)
    normal = _normal(code)
    if not normal:
        raise DomainError("Hãy nhập mã xác thực.")
    with transaction.atomic():
        device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            raise DomainError("Tài khoản này chưa bật xác thực hai bước.")
        if _looks_like_totp(normal):
            step = totp_match(device.secret, normal)
            if step is not None and step <= device.last_step:
                raise DomainError(
                    "Mã này đã được dùng. Hãy chờ mã tiếp theo trong ứng dụng xác thực "
                    "(mỗi mã chỉ dùng được một lần)."
                )
            if step is not None:
                device.last_step = step
                device.last_used_at = timezone.now()
                device.save(update_fields=["last_step", "last_used_at", "updated_at"])
                audit_record(actor=user, verb="auth.2fa_verified", obj=user, new={"ip": ip})
                return "totp"
        else:
            used = BackupCode.objects.filter(
                user=user, code_hash=backup_digest(normal), used_at__isnull=True
            ).update(used_at=timezone.now())
            if used:
                left = BackupCode.objects.filter(user=user, used_at__isnull=True).count()
                audit_record(
                    actor=user,
                    verb="auth.2fa_backup_used",
                    obj=user,
                    new={"ip": ip, "backup_codes_left": left},
                )
                return "backup"
    raise _wrong(user, ip, "verify")


@transaction.atomic
def two_factor_device_install(*, actor: Any, user: User, secret: str) -> TwoFactorDevice:
    """An authenticator with a given secret, without a code (the demo's published secret; no
    page calls this). Replaces the account's device and backup codes."""
    _key(secret)  # a valid base32 secret, or binascii.Error
    TwoFactorDevice.objects.filter(user=user).delete()
    BackupCode.objects.filter(user=user).delete()
    device = TwoFactorDevice.objects.create(user=user, secret=secret)
    audit_record(actor=actor, verb="user.2fa_enabled", obj=user, reason="Khóa bí mật cho sẵn")
    return device


@transaction.atomic
def backup_codes_regenerate(*, actor: Any, user: User) -> list[str]:
    """New backup codes replace the old ones (all of them, used or not)."""
    if not TwoFactorDevice.objects.filter(user=user).exists():
        raise DomainError("Tài khoản này chưa bật xác thực hai bước.")
    codes = _store_backup_codes(user)
    audit_record(actor=actor, verb="user.2fa_backup_regenerated", obj=user)
    return codes


@transaction.atomic
def two_factor_disable(*, actor: User, user: User) -> None:
    """The user's own choice to turn it off; refused when the account's roles require it."""
    if two_factor_required(user):
        raise DomainError(
            "Tài khoản quản trị bắt buộc dùng xác thực hai bước; không tắt được. Nếu mất thiết "
            "bị, hãy nhờ quản trị hệ thống đặt lại."
        )
    deleted, _ = TwoFactorDevice.objects.filter(user=user).delete()
    BackupCode.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=actor, verb="user.2fa_disabled", obj=user)


def two_factor_reset(*, actor: User, user: User, reason: str) -> None:
    """A system admin removes another account's authenticator and backup codes (lost phone),
    with a reason, and signs that account out everywhere: its next sign-in enrols again."""
    if not getattr(actor, "is_superuser", False):
        raise DomainError("Chỉ quản trị hệ thống đặt lại được xác thực hai bước.")
    if actor.pk == user.pk:
        raise DomainError(
            "Không tự đặt lại xác thực hai bước của mình được; hãy nhờ một quản trị hệ thống khác."
        )
    reason = reason.strip()
    if not reason:
        raise DomainError("Hãy ghi lý do đặt lại (ví dụ: người dùng báo mất điện thoại).")
    with transaction.atomic():
        had = TwoFactorDevice.objects.filter(user=user).delete()[0] > 0
        BackupCode.objects.filter(user=user).delete()
        TwoFactorFailure.objects.filter(user=user).delete()
        audit_record(
            actor=actor,
            verb="user.2fa_reset",
            obj=user,
            old={"two_factor": had},
            new={"two_factor": False},
            reason=reason,
        )
        sessions_end_all(user=user)
