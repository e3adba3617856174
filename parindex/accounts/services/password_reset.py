""" "Quên mật khẩu": a single-use link by e-mail (Django's token generator: the token hashes the
password and the last sign-in, so it dies once used or after PASSWORD_RESET_TIMEOUT).

No user enumeration: the page answers the same whether the address belongs to an account, and
does the same work either way — it records the request and queues one task; the task (the
background worker) looks the address up and sends the mail. Requests are throttled per address
of the requester and per e-mail, whether or not it exists.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from parindex.accounts.models import PasswordResetRequest, User
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.common.throttle import minutes_until, window_count

WINDOW = timedelta(hours=1)


def email_digest(email: str) -> str:
    return hashlib.sha256(email.strip().casefold().encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ResetThrottle:
    limited: bool
    minutes_left: int = 0


def password_reset_throttle(*, email: str, ip: str | None) -> ResetThrottle:
    checks: list[tuple[int, dict[str, Any]]] = [
        (settings.PASSWORD_RESET_MAX_PER_EMAIL, {"email_hash": email_digest(email)})
    ]
    if ip:
        checks.append((settings.PASSWORD_RESET_MAX_PER_IP, {"ip": ip}))
    for limit, flt in checks:
        _, until = window_count(
            PasswordResetRequest.objects.filter(**flt), limit=limit, window=WINDOW
        )
        if until is not None:
            return ResetThrottle(limited=True, minutes_left=minutes_until(until))
    return ResetThrottle(limited=False)


@transaction.atomic
def password_reset_request(*, email: str, ip: str | None) -> None:
    """Record and audit the request, and queue the mail (sent by the worker if the address
    belongs to an active account). Raises DomainError when throttled — the same for every
    address."""
    throttle = password_reset_throttle(email=email, ip=ip)
    if throttle.limited:
        raise DomainError(
            "Đã có quá nhiều yêu cầu đặt lại mật khẩu cho địa chỉ này hoặc từ máy này. "
            f"Vui lòng thử lại sau {throttle.minutes_left} phút."
        )
    PasswordResetRequest.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()
    request = PasswordResetRequest.objects.create(email_hash=email_digest(email), ip=ip)
    audit_record(actor=None, verb="auth.password_reset_requested", obj=request, new={"ip": ip})
    address = email.strip()
    transaction.on_commit(lambda: send_password_reset.enqueue(address))


def reset_candidates(email: str) -> list[User]:
    """Active accounts with this e-mail and a usable password (as Django's own form)."""
    users = User.objects.filter(email__iexact=email.strip(), is_active=True)
    return [u for u in users if u.has_usable_password() and u.email]


def password_reset_mail_send(*, email: str) -> int:
    """Send the link to each account of ``email`` (none: nothing happens). Audited per account."""
    sent = 0
    for user in reset_candidates(email):
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        path = reverse("accounts:password-reset-confirm", args=[uid, token])
        context = {
            "user": user,
            "url": settings.SITE_URL.rstrip("/") + path,
            "minutes": max(1, settings.PASSWORD_RESET_TIMEOUT // 60),
        }
        subject = " ".join(render_to_string("emails/password_reset-subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/password_reset-body.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string("emails/password_reset-body.html", context), "text/html"
        )
        message.send()
        audit_record(actor=None, verb="auth.password_reset_mailed", obj=user)
        sent += 1
    return sent


@task()
def send_password_reset(email: str) -> int:
    """The background task: run by the worker, so the page's answer takes the same time whether
    the address exists."""
    return password_reset_mail_send(email=email)
