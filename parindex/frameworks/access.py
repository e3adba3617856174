"""Who may see and change a framework.

- The organizer admins of the owner unit (and a system admin) read and write it.
- An organizer admin whose scope contains the owner (the Sở Nội vụ over a district's Phòng
  Nội vụ) may read it, not change it (403 on write).
- Everyone else gets 404: they need not know it exists.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from parindex.accounts.access import roles_for
from parindex.accounts.models import User
from parindex.frameworks.models import Framework, FrameworkNode


def request_user(request: HttpRequest) -> Any:
    """The request's user carrying the request's Roles, so that every helper called with the
    user (and the navbar's context processor, called with the request) shares one load."""
    roles = roles_for(request)
    request.user._parindex_roles = roles  # type: ignore[union-attr]
    return request.user


def can_write_framework(user: User, framework: Framework) -> bool:
    roles = roles_for(user)
    return roles.is_system_admin or any(u.pk == framework.owner_id for u in roles.organizer_units)


def get_framework_for_user(user: User, pk: int, *, write: bool = False) -> Framework:
    """The framework with owner and block loaded; 404 for outsiders, 403 for read-only."""
    roles = roles_for(user)
    if not roles.is_organizer_admin:
        raise Http404("Không tìm thấy bộ tiêu chí.")
    framework = (
        Framework.objects.select_related("owner", "block", "based_on")
        .filter(roles.admin_scope_q("owner__"), pk=pk)
        .first()
    )
    if framework is None:
        raise Http404("Không tìm thấy bộ tiêu chí.")
    if write and not can_write_framework(user, framework):
        raise PermissionDenied("Bạn chỉ được xem bộ tiêu chí này, không được sửa.")
    return framework


def get_node_for_user(user: User, framework: Framework, pk: int) -> FrameworkNode:
    """A node of a framework already loaded through ``get_framework_for_user``."""
    node = FrameworkNode.objects.filter(framework=framework, pk=pk).select_related("parent").first()
    if node is None:
        raise Http404("Không tìm thấy tiêu chí.")
    node.framework = framework
    return node
