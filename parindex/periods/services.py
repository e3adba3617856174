"""Writes on periods: create, calendar, blocks, close. Atomic, audited. (Adding and removing
units creates and deletes assessments: parindex/assessments/participation.py.)

Decisions where the brief was silent:
- the acting user must administer the organizer (organizer admin of that unit, or a system
  admin); ``actor=None`` is the system itself (seed data, commands) and is always allowed;
- a block's framework must belong to the organizer, be of that block and of the period's year,
  and not be archived (a draft framework is accepted: the framework of the year is often
  still being edited while the period is prepared);
- the reason is required when dates are changed after creation and when a period is closed;
- a closed period cannot be changed any more;
- a unit can be removed from a period only while its assessment is still a draft with no
  declared value, explanation or score.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from parindex.accounts.access import area_contains
from parindex.accounts.models import Block, Unit
from parindex.audit.services import audit_record, snapshot
from parindex.common.errors import DomainError
from parindex.frameworks.models import Framework
from parindex.periods.access import is_organizer_admin_of
from parindex.periods.calendar import (
    Calendar,
    calendar_problems,
    default_calendar,
    fmt_date,
)
from parindex.periods.models import (
    PHASE_ORDER,
    Period,
    PeriodBlock,
    Phase,
    PhaseDate,
    parse_reminder_days,
)

PERIOD_FIELDS = ["organizer", "year", "name", "kind", "plan_reference", "closed"]


def _require_organizer(actor: Any, organizer: Unit) -> None:
    if actor is None:
        return
    if not is_organizer_admin_of(actor, organizer):
        raise DomainError(f"Bạn không phải cán bộ quản trị của {organizer.name}.")


def require_open(period: Period) -> None:
    if period.closed:
        raise DomainError(f"Đợt đánh giá “{period.name}” đã đóng (chỉ đọc), không thể thay đổi.")


def _check_framework(*, organizer: Unit, year: int, block: Block, framework: Framework) -> None:
    if framework.owner_id != organizer.pk:
        raise DomainError(
            f"Bộ tiêu chí {framework.code} không phải của {organizer.name}: "
            "chỉ dùng được bộ tiêu chí do cơ quan tổ chức ban hành."
        )
    if framework.block_id != block.pk:
        raise DomainError(
            f"Bộ tiêu chí {framework.code} dùng cho khối khác, không dùng được cho {block.name}."
        )
    if framework.year != year:
        raise DomainError(
            f"Bộ tiêu chí {framework.code} là của năm {framework.year}, "
            f"không dùng được cho đợt đánh giá năm {year}."
        )
    if framework.status == Framework.Status.ARCHIVED:
        raise DomainError(f"Bộ tiêu chí {framework.code} đã lưu trữ, không dùng được nữa.")


def _normalize_calendar(dates: dict[Any, tuple[Any, Any]]) -> Calendar:
    out: Calendar = {}
    for phase, (start, end) in dates.items():
        out[str(Phase(phase).value) if phase in PHASE_ORDER else str(phase)] = (start, end)
    return out


def _check_calendar(dates: Calendar) -> None:
    problems = calendar_problems(dates)
    if problems:
        raise DomainError("Lịch thực hiện chưa hợp lệ: " + " ".join(problems), problems=problems)


def _calendar_text(dates: Calendar) -> dict[str, str]:
    return {
        phase: f"{fmt_date(dates[phase][0])}–{fmt_date(dates[phase][1])}"
        for phase in PHASE_ORDER
        if phase in dates
    }


@transaction.atomic
def period_create(
    *,
    actor: Any,
    organizer: Unit,
    year: int,
    name: str,
    kind: str = Period.Kind.INTERNAL,
    plan_reference: str = "",
    blocks: list[tuple[Block, Framework]],
    calendar: dict[Any, tuple[Any, Any]] | None = None,
) -> Period:
    """A new period of ``year`` run by ``organizer`` with its blocks and calendar."""
    if not organizer.is_organizer:
        raise DomainError(
            f"{organizer.name} không phải cơ quan tổ chức đánh giá "
            "(chưa được giao địa bàn tổ chức đánh giá)."
        )
    _require_organizer(actor, organizer)
    if not blocks:
        raise DomainError("Chọn ít nhất một khối tham gia và bộ tiêu chí của khối đó.")
    seen: set[int] = set()
    for block, framework in blocks:
        if block.pk in seen:
            raise DomainError(f"{block.name} được chọn hai lần.")
        seen.add(block.pk)
        _check_framework(organizer=organizer, year=year, block=block, framework=framework)
    if Period.objects.filter(organizer=organizer, year=year, kind=kind).exists():
        raise DomainError(
            f"{organizer.name} đã có đợt đánh giá năm {year} loại “{Period.Kind(kind).label}”."
        )
    dates = _normalize_calendar(calendar if calendar is not None else default_calendar(year))
    _check_calendar(dates)

    period = Period(
        organizer=organizer,
        year=year,
        name=name.strip(),
        kind=kind,
        plan_reference=plan_reference.strip(),
    )
    period.full_clean()
    period.save()
    for block, framework in blocks:
        pb = PeriodBlock(period=period, block=block, framework=framework)
        pb.full_clean()
        pb.save()
    PhaseDate.objects.bulk_create(
        [
            PhaseDate(
                period=period, phase=phase, starts_on=dates[phase][0], ends_on=dates[phase][1]
            )
            for phase in PHASE_ORDER
        ]
    )
    new = snapshot(period, PERIOD_FIELDS)
    new["blocks"] = {block.code: framework.code for block, framework in blocks}
    new["calendar"] = _calendar_text(dates)
    audit_record(actor=actor, verb="period.create", obj=period, new=new)
    return period


@transaction.atomic
def period_set_calendar(
    *,
    actor: Any,
    period: Period,
    dates: dict[Any, tuple[Any, Any]],
    reason: str,
    reminder_days: str | None = None,
) -> Period:
    """The organizer changes the dates of the phases (all of them, validated together) and,
    when given, the days before the self-assessment deadline on which reminders are sent."""
    _require_organizer(actor, period.organizer)
    require_open(period)
    if not reason.strip():
        raise DomainError("Ghi lý do điều chỉnh lịch thực hiện.")
    new_dates = _normalize_calendar(dates)
    _check_calendar(new_dates)
    rows = {p.phase: p for p in PhaseDate.objects.filter(period=period)}
    old_dates = {phase: (row.starts_on, row.ends_on) for phase, row in rows.items()}
    old_reminders = period.reminder_days
    new_reminders = old_reminders
    if reminder_days is not None:
        try:
            new_reminders = ",".join(str(n) for n in parse_reminder_days(reminder_days))
        except ValidationError as exc:
            raise DomainError("Ngày nhắc hạn: " + " ".join(exc.messages)) from None
    if old_dates == new_dates and old_reminders == new_reminders:
        raise DomainError("Lịch thực hiện không thay đổi.")
    if new_reminders != old_reminders:
        period.reminder_days = new_reminders
        period.full_clean(validate_constraints=False)
        period.save(update_fields=["reminder_days", "updated_at"])
    for phase in PHASE_ORDER:
        start, end = new_dates[phase]
        row = rows.get(phase) or PhaseDate(period=period, phase=phase)
        if row.pk is not None and (row.starts_on, row.ends_on) == (start, end):
            continue
        row.starts_on, row.ends_on = start, end
        row.full_clean(validate_constraints=False)
        row.save()
    # The prefetched phases (if any) are stale now.
    getattr(period, "_prefetched_objects_cache", {}).pop("phases", None)
    audit_record(
        actor=actor,
        verb="period.calendar",
        obj=period,
        old={**_calendar_text(old_dates), "reminder_days": old_reminders},
        new={**_calendar_text(new_dates), "reminder_days": new_reminders},
        reason=reason.strip(),
    )
    return period


@transaction.atomic
def period_add_block(
    *, actor: Any, period: Period, block: Block, framework: Framework
) -> PeriodBlock:
    _require_organizer(actor, period.organizer)
    require_open(period)
    if PeriodBlock.objects.filter(period=period, block=block).exists():
        raise DomainError(f"{block.name} đã tham gia đợt đánh giá này.")
    _check_framework(organizer=period.organizer, year=period.year, block=block, framework=framework)
    pb = PeriodBlock(period=period, block=block, framework=framework)
    pb.full_clean()
    pb.save()
    audit_record(
        actor=actor,
        verb="period.add_block",
        obj=period,
        new={"block": block.code, "framework": framework.code},
    )
    return pb


def require_period_admin(actor: Any, period: Period) -> None:
    """The acting user administers the period's organizer (``None``: the system)."""
    _require_organizer(actor, period.organizer)


def period_unit_problem(period: Period, unit: Unit) -> str | None:
    """Why ``unit`` cannot take part in ``period`` (None when it can)."""
    if not area_contains(period.organizer, unit):
        return f"{unit.name} không thuộc địa bàn do {period.organizer.name} tổ chức đánh giá."
    if not unit.is_active:
        return f"{unit.name} đã ngừng hoạt động."
    block_ids = {pb.block_id for pb in period.blocks.all()}
    if unit.block_id is None or unit.block_id not in block_ids:
        return f"{unit.name} không thuộc khối nào tham gia đợt đánh giá này."
    return None


# Why a period cannot be archived yet, asked by ``period_close``: the apps above register
# theirs in their AppConfig.ready (appeals: its window still runs or an appeal waits for its
# answer), so this layer imports none of them.
CLOSE_CHECKS: list[Callable[[Period], str | None]] = []


@transaction.atomic
def period_close(*, actor: Any, period: Period, reason: str) -> Period:
    """Close the period: from now on it is read-only (Lưu trữ)."""
    _require_organizer(actor, period.organizer)
    require_open(period)
    if not reason.strip():
        raise DomainError("Ghi lý do đóng đợt đánh giá.")
    for check in CLOSE_CHECKS:
        why = check(period)
        if why:
            raise DomainError(why)
    old = snapshot(period, PERIOD_FIELDS)
    period.closed = True
    period.full_clean()
    period.save(update_fields=["closed", "updated_at"])
    audit_record(
        actor=actor,
        verb="period.close",
        obj=period,
        old=old,
        new=snapshot(period, PERIOD_FIELDS),
        reason=reason.strip(),
    )
    return period
