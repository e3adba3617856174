"""The appraiser's pages: the queue (only one's own assignments, with the round's progress),
one unit × domain (who may see it, who may decide which leaf), the decision (saved, shown,
refused with the service's message, htmx fragment), "Đồng ý tất cả tiêu chí còn lại" (needs
the confirmation), round 2 (the unit's answer, the evidence added after round 1), and the
pages' query counts (not growing with the units or the leaves)."""

from __future__ import annotations

import copy
import hashlib
import itertools
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from parindex.accounts.services import user_create
from parindex.appraisal.models import Decision
from parindex.appraisal.services import (
    answer_save,
    answers_send,
    assignment_set,
    council_for,
    decision_record,
    decisions_accept_rest,
    member_add,
    round_close,
    round_open,
)
from parindex.assessments.models import Entry
from parindex.assessments.participation import period_add_units
from parindex.evidence.models import EvidenceFile
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.services import framework_activate, framework_import
from parindex.periods.models import CouncilMember
from tests.appraisal.conftest import entry_of, send
from tests.conftest import PASSWORD
from tests.periods.factories import _spec, make_period

K = Decision.Kind
_files = itertools.count(1)


def queue_url():
    return reverse("appraisal:queue")


def domain_url(assessment, node):
    return reverse("appraisal:domain", kwargs={"assessment_pk": assessment.pk, "node_pk": node.pk})


def decide_url(entry):
    return reverse(
        "appraisal:decide", kwargs={"assessment_pk": entry.assessment_id, "entry_id": entry.pk}
    )


def accept_url(assessment, node):
    return reverse(
        "appraisal:accept_rest", kwargs={"assessment_pk": assessment.pk, "node_pk": node.pk}
    )


def leaf_html(html: str, entry) -> str:
    """The ``<section>`` of one leaf on the domain page."""
    match = re.search(rf'<section[^>]*id="leaf-{entry.pk}".*?</section>', html, re.S)
    assert match, f"leaf {entry.pk} not on the page"
    return match.group(0)


def attach(entry, name="bao-cao.pdf", **kw):
    n = next(_files)
    return EvidenceFile.objects.create(
        assessment_id=entry.assessment_id,
        entry=entry,
        storage_name=f"evidence/test/appraiser-{n:06d}.pdf",
        original_name=name,
        size=2048,
        pages=3,
        sha256=hashlib.sha256(f"appraiser-{n}".encode()).hexdigest(),
        signature_status=kw.pop("signature_status", EvidenceFile.SignatureStatus.UNSIGNED),
        **kw,
    )


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def round1(appraisal):
    appraisal.at("round1")
    round_open(actor=appraisal.province.admin, period=appraisal.period, round=1)
    for a in (appraisal.stp, appraisal.syt):
        a.refresh_from_db()
    return appraisal


# ---------------------------------------------------------------- the queue


def test_the_queue_lists_only_my_units_and_domains_with_the_rounds_progress(round1, login):
    ns = round1
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.6"), round=1, kind=K.ACCEPT)
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.2"), round=1, kind=K.REQUEST,
                    request="Bổ sung báo cáo")  # fmt: skip
    html = login(ns.appraiser2).get(queue_url()).content.decode()
    # appraiser2 (Sở Y tế) appraises Sở Tư pháp only, as the substitute
    assert 'data-unit="STP"' in html and 'data-unit="SYT"' not in html
    progress = re.search(r'data-progress="STP-1">(.*?)</td>', html, re.S).group(1)
    assert "đã thẩm định <strong>2/8</strong>" in progress
    assert re.search(r'data-progress="STP-2">.*?0/5', html, re.S)
    assert 'data-progress="STP-8"' not in html  # survey only: nobody appraises it
    assert "30/11/2026" in html and "còn 10 ngày" in html
    assert domain_url(ns.stp, ns.domains[0]) in html

    html = login(ns.province.appraiser).get(queue_url()).content.decode()
    assert 'data-unit="SYT"' in html and 'data-unit="STP"' not in html  # never one's own unit
    assert re.search(r'data-progress="SYT-1">.*?0/8', html, re.S)


def test_a_sent_unit_before_round_one_is_greyed_not_started(appraisal, login):
    ns = appraisal
    ns.at("round1")
    html = login(ns.appraiser2).get(queue_url()).content.decode()
    assert 'data-unit="STP"' in html
    assert "Chưa bắt đầu" in html and "Bắt đầu 16/11/2026" in html


def test_someone_on_no_council_gets_the_empty_state(appraisal, login):
    response = login(appraisal.province.outsider).get(queue_url())
    assert response.status_code == 200
    assert "data-empty" in response.content.decode()
    assert "chưa là thành viên Hội đồng thẩm định" in response.content.decode()


def test_the_queue_queries_do_not_grow_with_the_units(appraisal, login, django_assert_num_queries):
    ns = appraisal
    province = ns.province
    # a Sở Nội vụ member appraises domain 2 of both units; appraiser2 only Sở Tư pháp
    both = user_create(actor=None, username="td.snv", password=PASSWORD,
                       full_name="Trịnh Thu Hà")  # fmt: skip
    seat = member_add(actor=province.admin, council=ns.council, user=both, unit=province.snv,
                      position=CouncilMember.Position.SUPPORT)  # fmt: skip
    assignment_set(actor=province.admin, period=ns.period, node=ns.domains[1], member=seat)
    ns.at("round1")
    round_open(actor=province.admin, period=ns.period, round=1)
    client = login(ns.appraiser2)
    client.get(queue_url())  # warm the framework cache
    with django_assert_num_queries(15):
        one = client.get(queue_url()).content.decode()
    assert one.count("data-unit=") == 1
    client = login(both)
    with django_assert_num_queries(15):
        two = client.get(queue_url()).content.decode()
    assert 'data-unit="STP"' in two and 'data-unit="SYT"' in two
    assert 'data-progress="STP-2"' in two and 'data-progress="STP-1"' not in two


# ---------------------------------------------------------------- who sees the domain page


def test_the_domain_page_is_404_outside_the_council_and_to_the_unit_itself(round1, login):
    ns = round1
    province = ns.province
    url = domain_url(ns.stp, ns.domains[0])
    # a member of another period's council only
    other = make_period(province, year=2027, name="Xác định Chỉ số CCHC năm 2027")
    stranger = user_create(actor=None, username="td.khac", password=PASSWORD,
                           full_name="Lý Thị Hằng")  # fmt: skip
    member_add(actor=province.admin, council=council_for(other), user=stranger,
               unit=province.syt, position=CouncilMember.Position.MEMBER)  # fmt: skip
    assert login(stranger).get(url).status_code == 404
    assert login(stranger).get(queue_url()).content.decode().count('data-unit="STP"') == 0
    # another unit's officer, the unit's own officer and leader, the seat from the unit
    for user in (province.outsider, province.officer, province.leader, province.appraiser):
        assert login(user).get(url).status_code == 404, user
        e = entry_of(ns.stp, "1.6")
        response = login(user).post(decide_url(e), {"kind": K.ACCEPT})
        assert response.status_code == 404
        assert (
            login(user).post(accept_url(ns.stp, ns.domains[0]), {"confirm": "1"}).status_code == 404
        )
    assert not Decision.objects.exists()
    # the chair's seat reads it; the organizer reads it
    assert login(province.chair).get(url).status_code == 200
    assert login(province.admin).get(url).status_code == 200


def test_a_node_that_is_not_a_domain_of_the_framework_is_404(round1, login):
    ns = round1
    client = login(ns.appraiser2)
    criterion = FrameworkNode.objects.get(framework=ns.stp.framework, code="1.1")
    assert client.get(domain_url(ns.stp, criterion)).status_code == 404
    other = make_period(ns.province, year=2027, name="Đợt khác")
    foreign = FrameworkNode.objects.filter(
        framework__in=other.blocks.values("framework"), parent__isnull=True
    ).first()
    assert client.get(domain_url(ns.stp, foreign)).status_code == 404


# ---------------------------------------------------------------- the page and the decisions


def test_the_page_shows_the_leaf_its_evidence_and_the_scores_side_by_side(round1, login):
    ns = round1
    e12 = entry_of(ns.stp, "1.2")
    attach(e12, "bao-cao-cchc.pdf")
    dup_source = attach(entry_of(ns.stp, "1.4"), "ke-hoach.pdf")
    attach(e12, "ke-hoach-ban-sao.pdf", duplicate_of=dup_source)
    html = login(ns.appraiser2).get(domain_url(ns.stp, ns.domains[0])).content.decode()
    leaf = leaf_html(html, e12)
    assert "Báo cáo CCHC đầy đủ, đúng thời hạn" in leaf
    assert "<strong>Có</strong>" in leaf  # the declared value in words
    assert "Cách tính:" in leaf
    assert "bao-cao-cchc.pdf" in leaf and "2 KB" in leaf.replace("2,0 KB", "2 KB")
    assert "3 trang" in leaf and "Bản quét" in leaf
    assert "Cùng nội dung với tệp đã đính kèm ở tiêu chí 1.4" in leaf
    assert reverse("evidence:preview", args=[dup_source.pk]) not in leaf
    assert "/xem/" in leaf and "/tai-ve/" in leaf
    assert 'data-cell="Tự chấm">1<' in leaf and "chưa thẩm định" in leaf
    assert "data-decision-form" in leaf and 'value="request"' in leaf
    assert "Chờ kết luận lần 1" in leaf
    # the survey leaf is read only
    survey = leaf_html(html, entry_of(ns.stp, "1.7"))
    assert "Chấm bằng điều tra XHH" in survey and "data-decision-form" not in survey
    # the header: unit, round, deadline, progress; tabs to the other domains
    assert "Sở Tư pháp — thẩm định lĩnh vực 1" in html
    assert "Hạn thẩm định lần 1: <strong>30/11/2026</strong>" in html
    assert 'id="pi-progress" data-progress>0/8<' in html
    assert domain_url(ns.stp, ns.domains[1]) in html and queue_url() in html


def test_an_adjustment_is_saved_and_shown_with_its_reason_appraiser_and_time(round1, login):
    ns = round1
    entry = entry_of(ns.stp, "1.6")  # ratio proportional, max 1; declared 9/10
    client = login(ns.appraiser2)
    response = client.post(decide_url(entry), {
        "kind": K.ADJUST, "value": "4,5", "value2": "9", "reason": "Chỉ chứng minh được một nửa",
    })  # fmt: skip
    url = domain_url(ns.stp, ns.domains[0])
    assert response.status_code == 302 and response["Location"] == f"{url}#leaf-{entry.pk}"
    decision = Decision.objects.get(entry=entry, current=True)
    assert (decision.kind, decision.value, decision.score) == (K.ADJUST, "4.5", Decimal("0.5"))
    entry.refresh_from_db()
    assert entry.round1_score == Decimal("0.5") and entry.self_score == Decimal("0.9")
    page = client.get(url)
    leaf = leaf_html(page.content.decode(), entry)
    assert 'data-cell="Tự chấm">0,9<' in leaf  # the self score never disappears
    assert 'data-cell="Lần 1">0,5<' in leaf
    assert "Chỉ chứng minh được một nửa" in leaf and "Đinh Văn Sơn" in leaf
    assert "20/11/2026 09:00" in leaf
    assert "Số liệu thẩm định: <strong>4,5/9</strong>" in leaf
    assert 'id="pi-progress" data-progress>1/8<' in page.content.decode()
    # a changed mind: the earlier decision goes to the history
    client.post(decide_url(entry), {"kind": K.ACCEPT})
    leaf = leaf_html(client.get(url).content.decode(), entry)
    assert "Lịch sử kết luận (1 lần trước)" in leaf
    assert 'data-cell="Lần 1">Đồng ý' in leaf


def test_direct_points_with_a_decimal_comma_on_a_choice_leaf(round1, login):
    ns = round1
    entry = entry_of(ns.stp, "1.1.1")  # choice, max 1
    response = login(ns.appraiser2).post(decide_url(entry), {
        "kind": K.ADJUST, "score": "0,5", "reason": "Ban hành chậm 5 ngày",
    })  # fmt: skip
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.round1_score == Decimal("0.5")


def test_a_refused_decision_shows_the_message_next_to_the_leaf_and_saves_nothing(round1, login):
    ns = round1
    entry = entry_of(ns.stp, "1.6")
    client = login(ns.appraiser2)
    response = client.post(decide_url(entry), {"kind": K.ADJUST, "value": "1", "value2": "2"})
    assert response.status_code == 400
    leaf = leaf_html(response.content.decode(), entry)
    assert "data-error>Tiêu chí 1.6: ghi lý do điều chỉnh.<" in leaf
    assert 'value="1"' in leaf and 'value="2"' in leaf  # what was typed stays
    response = client.post(decide_url(entry), {"kind": K.ADJUST, "value": "1,2,3", "reason": "x"})
    assert response.status_code == 400 and "nhiều dấu phẩy" in response.content.decode()
    response = client.post(decide_url(entry), {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert response.content.decode().lstrip().startswith("<section")
    assert "Chọn kết luận" in response.content.decode()
    assert not Decision.objects.exists()


def test_with_htmx_the_leaf_fragment_answers_with_the_message_and_progress(round1, login):
    ns = round1
    entry = entry_of(ns.stp, "1.2")
    response = login(ns.appraiser2).post(
        decide_url(entry),
        {"kind": K.REQUEST, "request": "Bổ sung báo cáo quý IV"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Tiêu chí 1.2: đã ghi kết luận “Yêu cầu giải trình, bổ sung” (lần 1)." in html
    assert 'id="pi-progress" data-progress hx-swap-oob="true">1/8<' in html
    leaf = leaf_html(html, entry)
    assert "Bổ sung báo cáo quý IV" in leaf and 'data-cell="Lần 1">Yêu cầu giải trình' in leaf


def test_an_appraiser_who_may_not_decide_gets_no_form_and_a_post_is_refused(round1, login):
    ns = round1
    entry = entry_of(ns.stp, "1.6")
    client = login(ns.province.chair)  # a seat on the council, nothing assigned
    html = client.get(domain_url(ns.stp, ns.domains[0])).content.decode()
    assert "data-decision-form" not in html and "data-accept-rest" not in html
    assert "Người thẩm định: Đinh Văn Sơn" in leaf_html(html, entry)
    response = client.post(decide_url(entry), {"kind": K.ACCEPT})
    assert response.status_code == 400
    assert "Tiêu chí 1.6 của Sở Tư pháp không được phân công cho bạn." in leaf_html(
        response.content.decode(), entry
    )
    response = client.post(accept_url(ns.stp, ns.domains[0]), {"confirm": "1"}, follow=True)
    assert any("không còn tiêu chí nào chờ bạn kết luận" in m for m in texts(response))
    assert not Decision.objects.exists()


def test_outside_the_round_the_page_is_read_only_and_a_post_is_refused(appraisal, login):
    ns = appraisal
    ns.at("round1")  # sent, round 1 not opened yet
    entry = entry_of(ns.stp, "1.6")
    client = login(ns.appraiser2)
    html = client.get(domain_url(ns.stp, ns.domains[0])).content.decode()
    assert "Thẩm định lần 1 chưa bắt đầu" in html and "data-decision-form" not in html
    response = client.post(decide_url(entry), {"kind": K.ACCEPT})
    assert response.status_code == 400
    assert "Thẩm định lần 1 không mở cho Sở Tư pháp" in response.content.decode()


def test_accept_rest_needs_the_confirmation_then_accepts_what_is_left(round1, login):
    ns = round1
    domain = ns.domains[0]
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.6"), round=1, kind=K.ADJUST,
                    value="1", value2="2", reason="Chỉ 1/2")  # fmt: skip
    client = login(ns.appraiser2)
    html = client.get(domain_url(ns.stp, domain)).content.decode()
    assert "Đồng ý tất cả 7 tiêu chí còn lại" in html
    assert 'name="confirm" value="1"' in html and "required" in html
    response = client.post(accept_url(ns.stp, domain), {}, follow=True)
    assert any("Đánh dấu ô xác nhận" in m for m in texts(response))
    assert Decision.objects.count() == 1
    response = client.post(accept_url(ns.stp, domain), {"confirm": "1"}, follow=True)
    assert any("Đã đồng ý 7 tiêu chí thành phần còn lại của lĩnh vực 1" in m
               for m in texts(response))  # fmt: skip
    assert Decision.objects.filter(round=1, current=True, kind=K.ACCEPT).count() == 7
    assert Decision.objects.get(entry=entry_of(ns.stp, "1.6"), current=True).kind == K.ADJUST
    html = response.content.decode()
    assert "data-accept-rest" not in html
    assert 'id="pi-progress" data-progress>8/8<' in html


# ---------------------------------------------------------------- round 2


@pytest.fixture
def round2(round1):
    ns = round1
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.6"), round=1, kind=K.ADJUST,
                    value="1", value2="2", reason="Chỉ chứng minh 1/2")  # fmt: skip
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.2"), round=1, kind=K.REQUEST,
                    request="Bổ sung báo cáo quý IV")  # fmt: skip
    ns.old_file = attach(entry_of(ns.stp, "1.2"), "bao-cao-quy-3.pdf")
    for a, user in ((ns.stp, ns.appraiser2), (ns.syt, ns.province.appraiser)):
        for d in ns.domains:
            try:
                decisions_accept_rest(actor=user, assessment=a, domain=d, round=1)
            except Exception:  # noqa: BLE001, S110 - nothing left in that domain
                pass
    round_close(actor=ns.province.admin, period=ns.period, round=1)
    ns.at("supplement")
    answer_save(actor=ns.province.officer, entry=entry_of(ns.stp, "1.2"),
                text="Đã gửi báo cáo quý IV ngày 05/01", value="yes")  # fmt: skip
    ns.new_file = attach(entry_of(ns.stp, "1.2"), "bao-cao-quy-4.pdf")
    answers_send(actor=ns.province.leader, assessment=ns.stp)
    ns.at("round2")
    round_open(actor=ns.province.admin, period=ns.period, round=2)
    for a in (ns.stp, ns.syt):
        a.refresh_from_db()
    return ns


def test_round_two_shows_the_answer_and_the_evidence_added_after_round_one(round2, login):
    ns = round2
    client = login(ns.appraiser2)
    html = client.get(domain_url(ns.stp, ns.domains[0])).content.decode()
    leaf = leaf_html(html, entry_of(ns.stp, "1.2"))
    assert "Giải trình, bổ sung của đơn vị" in leaf
    assert "Hội đồng yêu cầu: Bổ sung báo cáo quý IV" in leaf
    assert "Đã gửi báo cáo quý IV ngày 05/01" in leaf
    files = re.findall(r'<li class="list-group-item.*?</li>', leaf, re.S)
    assert len(files) == 2
    assert "bao-cao-quy-3.pdf" in files[0] and "Mới bổ sung" not in files[0]
    assert "bao-cao-quy-4.pdf" in files[1] and "Mới bổ sung" in files[1]
    assert "Chờ kết luận lần 2" in leaf
    assert 'value="request"' not in leaf  # round 2 settles: no new request
    assert "Hạn thẩm định lần 2: <strong>20/12/2026</strong>" in html
    # only the leaves asked about in round 1 count in round 2
    assert 'id="pi-progress" data-progress>0/2<' in html
    assert "Đồng ý tất cả 2 tiêu chí còn lại" in html
    # a leaf accepted in round 1 carries it forward; it may still be reviewed
    carried = leaf_html(html, entry_of(ns.stp, "1.4"))
    assert 'data-cell="Lần 2">giữ kết quả lần 1' in carried and "data-review" in carried
    assert "data-carried>Giữ kết quả lần 1<" in carried and "data-waiting" not in carried
    # the queue says what is new
    queue = client.get(queue_url()).content.decode()
    assert "data-answers-sent" in queue and "Đã gửi giải trình" in queue
    assert re.search(r'data-progress="STP-1">.*?0/2', queue, re.S)


def test_round_two_adopts_the_units_corrected_value(round2, login):
    ns = round2
    entry = entry_of(ns.stp, "1.2")
    client = login(ns.appraiser2)
    html = client.get(domain_url(ns.stp, ns.domains[0])).content.decode()
    assert f'value="yes" id="d{entry.pk}-yes" checked' in leaf_html(html, entry)
    response = client.post(decide_url(entry), {"kind": K.REQUEST, "request": "x"})
    assert response.status_code == 400
    response = client.post(decide_url(entry), {
        "kind": K.ADJUST, "value": "yes", "reason": "Đơn vị đã bổ sung báo cáo",
    })  # fmt: skip
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.round2_score == Decimal("1")


# ---------------------------------------------------------------- query counts


@pytest.fixture
def big(province, clock):
    """A framework whose domain 1 has 20 leaves, every one with two evidence files, sent by
    Sở Tư pháp and in round 1; ``appraiser2`` (Sở Y tế) appraises it."""
    ns = type("NS", (), {})()
    ns.province = province
    clock("self")
    spec = copy.deepcopy(_spec())
    spec["code"] = "SO-BIG-2026"
    spec["block"] = province.so.code
    spec["year"] = 2026
    first = spec["nodes"][0]
    extra = 20 - sum(1 for _ in _leaves(first))
    for i in range(extra):
        first["children"].append({
            "code": f"1.{100 + i}", "title": f"Tiêu chí bổ sung số {i + 1}", "max": 1,
            "rule": {"type": "boolean"}, "evidence": "Văn bản chứng minh",
        })  # fmt: skip
    first["max"] = first["max"] + extra
    fw = framework_import(actor=None, owner=province.snv, data=spec, source="big.yaml")
    framework_activate(actor=None, framework=fw)
    fw.refresh_from_db()
    ns.period = make_period(province, frameworks={province.so: fw})
    (ns.stp,) = period_add_units(actor=province.admin, period=ns.period, units=[province.stp])
    ns.appraiser2 = user_create(actor=None, username="td.syt", password=PASSWORD,
                                full_name="Đinh Văn Sơn")  # fmt: skip
    council = council_for(ns.period)
    seat2 = member_add(actor=province.admin, council=council, user=ns.appraiser2,
                       unit=province.syt, position=CouncilMember.Position.MEMBER)  # fmt: skip
    ns.domains = list(
        FrameworkNode.objects.filter(framework=fw, parent__isnull=True).order_by("position")
    )
    for d in ns.domains:
        assignment_set(actor=province.admin, period=ns.period, node=d, member=seat2)
    send(ns.stp, province.officer, province.leader)
    for entry in Entry.objects.filter(assessment=ns.stp):
        attach(entry, "a.pdf")
        attach(entry, "b.pdf")
    clock("round1")
    round_open(actor=province.admin, period=ns.period, round=1)
    ns.stp.refresh_from_db()
    return ns


def _leaves(node):
    if node.get("children"):
        for child in node["children"]:
            yield from _leaves(child)
    else:
        yield node


def test_the_domain_page_queries_do_not_grow_with_the_leaves(big, login, django_assert_num_queries):
    ns = big
    client = login(ns.appraiser2)
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.6"), round=1, kind=K.ADJUST,
                    value="1", value2="2", reason="Chỉ 1/2")  # fmt: skip
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.6"), round=1, kind=K.ACCEPT)
    big_domain, small_domain = ns.domains[0], ns.domains[1]
    assert Entry.objects.filter(assessment=ns.stp, node__code__startswith="1.").count() >= 20
    client.get(domain_url(ns.stp, big_domain))  # warm the framework cache
    with django_assert_num_queries(19) as big_run:
        response = client.get(domain_url(ns.stp, big_domain))
    html = response.content.decode()
    # 20 leaves, the 19 appraised ones with their two files each (the survey leaf shows none)
    assert html.count("data-leaf ") == 20 and html.count("data-file=") == 38
    assert "Lịch sử kết luận" in html
    with django_assert_num_queries(len(big_run.captured_queries)):
        client.get(domain_url(ns.stp, small_domain))
