"""The Sở Nội vụ reads (never changes) the commune periods that the districts' Phòng Nội vụ
run in its area; a district's admin still does not see the province's periods."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from parindex.assessments.participation import period_add_units
from parindex.periods.services import period_create
from tests.periods.factories import local, make_framework

IN_SELF_ASSESSMENT = local(2026, 10, 20)
COMMUNE_PERIOD = "Chỉ số CCHC cấp xã huyện Yên Dũng năm 2026"
PROVINCE_PERIOD = "Xác định Chỉ số CCHC năm 2026"
SECTION = "Đợt đánh giá cấp xã do Phòng Nội vụ các huyện tổ chức"


@pytest.fixture
def commune_period(province):
    fw = make_framework(province.pnv, province.xa, year=2026)
    period = period_create(
        actor=province.district_admin,
        organizer=province.pnv,
        year=2026,
        name=COMMUNE_PERIOD,
        blocks=[(province.xa, fw)],
    )
    (assessment,) = period_add_units(
        actor=province.district_admin, period=period, units=[province.commune]
    )
    return period, assessment


def _get(client, url):
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        return client.get(url)


def test_the_province_admin_lists_the_commune_periods_below_its_own(
    login, province, period, commune_period
):
    html = _get(login(province.admin), reverse("periods:list")).content.decode()
    assert PROVINCE_PERIOD in html
    assert SECTION in html
    assert COMMUNE_PERIOD in html
    assert html.index(PROVINCE_PERIOD) < html.index(SECTION) < html.index(COMMUNE_PERIOD)
    assert "Phòng Nội vụ huyện Yên Dũng" in html


def test_the_district_admin_sees_its_own_period_and_not_the_provinces(
    login, province, period, commune_period
):
    client = login(province.district_admin)
    html = _get(client, reverse("periods:list")).content.decode()
    assert COMMUNE_PERIOD in html
    assert PROVINCE_PERIOD not in html
    assert SECTION not in html
    assert _get(client, reverse("periods:detail", args=[period.pk])).status_code == 404
    assert _get(client, reverse("periods:progress", args=[period.pk])).status_code == 404


def test_the_province_admin_reads_the_commune_period_without_controls(
    login, province, commune_period
):
    period, assessment = commune_period
    client = login(province.admin)
    detail = _get(client, reverse("periods:detail", args=[period.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "Chỉ xem: đợt đánh giá do" in html
    assert "UBND xã Tiến Dũng" in html
    for control in (
        reverse("periods:calendar-edit", args=[period.pk]),
        reverse("periods:add-units", args=[period.pk]),
        reverse("periods:close", args=[period.pk]),
        reverse("periods:remove-unit", args=[period.pk, assessment.pk]),
    ):
        assert control not in html
    progress = _get(client, reverse("periods:progress", args=[period.pk]))
    assert progress.status_code == 200
    html = progress.content.decode()
    assert "UBND xã Tiến Dũng" in html
    assert reverse("periods:progress-remind", args=[period.pk]) not in html
    assert reverse("periods:progress-extend", args=[period.pk, assessment.pk]) not in html
    page = _get(client, reverse("assessments:detail", args=[assessment.pk]))
    assert page.status_code == 200


def test_the_district_admin_keeps_its_controls(login, province, commune_period):
    period, _ = commune_period
    html = _get(login(province.district_admin), reverse("periods:detail", args=[period.pk]))
    html = html.content.decode()
    assert "Chỉ xem: đợt đánh giá do" not in html
    assert reverse("periods:calendar-edit", args=[period.pk]) in html


def test_every_change_by_the_province_admin_is_forbidden(login, province, commune_period):
    period, assessment = commune_period
    client = login(province.admin)
    extend = {"until_date": "20/11/2026", "until_time": "17:00", "reason": "Xin gia hạn"}
    posts = [
        (reverse("periods:calendar-edit", args=[period.pk]), {}),
        (reverse("periods:add-units", args=[period.pk]), {"block": province.xa.pk, "all": "1"}),
        (reverse("periods:remove-unit", args=[period.pk, assessment.pk]), {}),
        (reverse("periods:close", args=[period.pk]), {"reason": "Hết năm"}),
        (reverse("periods:progress-remind", args=[period.pk]), {"assessments": assessment.pk}),
        (reverse("periods:progress-extend", args=[period.pk, assessment.pk]), extend),
        (reverse("periods:progress-reopen", args=[period.pk, assessment.pk]), {"reason": "x"}),
        (reverse("assessments:extend", args=[assessment.pk]), extend),
    ]
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        assert client.get(reverse("periods:calendar-edit", args=[period.pk])).status_code == 403
        for url, data in posts:
            assert client.post(url, data).status_code == 403, url
    period.refresh_from_db()
    assessment.refresh_from_db()
    assert not period.closed
    assert assessment.deadline_override is None


@pytest.mark.parametrize("who", ["outsider", "officer", "commune_officer"])
def test_units_still_get_404_on_the_commune_period(login, province, commune_period, who):
    period, _ = commune_period
    client = login(getattr(province, who))
    assert _get(client, reverse("periods:detail", args=[period.pk])).status_code == 404


def test_the_list_with_both_sections_has_a_fixed_number_of_queries(
    login, province, period, commune_period, django_assert_num_queries
):
    client = login(province.admin)
    client.get(reverse("periods:list"))
    # session, user, roles (view), roles (context processor), periods, phases, blocks
    with django_assert_num_queries(7):  # +1: the menu asks for a council seat
        assert client.get(reverse("periods:list")).status_code == 200
