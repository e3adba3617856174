"""Who reaches the results pages: one helper per kind of object (views call nothing else).

- a period's results (the ranking of every block, its XLSX, the open data):
  ``get_period_for_results`` — the organizer admin of the period, an organizer above it (the
  Sở Nội vụ over a district's communes: read, as every results page is); everyone else 404;
- one unit's results: ``get_assessment_for_results`` — the assessed unit's officer and leader
  (``results_reader = "unit"``: they see the results only once approved), the period's
  organizer admin and an organizer above it (``"organizer"``: before the approval they see
  the live preview); everyone else 404 — a council seat, a contributor's officer, another
  unit's people.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from parindex.assessments.access import actor_kinds, get_assessment_for_user
from parindex.assessments.models import Assessment
from parindex.periods.access import get_period_for_user, supervises
from parindex.periods.models import Period


def get_period_for_results(user: Any, pk: int) -> Period:
    """The period with its organizer (``can_change`` False for an organizer above it)."""
    return get_period_for_user(user, pk)


def get_assessment_for_results(user: Any, pk: int) -> Assessment:
    """The assessment with its relations, for its unit or its organizers; else 404."""
    assessment = get_assessment_for_user(user, pk)
    kinds = actor_kinds(user, assessment)
    if "organizer" in kinds or supervises(user, assessment.period.organizer):
        assessment.results_reader = "organizer"  # type: ignore[attr-defined]
    elif kinds & {"officer", "leader"}:
        assessment.results_reader = "unit"  # type: ignore[attr-defined]
    else:
        raise Http404("Không tìm thấy kết quả của đơn vị.")
    return assessment
