"""Who may see and change what. Every view loads its objects through one helper here or in the
app's own ``access.py``; there are no ad-hoc permission checks in views.

Rules:
- a system admin (``is_superuser``) sees everything;
- an organizer admin (role ``organizer_admin`` in a unit with ``admin_root``) manages the units of
  that subtree, their accounts, the organizer's frameworks and periods;
- a unit's officer, leader see their own unit's assessments (next issues);
- everyone else gets 404 for objects they may not know about, 403 where they may read only.

An organizer's *area* (``area_contains``, ``area_q``) is the subtree of its ``admin_root`` and
the organizer itself — except that a nested area (the ``admin_root`` has a parent: a district's
UBND for its Phòng Nội vụ) leaves out the ``admin_root`` unit itself: the organizer above
assesses it, so its accounts and its assessment are not the district admin's.

Roles that act across units (``CROSS_UNIT_ROLES``: appraiser, council chair, organizer admin) act
only in the periods of one organizer (``acting_organizer``: the nearest organizer whose area
holds the role's unit) and are granted only by that organizer's admins, by an organizer above
it, or by a system admin (``role_grant_problem``, checked by ``services.membership_grant`` and
the Excel import).
"""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from parindex.accounts.models import Block, Membership, Unit, User

CROSS_UNIT_ROLES = frozenset(
    {
        Membership.Role.APPRAISER,
        Membership.Role.COUNCIL_CHAIR,
        Membership.Role.ORGANIZER_ADMIN,
    }
)
COUNCIL_ROLES = frozenset({Membership.Role.APPRAISER, Membership.Role.COUNCIL_CHAIR})


def area_contains(organizer: Unit, unit: Unit) -> bool:
    """Whether ``unit`` lies in ``organizer``'s area (no query; needs ``organizer.admin_root``)."""
    root = organizer.admin_root
    if root is None:
        return False
    if unit.pk == organizer.pk:
        return True
    if unit.pk == root.pk:
        return root.parent_id is None
    return unit.path.startswith(root.path)


def area_q(organizer: Unit, prefix: str = "") -> Q:
    """A filter on Unit (or on a relation to Unit via ``prefix``) for ``organizer``'s area."""
    root = organizer.admin_root
    if root is None:
        return Q(pk__in=[])
    q = Q(**{f"{prefix}path__startswith": root.path})
    if root.parent_id is not None:
        q &= ~Q(**{f"{prefix}pk": root.pk})
    return q | Q(**{f"{prefix}pk": organizer.pk})


def all_organizers() -> list[Unit]:
    """Every organizer unit with its ``admin_root`` (one query)."""
    return list(
        Unit.objects.filter(admin_root__isnull=False).select_related("admin_root").order_by()
    )


def acting_organizer(unit: Unit, organizers: list[Unit]) -> Unit | None:
    """The organizer whose periods a council role held in ``unit`` acts on: the nearest one (the
    deepest area) that holds ``unit``. A commune's appraiser acts for its district's Phòng Nội
    vụ, never for the province."""
    best: Unit | None = None
    for org in organizers:
        if not area_contains(org, unit):
            continue
        assert org.admin_root is not None  # noqa: S101 - narrows the type for mypy: an invariant, not a check
        if best is None or len(org.admin_root.path) > len(best.admin_root.path):  # type: ignore[union-attr]
            best = org
    return best


class Roles:
    """The roles of one user, loaded once per request (one query)."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def memberships(self) -> list[Membership]:
        if not self.user.is_authenticated:
            return []
        # Sorted here, not by the model's ordering (``unit__name``, ``role``): ORDER BY on a
        # joined column makes Django resolve every selected column against it, a noticeable
        # share of the CPU of every request (the autosave's above all).
        rows = (
            Membership.objects.filter(user=self.user, unit__is_active=True)
            .select_related("unit", "unit__admin_root")
            .order_by()
        )
        return sorted(rows, key=lambda m: (m.unit.name, m.role))

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

    @cached_property
    def council_organizer_ids(self) -> dict[int, int | None]:
        """For each appraiser / council chair membership (by pk): the organizer whose periods it
        acts on (``acting_organizer``). One query, only for users holding such a role."""
        council = [m for m in self.memberships if m.role in COUNCIL_ROLES]
        if not council:
            return {}
        organizers = all_organizers()
        result: dict[int, int | None] = {}
        for m in council:
            org = acting_organizer(m.unit, organizers)
            result[m.pk] = org.pk if org is not None else None
        return result

    @cached_property
    def enumerator_organizer_ids(self) -> set[int]:
        """The organizers whose surveys this user enters paper forms for (Điều tra viên
        memberships, each acting for ``acting_organizer`` of its unit)."""
        units = self.units_with(Membership.Role.ENUMERATOR)
        if not units:
            return set()
        organizers = all_organizers()
        found = (acting_organizer(u, organizers) for u in units)
        return {o.pk for o in found if o is not None}

    def council_acts_for(self, membership: Membership, organizer_id: int) -> bool:
        """Does this appraiser / chair membership act in the periods of ``organizer_id``?"""
        return self.council_organizer_ids.get(membership.pk) == organizer_id

    def admin_scope_q(self, prefix: str = "") -> Q:
        """A filter on Unit (or on a relation to Unit via ``prefix``) for the admin's scope."""
        if self.is_system_admin:
            return Q()
        q = Q(pk__in=[])
        for org in self.organizer_units:
            q |= area_q(org, prefix)
        return q

    def parent_scope_q(self, prefix: str = "") -> Q:
        """The admin's scope plus the roots of its areas: a district admin files a new commune
        under the district's UBND, which it does not manage."""
        q = self.admin_scope_q(prefix)
        for org in self.organizer_units:
            q |= Q(**{f"{prefix}pk": org.admin_root_id})
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
    return any(area_contains(org, unit) for org in roles.organizer_units)


def parent_in_scope(roles: Roles, unit: Unit) -> bool:
    """Whether ``unit`` may be the parent of a unit the admin creates or moves (no query)."""
    return unit_in_scope(roles, unit) or any(
        org.admin_root_id == unit.pk for org in roles.organizer_units
    )


def role_grant_problem(roles: Roles | None, unit: Unit, role: str) -> str | None:
    """Why the holder of ``roles`` (None: the system) may not grant ``role`` in ``unit`` (None
    when it may).

    Every role: the unit lies in the granter's scope. Organizer admin: only in an organizer unit,
    granted by its own admins or an organizer above it. Appraiser, council chair and enumerator: they act in
    the periods of ``acting_organizer(unit)`` only, and only that organizer's admins grant them
    (a district admin's appraiser in a commune appraises the district's communes, nothing of the
    province). A system admin grants anything a unit can hold."""
    R = Membership.Role
    if role not in R.values:
        return "Vai trò không hợp lệ."
    if role == R.ORGANIZER_ADMIN and unit.admin_root_id is None:
        return (
            "Vai trò Quản trị chỉ cấp được tại cơ quan tổ chức đánh giá "
            f"(đơn vị có địa bàn tổ chức đánh giá); “{unit.name}” không phải."
        )
    if roles is None or roles.is_system_admin:
        return None
    if not unit_in_scope(roles, unit):
        return f"Đơn vị “{unit.name}” không thuộc phạm vi quản lý của bạn."
    if role == R.ORGANIZER_ADMIN and unit.admin_root is not None:
        if not parent_in_scope(roles, unit.admin_root):
            return (
                f"Địa bàn của “{unit.name}” ({unit.admin_root.name}) không thuộc phạm vi quản lý "
                "của bạn."
            )
    if role in COUNCIL_ROLES or role == R.ENUMERATOR:
        organizer = acting_organizer(unit, all_organizers())
        if organizer is None or not any(o.pk == organizer.pk for o in roles.organizer_units):
            where = organizer.name if organizer is not None else "cơ quan tổ chức đánh giá"
            return (
                f"Vai trò {R(role).label} tại “{unit.name}” chỉ có hiệu lực trong các đợt đánh "
                f"giá do {where} tổ chức, nên chỉ quản trị của {where} cấp được."
            )
    return None


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


# --- Two-factor sign-in --------------------------------------------------------------------------


def two_factor_required(user: User) -> bool:
    """Organizer admins and system admins (and any staff account, which reaches the admin site)
    must sign in with a second factor; everyone else may choose to."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.is_staff or roles_for(user).is_organizer_admin)


def require_system_admin(user: User) -> Roles:
    roles = roles_for(user)
    if not roles.is_system_admin:
        raise PermissionDenied("Chức năng này dành cho quản trị hệ thống.")
    return roles
