"""The unit's side of the appraisal: nothing of round 1 before it closes, then only the leaves
the council adjusted or asked about; the answers, the new evidence, the leader's sending, the
deadline; nobody else reaches these pages."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from parindex.appraisal.models import Answer, AppraisalState, Decision
from parindex.appraisal.services import answer_save, decision_record, round_close, round_open
from parindex.assessments import scoring
from parindex.assessments.models import Status
from parindex.common.numbers import vn_number, vn_points
from parindex.evidence.models import EvidenceFile
from tests.appraisal.conftest import entry_of
from tests.appraisal.test_flow import _accept_all, _through_round_one
from tests.evidence import pdfs

K = Decision.Kind


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": "/_unused_/"},
        },
    }
    settings.MAX_UPLOAD_MB = 20


@pytest.fixture
def answering(appraisal):
    """Round 1 closed (Sở Tư pháp: 1.6 adjusted to 1/2, 1.2 asked), in Giải trình, bổ sung."""
    _through_round_one(appraisal)
    appraisal.at("supplement")
    appraisal.stp.refresh_from_db()
    return appraisal


def page_url(assessment):
    return reverse("appraisal:supplement", kwargs={"assessment_pk": assessment.pk})


def answer_url(entry):
    return reverse(
        "appraisal:answer", kwargs={"assessment_pk": entry.assessment_id, "entry_id": entry.pk}
    )


def upload_url(entry):
    return reverse(
        "appraisal:answer_upload",
        kwargs={"assessment_pk": entry.assessment_id, "entry_id": entry.pk},
    )


def send_url(assessment):
    return reverse("appraisal:answers_send", kwargs={"assessment_pk": assessment.pk})


def shown_codes(html: str) -> set[str]:
    return set(re.findall(r'<section class="card mb-3" id="muc-\d+" data-code="([^"]+)"', html))


def section(html: str, entry) -> str:
    match = re.search(rf'<section [^>]*id="muc-{entry.pk}".*?</section>', html, re.S)
    assert match, f"leaf {entry.node.code} not on the page"
    return match.group(0)


def pdf_file(name="bo-sung.pdf", text="Quyet dinh ban hanh ke hoach", **kw):
    return SimpleUploadedFile(name, pdfs.make_pdf(text, **kw), content_type="application/pdf")


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# ---------------------------------------------------------------- before round 1 closes


def test_nothing_of_round_one_reaches_the_unit_while_it_runs(appraisal, login):
    ns = appraisal
    ns.at("round1")
    round_open(actor=ns.province.admin, period=ns.period, round=1)
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.6"), round=1, kind=K.ADJUST,
                    value="1", value2="2", reason="Chỉ chứng minh 1/2")  # fmt: skip
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.2"), round=1, kind=K.REQUEST,
                    request="Bổ sung quyết định ban hành kế hoạch")  # fmt: skip
    client = login(ns.province.officer)
    html = client.get(page_url(ns.stp)).content.decode()
    assert "Chưa có kết quả thẩm định lần 1" in html
    assert "Chỉ chứng minh 1/2" not in html and "Bổ sung quyết định" not in html
    assert shown_codes(html) == set() and "data-answer-form" not in html
    assert "Tổng điểm sau thẩm định" not in html
    # the workspace offers the page only once round 1 is closed
    workspace = client.get(reverse("assessments:workspace", args=[ns.stp.pk])).content.decode()
    assert "data-appraisal-card" not in workspace
    # and nothing can be answered meanwhile
    response = client.post(answer_url(entry_of(ns.stp, "1.2")), {"text": "Đã có KH"})
    assert "Chỉ giải trình, bổ sung khi bản đánh giá đang ở giai đoạn" in " ".join(texts(response))
    assert not Answer.objects.exists()


# ---------------------------------------------------------------- the round results


def test_the_unit_sees_only_the_adjusted_and_asked_leaves_with_the_councils_reasons(
    answering, login
):
    ns = answering
    client = login(ns.province.officer)
    html = client.get(page_url(ns.stp)).content.decode()
    assert shown_codes(html) == {"1.6", "1.2"}
    adjusted = section(html, entry_of(ns.stp, "1.6"))
    assert "Điều chỉnh" in adjusted and "Chỉ chứng minh 1/2" in adjusted
    assert "data-declared>9/10<" in adjusted and "data-appraised>1/2<" in adjusted
    asked = section(html, entry_of(ns.stp, "1.2"))
    assert "Bổ sung quyết định ban hành kế hoạch" in asked
    assert "chưa chấm lại: tạm tính theo số liệu kê khai" in asked
    # the council speaks, not the person
    assert "Hội đồng thẩm định" in asked and ns.appraiser2.full_name not in html
    # the totals are the bridge's
    self_total = scoring.assessment_scores(ns.stp, scoring.SELF).points
    round1_total = scoring.assessment_scores(ns.stp, scoring.FINAL).points
    assert f"data-self-total>{vn_number(self_total)}<" in html
    assert f"data-round1-total>{vn_number(round1_total)}<" in html
    assert "data-adjusted>1<" in html and "data-requested>1<" in html
    assert "data-answered>0/2<" in html
    # the deadline: the last day of the phase (10/12), 7 days from 03/12
    assert "10/12/2026 23:59" in html and "còn 7 ngày" in html
    # the workspace links to it now
    workspace = client.get(reverse("assessments:workspace", args=[ns.stp.pk])).content.decode()
    assert "data-appraisal-card" in workspace and page_url(ns.stp) in workspace


def test_the_leaf_scores_are_the_bridges(answering, login):
    ns = answering
    html = login(ns.province.leader).get(page_url(ns.stp)).content.decode()
    own = scoring.assessment_scores(ns.stp, scoring.SELF).leaves
    final = scoring.assessment_scores(ns.stp, scoring.FINAL).leaves
    adjusted = section(html, entry_of(ns.stp, "1.6"))
    assert final["1.6"] == Decimal("0.5")
    assert "data-round1>0,5<" in adjusted
    assert f"data-self>{vn_points(own['1.6'])}<" in adjusted


def test_the_organizer_reads_the_page_without_answering(answering, login):
    ns = answering
    html = login(ns.province.admin).get(page_url(ns.stp)).content.decode()
    assert shown_codes(html) == {"1.6", "1.2"}
    assert "data-answer-form" not in html and "data-upload-form" not in html
    assert "data-send-button" not in html and "Chỉ xem" in html


# ---------------------------------------------------------------- answers


def test_the_officer_answers_a_request_with_corrected_values(answering, login):
    ns = answering
    client = login(ns.province.officer)
    entry = entry_of(ns.stp, "1.2")
    response = client.post(answer_url(entry), {"text": "Đã ban hành KH số 5/KH-STP", "value": "no"})
    assert response.status_code == 302 and response["Location"].endswith(f"#muc-{entry.pk}")
    answer = Answer.objects.get(entry=entry)
    assert (answer.text, answer.value) == ("Đã ban hành KH số 5/KH-STP", "no")
    entry.refresh_from_db()
    assert entry.value == "yes"  # the declaration is untouched
    page = client.get(page_url(ns.stp))
    html = page.content.decode()
    assert "Đã lưu giải trình tiêu chí 1.2." in " ".join(texts(page))
    asked = section(html, entry)
    assert "Đã ban hành KH số 5/KH-STP" in asked and "Đã giải trình" in asked
    assert 'value="no" checked' in asked
    assert "data-answered>1/2<" in html


def test_a_refused_answer_keeps_what_was_typed(answering, login):
    ns = answering
    client = login(ns.province.officer)
    entry = entry_of(ns.stp, "1.6")  # an adjustment: text only
    response = client.post(
        answer_url(entry), {"text": "Văn bản thứ hai là QĐ 12/QĐ-STP", "value": "2", "value2": "2"}
    )
    assert response.status_code == 200
    assert "chỉ bổ sung số liệu khi Hội đồng yêu cầu giải trình" in " ".join(texts(response))
    assert "Văn bản thứ hai là QĐ 12/QĐ-STP" in section(response.content.decode(), entry)
    assert not Answer.objects.exists()
    # a number officers cannot mean is refused by the form, before the service
    response = client.post(
        answer_url(entry_of(ns.stp, "1.6")), {"text": "Giải trình", "value": "1,2,3"}
    )
    assert any(m.startswith("Tiêu chí 1.6: Số liệu:") for m in texts(response))
    assert not Answer.objects.filter(entry__node__code="1.6").exists()


def test_a_leaf_the_council_agreed_with_takes_no_answer(answering, login):
    ns = answering
    client = login(ns.province.officer)
    response = client.post(answer_url(entry_of(ns.stp, "1.1.1")), {"text": "x"})
    assert "không cần giải trình" in " ".join(texts(response))
    assert not Answer.objects.exists()


# ---------------------------------------------------------------- new evidence


def test_new_evidence_is_uploaded_and_listed_as_supplementary(answering, login, media):
    ns = answering
    entry = entry_of(ns.stp, "1.2")
    # a file from the self-assessment stays as it was
    old = EvidenceFile.objects.create(
        assessment=ns.stp, entry=entry, storage_name="evidence/x/old.pdf",
        original_name="ke-hoach-cu.pdf", size=10, sha256="0" * 64, pages=1,
        signature_status=EvidenceFile.SignatureStatus.UNSIGNED,
    )  # fmt: skip
    EvidenceFile.objects.filter(pk=old.pk).update(uploaded_at=timezone.now().replace(month=10))
    client = login(ns.province.officer)
    response = client.post(upload_url(entry), {"files": [pdf_file()]}, follow=True)
    assert any("Đã tải lên tài liệu bổ sung 'bo-sung.pdf'" in m for m in texts(response))
    new = EvidenceFile.objects.get(entry=entry, original_name="bo-sung.pdf")
    assert new.uploaded_by == ns.province.officer
    asked = section(response.content.decode(), entry)
    items = re.findall(r"<li class=\"list-group-item.*?</li>", asked, re.S)
    assert len(items) == 2
    assert "ke-hoach-cu.pdf" in items[0] and "data-supplementary" not in items[0]
    assert "bo-sung.pdf" in items[1] and "data-supplementary" in items[1]
    assert "data-answered>1/2<" in response.content.decode()  # a new file answers too


def test_what_is_not_a_pdf_or_too_large_is_refused_with_the_reason(
    answering, login, media, settings, monkeypatch
):
    ns = answering
    entry = entry_of(ns.stp, "1.2")
    client = login(ns.province.officer)
    fake = SimpleUploadedFile("ghi-chu.pdf", b"khong phai pdf", content_type="application/pdf")
    response = client.post(upload_url(entry), {"files": [fake]}, follow=True)
    assert any("không phải là tệp PDF hợp lệ" in m for m in texts(response))
    settings.MAX_UPLOAD_MB = 1
    seen = []
    from parindex.appraisal import services

    real = services.answer_upload

    def spy(*, actor, entry, upload):
        seen.append(getattr(upload, "too_large", False))
        return real(actor=actor, entry=entry, upload=upload)

    monkeypatch.setattr(services, "answer_upload", spy)
    big = pdf_file("lon.pdf", padding=1_300_000)
    response = client.post(upload_url(entry), {"files": [big]}, follow=True)
    assert any("vượt quá giới hạn 1 MB" in m for m in texts(response))
    assert seen == [True]  # the size guard cut the body short, as on the evidence page
    assert not EvidenceFile.objects.exists()
    # on a leaf the council agreed with, nothing is added
    response = client.post(upload_url(entry_of(ns.stp, "1.1.1")), {"files": [pdf_file()]},
                           follow=True)  # fmt: skip
    assert any("không cần giải trình" in m for m in texts(response))
    assert not EvidenceFile.objects.exists()


# ---------------------------------------------------------------- sending


def test_the_officer_cannot_send_the_leader_sends_then_everything_is_read_only(
    answering, login, client
):
    ns = answering
    answer_save(actor=ns.province.officer, entry=entry_of(ns.stp, "1.2"), text="KH số 5")
    officer = login(ns.province.officer)
    html = officer.get(page_url(ns.stp)).content.decode()
    assert "data-leader-sends" in html and "data-send-button" not in html
    response = officer.post(send_url(ns.stp), {"confirm": "1"}, follow=True)
    assert any("Chỉ lãnh đạo đơn vị" in m for m in texts(response))
    assert not AppraisalState.objects.filter(answers_sent_at__isnull=False).exists()

    leader = login(ns.province.leader)
    html = leader.get(page_url(ns.stp)).content.decode()
    assert "data-send-button" in html
    response = leader.post(send_url(ns.stp), {}, follow=True)  # not confirmed
    assert any("Đánh dấu ô xác nhận" in m for m in texts(response))
    response = leader.post(send_url(ns.stp), {"confirm": "1"}, follow=True)
    assert any("Đã gửi giải trình, bổ sung đến Hội đồng thẩm định lúc 09:00 ngày 03/12/2026" in m
               for m in texts(response))  # fmt: skip
    html = response.content.decode()
    assert "Đã gửi lúc 09:00 ngày 03/12/2026 (Lê Quang Huy)" in html
    assert "data-answer-form" not in html and "data-upload-form" not in html
    assert "data-send-button" not in html
    assert "KH số 5" in section(html, entry_of(ns.stp, "1.2"))  # read only, still shown
    assert "Đơn vị không giải trình tiêu chí này." in section(html, entry_of(ns.stp, "1.6"))
    response = leader.post(answer_url(entry_of(ns.stp, "1.2")), {"text": "sửa"})
    assert any("đã gửi giải trình" in m for m in texts(response))
    assert Answer.objects.get(entry__node__code="1.2").text == "KH số 5"


def test_after_the_deadline_the_forms_are_closed_with_the_reason(answering, login):
    ns = answering
    ns.at("round2")  # 12/12: the phase ended on 10/12, round 2 not opened yet
    client = login(ns.province.officer)
    html = client.get(page_url(ns.stp)).content.decode()
    assert "Đã hết hạn giải trình, bổ sung" in html and "data-lock-reason" in html
    assert "data-answer-form" not in html and "data-upload-form" not in html
    response = client.post(answer_url(entry_of(ns.stp, "1.2")), {"text": "muộn"})
    assert any("Đã hết hạn giải trình" in m for m in texts(response))
    assert not Answer.objects.exists()


# ---------------------------------------------------------------- round 2


def test_round_two_is_shown_once_it_is_closed(answering, login):
    ns = answering
    answer_save(actor=ns.province.officer, entry=entry_of(ns.stp, "1.2"), text="KH số 5")
    from parindex.appraisal.services import answers_send

    answers_send(actor=ns.province.leader, assessment=ns.stp)
    ns.at("round2")
    round_open(actor=ns.province.admin, period=ns.period, round=2)
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.6"), round=2, kind=K.ADJUST,
                    value="3", value2="4", reason="Văn bản bổ sung chứng minh thêm")  # fmt: skip
    client = login(ns.province.officer)
    html = client.get(page_url(ns.stp)).content.decode()
    assert "Điểm thẩm định lần 2" not in html and "Văn bản bổ sung chứng minh" not in html
    assert "data-round1>0,5<" in section(html, entry_of(ns.stp, "1.6"))
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.2"), round=2, kind=K.ACCEPT)
    round_close(actor=ns.province.admin, period=ns.period, round=2)
    ns.stp.refresh_from_db()
    assert ns.stp.status == Status.APPRAISED
    html = client.get(page_url(ns.stp)).content.decode()
    adjusted = section(html, entry_of(ns.stp, "1.6"))
    assert "data-round2>0,75<" in adjusted and "Văn bản bổ sung chứng minh thêm" in adjusted
    final = scoring.assessment_scores(ns.stp, scoring.FINAL).points
    assert f"data-round2-total>{vn_number(final)}<" in html


# ---------------------------------------------------------------- access


def _all_urls(ns):
    entry = entry_of(ns.stp, "1.2")
    return [
        ("get", page_url(ns.stp), {}),
        ("post", answer_url(entry), {"text": "x"}),
        ("post", upload_url(entry), {"files": [pdf_file()]}),
        ("post", send_url(ns.stp), {"confirm": "1"}),
    ]


def test_another_units_officer_gets_404_on_every_url(answering, login, media):
    ns = answering
    client = login(ns.province.outsider)  # Sở Y tế's officer
    for method, url, data in _all_urls(ns):
        assert getattr(client, method)(url, data).status_code == 404, url
    # and an entry of Sở Y tế under Sở Tư pháp's id is 404 to Sở Tư pháp too
    own = login(ns.province.officer)
    wrong = reverse("appraisal:answer", kwargs={"assessment_pk": ns.stp.pk,
                                                 "entry_id": entry_of(ns.syt, "1.2").pk})  # fmt: skip
    assert own.post(wrong, {"text": "x"}).status_code == 404
    assert not Answer.objects.exists() and not EvidenceFile.objects.exists()
    assert not AppraisalState.objects.filter(answers_sent_at__isnull=False).exists()


@pytest.mark.parametrize("who", ["appraiser2", "appraiser", "chair"])
def test_the_council_gets_404_on_the_units_pages_and_answers(answering, login, media, who):
    ns = answering
    user = getattr(ns, who, None) or getattr(ns.province, who)
    client = login(user)
    for method, url, data in _all_urls(ns):
        assert getattr(client, method)(url, data).status_code in (403, 404), (who, url)
    assert not Answer.objects.exists() and not EvidenceFile.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(answering, client):
    response = client.get(page_url(answering.stp))
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


# ---------------------------------------------------------------- queries


def test_the_page_reads_a_fixed_number_of_queries(
    appraisal, login, media, django_assert_max_num_queries
):
    ns = appraisal
    ns.at("round1")
    round_open(actor=ns.province.admin, period=ns.period, round=1)
    codes = ["1.1.1", "1.1.2", "1.2", "1.3.1", "1.4", "1.5", "1.6", "2.1", "2.2", "2.5"]
    for code in codes:  # every kind of input: choice, ratio, boolean, count, number
        decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, code), round=1,
                        kind=K.REQUEST, request=f"Bổ sung tài liệu tiêu chí {code}")  # fmt: skip
    _accept_all(ns, ns.stp, ns.appraiser2)
    _accept_all(ns, ns.syt, ns.province.appraiser)
    round_close(actor=ns.province.admin, period=ns.period, round=1)
    ns.at("supplement")
    officer = ns.province.officer
    for code in codes[:4]:
        answer_save(actor=officer, entry=entry_of(ns.stp, code), text=f"Giải trình {code}")
    client = login(officer)
    client.post(upload_url(entry_of(ns.stp, "1.2")), {"files": [pdf_file()]})
    client.get(page_url(ns.stp))  # warm the framework cache
    with django_assert_max_num_queries(15):
        response = client.get(page_url(ns.stp))
    html = response.content.decode()
    assert shown_codes(html) == set(codes)
    assert html.count("data-answer-form") == len(codes) and "data-answered>4/10<" in html
