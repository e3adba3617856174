"""Who may see and change what. Every view loads its objects through one helper here or in the
app's own ``access.py``; there are no ad-hoc permission checks in views.

Rules:
- a system admin (``is_superuser``) sees everything;
- an organizer admin (role ``organizer_admin`` in a unit with ``admin_root``) manages the units of
  that subtree, their accounts, the organizer's frameworks and periods;
- a unit's officer, leader see their own unit's assessments (next issues);
- everyone else gets 404 for objects they may not know about, 403 where they may read only.
"""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from parindex.accounts.models import Block, Membership, Unit, User


class Roles:
    """The roles of one user, loaded once per request (one query)."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def memberships(self) -> list[Membership]:
        if not self.user.is_authenticated:
            return []
        return list(
            Membership.objects.filter(user=self.user, unit__is_active=True).select_related(
                "unit", "unit__admin_root"
            )
        )

    def units_with(self, *roles: str) -> list[Unit]:
        return [m.unit for m in self.memberships if m.role in roles]

    @property
    def is_system_admin(self) -> bool:
        return bool(self.user.is_authenticated and self.user.is_superuser)

    @cached_property
    def organizer_units(self) -> list[Unit]:
        """Organizer units this user administers (Sở Nội vụ, Phòng Nội vụ huyện…)."""
        if self.is_system_admin:
            return list(Unit.objects.filter(admin_root__isnull=False).select_related("admin_root"))
        return [
            u
            for u in self.units_with(Membership.Role.ORGANIZER_ADMIN)
            if u.admin_root_id is not None
        ]

    @property
    def is_organizer_admin(self) -> bool:
        return self.is_system_admin or bool(self.organizer_units)

    @property
    def officer_units(self) -> list[Unit]:
        return self.units_with(Membership.Role.UNIT_OFFICER)

    @property
    def leader_units(self) -> list[Unit]:
        return self.units_with(Membership.Role.UNIT_LEADER)

    @property
    def is_appraiser(self) -> bool:
        return bool(self.units_with(Membership.Role.APPRAISER))

    @property
    def is_council_chair(self) -> bool:
        return bool(self.units_with(Membership.Role.COUNCIL_CHAIR))

    def admin_scope_q(self, prefix: str = "") -> Q:
        """A filter on Unit (or on a relation to Unit via ``prefix``) for the admin's scope."""
        if self.is_system_admin:
            return Q()
        q = Q(pk__in=[])
        for org in self.organizer_units:
            assert org.admin_root is not None
            q |= Q(**{f"{prefix}path__startswith": org.admin_root.path})
            q |= Q(**{f"{prefix}pk": org.pk})
        return q


def roles_for(request_or_user: object) -> Roles:
    """The Roles of a user (or of a request's user), loaded once and kept on the user object.

    Within a request every helper gets the same object (request.user), so memberships load once
    per request. Code that changes memberships and then asks again about the same user object
    must call ``roles_forget(user)``.
    """
    user = getattr(request_or_user, "user", request_or_user)
    cached = getattr(user, "_parindex_roles", None)
    if isinstance(cached, Roles) and cached.user is user:
        return cached
    roles = Roles(user)  # type: ignore[arg-type]
    try:
        user._parindex_roles = roles  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - objects without a __dict__
        pass
    return roles


def roles_forget(user: object) -> None:
    """Drop the cached Roles of ``user`` (after a membership change)."""
    if hasattr(user, "_parindex_roles"):
        del user._parindex_roles  # type: ignore[attr-defined]


def require_organizer_admin(user: User) -> Roles:
    roles = roles_for(user)
    if not roles.is_organizer_admin:
        raise PermissionDenied(
            "Chức năng này dành cho cán bộ quản trị của cơ quan tổ chức đánh giá."
        )
    return roles


def units_in_admin_scope(user: User) -> QuerySet[Unit]:
    roles = roles_for(user)
    if not roles.is_organizer_admin:
        return Unit.objects.none()
    return Unit.objects.filter(roles.admin_scope_q())


def get_unit_for_user(user: User, pk: int, *, write: bool = False) -> Unit:
    """A unit the user may manage (organizer admin of its subtree); 404 otherwise."""
    roles = roles_for(user)
    qs = Unit.objects.select_related("parent", "block", "admin_root")
    if roles.is_organizer_admin:
        unit = qs.filter(roles.admin_scope_q(), pk=pk).first()
        if unit is not None:
            return unit
    # Members of the unit may read it but not change it.
    member_unit = next((m.unit for m in roles.memberships if m.unit_id == pk), None)
    if member_unit is not None:
        if write:
            raise PermissionDenied("Bạn không có quyền sửa thông tin đơn vị này.")
        return qs.get(pk=pk)
    raise Http404("Không tìm thấy đơn vị.")


# --- Scope helpers for the back-office (units, blocks, accounts) ---------------------------------


def unit_in_scope(roles: Roles, unit: Unit) -> bool:
    """Whether ``unit`` lies in the subtree(s) the organizer admin manages (no query)."""
    if roles.is_system_admin:
        return True
    for org in roles.organizer_units:
        assert org.admin_root is not None
        if unit.pk == org.pk or unit.path.startswith(org.admin_root.path):
            return True
    return False


def can_manage_blocks(roles: Roles) -> bool:
    """Blocks are province-wide: system admins and admins of a province-level organizer."""
    if roles.is_system_admin:
        return True
    return any(
        org.admin_root is not None and org.admin_root.parent_id is None
        for org in roles.organizer_units
    )


def require_block_admin(user: User) -> Roles:
    roles = require_organizer_admin(user)
    if not can_manage_blocks(roles):
        raise PermissionDenied("Chỉ cơ quan tổ chức đánh giá cấp tỉnh mới quản lý được các khối.")
    return roles


def get_block_for_user(user: User, pk: int, *, write: bool = False) -> Block:
    """A block; everybody in the back-office may read it, only block admins change it."""
    roles = require_organizer_admin(user)
    block = Block.objects.filter(pk=pk).first()
    if block is None:
        raise Http404("Không tìm thấy khối.")
    if write and not can_manage_blocks(roles):
        raise PermissionDenied("Chỉ cơ quan tổ chức đánh giá cấp tỉnh mới sửa được khối.")
    return block


def user_manageable(roles: Roles, target: User) -> bool:
    """An admin may change an account only if every role it holds is inside the admin's scope
    (otherwise a district admin could take over a province account) and it is no system admin.
    Needs ``target.memberships`` prefetched with their units."""
    if roles.is_system_admin:
        return True
    if target.is_superuser:
        return False
    return all(unit_in_scope(roles, m.unit) for m in target.memberships.all())


def get_user_for_user(user: User, pk: int, *, write: bool = False) -> User:
    """An account holding a role in a unit of the admin's scope; 404 for others, 403 when the
    account also holds roles outside the scope (read-only then)."""
    roles = require_organizer_admin(user)
    target = (
        User.objects.filter(pk=pk)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("unit").order_by("unit__path", "role"),
            )
        )
        .first()
    )
    if target is None:
        raise Http404("Không tìm thấy tài khoản.")
    if not roles.is_system_admin and not any(
        unit_in_scope(roles, m.unit) for m in target.memberships.all()
    ):
        raise Http404("Không tìm thấy tài khoản.")
    if write and not user_manageable(roles, target):
        raise PermissionDenied(
            "Tài khoản này có vai trò ở đơn vị ngoài phạm vi quản lý của bạn; "
            "chỉ cơ quan quản lý cấp trên mới sửa được."
        )
    return target


def get_membership_for_user(user: User, pk: int, *, write: bool = False) -> Membership:
    """A role held in a unit of the admin's scope; 404 otherwise."""
    roles = require_organizer_admin(user)
    membership = Membership.objects.select_related("user", "unit").filter(pk=pk).first()
    if membership is None or not unit_in_scope(roles, membership.unit):
        raise Http404("Không tìm thấy vai trò.")
    return membership
