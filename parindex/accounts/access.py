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
from django.db.models import Q, QuerySet
from django.http import Http404

from parindex.accounts.models import Membership, Unit, User


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
    """The Roles of the request's user, cached on the request."""
    user = getattr(request_or_user, "user", request_or_user)
    cached = getattr(request_or_user, "_parindex_roles", None)
    if cached is not None:
        return cached
    roles = Roles(user)  # type: ignore[arg-type]
    if hasattr(request_or_user, "user"):
        request_or_user._parindex_roles = roles  # type: ignore[attr-defined]
    return roles


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
