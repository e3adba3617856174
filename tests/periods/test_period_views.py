import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from parindex.assessments.models import Assessment, Entry, Status
from parindex.assessments.participation import period_add_units
from parindex.periods.models import Period, Phase
from tests.periods.factories import local, make_framework

IN_SELF_ASSESSMENT = local(2026, 10, 20)


def test_anonymous_users_are_sent_to_login(client, db, period):
    for url in (
        reverse("periods:list"),
        reverse("periods:create"),
        reverse("periods:detail", args=[period.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_the_list_shows_the_periods_of_the_organizer(login, province, period):
    period_add_units(actor=province.admin, period=period, units=[province.stp, province.syt])
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        response = login(province.admin).get(reverse("periods:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Xác định Chỉ số CCHC năm 2026" in html
    assert "Tự đánh giá" in html  # current phase badge
    assert "0/2" in html


def test_the_list_does_not_show_periods_of_another_organizer(login, province, period):
    response = login(province.district_admin).get(reverse("periods:list"))
    assert response.status_code == 200
    assert "Xác định Chỉ số CCHC năm 2026" not in response.content.decode()


def test_a_unit_officer_cannot_open_the_list(login, province, period):
    assert login(province.officer).get(reverse("periods:list")).status_code == 403


def test_the_list_has_a_fixed_number_of_queries(login, province, period, django_assert_num_queries):
    client = login(province.admin)
    period_add_units(actor=province.admin, period=period, units=[province.stp, province.syt])
    fw = make_framework(province.snv, province.so, year=2027)
    from tests.periods.factories import make_period

    make_period(province, year=2027, frameworks={province.so: fw})
    # session, user, roles (view), roles (context processor), periods, phases, blocks
    with django_assert_num_queries(7):  # +1: the menu asks for a council seat
        response = client.get(reverse("periods:list"))
    assert response.status_code == 200


def test_the_create_form_is_prefilled_with_the_default_calendar_and_active_framework(
    login, province, so_framework
):
    make_framework(province.snv, province.so, year=2025)
    with time_machine.travel(local(2026, 9, 20), tick=False):
        response = login(province.admin).get(reverse("periods:create"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="15/10/2026"' in html and 'value="15/11/2026"' in html
    assert 'value="31/03/2027"' in html
    assert f'<option value="{so_framework.pk}" selected data-year="2026" data-active="1">' in html


def _create_post(province, so_framework, **over):
    data = {
        "organizer": province.snv.pk,
        "year": "2026",
        "name": "Xác định Chỉ số CCHC năm 2026",
        "kind": "internal",
        "plan_reference": "125/KH-SNV",
        f"framework_{province.so.pk}": so_framework.pk,
    }
    from parindex.periods.calendar import default_calendar

    for phase, (start, end) in default_calendar(2026).items():
        data[f"start_{phase}"] = start.strftime("%d/%m/%Y")
        data[f"end_{phase}"] = end.strftime("%d/%m/%Y")
    data.update(over)
    return data


def test_the_organizer_creates_a_period(login, province, so_framework):
    data = _create_post(province, so_framework, end_self_assessment="12/11/2026")
    response = login(province.admin).post(reverse("periods:create"), data)
    period = Period.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("periods:detail", args=[period.pk])
    assert period.phases.get(phase=Phase.SELF_ASSESSMENT).ends_on == dt.date(2026, 11, 12)


def test_creating_with_overlapping_dates_shows_a_vietnamese_error(login, province, so_framework):
    data = _create_post(province, so_framework, start_appraisal_1="10/11/2026")
    response = login(province.admin).post(reverse("periods:create"), data)
    assert response.status_code == 200
    assert "chồng lấn" in response.content.decode()
    assert not Period.objects.exists()


def test_creating_with_a_badly_written_date_names_the_problem(login, province, so_framework):
    data = _create_post(province, so_framework, end_preparation="14-10-2026")
    response = login(province.admin).post(reverse("periods:create"), data)
    assert "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy" in response.content.decode()
    assert not Period.objects.exists()


def test_a_unit_officer_cannot_create_a_period(login, province, so_framework):
    response = login(province.officer).post(
        reverse("periods:create"), _create_post(province, so_framework)
    )
    assert response.status_code == 403
    assert not Period.objects.exists()


def test_the_detail_page_shows_the_calendar_and_units(login, province, period):
    period_add_units(actor=province.admin, period=period, units=[province.stp])
    with time_machine.travel(local(2026, 11, 10), tick=False):
        response = login(province.admin).get(reverse("periods:detail", args=[period.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "còn 5 ngày" in html  # 10/11 -> 15/11, the last day (as on the home page)
    assert "Sở Tư pháp" in html
    assert "Thêm tất cả đơn vị của khối (2)" in html  # Sở Nội vụ and Sở Y tế


def test_outsiders_get_404_on_the_period_pages(login, province, period):
    period_add_units(actor=province.admin, period=period, units=[province.stp])
    for user in (province.officer, province.leader, province.outsider, province.district_admin):
        client = login(user)
        assert client.get(reverse("periods:detail", args=[period.pk])).status_code == 404
        assert client.get(reverse("periods:calendar-edit", args=[period.pk])).status_code == 404
        response = client.post(
            reverse("periods:add-units", args=[period.pk]),
            {"block": province.so.pk, "all": "1"},
        )
        assert response.status_code == 404
    assert Assessment.objects.count() == 1


def test_the_system_admin_sees_every_period(login, province, period):
    response = login(province.sysadmin).get(reverse("periods:detail", args=[period.pk]))
    assert response.status_code == 200


def test_the_detail_page_has_a_fixed_number_of_queries(
    login, province, period, django_assert_num_queries
):
    client = login(province.admin)
    period_add_units(actor=province.admin, period=period, units=[province.stp])
    client.get(reverse("periods:detail", args=[period.pk]))
    # session, user, roles, period+phases (2), blocks, assessments, the period's entries (all
    # units' scores through the bridge, one query), candidates, roles (template)
    with django_assert_num_queries(11):  # +1: the menu asks for a council seat
        client.get(reverse("periods:detail", args=[period.pk]))
    period_add_units(actor=province.admin, period=period, units=[province.syt])
    with django_assert_num_queries(11):  # +1: the menu asks for a council seat
        client.get(reverse("periods:detail", args=[period.pk]))


def test_adding_all_units_of_a_block(login, province, period):
    response = login(province.admin).post(
        reverse("periods:add-units", args=[period.pk]), {"block": province.so.pk, "all": "1"}
    )
    assert response.status_code == 302
    assert set(Assessment.objects.values_list("unit__code", flat=True)) == {"SNV", "STP", "SYT"}


def test_adding_chosen_units(login, province, period):
    login(province.admin).post(
        reverse("periods:add-units", args=[period.pk]),
        {"block": province.so.pk, "units": [province.stp.pk]},
    )
    assert list(Assessment.objects.values_list("unit__code", flat=True)) == ["STP"]


def test_removing_a_unit_with_values_is_refused(login, province, period):
    (a,) = period_add_units(actor=province.admin, period=period, units=[province.stp])
    Entry.objects.filter(assessment=a, node__code="1.2").update(value="yes")
    client = login(province.admin)
    response = client.post(reverse("periods:remove-unit", args=[period.pk, a.pk]), follow=True)
    assert "đã kê khai" in response.content.decode()
    assert Assessment.objects.filter(pk=a.pk, status=Status.DRAFT).exists()
    Entry.objects.filter(assessment=a).update(value="")
    client.post(reverse("periods:remove-unit", args=[period.pk, a.pk]))
    assert not Assessment.objects.exists()


def test_the_organizer_edits_the_calendar_with_a_reason(login, province, period):
    client = login(province.admin)
    response = client.get(reverse("periods:calendar-edit", args=[period.pk]))
    assert 'value="15/11/2026"' in response.content.decode()
    data = {}
    from parindex.periods.calendar import default_calendar

    for phase, (start, end) in default_calendar(2026).items():
        data[f"start_{phase}"] = start.strftime("%d/%m/%Y")
        data[f"end_{phase}"] = end.strftime("%d/%m/%Y")
    data["end_self_assessment"] = "14/11/2026"
    response = client.post(reverse("periods:calendar-edit", args=[period.pk]), data)
    assert "Ghi lý do điều chỉnh lịch." in response.content.decode()
    data["reason"] = "Theo Kế hoạch sửa đổi số 130/KH-SNV"
    response = client.post(reverse("periods:calendar-edit", args=[period.pk]), data)
    assert response.status_code == 302
    assert period.phases.get(phase=Phase.SELF_ASSESSMENT).ends_on == dt.date(2026, 11, 14)


@pytest.mark.parametrize("user", ["officer", "district_admin"])
def test_closing_is_for_the_organizer_only(login, province, period, user):
    response = login(getattr(province, user)).post(
        reverse("periods:close", args=[period.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    period.refresh_from_db()
    assert period.closed is False


@pytest.mark.parametrize(
    ("day", "words"),
    [
        ((2026, 11, 10), "còn 5 ngày"),
        ((2026, 11, 14), "còn 1 ngày (hết hạn ngày mai)"),
        ((2026, 11, 15), "hôm nay là ngày cuối"),
    ],
)
def test_the_home_page_and_the_period_page_count_the_same_days_left(
    login, province, period, day, words
):
    client = login(province.admin)
    with time_machine.travel(local(*day), tick=False):
        home = client.get(reverse("home")).content.decode()
        detail = client.get(reverse("periods:detail", args=[period.pk])).content.decode()
    assert f"({words})" in home
    assert f"Đang diễn ra — {words}" in detail
