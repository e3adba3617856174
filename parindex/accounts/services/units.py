"""Writes on units and blocks: create, update, (de)activate, delete."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from parindex.accounts.access import (
    parent_in_scope,
    roles_for,
    unit_in_scope,
)
from parindex.accounts.models import Block, Unit
from parindex.audit.services import audit_record, snapshot
from parindex.common.errors import DomainError

UNIT_FIELDS = [
    "code",
    "name",
    "short_name",
    "kind",
    "parent",
    "block",
    "admin_root",
    "email",
    "phone",
    "position",
    "is_active",
]


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent_id and unit.parent else "/"
    unit.path = f"{parent_path}{unit.pk}/"


def _require_unit_placement(
    actor: Any, unit: Unit, *, old_parent_id: int | None, old_admin_root_id: int | None
) -> None:
    """An organizer admin keeps every unit it creates or changes inside its scope: the unit
    itself, a new parent (its scope or the root of its area) and a new ``admin_root`` (its
    scope) — the form offers only those, the service refuses the rest (``actor=None``: the
    system)."""
    if actor is None:
        return
    roles = roles_for(actor)
    if roles.is_system_admin:
        return
    if unit.pk and not unit_in_scope(roles, unit):
        raise DomainError(f"Đơn vị “{unit.name}” không thuộc phạm vi quản lý của bạn.")
    parent = unit.parent if unit.parent_id else None
    if parent is None and (not unit.pk or old_parent_id is not None):
        raise DomainError("Đơn vị phải có đơn vị cấp trên thuộc phạm vi quản lý của bạn.")
    if parent is not None and parent.pk != old_parent_id and not parent_in_scope(roles, parent):
        raise DomainError(f"Đơn vị cấp trên “{parent.name}” không thuộc phạm vi quản lý của bạn.")
    root = unit.admin_root if unit.admin_root_id else None
    if root is not None and root.pk != old_admin_root_id and not unit_in_scope(roles, root):
        raise DomainError(
            f"Địa bàn tổ chức đánh giá “{root.name}” không thuộc phạm vi quản lý của bạn."
        )


@transaction.atomic
def unit_create(*, actor: Any, reason: str = "", **fields: Any) -> Unit:
    unit = Unit(**fields)
    _require_unit_placement(actor, unit, old_parent_id=None, old_admin_root_id=None)
    unit.full_clean(exclude=["path"])
    unit.save()
    _set_path(unit)
    unit.save(update_fields=["path"])
    audit_record(
        actor=actor, verb="unit.create", obj=unit, new=snapshot(unit, UNIT_FIELDS), reason=reason
    )
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, actor: Any, reason: str = "", **fields: Any) -> Unit:
    old = snapshot(unit, UNIT_FIELDS)
    old_path = unit.path
    old_parent_id, old_admin_root_id = unit.parent_id, unit.admin_root_id
    for name, value in fields.items():
        setattr(unit, name, value)
    _require_unit_placement(
        actor, unit, old_parent_id=old_parent_id, old_admin_root_id=old_admin_root_id
    )
    if unit.parent_id is not None:
        ancestor: Unit | None = unit.parent
        while ancestor is not None:
            if ancestor.pk == unit.pk:
                raise DomainError(
                    "Không thể đặt đơn vị cấp trên là chính nó hoặc đơn vị cấp dưới của nó."
                )
            ancestor = ancestor.parent
    unit.full_clean(exclude=["path"])
    _set_path(unit)
    unit.save()
    if unit.path != old_path:
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    audit_record(
        actor=actor,
        verb="unit.update",
        obj=unit,
        old=old,
        new=snapshot(unit, UNIT_FIELDS),
        reason=reason,
    )
    return unit


@transaction.atomic
def block_create(*, actor: Any, code: str, name: str, position: int = 0) -> Block:
    block = Block(code=code, name=name, position=position)
    block.full_clean()
    block.save()
    audit_record(actor=actor, verb="block.create", obj=block, new={"code": code, "name": name})
    return block


# --- Units ---------------------------------------------------------------------------------------


@transaction.atomic
def unit_deactivate(*, actor: Any, unit: Unit, reason: str = "") -> Unit:
    """Stop using a unit (kept with its history). Its active sub-units must be stopped first."""
    if not unit.is_active:
        return unit
    active_children = [c.name for c in unit.children.filter(is_active=True)]
    if active_children:
        raise DomainError(
            "Đơn vị còn đơn vị cấp dưới đang hoạt động: "
            + ", ".join(active_children[:5])
            + ("…" if len(active_children) > 5 else "")
            + ". Hãy ngừng hoạt động các đơn vị đó trước."
        )
    return unit_update(unit=unit, actor=actor, reason=reason, is_active=False)


@transaction.atomic
def unit_activate(*, actor: Any, unit: Unit, reason: str = "") -> Unit:
    if unit.parent_id is not None and unit.parent is not None and not unit.parent.is_active:
        raise DomainError(
            f"Đơn vị cấp trên “{unit.parent.name}” đang ngừng hoạt động; hãy kích hoạt nó trước."
        )
    return unit_update(unit=unit, actor=actor, reason=reason, is_active=True)


@transaction.atomic
def unit_delete(*, actor: Any, unit: Unit, reason: str = "") -> None:
    """Delete a unit never used (no sub-units, accounts, assessments, frameworks…)."""
    if unit.children.exists() or unit.memberships.exists() or unit.organizers.exists():
        raise DomainError(
            "Đơn vị đã có đơn vị cấp dưới hoặc tài khoản nên không xóa được; "
            "hãy chuyển sang ngừng hoạt động."
        )
    audit_record(
        actor=actor, verb="unit.delete", obj=unit, old=snapshot(unit, UNIT_FIELDS), reason=reason
    )
    try:
        with transaction.atomic():
            unit.delete()
    except ProtectedError as exc:
        raise DomainError(
            "Đơn vị đã được dùng (đợt đánh giá, bộ tiêu chí, bản tự đánh giá…) nên không xóa "
            "được; hãy chuyển sang ngừng hoạt động."
        ) from exc


# --- Blocks --------------------------------------------------------------------------------------

BLOCK_FIELDS = ["code", "name", "position"]


@transaction.atomic
def block_update(*, actor: Any, block: Block, reason: str = "", **fields: Any) -> Block:
    old = snapshot(block, BLOCK_FIELDS)
    for name, value in fields.items():
        if name not in BLOCK_FIELDS:
            raise ValueError(f"unknown block field {name}")
        setattr(block, name, value)
    block.full_clean()
    block.save()
    audit_record(
        actor=actor,
        verb="block.update",
        obj=block,
        old=old,
        new=snapshot(block, BLOCK_FIELDS),
        reason=reason,
    )
    return block
