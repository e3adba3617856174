"""Progress per unit × group ("Chi tiết tiến độ khảo sát"): the figures on a small world, the
organizer's sortable page and its XLSX, the unit's own page (its rows only, counts only), who
reaches them, and a fixed number of queries."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parindex.accounts.models import Unit
from parindex.accounts.services import unit_create
from parindex.assessments.participation import period_add_units
from parindex.survey.models import Quota, Respondent, RespondentUnit, Response, UnitVoid
from parindex.survey.selectors.progress import survey_progress
from parindex.survey.services.intake import response_submit

pytestmark = pytest.mark.django_db

GROUP_ANSWERS = {
    "HDND": {"Q01": "A", "Q02": "B"},
    "LDSO": {"Q01": "B", "Q02": "C"},
    "DAN": {"Q03": "1", "Q04": "2"},
}


def submit(survey, unit, group, n=1, channel=Response.Channel.PUBLIC):
    return [
        response_submit(
            survey=survey, unit=unit, group=group, answers=GROUP_ANSWERS[group], channel=channel
        )
        for _ in range(n)
    ]


def invite(survey, group, units, n, *, invited=True):
    for i in range(n):
        person = Respondent.objects.create(
            survey=survey,
            group=group,
            name=f"Người {group} {i}",
            invited_at=timezone.now() if invited else None,
        )
        for unit in units:
            RespondentUnit.objects.create(respondent=person, unit=unit)


@pytest.fixture
def world(surveyed):
    """STP: quotas HDND 4, LDSO census, DAN 10; SYT: HDND 4, DAN 10."""
    ns = surveyed
    s, stp, syt = ns.survey, ns.province.stp, ns.province.syt
    Quota.objects.create(survey=s, group="HDND", unit=stp, target=4)
    Quota.objects.create(survey=s, group="LDSO", unit=stp, census=True, target=0)
    Quota.objects.create(survey=s, group="DAN", unit=stp, target=10)
    Quota.objects.create(survey=s, group="HDND", unit=syt, target=4)
    Quota.objects.create(survey=s, group="DAN", unit=syt, target=10)
    invite(s, "HDND", [stp, syt], 3)  # one list rating both units
    invite(s, "HDND", [stp], 2, invited=False)  # listed, not yet invited
    invite(s, "LDSO", [stp], 5)
    submit(s, stp, "HDND", 2, Response.Channel.INVITATION)
    submit(s, stp, "LDSO", 3, Response.Channel.INVITATION)
    submit(s, stp, "DAN", 4)
    submit(s, syt, "DAN", 6, Response.Channel.PAPER)
    # a flagged one counts as answered (waiting), a void one does not
    flagged = submit(s, syt, "HDND", 2)
    Response.objects.filter(pk=flagged[0].pk).update(status=Response.Status.FLAGGED)
    Response.objects.filter(pk=flagged[1].pk).update(status=Response.Status.VOID)
    return ns


def rows_of(progress):
    return {(u.unit.code, r.group): r for u, r in progress.as_rows()}


def test_the_figures_per_unit_and_group(world):
    p = survey_progress(world.survey)
    rows = rows_of(p)
    hdnd = rows[("STP", "HDND")]
    assert (hdnd.invited, hdnd.answered, hdnd.target, hdnd.percent) == (3, 2, 4, Decimal("50.0"))
    ldso = rows[("STP", "LDSO")]
    assert ldso.census and (ldso.invited, ldso.answered, ldso.target) == (5, 3, 5)
    assert ldso.percent == Decimal("60.0")
    assert (rows[("STP", "DAN")].answered, rows[("STP", "DAN")].percent) == (4, Decimal("40.0"))
    syt_hdnd = rows[("SYT", "HDND")]
    assert (syt_hdnd.invited, syt_hdnd.answered, syt_hdnd.flagged) == (3, 1, 1)
    assert rows[("SYT", "DAN")].percent == Decimal("60.0")
    assert ("SYT", "LDSO") not in rows  # no quota, nobody listed, no answer
    stp = next(u for u in p.units if u.unit.code == "STP")
    assert (stp.total.invited, stp.total.answered, stp.total.target) == (8, 9, 19)
    assert stp.total.percent == Decimal("47.4")
    groups = {g.group: g for g in p.groups}
    assert (groups["HDND"].invited, groups["HDND"].answered, groups["HDND"].target) == (6, 3, 8)
    assert (p.total.answered, p.total.target) == (16, 33)


def test_a_group_over_its_quota_does_not_hide_another_ones_gap(world):
    submit(world.survey, world.province.syt, "DAN", 8)  # 14 of 10
    syt = next(u for u in survey_progress(world.survey).units if u.unit.code == "SYT")
    rows = {r.group: r for r in syt.rows}
    assert rows["DAN"].missing == 0 and rows["DAN"].percent == Decimal("140.0")
    assert rows["HDND"].missing == 3
    assert syt.total.missing == 3  # not max(14 - 15, 0)


def test_sorting_by_percent_and_a_voided_unit_is_left_out_of_the_totals(world):
    assert [u.unit.code for u in survey_progress(world.survey, sort="ty-le").units] == [
        "STP",
        "SYT",
    ]
    assert [u.unit.code for u in survey_progress(world.survey, sort="ty-le-giam").units] == [
        "SYT",
        "STP",
    ]
    assert [u.unit.code for u in survey_progress(world.survey, sort="bogus").units] == [
        "STP",
        "SYT",
    ]
    UnitVoid.objects.create(survey=world.survey, unit=world.province.syt, reason="Can thiệp")
    p = survey_progress(world.survey)
    syt = next(u for u in p.units if u.unit.code == "SYT")
    assert syt.void is not None and syt.total.answered == 7  # its row keeps its counts
    assert (p.total.answered, p.total.target) == (9, 19)
    assert [v.unit.code for v in p.voided] == ["SYT"]


# ---------------------------------------------------------------- pages


def organizer_url(ns, name="survey:progress_organizer"):
    return reverse(name, kwargs={"survey_pk": ns.survey.pk})


def unit_url(ns, unit):
    return reverse("survey:progress_unit", kwargs={"survey_pk": ns.survey.pk, "unit_pk": unit.pk})


def test_the_organizer_page_shows_every_unit_and_sorts(world, login):
    client = login(world.province.admin)
    html = client.get(organizer_url(world)).content.decode()
    assert "Chi tiết tiến độ khảo sát" in html
    assert 'data-row="STP-HDND"' in html and 'data-row="SYT-DAN"' in html
    assert "47,4 %" in html  # decimal comma
    assert "Đại biểu HĐND tỉnh" in html and "khảo sát toàn bộ" in html
    html = client.get(organizer_url(world) + "?sap-xep=ty-le-giam").content.decode()
    assert html.index('data-unit="SYT"') < html.index('data-unit="STP"')


def test_the_xlsx_export_has_the_rows_and_no_formula(world, login):
    Unit.objects.filter(pk=world.province.stp.pk).update(name='=HYPERLINK("x")')
    response = login(world.province.admin).get(organizer_url(world, "survey:progress_export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    names = [row[2] for row in cells if row[1] == "STP"]
    assert names and all(n == '=HYPERLINK("x")' for n in names)
    stp_cells = [c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("x")']
    assert all(c.data_type == "s" for c in stp_cells)
    hdnd = next(row for row in cells if row[1] == "STP" and row[3] == "Đại biểu HĐND tỉnh")
    assert hdnd[4:9] == [3, 2, 0, 4, 50.0]
    assert any(row[2] == "TỔNG CỘNG" and row[5] == 16 for row in cells)


def test_the_unit_page_shows_its_own_rows_counts_only(world, login):
    client = login(world.province.officer)  # an officer of STP
    response = client.get(unit_url(world, world.province.stp))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-row="STP-HDND"' in html
    assert 'data-unit="SYT"' not in html
    assert "Chờ xem xét" not in html  # fraud review is the organizer's business
    assert "Rất tốt" not in html and "Q01" not in html  # never answers
    assert login(world.province.leader).get(unit_url(world, world.province.stp)).status_code == 200


def test_a_voided_unit_sees_it_on_its_page_and_the_organizer_on_the_progress(world, login):
    UnitVoid.objects.create(survey=world.survey, unit=world.province.stp, reason="Can thiệp")
    html = login(world.province.officer).get(unit_url(world, world.province.stp)).content.decode()
    assert "Kết quả khảo sát của đơn vị đã bị hủy" in html and "Can thiệp" in html
    html = login(world.province.admin).get(organizer_url(world)).content.decode()
    assert 'id="voided-units"' in html and "Đã hủy kết quả" in html


def test_outsiders(world, login, client):
    p = world.province
    stp_page = unit_url(world, p.stp)
    assert login(p.outsider).get(stp_page).status_code == 404  # another unit's officer
    assert login(p.admin).get(stp_page).status_code == 404  # not an officer of STP
    for user in (p.officer, p.outsider, p.district_admin, p.appraiser):
        c = login(user)
        assert c.get(organizer_url(world)).status_code == 404, user
        assert c.get(organizer_url(world, "survey:progress_export")).status_code == 404, user
    assert login(p.district_admin).get(stp_page).status_code == 404
    client.logout()
    for url in (stp_page, organizer_url(world), organizer_url(world, "survey:progress_export")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_unit_outside_the_survey_block_is_404(world, login):
    assert (
        login(world.province.commune_officer)
        .get(unit_url(world, world.province.commune))
        .status_code
        == 404
    )


# ---------------------------------------------------------------- queries


def _bigger_world(ns, per_cell):
    s = ns.survey
    extra = unit_create(
        actor=None,
        code="SCT",
        name="Sở Công Thương",
        kind=Unit.Kind.DEPARTMENT,
        parent=ns.province.root,
        block=ns.province.so,
    )
    period_add_units(actor=ns.province.admin, period=ns.period, units=[extra])
    units = [ns.province.stp, ns.province.syt, extra]
    for unit in units:
        for group in ("HDND", "LDSO", "DAN"):
            Quota.objects.get_or_create(survey=s, group=group, unit=unit, defaults={"target": 5})
    invite(s, "HDND", units, 2)
    return units


def _fill(ns, units, n):
    for unit in units:
        for group in ("HDND", "LDSO", "DAN"):
            Response.objects.bulk_create(
                Response(
                    survey=ns.survey,
                    group=group,
                    unit=unit,
                    channel=Response.Channel.PUBLIC,
                    submitted_at=timezone.now(),
                )
                for _ in range(n)
            )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_pages_run_a_fixed_number_of_queries(surveyed, login, django_assert_max_num_queries):
    ns = surveyed
    units = _bigger_world(ns, 0)
    admin = login(ns.province.admin)
    urls = [organizer_url(ns), organizer_url(ns, "survey:progress_export")]
    _fill(ns, units, 3)  # 3 units × 3 groups: 27 responses
    admin.get(urls[0])  # warm
    few = [_count(admin, u) for u in urls]
    _fill(ns, units, 4)  # 63 responses
    many = [_count(admin, u) for u in urls]
    assert few == many, (few, many)
    # session, user, survey, period (+ roles), units, quotas, invitations, responses, voids
    with django_assert_max_num_queries(12):
        admin.get(urls[0])
    officer = login(ns.province.officer)
    few_unit = _count(officer, unit_url(ns, ns.province.stp))
    _fill(ns, units, 3)
    assert _count(officer, unit_url(ns, ns.province.stp)) == few_unit
    with django_assert_max_num_queries(12):
        officer.get(unit_url(ns, ns.province.stp))
