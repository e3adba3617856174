"""The survey points along the real appraisal (tests/appraisal's world): the council's seats
read a unit's open computation once it has sent, the consolidation's final numbers count the
survey points, and submitting the consolidation to the chair freezes the survey."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from parindex.appraisal.services import consolidation_submit
from parindex.assessments import scoring
from parindex.survey.models import Response, Survey
from parindex.survey.services.lifecycle import survey_create
from parindex.survey.services.points import survey_points_refresh
from tests.appraisal.conftest import appraisal, clock  # noqa: F401 - the fixtures
from tests.appraisal.test_flow import _through_round_two
from tests.survey.conftest import survey_data
from tests.survey.test_points_world import load_world, survey_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(appraisal):  # noqa: F811 - the fixture imported above
    ns = appraisal
    pb = ns.period.blocks.select_related("framework", "block", "period").get()
    ns.survey = survey_create(
        actor=ns.province.admin, period_block=pb, data=survey_data(pb.framework)
    )
    load_world(SimpleNamespace(province=ns.province, survey=ns.survey))
    survey_points_refresh(actor=ns.province.admin, survey=ns.survey)
    return ns


def page(ns, assessment):
    return reverse(
        "survey:points_assessment",
        kwargs={"survey_pk": ns.survey.pk, "assessment_pk": assessment.pk},
    )


def test_the_council_reads_the_open_computation(world, login):
    ns = world
    for user in (ns.province.appraiser, ns.appraiser2, ns.province.chair):
        response = login(user).get(page(ns, ns.stp))
        assert response.status_code == 200, user
        assert 'id="leaf-1.7"' in response.content.decode()
    # a unit's officer still never reads another unit's
    assert login(ns.province.outsider).get(page(ns, ns.stp)).status_code == 404


def test_submitting_the_consolidation_freezes_the_survey_with_its_points(
    world, django_capture_on_commit_callbacks
):
    ns = world
    points = survey_scores(ns.stp)
    _through_round_two(ns)
    ns.at("consolidation")
    with django_capture_on_commit_callbacks(execute=True):
        consolidation_submit(actor=ns.province.admin, period=ns.period)
    survey = Survey.objects.get(pk=ns.survey.pk)
    assert survey.frozen_at is not None
    assert survey_scores(ns.stp) == points
    final = scoring.period_scores([ns.stp, ns.syt], [scoring.FINAL])[ns.stp.pk][scoring.FINAL]
    for code, p in points.items():
        assert final.leaves[code] == (p if p is not None else 0)
    document = scoring.results_document([ns.stp, ns.syt])
    stp = next(u for u in document["units"] if u["unit"] == "STP")
    assert stp["nodes"]["1.7"]["points"] == 3.48  # 3.475556 as the results publish it
    # a response reviewed later changes nothing
    Response.objects.filter(survey=survey, unit=ns.province.stp).update(status="void")
    assert survey_scores(ns.stp) == points
