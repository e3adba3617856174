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
``same_pattern_count`` responses of one unit with the very same answers. The organizer's
"Quét lại" runs it and re-runs the burst rule over the stored responses (``burst_flags``).
``THRESHOLDS`` gives each threshold its Vietnamese label, help and bounds (the form and the
service check them with ``thresholds_problems``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from parindex.survey.models import DEFAULT_FRAUD, Respondent, Response, Survey

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
    recent = Response.objects.filter(survey=survey, submitted_at__gte=since).order_by()
    # counted up to the limit only: an office behind one address sends thousands a day
    if address_hash and recent.filter(address_hash=address_hash)[:limit].count() >= limit:
        flags.append("burst")
    elif device_hash and recent.filter(device_hash=device_hash)[:limit].count() >= limit:
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


@dataclass(frozen=True)
class Threshold:
    """One threshold of the organizer's form: its Vietnamese label and help, and bounds."""

    key: str
    label: str
    help: str
    low: int
    high: int


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold(
        "burst_count",
        "Số phiếu tối đa từ một địa chỉ hoặc thiết bị",
        "Phiếu thứ (số này + 1) trở đi từ cùng một địa chỉ mạng hoặc cùng một thiết bị trong "
        "khoảng thời gian dưới đây bị đưa vào danh sách xem xét.",
        1,
        1000,
    ),
    Threshold(
        "burst_minutes",
        "Khoảng thời gian xét (phút)",
        "Khoảng thời gian dùng để đếm số phiếu từ cùng một địa chỉ hoặc thiết bị.",
        1,
        1440,
    ),
    Threshold(
        "min_seconds",
        "Thời gian trả lời tối thiểu (giây)",
        "Phiếu hoàn thành nhanh hơn số giây này bị đưa vào danh sách xem xét (0: không xét).",
        0,
        3600,
    ),
    Threshold(
        "straight_min_answers",
        "Số câu tối thiểu để xét “chọn cùng một phương án”",
        "Phiếu có ít nhất số câu trả lời này và mọi câu chọn cùng một phương án bị đưa vào "
        "danh sách xem xét.",
        2,
        200,
    ),
    Threshold(
        "same_pattern_count",
        "Số phiếu giống hệt nhau của một đơn vị",
        "Khi có từ số phiếu này trở lên về cùng một đơn vị trả lời giống hệt nhau ở mọi câu, "
        "các phiếu đó bị đưa vào danh sách xem xét (khi bấm “Quét lại”).",
        2,
        1000,
    ),
    Threshold(
        "token_addresses",
        "Số địa chỉ tối đa mở một đường dẫn mời",
        "Đường dẫn mời cá nhân được mở từ nhiều địa chỉ mạng hơn số này thì phiếu gửi từ "
        "đường dẫn đó bị đưa vào danh sách xem xét.",
        1,
        100,
    ),
)


def thresholds_problems(values: Mapping[str, object]) -> list[str]:
    """Every problem with a full set of thresholds (each key of ``DEFAULT_FRAUD``, an int
    within its bounds), in Vietnamese."""
    problems: list[str] = []
    for t in THRESHOLDS:
        value = values.get(t.key)
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{t.label}: chưa nhập số nguyên.")
        elif not t.low <= value <= t.high:
            problems.append(f"{t.label}: phải từ {t.low} đến {t.high} (đã nhập {value}).")
    unknown = sorted(set(values) - set(DEFAULT_FRAUD))
    if unknown:
        problems.append("Ngưỡng không có trong danh mục: " + ", ".join(unknown) + ".")
    return problems


def _add_flag(response: Response, flag: str) -> bool:
    """Add ``flag`` to a stored response (valid → flagged; a void one stays void); False if
    it already had it."""
    if flag in response.flags:
        return False
    response.flags = [*response.flags, flag]
    if response.status == Response.Status.VALID:
        response.status = Response.Status.FLAGGED
    return True


def pattern_flags(survey: Survey) -> int:
    """Flag (and send to review) the valid or flagged responses of a unit that share one
    answer pattern with at least ``same_pattern_count`` - 1 others; returns how many were
    newly flagged. A response already flagged for it (e.g. reviewed and kept valid) is left
    as it is. Two queries and one bulk update."""
    limit = survey.threshold("same_pattern_count")
    groups = (
        Response.objects.filter(survey=survey)
        .exclude(status=Response.Status.VOID)
        .exclude(pattern="")
        .values("unit_id", "pattern")
        .annotate(n=Count("id"))
        .filter(n__gte=limit)
    )
    keys = {(g["unit_id"], g["pattern"]) for g in groups}
    if not keys:
        return 0
    rows = Response.objects.filter(
        survey=survey,
        status__in=[Response.Status.VALID, Response.Status.FLAGGED],
        pattern__in={p for _, p in keys},
    ).only("id", "unit_id", "pattern", "flags", "status")
    changed = [r for r in rows if (r.unit_id, r.pattern) in keys and _add_flag(r, "same_pattern")]
    Response.objects.bulk_update(changed, ["flags", "status"], batch_size=500)
    return len(changed)


def burst_flags(survey: Survey) -> int:
    """The burst rule of ``intake_flags`` re-run over the stored responses (e.g. after the
    organizer lowered the threshold): a response is flagged when at least ``burst_count``
    earlier responses came from its address, or from its device, within ``burst_minutes``
    before it. Returns how many were newly flagged (void responses are not counted and not
    touched). One query and one bulk update."""
    window = dt.timedelta(minutes=survey.threshold("burst_minutes"))
    limit = survey.threshold("burst_count")
    rows = list(
        Response.objects.filter(survey=survey)
        .exclude(status=Response.Status.VOID)
        .exclude(address_hash="", device_hash="")
        .only("id", "address_hash", "device_hash", "submitted_at", "flags", "status")
        .order_by("submitted_at", "id")
    )
    seen: dict[tuple[str, str], deque[dt.datetime]] = defaultdict(deque)
    hit: list[Response] = []
    for r in rows:
        burst = False
        for key in (("a", r.address_hash), ("d", r.device_hash)):
            if not key[1]:
                continue
            earlier = seen[key]
            while earlier and earlier[0] < r.submitted_at - window:
                earlier.popleft()
            if len(earlier) >= limit:
                burst = True
            earlier.append(r.submitted_at)
        if burst and _add_flag(r, "burst"):
            hit.append(r)
    Response.objects.bulk_update(hit, ["flags", "status"], batch_size=500)
    return len(hit)
