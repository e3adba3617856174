"""The council (Hội đồng thẩm định, Tổ giúp việc) and the assignment (phân công) of a period:
written by the period's organizer admin only, while the period is open."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from parindex.accounts.models import Unit, User
from parindex.audit.services import audit_record, snapshot
from parindex.common.errors import DomainError
from parindex.frameworks.models import FrameworkNode
from parindex.periods.access import forget_council_seats
from parindex.periods.models import Assignment, Council, CouncilMember, Period
from parindex.periods.services import require_period_admin

P = CouncilMember.Position
COUNCIL_FIELDS = ["name", "decision_number", "decision_date", "decision_signer"]


def _open(period: Period) -> None:
    if period.closed:
        raise DomainError(f"Đợt đánh giá “{period.name}” đã đóng (chỉ đọc).")


def council_for(period: Period) -> Council:
    """The period's council (created empty the first time it is asked for)."""
    council, _ = Council.objects.get_or_create(period=period)
    return council


@transaction.atomic
def council_update(
    *,
    actor: Any,
    council: Council,
    name: str,
    decision_number: str = "",
    decision_date: dt.date | None = None,
    decision_signer: str = "",
) -> Council:
    require_period_admin(actor, council.period)
    _open(council.period)
    old = snapshot(council, COUNCIL_FIELDS)
    council.name = name.strip() or council.name
    council.decision_number = decision_number.strip()
    council.decision_date = decision_date
    council.decision_signer = decision_signer.strip()
    council.full_clean()
    council.save()
    audit_record(
        actor=actor, verb="council.update", obj=council, old=old,
        new=snapshot(council, COUNCIL_FIELDS),
    )  # fmt: skip
    return council


@transaction.atomic
def member_add(
    *,
    actor: Any,
    council: Council,
    user: User,
    unit: Unit,
    position: str,
    title: str = "",
    order: int | None = None,
) -> CouncilMember:
    """Seat ``user`` on the council: from now on the appraiser's rights in this period (the
    chair's too for position Chủ tịch), and nowhere else."""
    period = council.period
    require_period_admin(actor, period)
    _open(period)
    if position not in P.values:
        raise DomainError(f"Vai trò “{position}” không hợp lệ.")
    if not user.is_active:
        raise DomainError(f"Tài khoản {user.username} đã bị khóa.")
    if CouncilMember.objects.filter(council=council, user=user).exists():
        raise DomainError(f"{user.display_name} đã là thành viên của hội đồng.")
    if position == P.CHAIR and council.members.filter(position=P.CHAIR).exists():
        raise DomainError("Hội đồng đã có Chủ tịch: bỏ Chủ tịch hiện tại trước khi thay.")
    if order is None:
        order = council.members.count() + 1
    member = CouncilMember(
        council=council, user=user, unit=unit, position=position, title=title.strip(),
        order=order,
    )  # fmt: skip
    member.full_clean(validate_constraints=False)
    member.save()
    forget_council_seats(user)
    audit_record(
        actor=actor,
        verb="council.member_add",
        obj=council,
        new={"user": user.username, "unit": unit.code, "position": position, "title": title},
    )
    return member


@transaction.atomic
def member_remove(*, actor: Any, member: CouncilMember, reason: str = "") -> None:
    council = member.council
    require_period_admin(actor, council.period)
    _open(council.period)
    if member.assignments.exists() or member.substitutions.exists():
        codes = ", ".join(
            sorted(
                {a.node.code for a in member.assignments.select_related("node")}
                | {a.node.code for a in member.substitutions.select_related("node")}
            )
        )
        raise DomainError(
            f"{member.display_name} đang được phân công thẩm định ({codes}): phân công lại "
            "các nội dung này trước khi bỏ thành viên."
        )
    old = {"user": member.user.username, "unit": member.unit.code, "position": member.position}
    user = member.user
    member.delete()
    forget_council_seats(user)
    audit_record(actor=actor, verb="council.member_remove", obj=council, old=old, reason=reason)


@transaction.atomic
def council_copy(*, actor: Any, council: Council, source: Period) -> int:
    """Copy last year's members (the same accounts, units and roles) into an empty council."""
    require_period_admin(actor, council.period)
    require_period_admin(actor, source)
    _open(council.period)
    if council.members.exists():
        raise DomainError("Hội đồng đã có thành viên: chỉ sao chép vào hội đồng chưa có ai.")
    previous = Council.objects.filter(period=source).first()
    rows = list(previous.members.select_related("user", "unit")) if previous else []
    if not rows:
        raise DomainError(f"Đợt “{source.name}” chưa có hội đồng thẩm định để sao chép.")
    copied = 0
    for m in rows:
        if not m.user.is_active:
            continue
        CouncilMember.objects.create(
            council=council, user=m.user, unit=m.unit, position=m.position, title=m.title,
            order=m.order,
        )  # fmt: skip
        forget_council_seats(m.user)
        copied += 1
    if previous and not council.name:
        council.name = previous.name
        council.save(update_fields=["name", "updated_at"])
    audit_record(
        actor=actor, verb="council.copy", obj=council, new={"from": source.pk, "members": copied}
    )
    return copied


# ---------------------------------------------------------------- assignment


def _period_node(period: Period, node: FrameworkNode) -> None:
    if not period.blocks.filter(framework_id=node.framework_id).exists():
        raise DomainError(f"Tiêu chí {node.code} không thuộc bộ tiêu chí của đợt đánh giá này.")


@transaction.atomic
def assignment_set(
    *,
    actor: Any,
    period: Period,
    node: FrameworkNode,
    member: CouncilMember | None = None,
    unit: Unit | None = None,
    substitute: CouncilMember | None = None,
) -> Assignment:
    """Assign a domain, criterion or leaf to a member or to a unit (its seats), with the
    substitute for the appraiser's own unit. Replaces the node's previous assignment."""
    require_period_admin(actor, period)
    _open(period)
    _period_node(period, node)
    if (member is None) == (unit is None):
        raise DomainError("Chọn một thẩm định viên hoặc một cơ quan thẩm định.")
    council = council_for(period)
    for who in (member, substitute):
        if who is not None and who.council_id != council.pk:
            raise DomainError(f"{who.display_name} không là thành viên hội đồng của đợt này.")
    if unit is not None and not council.members.filter(unit=unit).exists():
        raise DomainError(f"{unit.name} chưa có thành viên nào trong hội đồng.")
    if substitute is not None and (
        substitute == member or (unit is not None and substitute.unit_id == unit.pk)
    ):
        raise DomainError(
            "Người thẩm định thay phải thuộc cơ quan khác với người được phân công: người thay "
            "chấm chính đơn vị của người được phân công."
        )
    existing = Assignment.objects.filter(period=period, node=node).first()
    old = (
        {
            "member": existing.member_id,
            "unit": existing.unit_id,
            "substitute": existing.substitute_id,
        }
        if existing
        else None
    )
    assignment = existing or Assignment(period=period, node=node)
    assignment.member = member
    assignment.unit = unit
    assignment.substitute = substitute
    assignment.save()
    audit_record(
        actor=actor,
        verb="assignment.set",
        obj=period,
        old=old,
        new={
            "node": node.code,
            "member": member.user.username if member else None,
            "unit": unit.code if unit else None,
            "substitute": substitute.user.username if substitute else None,
        },
    )
    return assignment


@transaction.atomic
def assignment_remove(*, actor: Any, assignment: Assignment) -> None:
    period = assignment.period
    require_period_admin(actor, period)
    _open(period)
    old = {"node": assignment.node.code, "member": assignment.member_id, "unit": assignment.unit_id}
    assignment.delete()
    audit_record(actor=actor, verb="assignment.remove", obj=period, old=old)


@transaction.atomic
def assignment_copy(*, actor: Any, period: Period, source: Period) -> tuple[int, list[str]]:
    """Copy last year's assignment by criterion code: to the same account's seat (or the same
    unit) in this year's council. Returns the number copied and, in Vietnamese, what could not
    be (a code no longer in the framework, a member no longer on the council)."""
    require_period_admin(actor, period)
    require_period_admin(actor, source)
    _open(period)
    council = council_for(period)
    seats = {m.user_id: m for m in council.members.all()}
    units = set(council.members.values_list("unit_id", flat=True))
    targets: dict[tuple[str, str], FrameworkNode] = {}
    for pb in period.blocks.select_related("block"):
        for n in FrameworkNode.objects.filter(framework_id=pb.framework_id):
            targets[(pb.block.code, n.code)] = n
    copied, skipped = 0, []
    rows = Assignment.objects.filter(period=source).select_related(
        "node__framework__block", "member__user", "substitute__user", "unit"
    )
    for a in rows:
        block = a.node.framework.block.code if a.node.framework.block_id else ""
        node = targets.get((block, a.node.code))
        if node is None:
            skipped.append(f"{a.node.code}: không còn trong bộ tiêu chí năm nay.")
            continue
        member = seats.get(a.member.user_id) if a.member is not None else None
        if a.member is not None and member is None:
            skipped.append(f"{a.node.code}: {a.member.display_name} không còn trong hội đồng.")
            continue
        if a.unit is not None and a.unit_id not in units:
            skipped.append(f"{a.node.code}: {a.unit.name} chưa có thành viên trong hội đồng.")
            continue
        sub = seats.get(a.substitute.user_id) if a.substitute is not None else None
        Assignment.objects.update_or_create(
            period=period,
            node=node,
            defaults={"member": member, "unit": a.unit if a.unit_id else None, "substitute": sub},
        )
        copied += 1
    audit_record(
        actor=actor,
        verb="assignment.copy",
        obj=period,
        new={"from": source.pk, "copied": copied, "skipped": len(skipped)},
    )
    return copied, skipped
