"""Who may see and change a period.

- the organizer admins of the period's organizer (role ``organizer_admin`` in that unit) read
  and change it; a system admin sees and changes every period;
- the organizer admins of an organizer whose area contains the period's organizer read it
  (403 on write): the Sở Nội vụ follows the commune periods of the districts' Phòng Nội vụ,
  whose results are reported to it (Bắc Giang process: "tổng hợp, báo cáo kết quả … gửi Sở
  Nội vụ"); a district's admin does not see the province's periods;
- everyone else gets 404 (units see their own assessment, not the period's page).

``get_period_for_user`` sets ``period.can_change`` (False for those who only read).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from parindex.accounts.access import Roles, roles_for
from parindex.accounts.models import Unit
from parindex.periods.models import CouncilMember, Period


def user_roles(user: Any) -> Roles:
    """The user's Roles, loaded once per user object (one query for the memberships)."""
    cached = getattr(user, "_parindex_roles", None)
    if cached is None:
        cached = roles_for(user)
        try:
            user._parindex_roles = cached
        except AttributeError:  # pragma: no cover - e.g. AnonymousUser is fine; be safe
            pass
    return cached


def request_roles(request: HttpRequest) -> Roles:
    """The request's Roles, shared with ``request.user`` so that the access helpers, the
    views and the ``roles`` context processor load the memberships once."""
    roles = roles_for(request)
    user_roles_cache = getattr(request.user, "_parindex_roles", None)
    if user_roles_cache is None:
        request.user._parindex_roles = roles  # type: ignore[union-attr]
    return roles


def council_seats(user: Any) -> dict[int, set[str]]:
    """The periods whose council ``user`` sits on (period id -> positions held): what gives
    the appraiser's and the chair's rights, for those periods only. One query, kept on the
    user object like the roles (``forget_council_seats`` after a change)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    cached: dict[int, set[str]] | None = getattr(user, "_parindex_seats", None)
    if cached is None:
        cached = {}
        for period_id, position in CouncilMember.objects.filter(user=user).values_list(
            "council__period_id", "position"
        ):
            cached.setdefault(period_id, set()).add(position)
        try:
            user._parindex_seats = cached
        except AttributeError:  # pragma: no cover
            pass
    return cached


def forget_council_seats(user: Any) -> None:
    if hasattr(user, "_parindex_seats"):
        del user._parindex_seats


def is_organizer_admin_of(user: Any, organizer: Unit | int) -> bool:
    """Does ``user`` administer this organizer unit (or is a system admin)? With the roles
    loaded on the user object (the services that change roles forget them)."""
    roles = user_roles(user)
    if roles.is_system_admin:
        return True
    organizer_id = organizer if isinstance(organizer, int) else organizer.pk
    return any(u.pk == organizer_id for u in roles.organizer_units)


def supervises(user: Any, organizer: Unit) -> bool:
    """Does ``user`` administer another organizer whose area contains ``organizer`` (the Sở
    Nội vụ over a district's Phòng Nội vụ)? ``organizer`` needs its ``path``."""
    for own in user_roles(user).organizer_units:
        root = own.admin_root
        if own.pk != organizer.pk and root is not None and organizer.path.startswith(root.path):
            return True
    return False


def get_period_for_user(user: Any, pk: int, *, write: bool = False) -> Period:
    """The period with its organizer; 404 unless the user administers its organizer or — read
    only, 403 on write — an organizer above it."""
    period = (
        Period.objects.select_related("organizer", "organizer__admin_root")
        .prefetch_related("phases")
        .filter(pk=pk)
        .first()
    )
    if period is None:
        raise Http404("Không tìm thấy đợt đánh giá.")
    if is_organizer_admin_of(user, period.organizer_id):
        period.can_change = True  # type: ignore[attr-defined]
        return period
    if supervises(user, period.organizer):
        if write:
            raise PermissionDenied(
                f"Đợt đánh giá này do {period.organizer.name} tổ chức: bạn chỉ có quyền xem."
            )
        period.can_change = False  # type: ignore[attr-defined]
        return period
    raise Http404("Không tìm thấy đợt đánh giá.")
