"""The appraisal's services end to end: assignment gaps, round 1 (conflict of interest,
adjustments computed by the engine, requests, bulk accept), the unit's answers, round 2,
the chair's return and approval with the frozen snapshot."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex.appraisal.models import Answer, Decision, PeriodAppraisal
from parindex.appraisal.selectors.assignment import plan, unassigned
from parindex.appraisal.services import (
    answer_save,
    answers_send,
    assignment_remove,
    chair_approve,
    chair_return,
    consolidation_submit,
    decision_record,
    decisions_accept_rest,
    round_close,
    round_open,
)
from parindex.assessments import scoring
from parindex.assessments.models import Status
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.periods.models import Assignment
from tests.appraisal.conftest import entry_of

K = Decision.Kind


def _accept_all(ns, assessment, user, round=1):
    for d in ns.domains:
        try:
            decisions_accept_rest(actor=user, assessment=assessment, domain=d, round=round)
        except DomainError:
            pass  # nothing left in this domain


def test_round_one_cannot_start_while_a_leaf_has_no_appraiser(appraisal):
    ns = appraisal
    ns.at("round1")
    assignment_remove(
        actor=ns.province.admin, assignment=Assignment.objects.get(node=ns.domains[1])
    )
    gaps = unassigned(plan(ns.period), [ns.stp, ns.syt])
    assert gaps and {g.node.code.split(".")[0] for g in gaps} == {ns.domains[1].code}
    with pytest.raises(DomainError, match=r"chưa có người thẩm định \(Sở Tư pháp: 2\.1"):
        round_open(actor=ns.province.admin, period=ns.period, round=1)
    ns.stp.refresh_from_db()
    assert ns.stp.status == Status.SUBMITTED


def test_nobody_appraises_their_own_unit_the_substitute_does(appraisal):
    ns = appraisal
    ns.at("round1")
    round_open(actor=ns.province.admin, period=ns.period, round=1)
    entry = entry_of(ns.stp, "1.2")
    with pytest.raises(DomainError, match="đây là cơ quan của bạn"):
        decision_record(actor=ns.province.appraiser, entry=entry, round=1, kind=K.ACCEPT)
    with pytest.raises(DomainError, match="Bạn không thẩm định Sở Y tế"):
        decision_record(actor=ns.appraiser2, entry=entry_of(ns.syt, "1.2"), round=1, kind=K.ACCEPT)
    with pytest.raises(DomainError, match="không được phân công cho bạn"):
        decision_record(actor=ns.province.chair, entry=entry, round=1, kind=K.ACCEPT)
    with pytest.raises(DomainError, match="không được phân công cho bạn"):
        decision_record(actor=ns.province.outsider, entry=entry, round=1, kind=K.ACCEPT)
    decision_record(actor=ns.appraiser2, entry=entry, round=1, kind=K.ACCEPT)
    decision_record(actor=ns.province.appraiser, entry=entry_of(ns.syt, "1.2"), round=1,
                    kind=K.ACCEPT)  # fmt: skip
    assert Decision.objects.filter(round=1, current=True).count() == 2


def test_a_decision_outside_the_round_is_refused(appraisal):
    ns = appraisal
    with pytest.raises(DomainError, match="Thẩm định lần 1 không mở"):
        decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.2"), round=1, kind=K.ACCEPT)


def test_an_adjustment_is_scored_by_the_engine_and_keeps_the_self_score(appraisal):
    ns = appraisal
    ns.at("round1")
    round_open(actor=ns.province.admin, period=ns.period, round=1)
    entry = entry_of(ns.stp, "1.6")  # ratio proportional, max 1; declared 9/10
    before = entry.self_score
    with pytest.raises(DomainError, match="ghi lý do điều chỉnh"):
        decision_record(actor=ns.appraiser2, entry=entry, round=1, kind=K.ADJUST, value="1",
                        value2="2")  # fmt: skip
    decision_record(actor=ns.appraiser2, entry=entry, round=1, kind=K.ADJUST, value="1",
                    value2="2", reason="Báo cáo chỉ chứng minh 1/2 văn bản")  # fmt: skip
    entry.refresh_from_db()
    assert entry.round1_score == Decimal("0.5") and entry.self_score == before
    ns.stp.refresh_from_db()
    final = scoring.assessment_scores(ns.stp, scoring.FINAL)
    assert ns.stp.final_points == final.points
    assert ns.stp.self_points - ns.stp.final_points == before - Decimal("0.5")
    # a changed mind is a new row; the previous one stops counting
    decision_record(actor=ns.appraiser2, entry=entry, round=1, kind=K.ACCEPT)
    assert Decision.objects.filter(entry=entry).count() == 2
    assert Decision.objects.get(entry=entry, current=True).kind == K.ACCEPT
    entry.refresh_from_db()
    assert entry.round1_score is None
    assert AuditEvent.objects.filter(verb="appraisal.decide1", object_id=str(entry.pk)).count() == 2


def test_points_out_of_range_and_direct_points_on_a_ratio_are_refused(appraisal):
    ns = appraisal
    ns.at("round1")
    round_open(actor=ns.province.admin, period=ns.period, round=1)
    with pytest.raises(DomainError, match="nhập số liệu thẩm định"):
        decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.6"), round=1,
                        kind=K.ADJUST, score=Decimal("0.5"), reason="x")  # fmt: skip
    with pytest.raises(DomainError, match="Tiêu chí 1.6"):
        decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.6"), round=1,
                        kind=K.ADJUST, value="3", value2="2", reason="x")  # fmt: skip
    with pytest.raises(DomainError, match="ghi rõ nội dung cần giải trình"):
        decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.2"), round=1,
                        kind=K.REQUEST)  # fmt: skip


def _through_round_one(ns):
    ns.at("round1")
    round_open(actor=ns.province.admin, period=ns.period, round=1)
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.6"), round=1, kind=K.ADJUST,
                    value="1", value2="2", reason="Chỉ chứng minh 1/2")  # fmt: skip
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.2"), round=1, kind=K.REQUEST,
                    request="Bổ sung quyết định ban hành kế hoạch")  # fmt: skip
    with pytest.raises(DomainError, match=r"chưa có kết luận \(Sở Tư pháp: 1\.1\.1"):
        round_close(actor=ns.province.admin, period=ns.period, round=1)
    _accept_all(ns, ns.stp, ns.appraiser2)
    _accept_all(ns, ns.syt, ns.province.appraiser)
    round_close(actor=ns.province.admin, period=ns.period, round=1)


def test_bulk_accept_decides_only_what_is_left_and_round_one_closes(appraisal):
    ns = appraisal
    _through_round_one(ns)
    for a in (ns.stp, ns.syt):
        a.refresh_from_db()
        assert a.status == Status.SUPPLEMENT
    assert Decision.objects.get(entry=entry_of(ns.stp, "1.6"), current=True).kind == K.ADJUST
    assert PeriodAppraisal.objects.get(period=ns.period).round1_closed_at is not None


def test_the_unit_answers_only_what_was_asked_and_the_leader_sends(appraisal):
    ns = appraisal
    _through_round_one(ns)
    ns.at("supplement")
    officer, leader = ns.province.officer, ns.province.leader
    with pytest.raises(DomainError, match="không cần giải trình"):
        answer_save(actor=officer, entry=entry_of(ns.stp, "1.1.1"), text="x")
    with pytest.raises(DomainError, match="chỉ bổ sung số liệu khi Hội đồng yêu cầu"):
        answer_save(actor=officer, entry=entry_of(ns.stp, "1.6"), text="x", value="2", value2="2")
    with pytest.raises(DomainError, match="Chỉ chuyên viên đầu mối hoặc lãnh đạo"):
        answer_save(actor=ns.province.outsider, entry=entry_of(ns.stp, "1.2"), text="x")
    answer_save(actor=officer, entry=entry_of(ns.stp, "1.2"), text="Đã ban hành KH số 5",
                value="yes")  # fmt: skip
    entry = entry_of(ns.stp, "1.2")
    assert entry.value == "yes"  # the declaration is untouched
    with pytest.raises(DomainError, match="lãnh đạo đơn vị"):
        answers_send(actor=officer, assessment=ns.stp)
    answers_send(actor=leader, assessment=ns.stp)
    with pytest.raises(DomainError, match="đã gửi giải trình"):
        answer_save(actor=officer, entry=entry_of(ns.stp, "1.2"), text="sửa")
    assert Answer.objects.get(entry=entry).text == "Đã ban hành KH số 5"


def test_the_supplement_window_closes_with_the_calendar(appraisal):
    ns = appraisal
    _through_round_one(ns)
    ns.at("round2")
    with pytest.raises(DomainError, match="Đã hết hạn giải trình"):
        answer_save(actor=ns.province.officer, entry=entry_of(ns.stp, "1.2"), text="muộn")


def _through_round_two(ns):
    _through_round_one(ns)
    ns.at("supplement")
    answer_save(actor=ns.province.officer, entry=entry_of(ns.stp, "1.2"), text="KH số 5")
    answers_send(actor=ns.province.leader, assessment=ns.stp)
    ns.at("round2")
    round_open(actor=ns.province.admin, period=ns.period, round=2)
    with pytest.raises(DomainError, match=r"Sở Tư pháp: 1\.2"):
        round_close(actor=ns.province.admin, period=ns.period, round=2)
    with pytest.raises(DomainError, match="không yêu cầu giải trình thêm"):
        decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.2"), round=2,
                        kind=K.REQUEST, request="x")  # fmt: skip
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.2"), round=2, kind=K.ACCEPT)
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.6"), round=2, kind=K.ACCEPT)
    round_close(actor=ns.province.admin, period=ns.period, round=2)


def test_round_two_settles_the_asked_leaves_and_carries_round_one_forward(appraisal):
    ns = appraisal
    _through_round_two(ns)
    ns.stp.refresh_from_db()
    assert ns.stp.status == Status.APPRAISED
    e16 = entry_of(ns.stp, "1.6")
    assert (e16.round1_score, e16.round2_score) == (Decimal("0.5"), None)  # kept round 1
    final = scoring.assessment_scores(ns.stp, scoring.FINAL)
    assert final.leaves["1.6"] == Decimal("0.5")
    with pytest.raises(DomainError, match="Thẩm định lần 2 không mở cho Sở Tư pháp"):
        decision_record(actor=ns.appraiser2, entry=e16, round=2, kind=K.ACCEPT)


def test_the_chair_returns_once_then_approves_and_the_snapshot_is_frozen(appraisal):
    ns = appraisal
    _through_round_two(ns)
    admin, chair = ns.province.admin, ns.province.chair
    ns.at("consolidation")
    with pytest.raises(DomainError, match="chưa được trình"):
        chair_approve(actor=chair, period=ns.period)
    consolidation_submit(actor=admin, period=ns.period)
    with pytest.raises(DomainError, match="Chỉ Chủ tịch Hội đồng"):
        chair_return(actor=ns.province.appraiser, period=ns.period, note="x")
    chair_return(actor=chair, period=ns.period, note="Xem lại tiêu chí 1.6 của Sở Tư pháp")
    ns.stp.refresh_from_db()
    assert ns.stp.status == Status.APPRAISAL_2
    ns.at("round2")
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.6"), round=2, kind=K.ADJUST,
                    value="3", value2="4", reason="Theo ý kiến Chủ tịch")  # fmt: skip
    round_close(actor=admin, period=ns.period, round=2)
    ns.at("approval")
    consolidation_submit(actor=admin, period=ns.period)
    state = chair_approve(actor=chair, period=ns.period)
    ns.stp.refresh_from_db()
    assert ns.stp.status == Status.FINALIZED
    results = state.snapshot["blocks"]["so"]["results"]
    stp = next(u for u in results["units"] if u["unit"] == "STP")
    assert stp["nodes"]["1.6"]["points"] == 0.75
    assert results == scoring.results_document([ns.stp, ns.syt])
    with pytest.raises(DomainError):
        decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.6"), round=2,
                        kind=K.ACCEPT)  # fmt: skip


def test_a_member_with_assignments_cannot_be_removed_and_last_years_council_is_copied(appraisal):
    from parindex.appraisal.services import (
        assignment_copy,
        council_copy,
        council_for,
        member_remove,
    )
    from tests.periods.factories import make_period

    ns = appraisal
    with pytest.raises(DomainError, match=r"đang được phân công thẩm định \(1, 2, 3"):
        member_remove(actor=ns.province.admin, member=ns.seat1)
    nxt = make_period(ns.province, year=2027, council=False)
    council = council_for(nxt)
    assert council_copy(actor=ns.province.admin, council=council, source=ns.period) == 3
    copied, skipped = assignment_copy(actor=ns.province.admin, period=nxt, source=ns.period)
    assert copied == len(ns.domains) and skipped == []
    assert unassigned(plan(nxt), []) == []
    with pytest.raises(DomainError, match="chỉ sao chép vào hội đồng chưa có ai"):
        council_copy(actor=ns.province.admin, council=council, source=ns.period)


def test_an_adjustment_whose_points_are_not_a_round_number_is_stored_to_six_decimals(appraisal):
    ns = appraisal
    ns.at("round1")
    round_open(actor=ns.province.admin, period=ns.period, round=1)
    entry = entry_of(ns.stp, "1.6")  # proportional, max 1: 6/9 of a point
    decision_record(actor=ns.appraiser2, entry=entry, round=1, kind=K.ADJUST, value="6",
                    value2="9", reason="6/9 văn bản")  # fmt: skip
    entry.refresh_from_db()
    assert entry.round1_score == Decimal("0.666667")
