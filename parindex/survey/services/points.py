"""Survey points into the assessments: the engine (``parindex survey``) on the valid
responses, ``Entry.survey_score`` = leaf max × value for every survey leaf of every assessment
of the block, the totals re-computed; frozen when the consolidation goes to the chair.

- ``survey_points_refresh``: one streaming read of the counted answers (status valid, the
  unit's survey not voided), the engine's computation outside any transaction, then one short
  transaction: the survey row locked (refused once frozen), the assessments locked (in id
  order, as every score writer: the assessment row, then its entries), the survey scores that
  changed written, the totals re-computed through the bridge, ``points_computed_at`` set to
  the moment the read began (a change after it makes the debounced task compute again), one
  audit row with counts.
- A unit without a weighted answer for a leaf gets ``None`` (no survey result): the bridge
  writes no row for it and the leaf scores 0 with its max, as ``parindex score`` does.
- ``survey_points_freeze``: a last refresh and ``frozen_at`` in the same transaction (the
  organizer's "Chốt điểm điều tra", or the system when the consolidation is submitted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from parindex import engine
from parindex.assessments.models import Assessment, Entry
from parindex.assessments.services import assessment_recompute_totals
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.services import require_period_admin
from parindex.survey.definition import engine_survey, problem_text
from parindex.survey.models import Response, Survey, SurveyAnswer, UnitVoid

STORED = Decimal("0.000001")
CHUNK = 10000


@dataclass(frozen=True)
class PointsRefresh:
    """What a refresh did (the audit row holds the same counts)."""

    responses: int
    units: int
    assessments: int
    changed: int
    frozen: bool


def counted_rows(survey: Survey, *, unit_id: int | None = None) -> Iterator[engine.ResponseRow]:
    """The counted answers as the engine's rows (response id as the response code, status
    valid): the counted responses (status valid, the unit's survey not voided) read first,
    then their answers in one streaming query (``iterator``), each row completed from the
    response's group and unit. With ``unit_id``: that unit's only (what the engine computes
    for a unit depends on its rows alone)."""
    responses = Response.objects.filter(survey_id=survey.pk, status=Response.Status.VALID).exclude(
        unit_id__in=UnitVoid.objects.filter(survey_id=survey.pk).values("unit_id")
    )
    if unit_id is not None:
        responses = responses.filter(unit_id=unit_id)
    info = {
        rid: (str(rid), group, unit)
        for rid, group, unit in responses.order_by()
        .values_list("id", "group", "unit__code")
        .iterator(chunk_size=CHUNK)
    }
    answers = (
        SurveyAnswer.objects.filter(response__in=responses)
        .order_by()
        .values_list("response_id", "question", "option")
    )
    for rid, question, option in answers.iterator(chunk_size=CHUNK):
        got = info.get(rid)
        if got is None:  # counted since the first read: the next recompute takes it
            continue
        yield (got[0], got[1], got[2], question, option, "")


def compute(survey: Survey, *, unit_id: int | None = None) -> engine.SurveyResults:
    """The engine's results on the counted responses (``DomainError`` if the stored answers
    no longer fit the definition)."""
    try:
        return engine.compute_survey(engine_survey(survey), counted_rows(survey, unit_id=unit_id))
    except engine.InvalidInput as exc:
        problems = [problem_text(p) for p in exc.problems[:20]]
        raise DomainError(
            "Không tính được điểm điều tra: phiếu trả lời không khớp phiếu điều tra.",
            problems=problems,
        ) from exc


def leaf_points(max_: Decimal, value: Decimal) -> Decimal:
    """max × value as stored (6 decimals, half up; exact whenever the max has no more
    decimals than the value's 6 allow, as every public framework's whole-number maxima)."""
    points = max_ * value
    rounded = points.quantize(STORED, rounding=ROUND_HALF_UP)
    return points if rounded == points else rounded


def require_not_frozen(survey: Survey) -> None:
    if survey.frozen_at is not None:
        raise DomainError(
            f"Điểm điều tra đã được chốt lúc {timezone.localtime(survey.frozen_at):%H:%M %d/%m/%Y}:"
            " không tính lại."
        )


def survey_points_refresh(*, actor: Any, survey: Survey) -> PointsRefresh:
    """Recompute the survey points of every assessment of the survey's block (see the module
    notes). Refused (``DomainError``) once frozen."""
    return _refresh(actor, survey, freeze=False, reason="")


def survey_points_freeze(*, actor: Any, survey: Survey, reason: str = "") -> PointsRefresh:
    """A last refresh, then the points are frozen: no later refresh changes them."""
    return _refresh(actor, survey, freeze=True, reason=reason)


def _refresh(actor: Any, survey: Survey, *, freeze: bool, reason: str) -> PointsRefresh:
    pb = survey.period_block
    require_period_admin(actor, pb.period)
    require_not_frozen(survey)
    started = timezone.now()
    results = compute(survey)  # the long part: outside any transaction
    return _write(actor, survey, results, started, freeze=freeze, reason=reason)


@transaction.atomic
def _write(
    actor: Any,
    survey: Survey,
    results: engine.SurveyResults,
    started: dt.datetime,
    *,
    freeze: bool,
    reason: str,
) -> PointsRefresh:
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    require_not_frozen(locked)
    pb = survey.period_block
    fw = framework_to_engine(pb.framework)
    maxima = {leaf.code: leaf.max or Decimal(0) for leaf in fw.leaves() if leaf.source == "survey"}
    by_unit = {u.unit: u for u in results.units}
    ids = list(
        Assessment.objects.filter(period_id=pb.period_id, unit__block_id=pb.block_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # The assessment rows first (every score writer's order), then their entries.
    list(
        Assessment.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    entries = list(
        Entry.objects.select_for_update(of=("self",))
        .filter(assessment_id__in=ids, node__source=FrameworkNode.Source.SURVEY)
        .select_related("node", "assessment__unit")
        .order_by("assessment_id", "node__position")
    )
    now = timezone.now()
    changed: list[Entry] = []
    touched: set[int] = set()
    for entry in entries:
        unit = by_unit.get(entry.assessment.unit.code)
        value = unit.criterion(entry.node.code) if unit is not None else None
        max_ = maxima.get(entry.node.code)
        points = leaf_points(max_, value.value) if value is not None and max_ is not None else None
        if points != entry.survey_score:
            entry.survey_score = points
            entry.updated_at = now
            changed.append(entry)
            touched.add(entry.assessment_id)
    if changed:
        Entry.objects.bulk_update(changed, ["survey_score", "updated_at"], batch_size=500)
    for assessment in Assessment.objects.filter(pk__in=sorted(touched)).select_related("framework"):
        assessment_recompute_totals(assessment)
    # ``updated_at`` is kept: it keys the cached engine survey (the definition is unchanged).
    Survey.objects.filter(pk=locked.pk).update(
        points_computed_at=started, **({"frozen_at": now} if freeze else {})
    )
    survey.points_computed_at = started
    if freeze:
        survey.frozen_at = now
    counts = {
        "responses": results.valid,
        "units": len(results.units),
        "assessments": len(ids),
        "entries_changed": len(changed),
    }
    audit_record(
        actor=actor,
        verb="survey.points_freeze" if freeze else "survey.points_refresh",
        obj=locked,
        new=counts,
        reason=reason,
    )
    return PointsRefresh(
        responses=results.valid,
        units=len(results.units),
        assessments=len(ids),
        changed=len(changed),
        frozen=freeze,
    )


def period_surveys_freeze(*, actor: Any, period_id: int, reason: str) -> list[Survey]:
    """Freeze every survey of the period not yet frozen (the consolidation went to the
    chair); a survey whose points cannot be computed is frozen as it stands."""
    frozen: list[Survey] = []
    surveys = Survey.objects.filter(
        period_block__period_id=period_id, frozen_at__isnull=True
    ).select_related(
        "period_block",
        "period_block__period",
        "period_block__period__organizer",
        "period_block__framework",
        "period_block__block",
    )
    for survey in surveys:
        try:
            survey_points_freeze(actor=actor, survey=survey, reason=reason)
        except DomainError:
            with transaction.atomic():
                locked = Survey.objects.select_for_update().get(pk=survey.pk)
                if locked.frozen_at is not None:
                    continue
                Survey.objects.filter(pk=survey.pk).update(frozen_at=timezone.now())
                audit_record(
                    actor=actor, verb="survey.points_freeze", obj=locked, new={}, reason=reason
                )
        frozen.append(survey)
    return frozen
