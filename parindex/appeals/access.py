"""Who reaches the appeals pages: one helper per kind of object (views call nothing else).

- a unit's appeals page (``get_assessment_for_appeals``): the assessed unit's officer and
  leader (the leader files) and the period's organizers — the results' own rule;
- a period's appeals (``get_period_for_appeals``): the organizer admin (writes), an organizer
  above it (reads; 403 on write); everyone else 404;
- one appeal (``get_appeal_for_user``): whoever reaches its assessment's appeals page;
  ``appeal.reader`` says "organizer" (may answer when it administers the period) or "unit".
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from parindex.appeals.models import Appeal
from parindex.assessments.models import Assessment
from parindex.periods.access import get_period_for_user, is_organizer_admin_of
from parindex.periods.models import Period
from parindex.results.access import get_assessment_for_results


def get_assessment_for_appeals(user: Any, pk: int) -> Assessment:
    return get_assessment_for_results(user, pk)


def get_period_for_appeals(user: Any, pk: int, *, write: bool = False) -> Period:
    return get_period_for_user(user, pk, write=write)


def get_appeal_for_user(user: Any, pk: int) -> Appeal:
    appeal = Appeal.objects.filter(pk=pk).only("assessment_id").first()
    if appeal is None:
        raise Http404("Không tìm thấy kiến nghị.")
    assessment = get_assessment_for_results(user, appeal.assessment_id)
    full = (
        Appeal.objects.select_related("filed_by", "decided_by", "publication")
        .prefetch_related("items__entry__node")
        .get(pk=pk)
    )
    full.assessment = assessment
    full.period = assessment.period
    reader = getattr(assessment, "results_reader", "unit")
    full.reader = reader  # type: ignore[attr-defined]
    full.can_answer = reader == "organizer" and is_organizer_admin_of(  # type: ignore[attr-defined]
        user, assessment.period.organizer_id
    )
    return full
