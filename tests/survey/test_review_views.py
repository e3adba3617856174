"""The organizer's pages of the fraud checks: thresholds and "Quét lại", the review queue
(htmx and plain POST, bulk), voiding a unit; who reaches them; a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parindex.audit.models import AuditEvent
from parindex.survey.models import DEFAULT_FRAUD, Response, SurveyAnswer, UnitVoid
from parindex.survey.services.intake import response_submit

pytestmark = pytest.mark.django_db


def url(ns, name, **kw):
    return reverse(f"survey:{name}", kwargs={"survey_pk": ns.survey.pk, **kw})


def flagged(ns, unit=None, flags=("fast", "straight"), group="HDND"):
    r = response_submit(
        survey=ns.survey,
        unit=unit or ns.province.stp,
        group=group,
        answers={"Q01": "A", "Q02": "B"} if group == "HDND" else {"Q03": "1"},
        channel=Response.Channel.PUBLIC,
        started_at=timezone.now() - dt.timedelta(seconds=75),
    )
    Response.objects.filter(pk=r.pk).update(status=Response.Status.FLAGGED, flags=list(flags))
    r.refresh_from_db()
    return r


# ---------------------------------------------------------------- thresholds


def test_the_thresholds_page_saves_and_refuses_out_of_bounds(surveyed, login):
    ns = surveyed
    client = login(ns.province.admin)
    html = client.get(url(ns, "review_thresholds")).content.decode()
    assert "Thời gian trả lời tối thiểu (giây)" in html and "mặc định 30" in html
    assert "Quét lại" in html
    response = client.post(url(ns, "review_thresholds"), {**DEFAULT_FRAUD, "min_seconds": 4000})
    assert response.status_code == 200
    assert "Không lớn hơn 3600." in response.content.decode()
    ns.survey.refresh_from_db()
    assert ns.survey.fraud == {}
    response = client.post(url(ns, "review_thresholds"), {**DEFAULT_FRAUD, "min_seconds": 45})
    assert response.status_code == 302
    ns.survey.refresh_from_db()
    assert ns.survey.threshold("min_seconds") == 45
    assert 'value="45"' in client.get(url(ns, "review_thresholds")).content.decode()


def test_rescan_reports_how_many_were_flagged(surveyed, login):
    ns = surveyed
    for _ in range(5):
        response_submit(
            survey=ns.survey,
            unit=ns.province.stp,
            group="HDND",
            answers={"Q01": "A", "Q02": "B"},
            channel=Response.Channel.PUBLIC,
        )
    client = login(ns.province.admin)
    response = client.post(url(ns, "review_rescan"), follow=True)
    html = response.content.decode()
    assert "5 phiếu mới được đưa vào danh sách xem xét" in html
    assert "5 phiếu trả lời giống hệt nhau" in html
    response = client.post(url(ns, "review_rescan"), follow=True)
    assert "không có phiếu nào mới cần xem xét" in response.content.decode()


# ---------------------------------------------------------------- the queue


def test_the_queue_lists_flagged_responses_in_vietnamese(surveyed, login):
    ns = surveyed
    r = flagged(ns)
    flagged(ns, unit=ns.province.syt, flags=("burst",), group="DAN")
    valid = response_submit(
        survey=ns.survey,
        unit=ns.province.stp,
        group="HDND",
        answers={"Q01": "C"},
        channel=Response.Channel.PUBLIC,
    )
    html = login(ns.province.admin).get(url(ns, "review_queue")).content.decode()
    assert f'data-response="{r.pk}"' in html and f'data-response="{valid.pk}"' not in html
    assert "Hoàn thành quá nhanh" in html and "Mọi câu chọn cùng một phương án" in html
    assert "Nhiều phiếu từ cùng một địa chỉ hoặc thiết bị" in html
    assert "Sở Tư pháp" in html and "Đại biểu HĐND tỉnh" in html
    assert "Đường dẫn công khai/QR" in html
    assert timezone.localtime(r.submitted_at).strftime("%d/%m/%Y %H:%M") in html
    assert "1 phút 15 giây" in html
    assert "Rất tốt" in html  # the answers (anonymous) are shown to the organizer
    assert 'id="counting-rule"' in html and "chưa được tính cho đến khi" in html
    # filters
    html = login(ns.province.admin).get(url(ns, "review_queue") + "?dau-hieu=burst").content
    assert f'data-response="{r.pk}"'.encode() not in html
    assert html.count(b'class="review-item"') == 1


def test_decide_through_htmx_and_plain_post(surveyed, login):
    ns = surveyed
    a, b, c = flagged(ns), flagged(ns), flagged(ns)
    client = login(ns.province.admin)
    response = client.post(
        url(ns, "review_decide", response_pk=a.pk), {"status": "void"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Ghi lý do loại phiếu." in html
    assert "Xem 2 câu trả lời" in html and "<html" not in html  # the row again, answers kept
    a.refresh_from_db()
    assert a.status == "flagged"
    response = client.post(
        url(ns, "review_decide", response_pk=a.pk),
        {"status": "void", "reason": "Phiếu ảo"},
        HTTP_HX_REQUEST="true",
    )
    assert 'data-decided="void"' in response.content.decode()
    assert "<html" not in response.content.decode()
    response = client.post(url(ns, "review_decide", response_pk=b.pk), {"status": "valid"})
    assert response.status_code == 302 and response["Location"].endswith(url(ns, "review_queue"))
    response = client.post(
        url(ns, "review_decide", response_pk=c.pk), {"status": "void"}, follow=True
    )
    assert "Ghi lý do loại phiếu." in response.content.decode()
    statuses = dict(Response.objects.values_list("pk", "status"))
    assert (statuses[a.pk], statuses[b.pk], statuses[c.pk]) == ("void", "valid", "flagged")
    assert AuditEvent.objects.filter(verb="survey.response_review").count() == 2


def test_bulk_decision_on_a_selection(surveyed, login):
    ns = surveyed
    rows = [flagged(ns) for _ in range(3)]
    client = login(ns.province.admin)
    ids = [rows[0].pk, rows[1].pk]
    response = client.post(
        url(ns, "review_bulk"), {"ids": ids, "status": "void", "reason": "Cùng máy"}, follow=True
    )
    assert "Đã đánh dấu 2 phiếu: bị loại." in response.content.decode()
    assert Response.objects.get(pk=rows[2].pk).status == "flagged"
    response = client.post(
        url(ns, "review_bulk"), {"ids": [rows[2].pk], "status": "void"}, follow=True
    )
    assert "Ghi lý do loại phiếu." in response.content.decode()
    response = client.post(url(ns, "review_bulk"), {"status": "valid"}, follow=True)
    assert "Chọn ít nhất một phiếu." in response.content.decode()


def test_void_and_restore_a_unit_from_the_page(surveyed, login):
    ns = surveyed
    client = login(ns.province.admin)
    response = client.post(url(ns, "review_unit_void"), {"unit": ns.province.stp.pk, "reason": ""})
    assert response.status_code == 200 and "Ghi lý do." in response.content.decode()
    assert not UnitVoid.objects.exists()
    response = client.post(
        url(ns, "review_unit_void"),
        {"unit": ns.province.stp.pk, "reason": "Cán bộ điền hộ phiếu"},
        follow=True,
    )
    html = response.content.decode()
    assert "Đã hủy toàn bộ kết quả khảo sát của Sở Tư pháp" in html
    assert 'data-voided="STP"' in html and "Cán bộ điền hộ phiếu" in html
    response = client.post(
        url(ns, "review_unit_void"), {"unit": ns.province.commune.pk, "reason": "x"}
    )
    assert "Chọn đơn vị." in response.content.decode()  # not a unit of the survey
    restore = url(ns, "review_unit_unvoid", unit_pk=ns.province.stp.pk)
    client.post(restore, {"reason": ""})
    assert UnitVoid.objects.exists()
    client.post(restore, {"reason": "Đã xác minh"})
    assert not UnitVoid.objects.exists()


# ---------------------------------------------------------------- who reaches the pages


def test_outsiders_get_404_and_anonymous_the_login(surveyed, login, client):
    ns = surveyed
    r = flagged(ns)
    p = ns.province
    gets = [url(ns, "review_queue"), url(ns, "review_thresholds")]
    posts = [
        (url(ns, "review_thresholds"), DEFAULT_FRAUD),
        (url(ns, "review_rescan"), {}),
        (url(ns, "review_decide", response_pk=r.pk), {"status": "valid"}),
        (url(ns, "review_bulk"), {"ids": [r.pk], "status": "valid"}),
        (url(ns, "review_unit_void"), {"unit": p.stp.pk, "reason": "x"}),
        (url(ns, "review_unit_unvoid", unit_pk=p.stp.pk), {"reason": "x"}),
    ]
    for user in (p.officer, p.leader, p.outsider, p.district_admin, p.appraiser):
        c = login(user)
        for u in gets:
            assert c.get(u).status_code == 404, (user, u)
        for u, data in posts:
            assert c.post(u, data).status_code == 404, (user, u)
    client.logout()
    for u in gets:
        response = client.get(u)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    r.refresh_from_db()
    assert r.status == "flagged" and not UnitVoid.objects.exists()


def test_a_response_of_another_survey_is_404(surveyed, login):
    ns = surveyed
    client = login(ns.province.admin)
    assert (
        client.post(url(ns, "review_decide", response_pk=999999), {"status": "valid"}).status_code
        == 404
    )


# ---------------------------------------------------------------- queries


def _count(client, u):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(u).status_code == 200
    return len(ctx.captured_queries)


def _more(ns, n):
    units = [ns.province.stp, ns.province.syt]
    now = timezone.now()
    made = Response.objects.bulk_create(
        Response(
            survey=ns.survey,
            group="HDND",
            unit=units[i % 2],
            channel=Response.Channel.PUBLIC,
            status=Response.Status.FLAGGED,
            flags=["fast"],
            started_at=now - dt.timedelta(seconds=10),
            submitted_at=now,
        )
        for i in range(n)
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=r, question=q, option="A") for r in made for q in ("Q01", "Q02")
    )


def test_the_queue_runs_a_fixed_number_of_queries(surveyed, login, django_assert_max_num_queries):
    ns = surveyed
    client = login(ns.province.admin)
    _more(ns, 30)
    response_submit(
        survey=ns.survey, unit=ns.province.stp, group="HDND", answers={"Q01": "A"},
        channel=Response.Channel.PUBLIC,
    )  # fmt: skip
    from parindex.survey.services.review import response_review, unit_void

    response_review(
        actor=ns.province.admin, response=Response.objects.first(), status="void", reason="x"
    )
    unit_void(actor=ns.province.admin, survey=ns.survey, unit=ns.province.syt, reason="y")
    client.get(url(ns, "review_queue"))  # warm
    few = _count(client, url(ns, "review_queue"))
    _more(ns, 30)
    assert _count(client, url(ns, "review_queue")) == few
    assert _count(client, url(ns, "review_queue") + "?dau-hieu=fast") <= few + 1  # + COUNT
    # session, user, survey, period (+ roles), counts, page, answers, recent, voids, units
    with django_assert_max_num_queries(13):
        html = client.get(url(ns, "review_queue")).content.decode()
    assert html.count('class="review-item"') == 50  # one page


# ---------------------------------------------------------------- a supervising organizer


@pytest.fixture
def commune_survey(province):
    """A survey of the district's Phòng Nội vụ (block xã): the province's admin only reads."""
    from parindex.assessments.participation import period_add_units
    from parindex.periods.services import period_create
    from parindex.survey.services.lifecycle import (
        survey_create,
        survey_set_window,
        survey_transition,
    )
    from tests.periods.factories import make_framework
    from tests.survey.conftest import survey_data

    fw = make_framework(province.pnv, province.xa, year=2026)
    period = period_create(
        actor=province.district_admin, organizer=province.pnv, year=2026,
        name="Chỉ số CCHC cấp xã huyện Yên Dũng năm 2026", blocks=[(province.xa, fw)],
    )  # fmt: skip
    period_add_units(actor=province.district_admin, period=period, units=[province.commune])
    pb = period.blocks.select_related("framework", "block").get()
    survey = survey_create(actor=province.district_admin, period_block=pb, data=survey_data(fw))
    today = timezone.localdate()
    survey_set_window(
        actor=province.district_admin, survey=survey, opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=9), lists_due_on=None, public_enabled=True,
    )  # fmt: skip
    return survey_transition(actor=province.district_admin, survey=survey, to="open")


def test_a_supervising_organizer_reads_but_cannot_change(province, commune_survey, login):
    from types import SimpleNamespace

    ns = SimpleNamespace(survey=commune_survey, province=province)
    r = flagged(ns, unit=province.commune)
    client = login(province.admin)
    for name in ("review_queue", "review_thresholds", "progress_organizer", "progress_export"):
        assert client.get(url(ns, name)).status_code == 200, name
    html = client.get(url(ns, "review_queue")).content.decode()
    assert "Chỉ xem: đợt đánh giá do" in html
    assert url(ns, "review_decide", response_pk=r.pk) not in html
    assert url(ns, "review_unit_void") not in html
    posts = [
        (url(ns, "review_thresholds"), DEFAULT_FRAUD),
        (url(ns, "review_rescan"), {}),
        (url(ns, "review_decide", response_pk=r.pk), {"status": "valid"}),
        (url(ns, "review_bulk"), {"ids": [r.pk], "status": "valid"}),
        (url(ns, "review_unit_void"), {"unit": province.commune.pk, "reason": "x"}),
        (url(ns, "review_unit_unvoid", unit_pk=province.commune.pk), {"reason": "x"}),
    ]
    for target, data in posts:
        assert client.post(target, data).status_code == 403, target
    r.refresh_from_db()
    assert r.status == "flagged" and not UnitVoid.objects.exists()
    # and the district's own admin acts
    own = login(province.district_admin)
    assert (
        own.post(url(ns, "review_decide", response_pk=r.pk), {"status": "valid"}).status_code == 302
    )
