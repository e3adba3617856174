"""Survey points into the assessments: equal to the engine's (``parindex survey``) on the
counted responses, void/flagged/voided units left out, the totals re-computed, the
debounced recompute on ``survey_changed``, the freeze (button and consolidation submit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from parindex import engine
from parindex.appraisal.signals import appraisal_changed
from parindex.assessments import scoring
from parindex.assessments.models import Assessment
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.periods.models import Period
from parindex.survey import tasks_points
from parindex.survey.definition import engine_survey
from parindex.survey.models import Response, Survey, UnitVoid
from parindex.survey.services.points import (
    counted_rows,
    survey_points_freeze,
    survey_points_refresh,
)
from parindex.survey.signals import survey_changed
from tests.survey.test_points_world import expected_units, load_world, survey_maxima, survey_scores

pytestmark = pytest.mark.django_db


def _fresh(survey):
    return Survey.objects.select_related(
        "period_block__period__organizer", "period_block__framework", "period_block__block"
    ).get(pk=survey.pk)


def test_points_are_max_times_the_engines_values(surveyed):
    load_world(surveyed)
    done = survey_points_refresh(actor=surveyed.province.admin, survey=surveyed.survey)
    assert done.assessments == 2 and done.changed > 0
    expected = expected_units()
    for assessment, code in ((surveyed.stp, "STP"), (surveyed.syt, "SYT")):
        scores = survey_scores(assessment)
        maxima = survey_maxima(assessment)
        want = {
            c: Decimal(str(v["value"])) * maxima[c] for c, v in expected[code]["criteria"].items()
        }
        assert {c: s for c, s in scores.items() if s is not None} == want
        assert {c for c, s in scores.items() if s is None} == set(scores) - set(want)
    survey = _fresh(surveyed.survey)
    assert survey.points_computed_at is not None
    event = AuditEvent.objects.filter(verb="survey.points_refresh").get()
    assert event.new["assessments"] == 2 and event.new["responses"] == 68


def test_the_final_stage_counts_the_survey_points_and_the_totals_follow(surveyed):
    load_world(surveyed)
    before = scoring.assessment_scores(surveyed.stp, scoring.FINAL)
    survey_points_refresh(actor=surveyed.province.admin, survey=surveyed.survey)
    after = scoring.assessment_scores(surveyed.stp, scoring.FINAL)
    scores = survey_scores(surveyed.stp)
    for code, points in scores.items():
        assert after.leaves[code] == (points if points is not None else Decimal(0))
    gained = sum((p for p in scores.values() if p is not None), Decimal(0))
    assert after.points - before.points == gained
    assert after.max == before.max  # survey leaves count with their max at the final stage
    stored = Assessment.objects.get(pk=surveyed.stp.pk)
    assert stored.final_points == after.points
    # the self stage leaves the survey leaves out
    own = scoring.assessment_scores(surveyed.stp, scoring.SELF)
    assert all(own.leaves[c] is None for c in scores)


def test_flagged_and_void_responses_and_voided_units_count_nowhere(surveyed):
    world = load_world(surveyed)
    es = engine_survey(surveyed.survey)
    first = engine.compute_survey(es, counted_rows(surveyed.survey))
    flagged = world["STP"][0]
    assert flagged.status == Response.Status.VALID
    Response.objects.filter(pk=flagged.pk).update(status=Response.Status.FLAGGED)
    rows = list(counted_rows(surveyed.survey))
    assert str(flagged.pk) not in {r[0] for r in rows}
    assert not {r[0] for r in rows} & {
        str(pk) for pk in Response.objects.filter(status="void").values_list("pk", flat=True)
    }
    survey_points_refresh(actor=surveyed.province.admin, survey=surveyed.survey)
    second = engine.compute_survey(es, rows)
    assert second.unit("STP").responses == first.unit("STP").responses - 1
    maxima = survey_maxima(surveyed.stp)
    for c in second.unit("STP").criteria:
        assert survey_scores(surveyed.stp)[c.criterion] == c.value * maxima[c.criterion]

    UnitVoid.objects.create(survey=surveyed.survey, unit=surveyed.province.syt, reason="Can thiệp")
    survey_points_refresh(actor=surveyed.province.admin, survey=surveyed.survey)
    assert set(survey_scores(surveyed.syt).values()) == {None}
    assert {r[2] for r in counted_rows(surveyed.survey)} == {"STP"}


def test_a_unit_without_answers_has_no_survey_points(surveyed):
    load_world(surveyed, units=("STP",))
    survey_points_refresh(actor=surveyed.province.admin, survey=surveyed.survey)
    assert set(survey_scores(surveyed.syt).values()) == {None}
    assert scoring.assessment_scores(surveyed.syt, scoring.FINAL).leaves["1.7"] == 0


def test_only_the_organizer_refreshes(surveyed):
    with pytest.raises(DomainError):
        survey_points_refresh(actor=surveyed.province.officer, survey=surveyed.survey)


def test_a_frozen_survey_never_changes(surveyed):
    world = load_world(surveyed)
    survey_points_freeze(actor=surveyed.province.admin, survey=surveyed.survey)
    survey = _fresh(surveyed.survey)
    assert survey.frozen_at is not None
    frozen = survey_scores(surveyed.stp)
    assert frozen["1.7"] is not None
    Response.objects.filter(pk__in=[r.pk for r in world["STP"][:10]]).update(
        status=Response.Status.VOID
    )
    with pytest.raises(DomainError, match="đã được chốt"):
        survey_points_refresh(actor=surveyed.province.admin, survey=survey)
    with pytest.raises(DomainError, match="đã được chốt"):
        survey_points_freeze(actor=surveyed.province.admin, survey=survey)
    assert tasks_points.refresh_points.call(survey.pk, timezone.now().isoformat()) is False
    assert survey_scores(surveyed.stp) == frozen
    assert AuditEvent.objects.filter(verb="survey.points_freeze").count() == 1


def test_survey_changed_recomputes_once_per_burst(surveyed, django_capture_on_commit_callbacks):
    load_world(surveyed)
    with django_capture_on_commit_callbacks(execute=True):
        survey_changed.send(sender=None, survey_id=surveyed.survey.pk, event="response")
    assert survey_scores(surveyed.stp)["1.7"] is not None
    assert AuditEvent.objects.filter(verb="survey.points_refresh").count() == 1
    # a change older than the last computation: nothing to do
    old = (timezone.now() - dt.timedelta(minutes=5)).isoformat()
    assert tasks_points.refresh_points.call(surveyed.survey.pk, old) is False
    # a newer one computes again
    newer = (timezone.now() + dt.timedelta(seconds=1)).isoformat()
    assert tasks_points.refresh_points.call(surveyed.survey.pk, newer) is True
    assert AuditEvent.objects.filter(verb="survey.points_refresh").count() == 2


def test_the_consolidation_submitted_freezes_the_periods_surveys(surveyed):
    load_world(surveyed)
    for event in ("round1_opened", "returned"):
        appraisal_changed.send(sender=Period, period_id=surveyed.period.pk, event=event)
    assert _fresh(surveyed.survey).frozen_at is None
    appraisal_changed.send(
        sender=Period, period_id=surveyed.period.pk, event="submitted", actor_id=None, note=""
    )
    survey = _fresh(surveyed.survey)
    assert survey.frozen_at is not None and survey.points_computed_at is not None
    assert survey_scores(surveyed.stp)["1.7"] is not None
    event = AuditEvent.objects.get(verb="survey.points_freeze")
    assert "Chủ tịch" in event.reason
