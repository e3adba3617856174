"""Writes on units, accounts and roles. Atomic, audited, take the acting user."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from parindex.accounts.models import Block, Membership, Unit, User
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


@transaction.atomic
def unit_create(*, actor: Any, reason: str = "", **fields: Any) -> Unit:
    unit = Unit(**fields)
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
    for name, value in fields.items():
        setattr(unit, name, value)
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


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    job_title: str = "",
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        job_title=job_title,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        verb="user.create",
        obj=user,
        new={
            "username": username,
            "full_name": full_name,
            "email": email,
            "is_superuser": is_superuser,
        },
    )
    return user


@transaction.atomic
def membership_grant(
    *, actor: Any, user: User, unit: Unit, role: str, reason: str = ""
) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        audit_record(
            actor=actor,
            verb="membership.grant",
            obj=membership,
            new={"user": user.username, "unit": unit.code, "role": role},
            reason=reason,
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership, reason: str = "") -> None:
    audit_record(
        actor=actor,
        verb="membership.revoke",
        obj=membership,
        old={
            "user": membership.user.username,
            "unit": membership.unit.code,
            "role": membership.role,
        },
        reason=reason,
    )
    membership.delete()
