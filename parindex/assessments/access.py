"""Who may see and act on an assessment.

Actor kinds (the ``actor`` of workflow transitions):
- ``officer`` / ``leader``: role ``unit_officer`` / ``unit_leader`` in the assessed unit;
- ``organizer``: organizer admin of the period's organizer (or a system admin);
- ``appraiser`` / ``chair``: role ``appraiser`` / ``council_chair`` in a unit inside the
  organizer's area (its ``admin_root`` subtree) — the council and its assignments come with
  the appraisal issue and will narrow this.

``get_assessment_for_user``: organizer admins read and change; the unit's officer and leader,
appraisers and the chair read (403 on write); everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from parindex.accounts.access import roles_for
from parindex.accounts.models import Membership, Unit
from parindex.assessments.models import Assessment
from parindex.periods.access import user_roles


def _in_area(unit: Unit, organizer: Unit) -> bool:
    root = organizer.admin_root
    if root is None:
        return False
    return unit.pk == organizer.pk or unit.path.startswith(root.path)


def actor_kinds(user: Any, assessment: Assessment, *, fresh: bool = False) -> set[str]:
    """The workflow actor kinds ``user`` holds for ``assessment``.

    Needs ``assessment.period.organizer.admin_root`` (loaded by the access helper).
    ``fresh`` reloads the user's roles (services do, so a cached view object never decides).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    roles = roles_for(user) if fresh else user_roles(user)
    organizer = assessment.period.organizer
    kinds: set[str] = set()
    if roles.is_system_admin:
        kinds.add("organizer")
    R = Membership.Role
    for m in roles.memberships:
        if m.unit_id == assessment.unit_id and m.role == R.UNIT_OFFICER:
            kinds.add("officer")
        elif m.unit_id == assessment.unit_id and m.role == R.UNIT_LEADER:
            kinds.add("leader")
        elif m.role == R.ORGANIZER_ADMIN and m.unit_id == organizer.pk:
            kinds.add("organizer")
        elif m.role == R.APPRAISER and _in_area(m.unit, organizer):
            kinds.add("appraiser")
        elif m.role == R.COUNCIL_CHAIR and _in_area(m.unit, organizer):
            kinds.add("chair")
    return kinds


def get_assessment_for_user(user: Any, pk: int, *, write: bool = False) -> Assessment:
    assessment = (
        Assessment.objects.select_related(
            "period",
            "period__organizer",
            "period__organizer__admin_root",
            "unit",
            "unit__block",
            "framework",
            "framework__block",
        )
        .prefetch_related("period__phases")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404("Không tìm thấy bản đánh giá.")
    kinds = actor_kinds(user, assessment)
    if "organizer" in kinds:
        return assessment
    if kinds:
        if write:
            raise PermissionDenied("Bạn chỉ có quyền xem bản đánh giá này.")
        return assessment
    raise Http404("Không tìm thấy bản đánh giá.")
