"""Appeals after publication (kiến nghị): the unit's leader files on criteria within the window;
the organizer answers each criterion — an accepted one corrects the final score, the block's
results are recomputed (equal to the bridge's), the snapshot and a new published version
follow with a change note; a rejected appeal changes nothing. Audited; outsiders 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from parindex.appeals.models import Appeal, AppealItem
from parindex.appeals.services import appeal_days_set, appeal_decide, appeal_file, window
from parindex.appraisal.models import PeriodAppraisal
from parindex.assessments import scoring
from parindex.assessments.models import Entry
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.publication.models import Publication
from tests.evidence.pdfs import make_pdf

pytestmark = pytest.mark.django_db


def _file(ns, *, reason="Đơn vị đã ban hành kế hoạch đúng hạn (Kế hoạch số 12/KH-STP)."):
    return appeal_file(
        actor=ns.province.leader,
        assessment=ns.stp,
        items=[(ns.leaf.pk, reason)],
        summary="Đề nghị xem xét lại tiêu chí 1.6.",
    )


def test_the_window_opens_on_the_publication_day_for_ten_days(published):
    opens, closes = window(published.period)
    assert opens == timezone.localdate(published.publication.published_at)
    assert closes == opens + dt.timedelta(days=9)
    appeal_days_set(actor=published.province.admin, period=published.period, days=15)
    assert window(published.period)[1] == opens + dt.timedelta(days=14)
    with pytest.raises(DomainError, match="từ 1 đến 60"):
        appeal_days_set(actor=published.province.admin, period=published.period, days=0)


def test_the_leader_files_on_a_criterion_with_its_reason_and_score(published):
    ns = published
    appeal = _file(ns)
    (item,) = appeal.items.all()
    assert item.entry_id == ns.leaf.pk and item.reason.startswith("Đơn vị đã ban hành")
    # the final score as published: round 2, else round 1, else the self score
    final = next(
        x for x in (ns.leaf.round2_score, ns.leaf.round1_score, ns.leaf.self_score) if x is not None
    )
    assert item.score_before == final
    event = AuditEvent.objects.get(verb="appeal.file")
    assert event.actor == ns.province.leader and event.new["criteria"] == ["1.6"]
    # the same criterion cannot be pending twice
    with pytest.raises(DomainError, match="đang có kiến nghị chờ trả lời"):
        _file(ns)


@pytest.mark.parametrize("who", ["officer", "outsider", "admin"])
def test_only_the_units_leader_files(published, who):
    ns = published
    with pytest.raises(DomainError, match="Chỉ lãnh đạo đơn vị"):
        appeal_file(
            actor=getattr(ns.province, who),
            assessment=ns.stp,
            items=[(ns.leaf.pk, "x")],
        )
    assert not Appeal.objects.exists()


def test_after_the_window_the_unit_cannot_file(published):
    ns = published
    _, closes = window(ns.period)
    with time_machine.travel(
        dt.datetime.combine(closes + dt.timedelta(days=1), dt.time(9)), tick=False
    ):
        with pytest.raises(DomainError, match="hết thời hạn kiến nghị"):
            _file(ns)


def test_a_criterion_needs_a_reason_and_survey_criteria_are_refused(published):
    ns = published
    survey = Entry.objects.get(assessment=ns.stp, node__code="1.7")
    with pytest.raises(DomainError) as exc:
        appeal_file(
            actor=ns.province.leader,
            assessment=ns.stp,
            items=[(ns.leaf.pk, "  "), (survey.pk, "sai")],
        )
    assert any("ghi lý do" in p for p in exc.value.problems)
    assert any("điều tra xã hội học" in p for p in exc.value.problems)
    assert not Appeal.objects.exists()


def test_an_accepted_criterion_corrects_the_results_and_publishes_version_two(published):
    ns = published
    appeal = _file(ns)
    item = appeal.items.get()
    new = Decimal(ns.leaf.node.max)  # the council agrees: full points
    appeal = appeal_decide(
        actor=ns.province.admin,
        appeal=appeal,
        scores={item.pk: new},
        note="Hội đồng xem xét lại và chấp nhận kế hoạch của đơn vị.",
    )
    assert appeal.status == Appeal.Status.ACCEPTED
    entry = Entry.objects.get(pk=ns.leaf.pk)
    assert entry.round2_score == new and "kiến nghị số" in entry.round2_note
    # the results are the bridge's on the corrected entries, in the snapshot and in v2
    ns.stp.refresh_from_db()
    ns.syt.refresh_from_db()
    document = scoring.results_document([ns.stp, ns.syt])
    state = PeriodAppraisal.objects.get(period=ns.period)
    assert state.snapshot["blocks"]["so"]["results"] == document
    assert state.snapshot["corrections"][0]["appeal"] == appeal.pk
    v2 = Publication.objects.get(period=ns.period, version=2)
    assert appeal.publication == v2
    assert "kiến nghị số" in v2.note and "1.6" in v2.note
    (block,) = [b for b in v2.content["blocks"] if b["code"] == "so"]
    assert block["results"] == document
    stp = next(u for u in document["units"] if u["unit"] == "STP")
    before = next(
        u for u in ns.publication.content["blocks"][0]["results"]["units"] if u["unit"] == "STP"
    )
    assert Decimal(str(stp["points"])) > Decimal(str(before["points"]))
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"appeal.decide", "entry.correct", "appraisal.snapshot_correct"} <= verbs


def test_a_rejected_appeal_changes_nothing_but_needs_a_note(published):
    ns = published
    appeal = _file(ns)
    item = appeal.items.get()
    with pytest.raises(DomainError, match="Ghi ý kiến trả lời"):
        appeal_decide(actor=ns.province.admin, appeal=appeal, scores={item.pk: None}, note="")
    appeal = appeal_decide(
        actor=ns.province.admin,
        appeal=appeal,
        scores={item.pk: None},
        note="Tài liệu kiểm chứng không chứng minh được.",
    )
    assert appeal.status == Appeal.Status.REJECTED
    assert Publication.objects.filter(period=ns.period).count() == 1
    assert AppealItem.objects.get().accepted is False
    with pytest.raises(DomainError, match="đã được trả lời"):
        appeal_decide(actor=ns.province.admin, appeal=appeal, scores={item.pk: None}, note="x")


def test_only_the_organizer_answers(published):
    ns = published
    appeal = _file(ns)
    item = appeal.items.get()
    for who in (ns.province.leader, ns.province.district_admin, ns.province.chair):
        with pytest.raises(DomainError):
            appeal_decide(actor=who, appeal=appeal, scores={item.pk: None}, note="x")
    assert Appeal.objects.get().status == Appeal.Status.SUBMITTED


def test_a_score_out_of_range_is_refused_and_nothing_is_saved(published):
    ns = published
    appeal = _file(ns)
    item = appeal.items.get()
    with pytest.raises(DomainError, match="điểm phải từ"):
        appeal_decide(
            actor=ns.province.admin, appeal=appeal, scores={item.pk: Decimal("99")}, note="x"
        )
    assert Appeal.objects.get().status == Appeal.Status.SUBMITTED
    assert Publication.objects.filter(period=ns.period).count() == 1


# ---------------------------------------------------------------- pages


def test_the_leader_files_from_the_page_with_a_pdf(published, login, settings):
    ns = published
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    client = login(ns.province.leader)
    url = reverse("appeals:unit", kwargs={"assessment_pk": ns.stp.pk})
    html = client.get(url).content.decode()
    assert "Gửi kiến nghị mới" in html and "Thời hạn nhận kiến nghị" in html
    pdf = SimpleUploadedFile("kien-nghi.pdf", _pdf(), content_type="application/pdf")
    response = client.post(
        reverse("appeals:unit_file", kwargs={"assessment_pk": ns.stp.pk}),
        {"chon": [str(ns.leaf.pk)], f"ly_do_{ns.leaf.pk}": "Đã ban hành đúng hạn", "file": pdf},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert appeal.evidence_name == "kien-nghi.pdf"
    detail = client.get(reverse("appeals:detail", kwargs={"appeal_pk": appeal.pk})).content.decode()
    assert "Đã ban hành đúng hạn" in detail and "Chờ trả lời" in detail
    r = client.get(reverse("appeals:evidence", kwargs={"appeal_pk": appeal.pk}))
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")


def test_the_organizer_answers_from_the_page_with_a_vietnamese_number(published, login):
    ns = published
    appeal = _file(ns)
    item = appeal.items.get()
    client = login(ns.province.admin)
    url = reverse("appeals:decide", kwargs={"appeal_pk": appeal.pk})
    r = client.post(url, {f"ket_luan_{item.pk}": "chap_nhan", f"diem_{item.pk}": "", "y_kien": "x"})
    assert r.status_code == 400 and "Nhập điểm sau khi sửa" in r.content.decode()
    score = str(ns.leaf.node.max).rstrip("0").rstrip(".").replace(".", ",")
    r = client.post(
        url,
        {f"ket_luan_{item.pk}": "chap_nhan", f"diem_{item.pk}": score, "y_kien": "Chấp nhận."},
        follow=True,
    )
    html = r.content.decode()
    assert "Đã trả lời kiến nghị" in html and "phiên bản 2" in html
    period_page = client.get(reverse("appeals:period", kwargs={"period_pk": ns.period.pk}))
    assert f"Số {appeal.pk}" in period_page.content.decode()


def test_outsiders_get_404_and_the_unit_cannot_answer(published, login):
    ns = published
    appeal = _file(ns)
    for user in (ns.province.outsider, ns.province.district_admin, ns.province.appraiser):
        client = login(user)
        assert (
            client.get(reverse("appeals:detail", kwargs={"appeal_pk": appeal.pk})).status_code
            == 404
        )
        assert (
            client.get(reverse("appeals:unit", kwargs={"assessment_pk": ns.stp.pk})).status_code
            == 404
        )
    r = login(ns.province.leader).post(
        reverse("appeals:decide", kwargs={"appeal_pk": appeal.pk}),
        {f"ket_luan_{appeal.items.get().pk}": "khong", "y_kien": "x"},
    )
    assert r.status_code == 404
    assert Appeal.objects.get().status == Appeal.Status.SUBMITTED


def _pdf() -> bytes:
    return make_pdf("Kien nghi ve ket qua Chi so CCHC")
