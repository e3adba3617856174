"""Fraud rules (000 Tuyên Quang §2: interference voids the survey result), each with a default
threshold the organizer can change (``Survey.fraud``, defaults ``models.DEFAULT_FRAUD``).

Checked at intake, on one new response (``intake_flags``):
- ``burst``: more than ``burst_count`` responses from one address or one device within
  ``burst_minutes``;
- ``fast``: completed faster than ``min_seconds``;
- ``straight``: every answer the same option on a form of at least ``straight_min_answers``;
- ``outside``: submitted outside the survey's window (before ``opens_on`` or after
  ``closes_on``);
- ``token_addresses``: the invitation link was opened from more than ``token_addresses``
  addresses.
Checked over a unit's responses (``pattern_flags``): ``same_pattern`` — at least
``same_pattern_count`` responses of one unit with the very same answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping

from django.utils import timezone

from parindex.survey.models import Respondent, Response, Survey

LABELS: dict[str, str] = {
    "burst": "Nhiều phiếu từ cùng một địa chỉ hoặc thiết bị trong thời gian ngắn",
    "fast": "Hoàn thành quá nhanh",
    "straight": "Mọi câu chọn cùng một phương án",
    "same_pattern": "Nhiều phiếu của cùng đơn vị trả lời giống hệt nhau",
    "outside": "Nộp ngoài thời gian khảo sát",
    "token_addresses": "Đường dẫn mời được mở từ nhiều địa chỉ",
}


def pattern_of(answers: Mapping[str, str]) -> str:
    text = "\x1f".join(f"{q}={a}" for q, a in sorted(answers.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def intake_flags(
    survey: Survey,
    *,
    answers: Mapping[str, str],
    started_at: dt.datetime | None,
    submitted_at: dt.datetime,
    address_hash: str,
    device_hash: str,
    respondent: Respondent | None = None,
) -> list[str]:
    flags: list[str] = []
    since = submitted_at - dt.timedelta(minutes=survey.threshold("burst_minutes"))
    limit = survey.threshold("burst_count")
    recent = Response.objects.filter(survey=survey, submitted_at__gte=since)
    if address_hash and recent.filter(address_hash=address_hash).count() >= limit:
        flags.append("burst")
    elif device_hash and recent.filter(device_hash=device_hash).count() >= limit:
        flags.append("burst")
    if started_at is not None:
        seconds = (submitted_at - started_at).total_seconds()
        if seconds < survey.threshold("min_seconds"):
            flags.append("fast")
    values = list(answers.values())
    if len(values) >= survey.threshold("straight_min_answers") and len(set(values)) == 1:
        flags.append("straight")
    day = timezone.localtime(submitted_at).date()
    if (survey.opens_on and day < survey.opens_on) or (survey.closes_on and day > survey.closes_on):
        flags.append("outside")
    if respondent is not None and len(respondent.addresses) > survey.threshold("token_addresses"):
        flags.append("token_addresses")
    return flags


def pattern_flags(survey: Survey) -> int:
    """Flag (and send to review) the valid responses of a unit that share one answer pattern
    with at least ``same_pattern_count`` - 1 others; returns how many were newly flagged."""
    from django.db.models import Count

    limit = survey.threshold("same_pattern_count")
    groups = (
        Response.objects.filter(survey=survey)
        .exclude(status=Response.Status.VOID)
        .exclude(pattern="")
        .values("unit_id", "pattern")
        .annotate(n=Count("id"))
        .filter(n__gte=limit)
    )
    flagged = 0
    for g in groups:
        rows = Response.objects.filter(
            survey=survey, unit_id=g["unit_id"], pattern=g["pattern"], status=Response.Status.VALID
        )
        for r in rows:
            if "same_pattern" not in r.flags:
                r.flags = [*r.flags, "same_pattern"]
                r.status = Response.Status.FLAGGED
                r.save(update_fields=["flags", "status"])
                flagged += 1
    return flagged
