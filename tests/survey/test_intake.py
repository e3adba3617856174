"""The shared intake: answers checked against the definition, stored anonymously, a link
answers each unit once, fraud flags at intake."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from parindex.common.errors import DomainError
from parindex.survey.models import Respondent, RespondentUnit, Response
from parindex.survey.services.intake import response_submit

pytestmark = pytest.mark.django_db


def test_a_response_is_stored_with_its_answers_and_no_respondent(surveyed):
    r = response_submit(
        survey=surveyed.survey,
        unit=surveyed.province.stp,
        group="HDND",
        answers={"Q01": "A", "Q02": "B", "Q03": ""},
        channel=Response.Channel.PUBLIC,
        started_at=timezone.now() - dt.timedelta(minutes=3),
    )
    assert r.status == Response.Status.VALID
    assert dict(r.answers.values_list("question", "option")) == {"Q01": "A", "Q02": "B"}
    assert not [f.name for f in Response._meta.get_fields() if "respondent" in f.name]


def test_unknown_options_and_questions_are_named_and_nothing_is_stored(surveyed):
    with pytest.raises(DomainError) as exc:
        response_submit(
            survey=surveyed.survey,
            unit=surveyed.province.stp,
            group="HDND",
            answers={"Q01": "Z", "Q99": "A"},
            channel=Response.Channel.PUBLIC,
        )
    assert any("Q01" in p and "Z" in p for p in exc.value.problems)
    assert any("Q99" in p for p in exc.value.problems)
    assert Response.objects.count() == 0


def test_an_invitation_answers_each_of_its_units_once(surveyed):
    person = Respondent.objects.create(survey=surveyed.survey, group="HDND", name="Lê Văn A")
    RespondentUnit.objects.create(respondent=person, unit=surveyed.province.stp)
    kw = dict(
        survey=surveyed.survey,
        unit=surveyed.province.stp,
        group="HDND",
        answers={"Q01": "A"},
        channel=Response.Channel.INVITATION,
        respondent=person,
    )
    response_submit(**kw)
    with pytest.raises(DomainError, match="đã được gửi"):
        response_submit(**kw)
    with pytest.raises(DomainError, match="không đánh giá"):
        response_submit(**{**kw, "unit": surveyed.province.syt})
    assert RespondentUnit.objects.get(respondent=person).answered_on == timezone.localdate()


def test_a_straight_lined_fast_form_is_flagged_for_review(surveyed):
    r = response_submit(
        survey=surveyed.survey,
        unit=surveyed.province.stp,
        group="HDND",
        answers={q: "A" for q in ("Q01", "Q02", "Q06", "Q12", "Q14")},
        channel=Response.Channel.PUBLIC,
        started_at=timezone.now() - dt.timedelta(seconds=5),
    )
    assert r.status == Response.Status.FLAGGED
    assert {"fast", "straight"} <= set(r.flags)
