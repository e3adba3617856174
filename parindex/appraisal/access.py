"""Who reaches the appraisal's pages: one helper per kind of object (views call nothing else).

- the period's pages of the organizer (council, assignment, rounds, consolidation):
  ``get_period_for_organizer`` — the organizer admin of the period (write), an organizer
  above it (read only: 403 on write), everyone else 404;
- the council's pages (the queue, the chair's review): ``get_period_for_council`` — a seat on
  the period's council (``periods.access.council_seats``), or the organizer admin; else 404;
- an assessment under appraisal: ``get_assessment_for_appraisal`` — the assessments' access
  helper (a seat on the council of its period gives the appraiser kind; the unit itself; the
  organizer), only once the unit has sent it;
- one entry of it: ``get_entry_for_appraisal``; what the appraiser may *decide* is the
  assignment's rule, checked by the services (``services.rounds.require_decider``);
- the assessed unit's pages (round results, Giải trình, bổ sung): ``get_assessment_for_unit``
  — the unit's officer and leader, the organizer (read); everyone else 404;
- the appraiser's pages on one assessment (a domain, a decision): ``get_assessment_for_council``,
  ``get_domain_for_council``, ``get_entry_for_council`` — a seat on the period's council not
  from the assessed unit, or the organizer admin (read); the unit itself 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from parindex.assessments.access import actor_kinds, get_assessment_for_user, get_entry_for_user
from parindex.assessments.models import Assessment, Entry
from parindex.assessments.workflow import SUBMITTED_OR_LATER
from parindex.frameworks.models import FrameworkNode
from parindex.periods.access import council_seats, get_period_for_user, is_organizer_admin_of
from parindex.periods.models import CouncilMember, Period


def get_period_for_organizer(user: Any, pk: int, *, write: bool = False) -> Period:
    return get_period_for_user(user, pk, write=write)


def get_period_for_council(user: Any, pk: int, *, chair: bool = False) -> Period:
    """The period for a council seat (``chair``: the chair's seat only) or its organizer."""
    period = (
        Period.objects.select_related("organizer").prefetch_related("phases").filter(pk=pk).first()
    )
    if period is None:
        raise Http404("Không tìm thấy đợt đánh giá.")
    seats = council_seats(user).get(period.pk, set())
    period.is_organizer = is_organizer_admin_of(user, period.organizer_id)  # type: ignore[attr-defined]
    period.seats = seats  # type: ignore[attr-defined]
    if chair and "chair" in seats:
        return period
    if not chair and (seats or period.is_organizer):  # type: ignore[attr-defined]
        return period
    raise Http404("Không tìm thấy đợt đánh giá.")


def get_assessment_for_appraisal(user: Any, pk: int) -> Assessment:
    assessment = get_assessment_for_user(user, pk)
    if assessment.status not in SUBMITTED_OR_LATER:
        raise Http404("Không tìm thấy bản đánh giá.")
    return assessment


def get_entry_for_appraisal(user: Any, pk: int, *, assessment_pk: int) -> Entry:
    entry = get_entry_for_user(user, pk, assessment_pk=assessment_pk)
    if entry.assessment.status not in SUBMITTED_OR_LATER:
        raise Http404("Không tìm thấy tiêu chí thành phần.")
    return entry


def get_assessment_for_unit(user: Any, pk: int) -> Assessment:
    """The assessed unit's side of the appraisal (the round results, its Giải trình, bổ sung):
    the unit's officer and leader, and the organizer (read; what it may change is the
    services' rule). Everyone else gets 404 — the council's seats, a contributor's officer,
    an organizer above included: the unit's answers are the unit's. ``unit_kinds`` on the
    assessment keeps the user's actor kinds for the page."""
    assessment = get_assessment_for_user(user, pk)
    kinds = actor_kinds(user, assessment) & {"officer", "leader", "organizer"}
    if not kinds:
        raise Http404("Không tìm thấy bản đánh giá.")
    assessment.unit_kinds = kinds  # type: ignore[attr-defined]
    return assessment


# ---------------------------------------------------------------- the appraiser's pages


def _require_council_reader(user: Any, assessment: Assessment) -> Assessment:
    """An appraiser's page on ``assessment``: the organizer admin of its period (read), or a
    seat on its period's council that is not from the assessed unit — nobody appraises their
    own unit, and the unit (its officer and leader too) sees its round results on its own
    pages. Everyone else 404."""
    period = assessment.period
    if is_organizer_admin_of(user, period.organizer_id):
        return assessment
    if not council_seats(user).get(period.pk):
        raise Http404("Không tìm thấy bản đánh giá.")
    if actor_kinds(user, assessment) & {"officer", "leader"}:
        raise Http404("Không tìm thấy bản đánh giá.")
    own_seat = CouncilMember.objects.filter(
        council__period_id=period.pk, user_id=user.pk, unit_id=assessment.unit_id
    ).exists()
    if own_seat:
        raise Http404("Không tìm thấy bản đánh giá.")
    return assessment


def get_assessment_for_council(user: Any, pk: int) -> Assessment:
    """The appraiser's view of one sent assessment (see ``_require_council_reader``)."""
    return _require_council_reader(user, get_assessment_for_appraisal(user, pk))


def get_domain_for_council(
    user: Any, assessment_pk: int, node_pk: int
) -> tuple[Assessment, FrameworkNode]:
    """The assessment (as ``get_assessment_for_council``) and one of its domains: a top-level
    node of its framework (else 404)."""
    assessment = get_assessment_for_council(user, assessment_pk)
    domain = (
        FrameworkNode.objects.filter(
            pk=node_pk, framework_id=assessment.framework_id, parent__isnull=True
        )
        .order_by()
        .first()
    )
    if domain is None:
        raise Http404("Không tìm thấy lĩnh vực.")
    return assessment, domain


def get_entry_for_council(user: Any, pk: int, *, assessment_pk: int) -> Entry:
    """One entry of an assessment the user reads as ``get_assessment_for_council``; whether
    they may decide it is the assignment's rule (the services)."""
    entry = get_entry_for_appraisal(user, pk, assessment_pk=assessment_pk)
    _require_council_reader(user, entry.assessment)
    return entry
