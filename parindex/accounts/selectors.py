"""Reads for the back-office pages: the unit tree, the account list, the blocks. Each runs a fixed
number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from parindex.accounts.access import Roles, two_factor_required
from parindex.accounts.models import (
    BackupCode,
    Block,
    Membership,
    TwoFactorDevice,
    Unit,
    User,
    UserSession,
)


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


# --- Sign-in security ----------------------------------------------------------------------------


def backup_codes_left(user: User) -> int:
    return BackupCode.objects.filter(user=user, used_at__isnull=True).count()


def account_security(user: User) -> dict[str, object]:
    """What the account page shows about the second factor."""
    device = TwoFactorDevice.objects.filter(user=user).first()
    return {
        "device": device,
        "two_factor_required": two_factor_required(user),
        "backup_left": backup_codes_left(user) if device else 0,
    }


def two_factor_of(target: User) -> dict[str, object]:
    """The second factor of another account, for the system admin's user page."""
    return {
        "target_device": TwoFactorDevice.objects.filter(user=target).first(),
        "target_2fa_required": two_factor_required(target),
    }


def session_of(user: User, pk: int) -> UserSession | None:
    """One of ``user``'s own sessions (None for anybody else's: 404)."""
    return UserSession.objects.select_related("user").filter(user=user, pk=pk).first()


_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("CocCoc", "Cốc Cốc"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def user_agent_label(user_agent: str) -> str:
    """``Chrome trên Windows`` from a User-Agent header (enough to recognise one's devices)."""
    if not user_agent:
        return "Không rõ trình duyệt"
    browser = next((name for key, name in _BROWSERS if key in user_agent), "Trình duyệt khác")
    system = next((name for key, name in _SYSTEMS if key in user_agent), "")
    return f"{browser} trên {system}" if system else browser
