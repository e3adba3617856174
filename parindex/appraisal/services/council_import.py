"""Seating the council from the organizer's XLSX (``parindex.appraisal.xlsx`` reads the file,
outside any transaction): every row is checked first — unknown or locked account, a name that
is not the account's, unknown unit code or a unit outside the organizer's area, unknown role,
two chairs, the same account twice, a member already seated — and every problem is listed
with its row number; if there is one, nobody is added. Otherwise the rows are seated in one
transaction, in the file's order, through ``member_add``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models.functions import Lower

from parindex.accounts.access import area_contains
from parindex.accounts.models import Unit, User
from parindex.appraisal.services.council import member_add
from parindex.appraisal.xlsx import MemberRow, position_of
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.common.xlsx import norm
from parindex.periods.models import Council, CouncilMember
from parindex.periods.services import require_period_admin

P = CouncilMember.Position
ROLE_LIST = "; ".join(label for _, label in P.choices)


@dataclass
class SeatRow:
    """A checked row: what ``member_add`` receives."""

    row: int
    user: User
    unit: Unit
    position: str
    title: str


def council_import_check(
    council: Council, rows: Sequence[MemberRow]
) -> tuple[list[SeatRow], list[str]]:
    """The rows resolved against the accounts and units, and every problem (Vietnamese, with
    the row number). Reads only: three queries whatever the number of rows."""
    period = council.period
    organizer = period.organizer
    problems: list[str] = []
    if period.closed:
        problems.append(f"Đợt đánh giá “{period.name}” đã đóng (chỉ đọc).")
    if not rows:
        problems.append("Tệp không có dòng dữ liệu nào để nhập.")
    users = {
        u.username.casefold(): u
        for u in User.objects.annotate(key=Lower("username")).filter(
            key__in={r.username.casefold() for r in rows if r.username}
        )
    }
    units = {
        u.code.casefold(): u
        for u in Unit.objects.annotate(key=Lower("code")).filter(
            key__in={r.unit.casefold() for r in rows if r.unit}
        )
    }
    seated = {m.user_id: m for m in council.members.select_related("user")}
    chair = next((m for m in seated.values() if m.position == P.CHAIR), None)
    seen: dict[str, int] = {}
    chair_row: int | None = None
    out: list[SeatRow] = []
    for r in rows:
        where = f"Dòng {r.row}"
        errors: list[str] = []
        user = users.get(r.username.casefold()) if r.username else None
        if not r.username:
            errors.append(f"{where}: thiếu tên đăng nhập.")
        elif user is None:
            errors.append(f"{where}: không có tài khoản với tên đăng nhập “{r.username}”.")
        else:
            key = user.username.casefold()
            if key in seen:
                errors.append(
                    f"{where}: tài khoản “{user.username}” đã có ở dòng {seen[key]} "
                    "(mỗi người chỉ ghi một dòng)."
                )
            else:
                seen[key] = r.row
            if not user.is_active:
                errors.append(f"{where}: tài khoản “{user.username}” đã bị khóa.")
            if r.full_name and user.full_name and norm(r.full_name) != norm(user.full_name):
                errors.append(
                    f"{where}: tài khoản “{user.username}” là của {user.full_name}, không phải "
                    f"“{r.full_name}” — kiểm tra lại tên đăng nhập."
                )
            if user.pk in seated:
                errors.append(
                    f"{where}: {user.display_name} ({user.username}) đã là thành viên của hội đồng."
                )
        unit = units.get(r.unit.casefold()) if r.unit else None
        if not r.unit:
            errors.append(f"{where}: thiếu mã đơn vị.")
        elif unit is None:
            errors.append(f"{where}: không có đơn vị mã “{r.unit}”.")
        elif not area_contains(organizer, unit):
            errors.append(
                f"{where}: {unit.name} ({unit.code}) không thuộc địa bàn của {organizer.name}."
            )
        elif not unit.is_active:
            errors.append(f"{where}: {unit.name} ({unit.code}) đã ngừng hoạt động.")
        position = position_of(r.position)
        if not r.position:
            errors.append(f"{where}: thiếu vai trò (ghi một trong: {ROLE_LIST}).")
        elif position is None:
            errors.append(
                f"{where}: vai trò “{r.position}” không hợp lệ (ghi một trong: {ROLE_LIST})."
            )
        elif position == P.CHAIR:
            if chair is not None:
                errors.append(
                    f"{where}: hội đồng đã có Chủ tịch ({chair.display_name}); bỏ Chủ tịch hiện "
                    "tại trên trang Hội đồng trước khi thay."
                )
            elif chair_row is not None:
                errors.append(
                    f"{where}: đã có Chủ tịch Hội đồng ở dòng {chair_row} — hội đồng chỉ có "
                    "một Chủ tịch."
                )
            else:
                chair_row = r.row
        problems += errors
        if not errors and user is not None and unit is not None and position is not None:
            title = r.title or user.job_title
            out.append(SeatRow(row=r.row, user=user, unit=unit, position=position, title=title))
    return out, problems


@transaction.atomic
def council_import(
    *, actor: Any, council: Council, rows: Sequence[MemberRow]
) -> list[CouncilMember]:
    """Seat every row, or nobody: a ``DomainError`` whose ``problems`` lists every row's
    problem (checked again here, inside the transaction, against the council as it is)."""
    require_period_admin(actor, council.period)
    council = (
        Council.objects.select_for_update(of=("self",))
        .select_related("period__organizer__admin_root")
        .get(pk=council.pk)
    )
    seats, problems = council_import_check(council, rows)
    if problems:
        raise DomainError(
            f"Tệp có {len(problems)} lỗi: chưa thêm thành viên nào. Sửa các dòng dưới đây rồi "
            "tải tệp lên lại.",
            problems=problems,
        )
    members = [
        member_add(
            actor=actor,
            council=council,
            user=s.user,
            unit=s.unit,
            position=s.position,
            title=s.title,
        )  # fmt: skip
        for s in seats
    ]
    audit_record(
        actor=actor,
        verb="council.import",
        obj=council,
        new={"members": [s.user.username for s in seats]},
    )
    return members
