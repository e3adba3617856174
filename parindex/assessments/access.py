"""Who may see and act on an assessment.

Actor kinds (the ``actor`` of workflow transitions):
- ``officer`` / ``leader``: role ``unit_officer`` / ``unit_leader`` in the assessed unit;
- ``organizer``: organizer admin of the period's organizer (or a system admin);
- ``appraiser`` / ``chair``: role ``appraiser`` / ``council_chair`` held in a unit whose
  nearest organizer (``accounts.access.acting_organizer``) is the period's organizer — a
  commune's appraiser acts in its district's commune periods only, never in the province's;
  the council and its assignments come with the appraisal issue and will narrow this.

``get_assessment_for_user``: organizer admins read and change; the unit's officer and leader,
appraisers and the chair read (403 on write) — appraisers and the chair only once the unit has
sent (``UNSENT``: a draft or one waiting for its leader is 404 to them); an officer of a unit some of whose leaves are
assigned to it (``Entry.contributor``, the province's own self-assessment) reads it too — the
workspace then shows only those leaves; the organizer admins of an organizer above the period's
(the Sở Nội vụ over a district's commune period, ``periods.access.supervises``) read it too;
everyone else gets 404.

``get_entry_for_user``: one entry of an assessment the user may read; a contributor only
gets the entries assigned to its unit (404 for the others). ``write=True`` asks to declare
values: the unit's officer or leader, the contributor's officer for its entries, or — in a
province self-assessment (Period.Kind.PROVINCE_SELF) — the organizer (Sở Nội vụ), who
completes the whole; other readers get 403. Whether the assessment is still open (status,
deadline) is the service's rule.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from parindex.accounts.models import Membership
from parindex.assessments.models import Assessment, Entry, Status
from parindex.periods.access import council_seats, supervises, user_roles
from parindex.periods.models import Period

# Before the unit has sent, only the unit (and the organizer) see its assessment.
UNSENT = frozenset({Status.DRAFT, Status.PENDING_APPROVAL})


def actor_kinds(user: Any, assessment: Assessment) -> set[str]:
    """The workflow actor kinds ``user`` holds for ``assessment``.

    The roles are those loaded on the user object (once per request; ``membership_grant`` and
    ``membership_revoke`` forget them, so a role changed by a service counts at once). The
    appraiser's and the chair's kinds come from a seat on the council of the assessment's
    period (``council_seats``), never from an account-wide role.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    roles = user_roles(user)
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
    # The council of the assessment's period (Hội đồng thẩm định, Tổ giúp việc): every seat
    # appraises (what each member may decide is the assignment's rule), the chair approves.
    # Before the unit has sent, a seat gives nothing (``_authorize``): no query then (the
    # autosave and the workspace run on unsent assessments).
    seats = (
        council_seats(user).get(assessment.period_id) if assessment.status not in UNSENT else None
    )
    if seats:
        kinds.add("appraiser")
        if "chair" in seats:
            kinds.add("chair")
    return kinds


# What the access helpers load with an assessment (the pages, the services' window and
# locking rules and ``actor_kinds`` use them), plus its calendar (``period__phases``).
ASSESSMENT_RELATED = (
    "period",
    "period__organizer",
    "period__organizer__admin_root",
    "unit",
    "unit__block",
    "framework",
    "framework__block",
)
ASSESSMENT_WRITE_RELATED = tuple(r for r in ASSESSMENT_RELATED if not r.endswith("block"))


def _first(rows: Any) -> Any:
    """The first row of a lookup by primary key, or None. Without ``ORDER BY``: the models'
    default orderings (Entry by node position, Assessment by period, unit…) would make Django
    resolve every one of the ~100 selected columns against the ordering (a few ms of CPU per
    request) and PostgreSQL sort one row."""
    found = list(rows.order_by()[:1])
    return found[0] if found else None


def get_assessment_for_user(user: Any, pk: int, *, write: bool = False) -> Assessment:
    assessment = _first(
        Assessment.objects.select_related(*ASSESSMENT_RELATED)
        .prefetch_related("period__phases")
        .filter(pk=pk)
    )
    if assessment is None:
        raise Http404("Không tìm thấy bản đánh giá.")
    return _authorize(user, assessment, write=write)


def _authorize(user: Any, assessment: Assessment, *, write: bool) -> Assessment:
    """The rules of ``get_assessment_for_user`` on an assessment loaded with its relations."""
    kinds = actor_kinds(user, assessment)
    assessment.contributor_unit_ids = set()  # type: ignore[attr-defined]
    if "organizer" in kinds:
        return assessment
    if kinds and not kinds & {"officer", "leader"} and assessment.status in UNSENT:
        kinds = set()  # an appraiser or the chair before the unit has sent: as an outsider
    if kinds:
        if write:
            raise PermissionDenied("Bạn chỉ có quyền xem bản đánh giá này.")
        return assessment
    contributing = contributor_units(user, assessment)
    if contributing:
        if write:
            raise PermissionDenied("Bạn chỉ có quyền xem bản đánh giá này.")
        assessment.contributor_unit_ids = contributing  # type: ignore[attr-defined]
        return assessment
    if supervises(user, assessment.period.organizer):
        if write:
            raise PermissionDenied("Bạn chỉ có quyền xem bản đánh giá này.")
        return assessment
    raise Http404("Không tìm thấy bản đánh giá.")


def contributor_units(user: Any, assessment: Assessment) -> set[int]:
    """The user's units (as officer) that are assigned leaves of this assessment (≤ 1 query)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    officer_units = {
        m.unit_id for m in user_roles(user).memberships if m.role == Membership.Role.UNIT_OFFICER
    }
    officer_units.discard(assessment.unit_id)
    if not officer_units:
        return set()
    return set(
        Entry.objects.filter(assessment=assessment, contributor_id__in=officer_units)
        .values_list("contributor_id", flat=True)
        .distinct()
    )


def can_declare(user: Any, assessment: Assessment, entry: Entry | None = None) -> bool:
    """May ``user`` declare values and attach or remove evidence (on ``entry``, or — without
    ``entry`` — on the entries shown to them)?

    The one rule for the workspace, ``services.entry_record`` and ``evidence.access``: the
    assessed unit's officer or leader; in a province self-assessment (Period.Kind.PROVINCE_SELF)
    the organizer (Sở Nội vụ), who completes the whole; the officer of the unit an entry is
    assigned to (``Entry.contributor``), for that entry. Whether the assessment is still open
    (status, deadline) is the services' rule.
    Without ``entry`` the contributor part needs ``assessment.contributor_unit_ids`` (set by
    ``get_assessment_for_user``).
    """
    kinds = actor_kinds(user, assessment)
    if kinds & {"officer", "leader"}:
        return True
    if "organizer" in kinds and assessment.period.kind == Period.Kind.PROVINCE_SELF:
        return True
    if entry is None:
        return bool(getattr(assessment, "contributor_unit_ids", set()))
    if entry.contributor_id is None or not getattr(user, "is_authenticated", False):
        return False
    return any(
        m.unit_id == entry.contributor_id and m.role == Membership.Role.UNIT_OFFICER
        for m in user_roles(user).memberships
    )


def get_entry_for_user(
    user: Any, pk: int, *, write: bool = False, assessment_pk: int | None = None
) -> Entry:
    """The entry with its node and its assessment, loaded as ``get_assessment_for_user`` does
    and checked by the same rules — in one query with the assessment's relations, plus its
    calendar (this helper runs on every autosave). ``write=True`` (the autosave) leaves out
    what only the pages show — who saved last, the blocks — to compile fewer columns."""
    own = ("node", "assessment") if write else ("node", "updated_by", "assessment")
    related = ASSESSMENT_WRITE_RELATED if write else ASSESSMENT_RELATED
    entry = _first(
        Entry.objects.select_related(*own, *(f"assessment__{r}" for r in related))
        .prefetch_related("assessment__period__phases")
        .filter(pk=pk)
    )
    if entry is None or (assessment_pk is not None and entry.assessment_id != assessment_pk):
        raise Http404("Không tìm thấy tiêu chí thành phần.")
    assessment = _authorize(user, entry.assessment, write=False)
    contributing = getattr(assessment, "contributor_unit_ids", set())
    if contributing and entry.contributor_id not in contributing:
        raise Http404("Không tìm thấy tiêu chí thành phần.")
    if write and not can_declare(user, assessment, entry):
        raise PermissionDenied("Bạn chỉ có quyền xem tiêu chí này.")
    return entry
