"""The survey points' pages: the organizer's table (refresh, freeze), the open computation of
one assessment (the engine's figures), and who reaches them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.accounts.models import Membership, Unit
from parindex.accounts.services import membership_grant, unit_create, user_create
from parindex.audit.models import AuditEvent
from parindex.common.numbers import vn_number
from parindex.survey.models import Survey
from parindex.survey.selectors.points import exact_text
from parindex.survey.services.points import compute, survey_points_refresh
from tests.conftest import PASSWORD
from tests.survey.test_points_world import load_world, survey_scores

pytestmark = pytest.mark.django_db


def other_province_admin():
    root = unit_create(actor=None, code="LS", name="Tỉnh Lạng Sơn", kind=Unit.Kind.PROVINCE)
    snv = unit_create(
        actor=None, code="LS-SNV", name="Sở Nội vụ Lạng Sơn", kind=Unit.Kind.DEPARTMENT,
        parent=root, admin_root=root,
    )  # fmt: skip
    user = user_create(actor=None, username="quantri.ls", password=PASSWORD, full_name="Lý Văn Sơn")
    membership_grant(actor=None, user=user, unit=snv, role=Membership.Role.ORGANIZER_ADMIN)
    return user


def url(name, surveyed, **kw):
    return reverse(f"survey:{name}", kwargs={"survey_pk": surveyed.survey.pk, **kw})


def test_the_organizer_sees_the_points_per_unit(surveyed, login, django_assert_max_num_queries):
    load_world(surveyed)
    survey_points_refresh(actor=surveyed.province.admin, survey=surveyed.survey)
    client = login(surveyed.province.admin)
    with django_assert_max_num_queries(12):
        response = client.get(url("points_organizer", surveyed))
    assert response.status_code == 200
    html = response.content.decode()
    points = survey_scores(surveyed.stp)["1.7"]
    assert exact_text(points) in html and "," in exact_text(points)
    assert "Chốt điểm điều tra" in html and "Tính lại điểm" in html
    assert (
        reverse(
            "survey:points_assessment",
            kwargs={"survey_pk": surveyed.survey.pk, "assessment_pk": surveyed.stp.pk},
        )
        in html
    )


def test_the_table_says_when_there_is_no_result(surveyed, login):
    load_world(surveyed, units=("STP",))
    survey_points_refresh(actor=surveyed.province.admin, survey=surveyed.survey)
    html = login(surveyed.province.admin).get(url("points_organizer", surveyed)).content.decode()
    assert "chưa có kết quả điều tra" in html


def test_refresh_and_freeze_from_the_page(surveyed, login):
    load_world(surveyed)
    client = login(surveyed.province.admin)
    response = client.post(url("points_refresh", surveyed), follow=True)
    assert "Đã tính lại điểm điều tra" in response.content.decode()
    assert survey_scores(surveyed.stp)["1.7"] is not None
    response = client.post(url("points_freeze", surveyed), follow=True)
    html = response.content.decode()
    assert "Đã chốt điểm điều tra" in html
    assert Survey.objects.get(pk=surveyed.survey.pk).frozen_at is not None
    assert 'id="freeze"' not in html
    response = client.post(url("points_refresh", surveyed), follow=True)
    assert "đã được chốt" in response.content.decode()
    assert AuditEvent.objects.filter(verb__startswith="survey.points_").count() == 2


def test_the_open_computation_shows_the_engines_figures(surveyed, login):
    load_world(surveyed)
    survey_points_refresh(actor=surveyed.province.admin, survey=surveyed.survey)
    unit = compute(surveyed.survey).unit("STP")
    for user in (surveyed.province.officer, surveyed.province.leader, surveyed.province.admin):
        response = login(user).get(
            url("points_assessment", surveyed, assessment_pk=surveyed.stp.pk)
        )
        assert response.status_code == 200
        html = response.content.decode()
        for c in unit.criteria:
            assert f'id="leaf-{c.criterion}"' in html
            assert exact_text(c.value) in html
            for g in c.groups:
                assert exact_text(g.score) in html
        assert exact_text(survey_scores(surveyed.stp)["3.8"]) in html
    assert vn_number(unit.criteria[0].value, 6).startswith("0,")


def test_an_outsider_never_reads_a_units_survey_points(surveyed, login, client):
    load_world(surveyed)
    page = url("points_assessment", surveyed, assessment_pk=surveyed.stp.pk)
    assert login(surveyed.province.outsider).get(page).status_code == 404
    assert login(surveyed.province.commune_officer).get(page).status_code == 404
    assert login(other_province_admin()).get(page).status_code == 404
    client.logout()
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "name", ["points_organizer", "points_sipas", "points_sipas_xlsx", "points_export_responses",
             "points_export_summary", "points_export_results", "points_export_definition"],
)  # fmt: skip
def test_the_organizer_pages_are_the_organizers(surveyed, login, client, name):
    page = url(name, surveyed)
    for user in (
        surveyed.province.officer,
        surveyed.province.leader,
        surveyed.province.district_admin,
        other_province_admin(),
    ):
        assert login(user).get(page).status_code == 404, user
    client.logout()
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_refresh_and_freeze_need_the_organizer(surveyed, login, client):
    for name in ("points_refresh", "points_freeze"):
        assert login(surveyed.province.officer).post(url(name, surveyed)).status_code == 404
        assert login(surveyed.province.outsider).post(url(name, surveyed)).status_code == 404
    assert Survey.objects.get(pk=surveyed.survey.pk).points_computed_at is None
