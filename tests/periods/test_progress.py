"""The organizer's "Tiến độ tự đánh giá" page of a period."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from parindex.assessments.models import Status
from parindex.assessments.period_selectors import period_progress
from parindex.assessments.services import assessment_extend_deadline
from tests.periods.factories import local
from tests.periods.helpers import attach, declare, more_units, period_with_units, set_status

IN_SELF_ASSESSMENT = local(2026, 10, 20)
SELF_LEAVES = 43  # so-demo: 53 leaves, 10 of them scored by the survey


@pytest.fixture
def setup(province):
    period, by_code = period_with_units(province)
    return period, by_code["STP"], by_code["SYT"]


def _rows(period, **kw):
    return {r.assessment.unit.code: r for r in period_progress(period, **kw)["rows"]}


def test_answered_counts_values_and_not_applicable_but_not_survey_leaves(province, setup):
    period, stp, syt = setup
    declare(stp, "1.1.1", "a")
    declare(stp, "1.2", "yes")
    declare(stp, "2.4", "NA", na=True)
    declare(stp, "1.3.1", "", explanation="Chưa có số liệu của quý IV")
    declare(stp, "1.7", "0.8")  # survey leaf: never counted
    rows = _rows(period)
    assert rows["STP"].progress.total == SELF_LEAVES
    assert rows["STP"].progress.answered == 3
    assert str(rows["STP"].progress.percent) == "7.0"
    assert rows["STP"].progress.explained == 1
    assert rows["SYT"].progress.answered == 0


def test_evidence_files_and_missing_evidence_are_counted(province, setup):
    period, stp, syt = setup
    attach(stp, "1.1.1", "quyet-dinh-1.pdf")
    attach(stp, "1.1.1", "quyet-dinh-2.pdf")
    attach(stp, "1.2", "ke-hoach.pdf")
    declare(syt, "1.1.1", "a", explanation="Văn bản đang trình ký")
    rows = _rows(period)
    assert rows["STP"].progress.evidence == 3
    # 1.1.1 is the one leaf of so-demo that names evidence: STP has a file, SYT explains.
    assert rows["STP"].progress.missing_evidence == 0
    assert rows["SYT"].progress.missing_evidence == 0
    declare(syt, "1.1.1", "a")  # explanation removed: now missing
    assert _rows(period)["SYT"].progress.missing_evidence == 1


def test_last_activity_is_the_latest_declaration_or_upload(province, setup):
    period, stp, syt = setup
    assert _rows(period)["STP"].progress.last_activity is None  # untouched entries
    with time_machine.travel(local(2026, 10, 21, 9, 15), tick=False):
        declare(stp, "1.2", "yes")
    with time_machine.travel(local(2026, 10, 22, 14, 30), tick=False):
        attach(stp, "1.1.1")
    with time_machine.travel(local(2026, 10, 21, 16, 0), tick=False):
        declare(syt, "1.2", "no")
    rows = _rows(period)
    assert rows["STP"].progress.last_activity == local(2026, 10, 22, 14, 30)
    assert rows["SYT"].progress.last_activity == local(2026, 10, 21, 16, 0)


def test_the_page_shows_the_numbers_in_vietnamese(login, province, setup):
    period, stp, syt = setup
    declare(stp, "1.1.1", "a")
    declare(stp, "1.2", "yes", explanation="Đã ban hành kế hoạch")
    attach(stp, "1.1.1")
    set_status(syt, Status.SUBMITTED)
    from parindex.assessments.models import Assessment

    Assessment.objects.filter(pk=syt.pk).update(submitted_at=local(2026, 11, 3, 16, 45))
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        response = login(province.admin).get(reverse("periods:progress", args=[period.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tiến độ tự đánh giá" in html
    assert "4,7%" in html and "(2/43)" in html
    assert "03/11/2026 16:45" in html  # submitted at
    assert "15/11/2026 23:59" in html  # the deadline
    assert "Đã gửi" in html and "Đang tự đánh giá" in html
    assert reverse("assessments:detail", args=[stp.pk]) in html
    # only units that have not submitted can be reminded; a submitted unit can be reopened
    assert f'name="assessments" value="{stp.pk}"' in html
    assert f'name="assessments" value="{syt.pk}"' not in html
    assert reverse("periods:progress-reopen", args=[period.pk, syt.pk]) in html
    assert reverse("periods:progress-extend", args=[period.pk, stp.pk]) in html


def test_it_filters_by_block_and_status_and_sorts_by_percent(login, province, setup):
    period, stp, syt = setup
    declare(syt, "1.2", "yes")
    declare(syt, "1.4", "yes")
    declare(stp, "1.2", "yes")
    set_status(stp, Status.PENDING_APPROVAL)
    assert [r.assessment.unit.code for r in period_progress(period, sort="-pct")["rows"]] == [
        "SYT",
        "STP",
    ]
    assert [r.assessment.unit.code for r in period_progress(period, sort="pct")["rows"]] == [
        "STP",
        "SYT",
    ]
    assert list(_rows(period, status="pending_approval")) == ["STP"]
    assert list(_rows(period, status="chua-gui")) == ["STP", "SYT"]
    assert list(_rows(period, status="da-gui")) == []
    assert list(_rows(period, block=province.huyen.pk)) == []
    client = login(province.admin)
    url = reverse("periods:progress", args=[period.pk])
    html = client.get(url, {"trang_thai": "draft"}).content.decode()
    assert "Sở Y tế" in html and "Sở Tư pháp" not in html
    html = client.get(url, {"khoi": province.so.pk, "sap_xep": "pct"}).content.decode()
    assert html.index("Sở Tư pháp") < html.index("Sở Y tế")
    # an unknown filter value shows everything rather than failing
    assert client.get(url, {"trang_thai": "xyz", "khoi": "abc"}).status_code == 200


def test_overdue_units_are_flagged_and_filtered(login, province, setup):
    period, stp, syt = setup
    set_status(syt, Status.SUBMITTED)
    with time_machine.travel(local(2026, 11, 16, 8, 0), tick=False):
        rows = _rows(period, status="qua-han")
        html = login(province.admin).get(reverse("periods:progress", args=[period.pk])).content
    assert list(rows) == ["STP"]
    assert "Quá hạn" in html.decode()


@pytest.mark.parametrize("n_units", [10, 40])
def test_the_page_runs_a_fixed_number_of_queries(
    login, province, django_assert_num_queries, n_units
):
    units = more_units(province, n_units - 2)
    period, by_code = period_with_units(province, units=[province.stp, province.syt, *units])
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        assessment_extend_deadline(
            actor=province.admin,
            assessment=by_code["STP"],
            until=local(2026, 11, 20, 17, 0),
            reason="Đơn vị đề nghị vì thay đổi nhân sự",
        )
    for a in list(by_code.values())[:5]:
        declare(a, "1.2", "yes", explanation="Có kế hoạch")
        attach(a, "1.1.1")
    client = login(province.admin)
    url = reverse("periods:progress", args=[period.pk])
    # session, user, roles, period, phases, blocks, assessments, entries aggregate,
    # files aggregate, extension reasons
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        with django_assert_num_queries(11):  # +1: the menu asks for a council seat
            response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('name="assessments"') == n_units


def test_extensions_are_listed_with_their_reason(login, province, setup):
    period, stp, syt = setup
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        assessment_extend_deadline(
            actor=province.admin,
            assessment=stp,
            until=local(2026, 11, 20, 17, 0),
            reason="Đơn vị đề nghị vì thay đổi nhân sự",
        )
        html = login(province.admin).get(reverse("periods:progress", args=[period.pk]))
    html = html.content.decode()
    assert "Các đơn vị được gia hạn (1)" in html
    assert "20/11/2026 17:00" in html
    assert "Đơn vị đề nghị vì thay đổi nhân sự" in html


def test_the_organizer_extends_one_unit_from_the_page(login, province, setup):
    period, stp, syt = setup
    url = reverse("periods:progress-extend", args=[period.pk, stp.pk])
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        response = login(province.admin).post(
            url,
            {
                "until_date": "20/11/2026",
                "until_time": "17:00",
                "reason": "Thay đổi nhân sự",
                "qs": "trang_thai=draft&evil=1",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("periods:progress", args=[period.pk]) + "?trang_thai=draft"
    )
    stp.refresh_from_db()
    assert stp.deadline_override == local(2026, 11, 20, 17, 0)


def test_an_extension_must_come_with_a_reason(login, province, setup):
    period, stp, syt = setup
    url = reverse("periods:progress-extend", args=[period.pk, stp.pk])
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        client = login(province.admin)
        client.post(url, {"until_date": "20/11/2026", "until_time": "17:00", "reason": ""})
        html = client.get(reverse("periods:progress", args=[period.pk])).content.decode()
    stp.refresh_from_db()
    assert stp.deadline_override is None
    assert "Ghi lý do gia hạn." in html


def test_the_organizer_reopens_a_submitted_unit_with_a_reason(login, province, setup):
    period, stp, syt = setup
    set_status(stp, Status.SUBMITTED)
    url = reverse("periods:progress-reopen", args=[period.pk, stp.pk])
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        client = login(province.admin)
        client.post(url, {"reason": ""})
        stp.refresh_from_db()
        assert stp.status == Status.SUBMITTED
        client.post(url, {"reason": "Thiếu tài liệu kiểm chứng tiêu chí 1.1.1"})
    stp.refresh_from_db()
    assert stp.status == Status.DRAFT
    change = stp.status_changes.get()
    assert change.note == "Thiếu tài liệu kiểm chứng tiêu chí 1.1.1"


def test_reopen_is_offered_only_in_the_workflows_window(province, setup):
    """The progress page asks the workflow: no "Mở lại" once the appraisal phases are over."""
    period, stp, syt = setup
    set_status(stp, Status.SUBMITTED)
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        assert _rows(period)["STP"].can_reopen
    with time_machine.travel(local(2026, 12, 22), tick=False):
        assert not _rows(period)["STP"].can_reopen


def test_anonymous_users_are_sent_to_login(client, province, setup):
    period, stp, syt = setup
    response = client.get(reverse("periods:progress", args=[period.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    "who", ["officer", "leader", "outsider", "appraiser", "district_admin", "commune_officer"]
)
def test_only_the_organizer_sees_the_page_and_acts(login, province, setup, who):
    period, stp, syt = setup
    client = login(getattr(province, who))
    assert client.get(reverse("periods:progress", args=[period.pk])).status_code == 404
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        for url, data in (
            (
                reverse("periods:progress-extend", args=[period.pk, stp.pk]),
                {"until_date": "20/11/2026", "until_time": "17:00", "reason": "x"},
            ),
            (reverse("periods:progress-reopen", args=[period.pk, stp.pk]), {"reason": "x"}),
            (reverse("periods:progress-remind", args=[period.pk]), {"assessments": [stp.pk]}),
        ):
            assert client.post(url, data).status_code == 404
    stp.refresh_from_db()
    assert stp.deadline_override is None


def test_a_unit_of_another_period_cannot_be_extended_through_this_one(login, province, setup):
    period, stp, syt = setup
    other, by_code = period_with_units(province, year=2027, units=[province.stp])
    url = reverse("periods:progress-extend", args=[period.pk, by_code["STP"].pk])
    response = login(province.admin).post(
        url, {"until_date": "20/11/2027", "until_time": "17:00", "reason": "x"}
    )
    assert response.status_code == 404


def test_the_system_admin_sees_every_period(login, province, setup):
    period, stp, syt = setup
    response = login(province.sysadmin).get(reverse("periods:progress", args=[period.pk]))
    assert response.status_code == 200


def test_the_detail_page_links_to_the_progress_tab(login, province, setup):
    period, stp, syt = setup
    html = login(province.admin).get(reverse("periods:detail", args=[period.pk])).content
    assert reverse("periods:progress", args=[period.pk]) in html.decode()
    assert "Phân công tiêu chí" not in html.decode()  # only for the province's own period


__all__ = ["dt"]
