"""Who reaches the survey's pages: one helper per kind of object (views call nothing else).

- the organizer's pages of a block's survey (design, sample, lists, invitations, progress,
  review, points, SIPAS, exports): ``get_survey_for_organizer`` — the organizer admin of the
  period (write), an organizer above it (read only: 403 on write), everyone else 404; the
  page that creates a block's survey: ``get_period_block_for_organizer``;
- a unit's pages (its respondent lists, its progress counts — never answers):
  ``get_survey_for_unit`` — the officer and the leader of a unit of the survey's block that
  takes part in the period; everyone else 404;
- the enumerators' entry of paper forms: ``get_survey_for_enumerator`` — an account with the
  Điều tra viên role acting for the period's organizer (``Roles.enumerator_for``), while the
  survey is open; else 404;
- a respondent's form: ``get_respondent_by_token`` (the link's token; only its SHA-256 is
  stored) — no login; an unknown token is 404;
- the public link and QR of a unit: ``get_public_target`` — no login, the survey open and
  public answers allowed, the unit rated in it; else 404.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from parindex.accounts.models import Membership, Unit
from parindex.assessments.models import Assessment
from parindex.periods.access import get_period_for_user, user_roles
from parindex.periods.models import PeriodBlock
from parindex.survey.models import Respondent, Survey

SURVEY_RELATED = (
    "period_block",
    "period_block__period",
    "period_block__period__organizer",
    "period_block__period__organizer__admin_root",
    "period_block__block",
    "period_block__framework",
)
# what the respondent's form reads (the organizer's name, the window): fewer joins to plan
# on every answer; the framework loads only when the engine survey is not cached yet
RESPONDENT_RELATED = ("survey__period_block__period__organizer",)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _survey(pk: int) -> Survey:
    survey = Survey.objects.select_related(*SURVEY_RELATED).filter(pk=pk).first()
    if survey is None:
        raise Http404("Không tìm thấy cuộc điều tra.")
    return survey


def get_period_block_for_organizer(
    user: Any, period_pk: int, block_pk: int, *, write: bool = False
) -> PeriodBlock:
    period = get_period_for_user(user, period_pk, write=write)
    pb = (
        PeriodBlock.objects.select_related("block", "framework")
        .filter(period=period, block_id=block_pk)
        .first()
    )
    if pb is None:
        raise Http404("Khối này không tham gia đợt đánh giá.")
    pb.period = period  # keeps can_change
    return pb


def get_survey_for_organizer(user: Any, pk: int, *, write: bool = False) -> Survey:
    """The survey with its period (``survey.can_change``: False for an organizer above)."""
    survey = _survey(pk)
    period = get_period_for_user(user, survey.period_block.period_id, write=write)
    survey.period_block.period = period
    survey.can_change = period.can_change  # type: ignore[attr-defined]
    return survey


def unit_ids_for_survey_pages(user: Any, survey: Survey) -> set[int]:
    """The units of the survey's block whose officer or leader ``user`` is and which take
    part in the survey's period."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    R = Membership.Role
    mine = {
        m.unit_id for m in user_roles(user).memberships if m.role in (R.UNIT_OFFICER, R.UNIT_LEADER)
    }
    if not mine:
        return set()
    return set(
        Assessment.objects.filter(
            period_id=survey.period_block.period_id,
            unit__block_id=survey.period_block.block_id,
            unit_id__in=mine,
        ).values_list("unit_id", flat=True)
    )


def get_survey_for_unit(user: Any, pk: int, unit_pk: int) -> tuple[Survey, Unit]:
    survey = _survey(pk)
    if unit_pk not in unit_ids_for_survey_pages(user, survey):
        raise Http404("Không tìm thấy cuộc điều tra.")
    unit = Unit.objects.get(pk=unit_pk)
    return survey, unit


def enumerates_for(user: Any, organizer_id: int) -> bool:
    """Does ``user`` hold the Điều tra viên role acting for ``organizer_id``?"""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return organizer_id in user_roles(user).enumerator_organizer_ids


def get_survey_for_enumerator(user: Any, pk: int) -> Survey:
    survey = _survey(pk)
    if not enumerates_for(user, survey.period_block.period.organizer_id):
        raise Http404("Không tìm thấy cuộc điều tra.")
    if survey.status != Survey.Status.OPEN:
        raise PermissionDenied("Cuộc điều tra không trong thời gian nhập phiếu.")
    return survey


def get_respondent_by_token(token: str) -> Respondent:
    if not token or len(token) > 100:
        raise Http404("Đường dẫn khảo sát không đúng.")
    try:  # get(), not first(): the hash is unique, no ORDER BY to plan on every answer
        return Respondent.objects.select_related(*RESPONDENT_RELATED).get(
            token_hash=token_hash(token)
        )
    except Respondent.DoesNotExist:
        raise Http404("Đường dẫn khảo sát không đúng hoặc đã bị thu hồi.") from None


def get_public_target(survey_pk: int, unit_code: str) -> tuple[Survey, Unit]:
    survey = _survey(survey_pk)
    if survey.status != Survey.Status.OPEN or not survey.public_enabled:
        raise Http404("Cuộc khảo sát không mở trả lời công khai.")
    unit = (
        Unit.objects.filter(code=unit_code, block_id=survey.period_block.block_id)
        .filter(
            pk__in=Assessment.objects.filter(period_id=survey.period_block.period_id).values(
                "unit_id"
            )
        )
        .first()
    )
    if unit is None:
        raise Http404("Không tìm thấy đơn vị được khảo sát.")
    return survey, unit
