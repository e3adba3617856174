"""The home page leads a unit to its respondent list (with the deadline) and its progress,
and an enumerator to the paper-form entry; nobody else sees the survey there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.survey.models import Respondent

pytestmark = pytest.mark.django_db


def _waiting(html: str) -> str:
    return html.split("Việc đang chờ bạn", 1)[1].split("</section>", 1)[0]


def test_the_officer_is_asked_for_the_list_by_its_deadline_and_sees_the_progress(surveyed, login):
    p, survey = surveyed.province, surveyed.survey
    waiting = _waiting(login(p.officer).get(reverse("home")).content.decode())
    due = survey.lists_due_on.strftime("%d/%m/%Y")
    assert f"gửi danh sách người được khảo sát trước hết ngày {due} (còn 5 ngày)" in waiting
    assert "chưa gửi danh sách" in waiting
    assert reverse("survey:lists_unit", args=[survey.pk, p.stp.pk]) in waiting
    assert reverse("survey:progress_unit", args=[survey.pk, p.stp.pk]) in waiting
    Respondent.objects.create(survey=survey, group="HDND", name="Lê Văn A", listed_by=p.stp)
    waiting = _waiting(login(p.leader).get(reverse("home")).content.decode())
    assert "đã có 1 người trong danh sách" in waiting


def test_the_enumerator_is_led_to_the_entry_page(surveyed, login):
    waiting = _waiting(login(surveyed.enumerator).get(reverse("home")).content.decode())
    assert "Nhập phiếu điều tra giấy: Khối sở, ban, ngành" in waiting
    assert reverse("survey:enum_entry", args=[surveyed.survey.pk]) in waiting


def test_units_outside_the_period_see_no_survey(surveyed, login):
    html = login(surveyed.province.commune_officer).get(reverse("home")).content.decode()
    assert "Điều tra xã hội học" not in _waiting(html)


def test_a_closed_survey_is_no_longer_on_the_home_page(surveyed, login):
    surveyed.survey.status = "closed"
    surveyed.survey.save(update_fields=["status"])
    html = login(surveyed.province.officer).get(reverse("home")).content.decode()
    assert "Điều tra xã hội học" not in _waiting(html)
