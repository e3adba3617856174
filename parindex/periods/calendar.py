"""The calendar of a period: default dates, the current phase, the self-assessment deadline.

Decisions (product.md, Bắc Giang QT.CCHC.01, seed 004):

- A period of year Y assesses the work of year Y; the province runs it in October–December of
  Y, so the default calendar lies in Y: Chuẩn bị 01/10–14/10, Tự đánh giá 15/10–15/11,
  Thẩm định lần 1 16/11–30/11, Giải trình, bổ sung 01/12–10/12, Thẩm định lần 2 11/12–20/12,
  Tổng hợp 21/12–25/12, Phê duyệt và công bố 26/12–31/12, and Lưu trữ 01/01–31/03 of Y+1
  (the districts report their commune results in the first quarter of the next year).
  The organizer may set any dates (e.g. a period that runs in the next year).
- A calendar has all eight phases, each ends on or after its start, and each phase starts
  after the previous one ends (gaps are allowed; overlaps and reordering are not).
- Dates are local (Asia/Ho_Chi_Minh) and inclusive: a phase ending 15/11 lasts all of 15/11.
- The current phase is the last phase that has started (so in a gap between two phases the
  earlier one is still shown); none before the first phase; Lưu trữ after the last, and
  always Lưu trữ once the period is closed.
- The self-assessment deadline is the end (23:59:59.999999 local) of the last day of
  Tự đánh giá, or the assessment's own deadline_override when that is later.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from django.utils import timezone

from parindex.common.dates import days_left
from parindex.periods.models import PHASE_ORDER, Phase

if TYPE_CHECKING:
    from parindex.periods.models import Period

Calendar = dict[str, tuple[dt.date, dt.date]]


class HasDeadlineOverride(Protocol):
    """An assessment, as far as the calendar needs it (that app sits above this one)."""

    deadline_override: dt.datetime | None


# (phase, (start month, start day), (end month, end day), year offset)
_DEFAULTS: tuple[tuple[str, tuple[int, int], tuple[int, int], int], ...] = (
    (Phase.PREPARATION, (10, 1), (10, 14), 0),
    (Phase.SELF_ASSESSMENT, (10, 15), (11, 15), 0),
    (Phase.APPRAISAL_1, (11, 16), (11, 30), 0),
    (Phase.SUPPLEMENT, (12, 1), (12, 10), 0),
    (Phase.APPRAISAL_2, (12, 11), (12, 20), 0),
    (Phase.CONSOLIDATION, (12, 21), (12, 25), 0),
    (Phase.APPROVAL, (12, 26), (12, 31), 0),
    (Phase.ARCHIVE, (1, 1), (3, 31), 1),
)


def default_calendar(year: int) -> dict[Phase, tuple[dt.date, dt.date]]:
    """The Bắc Giang QT.CCHC.01 calendar for a period of ``year``."""
    return {
        Phase(phase): (
            dt.date(year + offset, start[0], start[1]),
            dt.date(year + offset, end[0], end[1]),
        )
        for phase, start, end, offset in _DEFAULTS
    }


def fmt_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def calendar_problems(dates: Calendar) -> list[str]:
    """What is wrong with a calendar, in Vietnamese (empty when it is fine)."""
    problems: list[str] = []
    missing = [Phase(p).label for p in PHASE_ORDER if p not in dates]
    if missing:
        problems.append("Thiếu thời gian của giai đoạn: " + ", ".join(missing) + ".")
        return problems
    unknown = [str(p) for p in dates if p not in PHASE_ORDER]
    if unknown:
        problems.append("Giai đoạn không hợp lệ: " + ", ".join(unknown) + ".")
    previous: tuple[str, dt.date] | None = None
    for phase in PHASE_ORDER:
        start, end = dates[phase]
        label = Phase(phase).label
        if end < start:
            problems.append(
                f"Giai đoạn “{label}”: ngày kết thúc {fmt_date(end)} "
                f"trước ngày bắt đầu {fmt_date(start)}."
            )
        if previous is not None and start <= previous[1]:
            problems.append(
                f"Giai đoạn “{label}” bắt đầu {fmt_date(start)}, không sau ngày kết thúc "
                f"{fmt_date(previous[1])} của giai đoạn “{Phase(previous[0]).label}”: "
                "các giai đoạn phải theo đúng thứ tự và không chồng lấn nhau."
            )
        previous = (phase, end)
    return problems


def period_calendar(period: Period) -> Calendar:
    """The period's dates by phase (uses ``period.phases.all()``, so prefetch it)."""
    return {p.phase: (p.starts_on, p.ends_on) for p in period.phases.all()}


def phase_at(dates: Calendar, today: dt.date) -> str | None:
    """The last phase that has started on ``today`` (None before the first one)."""
    current: str | None = None
    for phase in PHASE_ORDER:
        if phase in dates and dates[phase][0] <= today:
            current = phase
    return current


def current_phase(period: Period, today: dt.date | None = None) -> Phase | None:
    """The phase the period is in on ``today`` (default: today in Asia/Ho_Chi_Minh)."""
    if period.closed:
        return Phase.ARCHIVE
    today = today or timezone.localdate()
    found = phase_at(period_calendar(period), today)
    return Phase(found) if found else None


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59.999999 of ``day`` in the local time zone (aware)."""
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time.max), timezone.get_default_timezone()
    )


def self_assessment_deadline(
    period: Period, assessment: HasDeadlineOverride | None = None
) -> dt.datetime | None:
    """The last moment units may change their self-assessment (None without a calendar)."""
    dates = period_calendar(period)
    if Phase.SELF_ASSESSMENT not in dates:
        return None
    deadline = end_of_day(dates[Phase.SELF_ASSESSMENT][1])
    override = assessment.deadline_override if assessment is not None else None
    if override is not None and override > deadline:
        return override
    return deadline


def self_assessment_start(period: Period) -> dt.date | None:
    dates = period_calendar(period)
    if Phase.SELF_ASSESSMENT not in dates:
        return None
    return dates[Phase.SELF_ASSESSMENT][0]


# The archive phase lasts months; on the timeline bar it gets at most this many days' width.
ARCHIVE_BAR_DAYS = 10


def timeline(period: Period, today: dt.date | None = None) -> dict[str, object]:
    """Data for the calendar table and the timeline bar of the detail page.

    Segment widths are proportional to the phases' lengths, except Lưu trữ (capped at
    ARCHIVE_BAR_DAYS so the working phases stay readable); ``marker`` is today's position;
    ``archived``: the period is in Lưu trữ (closed, or its working phases are over), so
    nothing is "đang diễn ra" and its calendar is no longer adjusted.
    """
    today = today or timezone.localdate()
    dates = period_calendar(period)
    current = current_phase(period, today)
    phases = [p for p in PHASE_ORDER if p in dates]
    weights = {}
    for phase in phases:
        days = (dates[phase][1] - dates[phase][0]).days + 1
        weights[phase] = min(days, ARCHIVE_BAR_DAYS) if phase == Phase.ARCHIVE else days
    total = sum(weights.values()) or 1
    rows = []
    marker = None
    before = 0.0
    for phase in phases:
        start, end = dates[phase]
        days = (end - start).days + 1
        if start <= today <= end:
            marker = round(
                100 * (before + weights[phase] * ((today - start).days + 0.5) / days) / total, 2
            )
        before += weights[phase]
        rows.append(
            {
                "phase": phase,
                "label": Phase(phase).label,
                "starts_on": start,
                "ends_on": end,
                "days": days,
                "is_current": phase == current,
                # The Lưu trữ row of an archived period: shown as such, never "Đang diễn ra".
                "archived": phase == Phase.ARCHIVE == current,
                "is_past": end < today,
                "days_left": days_left(end, today) if start <= today <= end else None,
                "width": round(100 * weights[phase] / total, 2),
            }
        )
    archived = current == Phase.ARCHIVE  # closed, or past its working phases
    return {
        "rows": rows,
        "current": current,
        "today": today,
        "marker": marker,
        "archived": archived,
    }
