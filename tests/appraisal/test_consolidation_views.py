"""The consolidation page (Tổng hợp), the chair's review, the publication decision: the
numbers are the engine's (``results_document``, ``parindex score``), frozen once approved;
only the organizer submits, only the chair returns (with a note) and approves; outsiders 404."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parindex.appraisal.models import PeriodAppraisal
from parindex.appraisal.services import chair_approve, consolidation_submit
from parindex.assessments import scoring
from parindex.assessments.models import Entry, Status
from parindex.common.numbers import round2, vn_number
from tests.appraisal.test_flow import _through_round_one, _through_round_two
from tests.evidence.pdfs import make_pdf
from tests.test_demo import _cli

R = PeriodAppraisal.Review


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": "/_unused_/"},
        },
    }
    settings.MAX_UPLOAD_MB = 20


def _url(name, ns, **kw):
    return reverse(f"appraisal:{name}", kwargs={"period_pk": ns.period.pk, **kw})


def _rows(response):
    """Unit code -> its row of the consolidation table (every block)."""
    return {
        row.assessment.unit.code: row
        for block in response.context["data"].blocks
        for row in block.rows
    }


def _approved(ns):
    _through_round_two(ns)
    ns.at("approval")
    consolidation_submit(actor=ns.province.admin, period=ns.period)
    return chair_approve(actor=ns.province.chair, period=ns.period)


# ---------------------------------------------------------------- the numbers


def test_the_table_and_the_ranking_are_the_engines_numbers(appraisal, login, tmp_path):
    ns = appraisal
    _through_round_two(ns)
    ns.at("consolidation")
    response = login(ns.province.admin).get(_url("consolidation", ns))
    assert response.status_code == 200
    items = [ns.stp, ns.syt]
    for a in items:
        a.refresh_from_db()
    document = scoring.results_document(items)
    cli = _cli(tmp_path, "final", ns.stp.framework, scoring.values_csv(items))
    scores = scoring.period_scores(items)
    rows = _rows(response)
    (block,) = response.context["data"].blocks
    for u in document["units"]:
        row = rows[u["unit"]]
        a = row.assessment
        assert (round2(row.final_points), round2(row.final_max), round2(row.final_index)) == (
            Decimal(str(u["points"])),
            Decimal(str(u["max"])),
            Decimal(str(u["index"])),
        )
        assert (u["points"], u["max"], u["index"], u["rank"], u["band"]) == (
            cli[u["unit"]]["points"],
            cli[u["unit"]]["max"],
            cli[u["unit"]]["index"],
            cli[u["unit"]]["rank"],
            cli[u["unit"]]["band"],
        )
        own = scores[a.pk][scoring.SELF]
        assert (row.self_points, row.self_index) == (own.points, own.index)
        assert row.difference == round2(row.final_points) - round2(own.points)
        ranked = next(r for r in block.ranking if r.unit == u["unit"])
        assert (ranked.rank, ranked.band, ranked.index) == (
            u["rank"],
            u["band"],
            Decimal(str(u["index"])),
        )
    assert block.summary["mean_index"] == Decimal(str(document["summary"]["mean_index"]))
    # Sở Tư pháp: 1.6 adjusted in round 1 (9/10 → 1/2), carried through round 2
    assert rows["STP"].adjusted == 1 and rows["SYT"].adjusted == 0
    html = response.content.decode()
    stp = next(u for u in document["units"] if u["unit"] == "STP")
    assert f"{vn_number(stp['index'])}%" in html  # decimal comma: 85,41%
    assert "Trình Chủ tịch Hội đồng" in html


def test_round_one_total_leaves_out_the_round_two_scores(appraisal, login):
    ns = appraisal
    _through_round_one(ns)
    ns.at("supplement")
    rows = _rows(login(ns.province.admin).get(_url("consolidation", ns)))
    # after round 1 nothing of round 2 exists: the two stages agree
    assert rows["STP"].round1_points == rows["STP"].final_points
    Entry.objects.filter(assessment=ns.stp, node__code="1.6").update(round2_score=Decimal("1"))
    rows = _rows(login(ns.province.admin).get(_url("consolidation", ns)))
    assert rows["STP"].final_points - rows["STP"].round1_points == Decimal("0.5")


def test_after_approval_the_page_shows_the_frozen_snapshot(appraisal, login):
    ns = appraisal
    state = _approved(ns)
    frozen = state.snapshot["blocks"]["so"]["results"]
    before = next(u for u in frozen["units"] if u["unit"] == "STP")
    # a later change forced past the services does not change the approved numbers
    Entry.objects.filter(assessment=ns.stp, node__code="1.6").update(round2_score=Decimal("0"))
    assert scoring.results_document([ns.stp, ns.syt]) != frozen
    response = login(ns.province.admin).get(_url("consolidation", ns))
    html = response.content.decode()
    assert "Kết quả đã được phê duyệt ngày 27/12/2026; số liệu dưới đây là bản chốt" in html
    row = _rows(response)["STP"]
    assert row.final_points == Decimal(str(before["points"]))
    assert row.final_index == Decimal(str(before["index"]))
    (block,) = response.context["data"].blocks
    assert block.frozen
    assert [(r.unit, r.rank, r.index) for r in block.ranking] == [
        (u["unit"], u["rank"], Decimal(str(u["index"])))
        for u in sorted(frozen["units"], key=lambda u: u["rank"])
    ]
    assert "Trình Chủ tịch Hội đồng" not in html


def test_the_page_runs_a_fixed_number_of_queries(appraisal, login, django_assert_max_num_queries):
    """Session, user, period (+ calendar), roles, seats, state, blocks, assessments, entries,
    adjustments, and one results document per block; the chair's access tries the organizer's
    first (+2)."""
    ns = appraisal
    _through_round_two(ns)
    for user, queries in ((ns.province.admin, 12), (ns.province.chair, 14)):
        client = login(user)
        client.get(_url("consolidation", ns))  # warm the framework cache
        with django_assert_max_num_queries(queries):
            assert client.get(_url("consolidation", ns)).status_code == 200
    ns.at("approval")
    consolidation_submit(actor=ns.province.admin, period=ns.period)
    chair_approve(actor=ns.province.chair, period=ns.period)
    client = login(ns.province.admin)
    with django_assert_max_num_queries(11):  # the snapshot: no results document
        assert client.get(_url("consolidation", ns)).status_code == 200


# ---------------------------------------------------------------- submit, return, approve


def test_the_organizer_submits_only_when_round_two_is_closed(appraisal, login):
    ns = appraisal
    _through_round_one(ns)
    client = login(ns.province.admin)
    page = client.get(_url("consolidation", ns)).content.decode()
    assert "Chưa thể trình: còn 2 đơn vị chưa thẩm định xong" in page
    response = client.post(_url("submit", ns), follow=True)
    assert "Chưa thể trình: còn 2 đơn vị chưa thẩm định xong" in response.content.decode()
    assert not PeriodAppraisal.objects.filter(period=ns.period, review=R.SUBMITTED).exists()


def test_the_chair_returns_with_a_note_and_the_organizer_sees_it(appraisal, login):
    ns = appraisal
    _through_round_two(ns)
    ns.at("consolidation")
    admin = login(ns.province.admin)
    assert admin.post(_url("submit", ns)).status_code == 302
    assert PeriodAppraisal.objects.get(period=ns.period).review == R.SUBMITTED
    chair = login(ns.province.chair)
    page = chair.get(_url("consolidation", ns)).content.decode()
    assert "Phê duyệt kết quả" in page and "Trả lại để thẩm định lại" in page
    refused = chair.post(_url("chair_return", ns), {"note": "   "})
    assert refused.status_code == 400
    assert "Ghi rõ ý kiến khi trả lại kết quả để thẩm định lại." in refused.content.decode()
    assert PeriodAppraisal.objects.get(period=ns.period).review == R.SUBMITTED
    chair.post(_url("chair_return", ns), {"note": "Xem lại tiêu chí 1.6 của Sở Tư pháp"})
    assert PeriodAppraisal.objects.get(period=ns.period).review == R.RETURNED
    ns.stp.refresh_from_db()
    assert ns.stp.status == Status.APPRAISAL_2
    page = login(ns.province.admin).get(_url("consolidation", ns)).content.decode()
    assert "Xem lại tiêu chí 1.6 của Sở Tư pháp" in page
    assert "Chủ tịch trả lại" in page


def test_only_the_chair_approves_and_after_confirming(appraisal, login):
    ns = appraisal
    _through_round_two(ns)
    ns.at("approval")
    consolidation_submit(actor=ns.province.admin, period=ns.period)
    for user in (ns.province.appraiser, ns.appraiser2, ns.province.admin, ns.province.officer):
        assert login(user).post(_url("chair_approve", ns), {"confirm": "on"}).status_code == 404
        assert login(user).post(_url("chair_return", ns), {"note": "x"}).status_code == 404
    assert PeriodAppraisal.objects.get(period=ns.period).review == R.SUBMITTED
    chair = login(ns.province.chair)
    unconfirmed = chair.post(_url("chair_approve", ns), {})
    assert unconfirmed.status_code == 400
    assert "Đánh dấu xác nhận trước khi phê duyệt" in unconfirmed.content.decode()
    assert chair.post(_url("chair_approve", ns), {"confirm": "on"}).status_code == 302
    state = PeriodAppraisal.objects.get(period=ns.period)
    assert state.review == R.APPROVED and state.approved_by == ns.province.chair
    ns.stp.refresh_from_db()
    assert ns.stp.status == Status.FINALIZED


def test_a_supervising_reader_cannot_submit(appraisal, login):
    """The chair reads the page but may not submit (404 there: not the organizer)."""
    ns = appraisal
    _through_round_two(ns)
    ns.at("consolidation")
    chair = login(ns.province.chair)
    assert chair.get(_url("consolidation", ns)).status_code == 200
    assert chair.post(_url("submit", ns)).status_code == 404
    assert not PeriodAppraisal.objects.filter(period=ns.period, review=R.SUBMITTED).exists()


# ---------------------------------------------------------------- the publication decision


def _publication(client, ns, data: bytes, name="qd-cong-bo.pdf"):
    return client.post(
        _url("publication", ns),
        {
            "number": "1234/QĐ-UBND",
            "date": "30/12/2026",
            "signer": "Nguyễn Văn Sơn",
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
        },
    )


def test_the_publication_decision_refuses_a_file_that_is_not_a_pdf(appraisal, login):
    ns = appraisal
    _approved(ns)
    client = login(ns.province.admin)
    response = _publication(client, ns, b"Day khong phai PDF, chi la van ban.")
    assert response.status_code == 400
    assert (
        "Tệp &#x27;qd-cong-bo.pdf&#x27; không phải là tệp PDF hợp lệ" in response.content.decode()
    )
    assert PeriodAppraisal.objects.get(period=ns.period).decision_number == ""


def test_the_publication_decision_is_recorded_and_its_pdf_downloaded(appraisal, login):
    ns = appraisal
    _approved(ns)
    client = login(ns.province.admin)
    pdf = make_pdf("Quyet dinh cong bo Chi so CCHC")
    assert _publication(client, ns, pdf).status_code == 302
    state = PeriodAppraisal.objects.get(period=ns.period)
    assert (state.decision_number, state.decision_date.strftime("%d/%m/%Y")) == (
        "1234/QĐ-UBND",
        "30/12/2026",
    )
    page = client.get(_url("consolidation", ns)).content.decode()
    assert "Quyết định số <strong>1234/QĐ-UBND</strong> ngày 30/12/2026" in page
    for user in (ns.province.admin, ns.province.chair):
        response = login(user).get(_url("publication_file", ns))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == pdf
    for user in (ns.province.appraiser, ns.province.officer, ns.province.outsider):
        assert login(user).get(_url("publication_file", ns)).status_code == 404


def test_the_publication_decision_waits_for_the_approval(appraisal, login):
    ns = appraisal
    _through_round_two(ns)
    response = _publication(login(ns.province.admin), ns, make_pdf())
    assert response.status_code == 400
    assert "Chỉ ghi quyết định công bố sau khi Chủ tịch Hội đồng phê duyệt." in (
        response.content.decode()
    )


def test_the_publication_date_is_typed_dd_mm_yyyy(appraisal, login):
    ns = appraisal
    _approved(ns)
    response = login(ns.province.admin).post(
        _url("publication", ns), {"number": "1/QĐ", "date": "2026-30-12", "signer": "A"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy" in html
    assert "Chọn tệp PDF của quyết định công bố đã ký." in html


# ---------------------------------------------------------------- outsiders


def test_outsiders_get_404_on_every_consolidation_url(appraisal, login):
    ns = appraisal
    _approved(ns)
    gets = [_url("consolidation", ns), _url("publication_file", ns),
            _url("report", ns, fmt="pdf")]  # fmt: skip
    posts = [_url(n, ns) for n in ("submit", "chair_return", "chair_approve", "publication")]
    outsiders = [ns.province.outsider, ns.province.officer, ns.province.leader,
                 ns.province.appraiser, ns.province.district_admin]  # fmt: skip
    for user in outsiders:
        client = login(user)
        for url in gets:
            assert client.get(url).status_code == 404, (user, url)
        for url in posts:
            assert client.post(url, {"note": "x", "confirm": "on"}).status_code == 404, (user, url)
    client.logout()
    assert client.get(_url("consolidation", ns)).status_code == 302  # to the login page
