"""Reads of the API: compositions of the apps' own selectors and access rules, no new
permission logic.

- ``assessment_list_for_user``: what the web lists to the same user — its units' and the
  leaves it contributes to (``workspace_list``), every assessment of the periods it
  administers or supervises (``period_list_for_user``), and the sent assessments of the
  periods whose council it sits on (``council_seats``; a seat gives nothing before the unit
  has sent, as ``get_assessment_for_user``);
- ``survey_list_for_user``: the surveys of those periods (the organizer's progress pages);
- the public results: the newest published version of each published period (what the public
  site shows and the open data carry); an approved period not yet published is not public.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from parindex.api.models import ApiToken
from parindex.appraisal.models import PeriodAppraisal
from parindex.appraisal.selectors.consolidation import frozen_results
from parindex.assessments.access import UNSENT
from parindex.assessments.models import Assessment
from parindex.assessments.period_selectors import period_list_for_user
from parindex.assessments.selectors import workspace_list
from parindex.periods.access import council_seats
from parindex.periods.models import Period
from parindex.publication.models import Publication
from parindex.survey.models import Survey


def token_list_for_user(user: Any) -> list[ApiToken]:
    """The user's tokens, active first, newest first (one query)."""
    tokens = list(ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-pk"))
    return sorted(tokens, key=lambda t: t.revoked_at is not None)


def _administered_period_ids(user: Any) -> list[int]:
    return [p.pk for p in period_list_for_user(user, supervised=True)]


def assessment_list_for_user(user: Any) -> list[Assessment]:
    """Every assessment the user may read, newest period first, then by unit (3-5 queries)."""
    own = {a.pk for a in workspace_list(user)}
    periods = _administered_period_ids(user)
    seats = list(council_seats(user))
    wanted = Q(pk__in=own) | Q(period_id__in=periods)
    if seats:
        wanted |= Q(period_id__in=seats) & ~Q(status__in=list(UNSENT))
    if not own and not periods and not seats:
        return []
    return list(
        Assessment.objects.filter(wanted)
        .select_related("period", "period__organizer", "unit", "framework")
        .order_by("-period__year", "period_id", "unit__position", "unit__name", "pk")
    )


def survey_list_for_user(user: Any) -> list[Survey]:
    """The surveys of the periods the user administers or supervises (one query more)."""
    periods = _administered_period_ids(user)
    if not periods:
        return []
    return list(
        Survey.objects.filter(period_block__period_id__in=periods)
        .select_related("period_block", "period_block__period", "period_block__block")
        .order_by("-period_block__period__year", "period_block__period_id", "pk")
    )


def approved_period_list() -> list[PeriodAppraisal]:
    """The approved and published periods, newest first (one query)."""
    return list(
        PeriodAppraisal.objects.filter(
            review=PeriodAppraisal.Review.APPROVED,
            snapshot__isnull=False,
            period__in=Publication.objects.values("period_id"),
        )
        .select_related("period", "period__organizer")
        .order_by("-period__year", "period__organizer__name", "period__name", "pk")
    )


def approved_results(period_id: int) -> tuple[Period, PeriodAppraisal, dict[str, Any]]:
    """A published period, its state and the blocks of its newest published version (code ->
    {"block", "results"}); 404 for any other period: its results are not public."""
    state = (
        PeriodAppraisal.objects.filter(period_id=period_id)
        .select_related("period", "period__organizer")
        .first()
    )
    published = (
        Publication.objects.filter(period_id=period_id).order_by("-version").first()
        if state is not None and frozen_results(state) is not None
        else None
    )
    if state is None or published is None:
        raise Http404("Không tìm thấy kết quả đã phê duyệt và công bố của đợt đánh giá này.")
    blocks = {
        str(b["code"]): {"block": b.get("name") or b["code"], "results": b["results"]}
        for b in published.content.get("blocks", [])
    }
    return state.period, state, blocks
