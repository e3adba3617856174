"""Invitations and reminders by e-mail, with a personal single-use link (no login).

- ``invitations_send``: a fresh random token per respondent (``secrets.token_urlsafe(24)``);
  only its SHA-256 is stored (``Respondent.token_hash``), so a re-send makes a new link and
  the old one stops working; ``invited_at`` is set. Without ``respondents``: everyone with an
  e-mail not yet invited.
- ``reminders_send``: those invited who have not answered all their units; since only the
  hash is kept, the reminder carries a new link too (the previous one stops working);
  ``reminded_at`` is set.
- The mails go out through the worker after commit (``survey_changed`` with
  ``event="invitations"`` → ``receivers`` → ``tasks.send_invitations``, in batches of
  ``BATCH``). The raw token never reaches the database: the task's arguments carry it
  sealed (Fernet, a key derived from ``SECRET_KEY``), the worker opens it to write the mail.
- Audited with the counts only (never a token or an address).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from parindex.assessments import signals as assessment_signals
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.periods.services import require_period_admin
from parindex.survey import emails
from parindex.survey.access import token_hash
from parindex.survey.models import Respondent, RespondentUnit, Survey
from parindex.survey.signals import survey_changed

BATCH = 50
SEAL_TTL = 7 * 24 * 3600  # a queued mail older than a week is not sent


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"parindex.survey.invitation:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(token: str) -> str:
    return _fernet().encrypt(token.encode("ascii")).decode("ascii")


def unseal(sealed: str) -> str | None:
    try:
        return _fernet().decrypt(sealed.encode("ascii"), ttl=SEAL_TTL).decode("ascii")
    except (InvalidToken, ValueError):
        return None


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _require(actor: Any, survey: Survey) -> Survey:
    locked = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("period_block__period__organizer")
        .get(pk=survey.pk)
    )
    require_period_admin(actor, locked.period_block.period)
    if locked.status != Survey.Status.OPEN or locked.frozen_at is not None:
        raise DomainError("Chỉ gửi thư mời khi cuộc khảo sát đang mở (Đang khảo sát).")
    return locked


def _issue(survey: Survey, people: list[Respondent], kind: str, field: str) -> list[str]:
    """New tokens for ``people`` (stamped ``field``); the mails queued after commit. Returns
    the raw tokens in the order of ``people`` (for the callers' tests; never stored)."""
    now = timezone.now()
    tokens: list[str] = []
    for p in people:
        token = new_token()
        tokens.append(token)
        p.token_hash = token_hash(token)
        setattr(p, field, now)
    Respondent.objects.bulk_update(people, ["token_hash", field])
    batch = [[p.pk, seal(t)] for p, t in zip(people, tokens, strict=True)]
    if batch and not assessment_signals.is_muted():
        for i in range(0, len(batch), BATCH):
            part = batch[i : i + BATCH]
            transaction.on_commit(
                lambda part=part: survey_changed.send(  # type: ignore[misc]
                    sender=None, survey_id=survey.pk, event="invitations", kind=kind, batch=part
                )
            )
    return tokens


@transaction.atomic
def invitations_send(
    *, actor: Any, survey: Survey, respondents: Iterable[Respondent] | None = None
) -> list[str]:
    """Invite (or re-invite) by e-mail; returns the new raw tokens (not stored). Those
    without an e-mail are skipped."""
    survey = _require(actor, survey)
    qs = Respondent.objects.filter(survey=survey).exclude(email="")
    if respondents is None:
        qs = qs.filter(invited_at__isnull=True)
        resend = False
    else:
        qs = qs.filter(pk__in=[r.pk for r in respondents])
        resend = True
    people = list(qs.select_for_update().order_by("id"))
    if not people:
        raise DomainError(
            "Không có ai để gửi thư mời (đã gửi cho tất cả hoặc chưa ai có thư điện tử)."
        )
    tokens = _issue(survey, people, "invitation", "invited_at")
    audit_record(
        actor=actor,
        verb="survey.invitations",
        obj=survey,
        new={"count": len(people), "resend": resend},
    )
    return tokens


@transaction.atomic
def reminders_send(*, actor: Any, survey: Survey) -> list[str]:
    """Remind those invited who have not answered all their units (a new link each)."""
    survey = _require(actor, survey)
    waiting = RespondentUnit.objects.filter(respondent=OuterRef("pk"), answered_on__isnull=True)
    people = list(
        Respondent.objects.filter(survey=survey, invited_at__isnull=False)
        .exclude(email="")
        .filter(Exists(waiting))
        .select_for_update()
        .order_by("id")
    )
    if not people:
        raise DomainError("Không có ai cần nhắc: mọi người được mời đã trả lời.")
    tokens = _issue(survey, people, "reminder", "reminded_at")
    audit_record(actor=actor, verb="survey.reminders", obj=survey, new={"count": len(people)})
    return tokens


MAX_ADDRESSES = 20


@transaction.atomic
def respondent_opened(*, respondent: Respondent, address_hash: str) -> None:
    """Record that the link was opened from ``address_hash`` (a salted hash, never the
    address): the fraud rule ``token_addresses`` counts them; at most ``MAX_ADDRESSES``."""
    if not address_hash or address_hash in (respondent.addresses or []):
        return
    locked = Respondent.objects.select_for_update().get(pk=respondent.pk)
    seen = list(locked.addresses or [])
    if address_hash in seen or len(seen) >= MAX_ADDRESSES:
        respondent.addresses = seen
        return
    seen.append(address_hash)
    locked.addresses = seen
    locked.save(update_fields=["addresses", "updated_at"])
    respondent.addresses = seen


@transaction.atomic
def survey_set_mail_text(
    *, actor: Any, survey: Survey, kind: str, subject: str, body: str
) -> Survey:
    """The organizer's own subject and body of the invitation or the reminder (plain text with
    the placeholders of ``emails.PLACEHOLDERS``; the body must carry ``{duong_dan}``). The
    default texts (``emails.DEFAULT_TEXTS``) restore the templates' mail. Audited; the mails
    queued from now on use it. Allowed until the survey is closed."""
    if kind not in emails.KINDS:
        raise DomainError("Loại thư không hợp lệ.")
    locked = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("period_block__period__organizer")
        .get(pk=survey.pk)
    )
    require_period_admin(actor, locked.period_block.period)
    if locked.status == Survey.Status.CLOSED:
        raise DomainError("Cuộc khảo sát đã kết thúc: không sửa thư mời, thư nhắc nữa.")
    subject, body = subject.strip(), body.replace("\r\n", "\n").strip()
    problems = emails.text_problems(subject, body)
    if problems:
        raise DomainError(" ".join(problems))
    texts = dict(locked.mail_texts or {})
    old = texts.get(kind)
    if {"subject": subject, "body": body} == emails.DEFAULT_TEXTS[kind]:
        texts.pop(kind, None)
    else:
        texts[kind] = {"subject": subject, "body": body}
    locked.mail_texts = texts
    locked.save(update_fields=["mail_texts", "updated_at"])
    audit_record(
        actor=actor,
        verb="survey.mail_text",
        obj=locked,
        old={kind: old},
        new={kind: texts.get(kind)},
    )
    return locked
