"""Reads for the back-office pages: the unit tree, the account list, the blocks. Each runs a fixed
number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from parindex.accounts.access import Roles
from parindex.accounts.models import Block, Membership, Unit, User


@dataclass
class UnitRow:
    unit: Unit
    depth: int
    n_accounts: int


def _scope_units(roles: Roles) -> QuerySet[Unit]:
    if not roles.is_organizer_admin:
        return Unit.objects.none()
    return Unit.objects.filter(roles.admin_scope_q())


def unit_tree_for_admin(
    *,
    roles: Roles,
    block_id: int | None = None,
    kind: str = "",
    q: str = "",
    active: str = "",
) -> list[UnitRow]:
    """The units in the admin's scope in tree order (parents first, siblings by position and
    name), each with its depth and its number of accounts. Filters keep the tree order. One
    query."""
    units = list(
        _scope_units(roles)
        .select_related("parent", "block", "admin_root")
        .annotate(n_accounts=Count("memberships__user", distinct=True))
    )
    by_parent: dict[int | None, list[Unit]] = {}
    ids = {u.pk for u in units}
    for u in units:
        key = u.parent_id if u.parent_id in ids else None
        by_parent.setdefault(key, []).append(u)
    for children in by_parent.values():
        children.sort(key=lambda u: (u.position, u.name.casefold()))
    rows: list[UnitRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for u in by_parent.get(parent, []):
            rows.append(UnitRow(unit=u, depth=depth, n_accounts=u.n_accounts))  # type: ignore[attr-defined]
            walk(u.pk, depth + 1)

    walk(None, 0)
    needle = q.strip().casefold()

    def keep(row: UnitRow) -> bool:
        u = row.unit
        if block_id and u.block_id != block_id:
            return False
        if kind and u.kind != kind:
            return False
        if active == "1" and not u.is_active:
            return False
        if active == "0" and u.is_active:
            return False
        if needle and needle not in f"{u.code} {u.name} {u.short_name}".casefold():
            return False
        return True

    return [r for r in rows if keep(r)]


def unit_choices_for_admin(
    *, roles: Roles, exclude_subtree_of: Unit | None = None, as_parent: bool = False
) -> QuerySet[Unit]:
    """Units in the admin's scope (``as_parent``: the choices of a parent, which include the
    roots of the admin's areas — a district's UBND for a new commune — minus a unit's own
    subtree)."""
    if as_parent and roles.is_organizer_admin:
        qs = Unit.objects.filter(roles.parent_scope_q()).order_by("path")
    else:
        qs = _scope_units(roles).order_by("path")
    if exclude_subtree_of is not None and exclude_subtree_of.pk:
        qs = qs.exclude(path__startswith=exclude_subtree_of.path)
    return qs


def user_list_for_admin(
    *, roles: Roles, unit_id: int | None = None, role: str = "", q: str = ""
) -> QuerySet[User]:
    """Accounts holding a role in a unit of the admin's scope, with every role they hold (the
    ones outside the scope too, so the admin sees the whole person). Two queries per page."""
    in_scope = Membership.objects.filter(roles.admin_scope_q("unit__"))
    if unit_id:
        in_scope = in_scope.filter(unit_id=unit_id)
    if role:
        in_scope = in_scope.filter(role=role)
    qs = User.objects.filter(pk__in=in_scope.values("user_id"))
    if roles.is_system_admin and not unit_id and not role:
        qs = User.objects.all()
    needle = q.strip()
    if needle:
        qs = qs.filter(
            Q(username__icontains=needle)
            | Q(full_name__icontains=needle)
            | Q(email__icontains=needle)
            | Q(job_title__icontains=needle)
        )
    return qs.order_by("username").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("unit").order_by("unit__path", "role"),
        )
    )


def block_list() -> QuerySet[Block]:
    return Block.objects.annotate(n_units=Count("units")).order_by("position", "code")
