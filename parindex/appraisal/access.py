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
  assignment's rule, checked by the services (``services.rounds.require_decider``).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from parindex.assessments.access import get_assessment_for_user, get_entry_for_user
from parindex.assessments.models import Assessment, Entry
from parindex.assessments.workflow import SUBMITTED_OR_LATER
from parindex.periods.access import council_seats, get_period_for_user, is_organizer_admin_of
from parindex.periods.models import Period


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
