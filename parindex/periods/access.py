"""Who may see and change a period.

- the organizer admins of the period's organizer (role ``organizer_admin`` in that unit) read
  and change it; a system admin sees and changes every period;
- everyone else gets 404 (units see their own assessment, not the period's page).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from parindex.accounts.access import Roles, roles_for
from parindex.accounts.models import Unit
from parindex.periods.models import Period


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


def is_organizer_admin_of(user: Any, organizer: Unit | int, *, fresh: bool = False) -> bool:
    """Does ``user`` administer this organizer unit (or is a system admin)?

    ``fresh`` reloads the roles (services do, so a role revoked a moment ago counts)."""
    roles = roles_for(user) if fresh else user_roles(user)
    if roles.is_system_admin:
        return True
    organizer_id = organizer if isinstance(organizer, int) else organizer.pk
    return any(u.pk == organizer_id for u in roles.organizer_units)


def get_period_for_user(user: Any, pk: int, *, write: bool = False) -> Period:
    """The period with its organizer; 404 unless the user administers its organizer."""
    period = (
        Period.objects.select_related("organizer", "organizer__admin_root")
        .prefetch_related("phases")
        .filter(pk=pk)
        .first()
    )
    if period is None or not is_organizer_admin_of(user, period.organizer_id):
        raise Http404("Không tìm thấy đợt đánh giá.")
    return period
