"""The public link and QR code of a unit (the citizens' group): which groups answer there, the
hashes that stand for an address and a device, the signed start time, and the rate limits.

Rate limits (Django's cache, fixed windows; the defaults below, documented in the README):

- at most ``ADDRESS_PER_HOUR`` public submissions from one address per hour — high enough for
  a one-stop desk's Wi-Fi or a carrier's shared address;
- at most ``DEVICE_PER_DAY`` from one device (the long-lived random cookie ``DEVICE_COOKIE``)
  per day — a citizen rates the unit they dealt with, not ten times.

Over a limit the view answers 429 and nothing is stored. Only stored responses count
(``rate_count``); a refused or invalid form costs nothing. The fraud rules (``burst``) still
flag what passes the limits.

Groups: ``Survey.public_groups`` (chosen by the organizer on the QR page); empty means the
citizens' groups guessed from their code or title (``CITIZEN_CODES``/``CITIZEN_WORDS``), or
every group when none looks like citizens. Only groups that are asked at least one question
answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from parindex import engine
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.periods.services import require_period_admin
from parindex.survey.definition import engine_survey, questions_for
from parindex.survey.models import Survey

ADDRESS_PER_HOUR = 30
DEVICE_PER_DAY = 5
DEVICE_COOKIE = "pi_thiet_bi"
DEVICE_COOKIE_MAX_AGE = 2 * 365 * 24 * 3600  # two years
START_SALT = "parindex.survey.public.start"
START_MAX_AGE = 24 * 3600  # a start time older than a day is ignored

CITIZEN_CODES = frozenset({"DAN", "NGUOIDAN", "CONGDAN", "DN", "DOANHNGHIEP", "NGUOI_DAN"})
CITIZEN_WORDS = ("người dân", "công dân", "doanh nghiệp")


def guessed_citizen_groups(es: engine.Survey) -> list[str]:
    return [
        g.code
        for g in es.groups
        if g.code.upper() in CITIZEN_CODES or any(w in g.title.lower() for w in CITIZEN_WORDS)
    ]


def public_groups(survey: Survey, es: engine.Survey | None = None) -> list[engine.SurveyGroup]:
    """The groups answering by the public link, in the definition's order."""
    es = es or engine_survey(survey)
    chosen = [str(c) for c in (survey.public_groups or [])]
    codes = (
        set(chosen) if chosen else set(guessed_citizen_groups(es) or [g.code for g in es.groups])
    )
    return [g for g in es.groups if g.code in codes and questions_for(es, g.code)]


@transaction.atomic
def survey_set_public_groups(*, actor: Any, survey: Survey, groups: list[str]) -> Survey:
    """The organizer chooses the groups of the public link (an empty list: the guess)."""
    require_period_admin(actor, survey.period_block.period)
    es = engine_survey(survey)
    known = {g.code for g in es.groups}
    unknown = [g for g in groups if g not in known]
    if unknown:
        raise DomainError(
            "Nhóm đối tượng không có trong phiếu điều tra: " + ", ".join(unknown) + "."
        )
    unasked = [g for g in groups if not questions_for(es, g)]
    if unasked:
        raise DomainError("Nhóm đối tượng không được hỏi câu nào: " + ", ".join(unasked) + ".")
    ordered = [g.code for g in es.groups if g.code in set(groups)]
    old = list(survey.public_groups or [])
    if ordered == old:
        return survey
    survey.public_groups = ordered
    survey.save(update_fields=["public_groups", "updated_at"])
    audit_record(
        actor=actor,
        verb="survey.public_groups",
        obj=survey,
        old={"public_groups": old},
        new={"public_groups": ordered},
    )
    return survey


# --- hashes, start time ---------------------------------------------------------------------


def _digest(kind: str, value: str) -> str:
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def address_hash(address: str | None) -> str:
    """A keyed hash of the client's address (the address itself is never stored)."""
    return _digest("address", address) if address else ""


def device_hash(token: str | None) -> str:
    return _digest("device", token) if token else ""


def new_device_token() -> str:
    return secrets.token_urlsafe(24)


def valid_device_token(token: str | None) -> bool:
    return bool(token) and 20 <= len(token or "") <= 64 and (token or "").isascii()


def sign_start(now: dt.datetime | None = None) -> str:
    return signing.dumps((now or timezone.now()).timestamp(), salt=START_SALT)


def read_start(value: str | None) -> dt.datetime | None:
    """The start time of a signed hidden field; None when missing, forged or too old."""
    if not value:
        return None
    try:
        stamp = signing.loads(value, salt=START_SALT, max_age=START_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(stamp, int | float):
        return None
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)


# --- rate limits ----------------------------------------------------------------------------


def _keys(survey_id: int, addr: str, device: str, now: dt.datetime) -> list[tuple[str, int, int]]:
    """(cache key, limit, window seconds) of each limit that applies."""
    hour = now.strftime("%Y%m%d%H")
    day = now.strftime("%Y%m%d")
    out: list[tuple[str, int, int]] = []
    if addr:
        out.append((f"survey-public:a:{survey_id}:{addr}:{hour}", ADDRESS_PER_HOUR, 3600))
    if device:
        out.append((f"survey-public:d:{survey_id}:{device}:{day}", DEVICE_PER_DAY, 86400))
    return out


def rate_limited(survey_id: int, addr: str, device: str, now: dt.datetime | None = None) -> bool:
    """Has this address (this hour) or this device (today) reached its limit?"""
    now = now or timezone.now()
    for key, limit, _ in _keys(survey_id, addr, device, now):
        if int(cache.get(key) or 0) >= limit:
            return True
    return False


def rate_count(survey_id: int, addr: str, device: str, now: dt.datetime | None = None) -> None:
    """Count one stored public response against the address and the device."""
    now = now or timezone.now()
    for key, _, window in _keys(survey_id, addr, device, now):
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=window)
