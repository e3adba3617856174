"""The respondent's form from the invitation link: privacy notice, one page per rated unit with
progress, the group's questions with "Không đánh giá được", submission through the shared
intake, the thanks page; closed and finished links give a clear page; anonymity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from parindex.survey.definition import engine_survey, questions_for
from parindex.survey.forms_respond import AnswerForm
from parindex.survey.models import Respondent, RespondentUnit, Response, SurveyAnswer
from parindex.survey.services.invitations import MAX_ADDRESSES, invitations_send
from parindex.survey.services.lifecycle import survey_transition
from parindex.survey.services.respondents import respondents_import
from parindex.survey.views.respond import started_at, started_token
from tests.survey.test_lists import rows_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(surveyed):
    """``ns.binh`` (LDSO, rates STP and SYT) and ``ns.token`` her link."""
    p = surveyed.province
    respondents_import(
        actor=p.officer,
        survey=surveyed.survey,
        unit=p.stp,
        rows=rows_of([["LDSO", "Trần Thị Bình", "", "binh@bacgiang.gov.vn", "", "STP, SYT"]]),
    )
    surveyed.binh = Respondent.objects.get()
    (surveyed.token,) = invitations_send(actor=p.admin, survey=surveyed.survey)
    surveyed.url = reverse("survey_public:respond_form", kwargs={"token": surveyed.token})
    return surveyed


def answers_for(ns, option="B") -> dict[str, str]:
    return {q.code: option for q in questions_for(engine_survey(ns.survey), "LDSO")}


def post(client, ns, unit, answers, **extra):
    page = client.get(ns.url)
    started = page.context["started"]
    return client.post(ns.url, {"don_vi": unit.pk, "bat_dau": started, **answers, **extra})


def test_the_form_shows_the_notice_progress_and_the_groups_questions(invited, client):
    r = client.get(invited.url)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Thông báo về bảo vệ thông tin" in html
    assert "Đơn vị 1/2" in html and "Sở Tư pháp" in html
    asked = questions_for(engine_survey(invited.survey), "LDSO")
    for q in asked:
        assert q.text in html
    assert "Không đánh giá được" in html
    not_asked = [q for q in engine_survey(invited.survey).questions if "LDSO" not in q.groups]
    assert not_asked and all(f'name="{q.code}"' not in html for q in not_asked)


def test_an_incomplete_page_is_refused_in_vietnamese_and_nothing_is_stored(invited, client):
    answers = answers_for(invited)
    answers.pop(next(iter(answers)))
    r = post(client, invited, invited.province.stp, answers)
    assert r.status_code == 400
    html = r.content.decode()
    assert "Chọn một phương án cho câu này." in html and "Còn câu chưa trả lời" in html
    assert Response.objects.count() == 0


def test_two_units_are_answered_one_page_each_then_thanks(invited, client):
    p = invited.province
    r = post(client, invited, p.stp, answers_for(invited))
    assert r.status_code == 302 and r["Location"] == invited.url
    r = client.get(invited.url)
    assert "Đơn vị 2/2" in r.content.decode() and "Sở Y tế" in r.content.decode()
    answers = answers_for(invited, "A")
    answers[next(iter(answers))] = "E"  # Không đánh giá được
    r = post(client, invited, p.syt, answers)
    thanks = reverse("survey_public:respond_thanks", kwargs={"token": invited.token})
    assert r.status_code == 302 and r["Location"] == thanks
    r = client.get(thanks)
    assert r.status_code == 200 and "Cảm ơn Ông/Bà" in r.content.decode()
    responses = list(Response.objects.order_by("unit__code"))
    assert [(x.unit.code, x.group, x.channel) for x in responses] == [
        ("STP", "LDSO", "invitation"),
        ("SYT", "LDSO", "invitation"),
    ]
    assert responses[0].started_at is not None and responses[0].address_hash
    assert responses[0].device_hash and len(responses[0].device_hash) == 64
    assert set(RespondentUnit.objects.values_list("answered_on", flat=True)) == {
        timezone.localdate()
    }
    # the link is done: a clear page, not an error
    r = client.get(invited.url)
    assert r.status_code == 200 and "Cảm ơn Ông/Bà" in r.content.decode()
    r = client.post(invited.url, {"don_vi": p.stp.pk, **answers_for(invited)})
    assert r.status_code == 200 and Response.objects.count() == 2


def test_a_unit_already_answered_in_another_tab_is_not_stored_twice(invited, client):
    p = invited.province
    post(client, invited, p.stp, answers_for(invited))
    r = client.post(invited.url, {"don_vi": p.stp.pk, **answers_for(invited)})
    assert r.status_code == 302
    assert Response.objects.filter(unit=p.stp).count() == 1


def test_after_the_close_the_link_shows_a_clear_page(invited, client):
    survey_transition(actor=invited.province.admin, survey=invited.survey, to="closed")
    r = client.get(invited.url)
    assert r.status_code == 200 and "đã kết thúc" in r.content.decode()
    r = client.post(invited.url, {"don_vi": invited.province.stp.pk, **answers_for(invited)})
    assert r.status_code == 200 and Response.objects.count() == 0


def test_outside_the_window_the_server_refuses(invited, client):
    s = invited.survey
    s.closes_on = timezone.localdate() - dt.timedelta(days=1)
    s.save(update_fields=["closes_on"])
    r = client.post(invited.url, {"don_vi": invited.province.stp.pk, **answers_for(invited)})
    assert r.status_code == 200 and "hết thời gian trả lời" in r.content.decode()
    assert Response.objects.count() == 0


def test_an_unknown_or_malformed_token_is_404(invited, client):
    url = reverse("survey_public:respond_form", kwargs={"token": "x" * 32})
    assert client.get(url).status_code == 404
    assert client.get("/khao-sat/ngan/").status_code == 404


def test_each_opening_address_is_recorded_hashed_and_bounded(invited, client):
    for i in range(MAX_ADDRESSES + 5):
        client.get(invited.url, REMOTE_ADDR=f"10.0.0.{i}")
    client.get(invited.url, REMOTE_ADDR="10.0.0.1")
    invited.binh.refresh_from_db()
    assert len(invited.binh.addresses) == MAX_ADDRESSES
    assert all(len(a) == 64 and "10.0" not in a for a in invited.binh.addresses)


def test_the_started_field_is_signed_for_one_respondent_and_unit(invited):
    p = invited.province
    value = started_token(invited.binh, p.stp.pk)
    assert started_at(value, invited.binh, p.stp.pk) is not None
    assert started_at(value, invited.binh, p.syt.pk) is None
    assert started_at(value + "x", invited.binh, p.stp.pk) is None
    assert started_at("", invited.binh, p.stp.pk) is None


def test_the_answer_form_is_reusable_with_a_prefix_and_optional_answers(surveyed):
    es = engine_survey(surveyed.survey)
    codes = [q.code for q in questions_for(es, "DAN")]
    form = AnswerForm({f"p-{codes[0]}": "1"}, survey=es, group="DAN", prefix="p", required=False)
    assert form.is_valid(), form.errors
    assert form.answers() == {codes[0]: "1"}
    assert [n for n, _, _ in form.rows] == list(range(1, len(codes) + 1))
    bad = AnswerForm({codes[0]: "Z"}, survey=es, group="DAN")
    assert not bad.is_valid()
    assert bad.errors[codes[0]] == ["Phương án đã chọn không có trong phiếu."]


# ---------------------------------------------------------------- anonymity


def test_answers_are_stored_apart_from_the_respondent(invited, client):
    post(client, invited, invited.province.stp, answers_for(invited))
    for model in (Response, SurveyAnswer):
        related = {
            f.related_model for f in model._meta.get_fields() if getattr(f, "related_model", None)
        }
        assert Respondent not in related and RespondentUnit not in related
    field = RespondentUnit._meta.get_field("answered_on")
    assert type(field) is models.DateField  # a day, never a time
    assert {f.name for f in RespondentUnit._meta.concrete_fields} == {
        "id",
        "respondent",
        "unit",
        "answered_on",
    }
    response = Response.objects.get()
    assert response.submitted_at.date() == timezone.now().date()


def test_no_list_page_shows_an_answer(invited, client, login):
    answers = answers_for(invited, "C")
    post(client, invited, invited.province.stp, answers)
    p = invited.province
    pages = [
        login(p.admin).get(reverse("survey:lists_organizer", args=[invited.survey.pk])),
        login(p.officer).get(reverse("survey:lists_unit", args=[invited.survey.pk, p.stp.pk])),
    ]
    for r in pages:
        html = r.content.decode()
        assert r.status_code == 200
        assert "Chưa tốt" not in html  # the option's label chosen everywhere
        assert "Có" in html  # answered: yes, and the day
        assert timezone.localdate().strftime("%d/%m/%Y") in html


def test_blank_questions_render_once_per_group_and_follow_a_definition_change(surveyed):
    from parindex.survey.models import Survey

    survey = surveyed.survey
    key = (survey.pk, survey.updated_at)
    es = engine_survey(survey)
    first = AnswerForm(survey=es, group="LDSO", cache_key=key).html()
    assert AnswerForm(survey=es, group="LDSO", cache_key=key).html() is first
    other = AnswerForm(survey=es, group="DAN", cache_key=key).html()
    assert other != first
    # an answered (bound) form is never served from the cache: its choices stay checked
    q = questions_for(es, "LDSO")[0]
    bound = AnswerForm({q.code: q.options[0].key}, survey=es, group="LDSO", cache_key=key)
    assert bound.html() is not first and "checked" in bound.html()
    # a new question text saved (only possible in draft, which bumps updated_at): the new
    # key renders the new text
    data = dict(survey.definition)
    data["questions"] = [dict(x) for x in data["questions"]]
    data["questions"][0]["text"] = "Câu hỏi đã sửa về thái độ phục vụ"
    Survey.objects.filter(pk=survey.pk).update(definition=data, updated_at=timezone.now())
    survey = Survey.objects.select_related("period_block__framework").get(pk=survey.pk)
    es2 = engine_survey(survey)
    group = es2.questions[0].groups[0]
    html = AnswerForm(survey=es2, group=group, cache_key=(survey.pk, survey.updated_at)).html()
    assert "Câu hỏi đã sửa về thái độ phục vụ" in html
