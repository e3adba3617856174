"""The appraisal's e-mails go through the worker (the immediate backend in tests) to the right
people: the appraisers when a round opens and three days before it ends, each unit its
round-1 result and a reminder before its Giải trình deadline, the chair when the results are
submitted, the organizer when a unit answers and when the chair returns or approves."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from parindex.appraisal.models import Decision
from parindex.appraisal.services import (
    answer_save,
    answers_send,
    chair_approve,
    chair_return,
    consolidation_submit,
    decision_record,
    round_close,
    round_open,
)
from parindex.appraisal.services.rounds import undecided
from parindex.assessments import signals as assessment_signals
from parindex.audit.models import AuditEvent
from tests.appraisal.conftest import entry_of
from tests.appraisal.test_flow import _accept_all
from tests.periods.helpers import give_emails

K = Decision.Kind
ADMIN, CHAIR = "quantri@bacgiang.gov.vn", "chutich@bacgiang.gov.vn"
TD_STP, TD_SYT = "td.stp@bacgiang.gov.vn", "td.syt@bacgiang.gov.vn"
STP = ["cv.stp@bacgiang.gov.vn", "ld.stp@bacgiang.gov.vn"]
SYT = ["cv.syt@bacgiang.gov.vn", "ld.syt@bacgiang.gov.vn"]
REASON = "Báo cáo chỉ chứng minh 1/2 văn bản"
ASKED = "Bổ sung quyết định ban hành kế hoạch"


@pytest.fixture
def ns(appraisal, django_capture_on_commit_callbacks):
    """The appraisal fixture with addresses for everybody, and ``ns.run(fn, **kw)``: call a
    service and run its after-commit callbacks (the signal, then the immediate task)."""
    ns = appraisal
    give_emails(ns.province)
    for user in (ns.province.appraiser, ns.appraiser2, ns.province.chair, ns.syt_leader):
        user.email = f"{user.username}@bacgiang.gov.vn"
        user.save(update_fields=["email"])

    def run(fn, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    ns.run = run
    return ns


def _to(message):
    return sorted(message.to)


def _by_recipient():
    return {tuple(_to(m)): m for m in mail.outbox}


def _open_round_one(ns):
    ns.at("round1")
    ns.run(round_open, actor=ns.province.admin, period=ns.period, round=1)


def _close_round_one(ns):
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.6"), round=1, kind=K.ADJUST,
                    value="1", value2="2", reason=REASON)  # fmt: skip
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.2"), round=1, kind=K.REQUEST,
                    request=ASKED)  # fmt: skip
    _accept_all(ns, ns.stp, ns.appraiser2)
    _accept_all(ns, ns.syt, ns.province.appraiser)
    mail.outbox.clear()
    ns.run(round_close, actor=ns.province.admin, period=ns.period, round=1)


def _remind(day):
    out = StringIO()
    call_command("appraisal_reminders", "--date", day, stdout=out)
    return out.getvalue()


def test_each_appraiser_hears_when_round_one_opens_with_their_units_and_leaves(ns):
    _open_round_one(ns)
    leaves = {a.unit.code: len(undecided(ns.period, 1, [a])) for a in (ns.stp, ns.syt)}
    by_to = _by_recipient()
    assert set(by_to) == {(TD_STP,), (TD_SYT,)}  # not the chair, not the units
    # td.stp appraises Sở Y tế; td.syt, the substitute, Sở Tư pháp (its own unit left out)
    stp_appraiser, syt_appraiser = by_to[(TD_STP,)], by_to[(TD_SYT,)]
    assert stp_appraiser.subject == (
        f"[Chỉ số CCHC] Bắt đầu thẩm định lần 1: {leaves['SYT']} tiêu chí thành phần cần "
        f"thẩm định — {ns.period.name}"
    )
    body = stp_appraiser.body
    assert "Kính gửi: đồng chí Đỗ Văn Nam, Phó Giám đốc Sở Tư pháp" in body
    assert f"- Sở Y tế: {leaves['SYT']} tiêu chí thành phần" in body
    assert "Sở Tư pháp:" not in body
    assert "Thời hạn thẩm định lần 1: hết ngày 30/11/2026." in body
    assert f"- Sở Tư pháp: {leaves['STP']} tiêu chí thành phần" in syt_appraiser.body
    html = stp_appraiser.alternatives[0][0]
    assert "<strong>Cộng</strong>" in html and "Sở Y tế" in html


def test_round_two_opening_counts_only_the_leaves_to_settle(ns):
    _open_round_one(ns)
    _close_round_one(ns)
    ns.at("round2")
    mail.outbox.clear()
    ns.run(round_open, actor=ns.province.admin, period=ns.period, round=2)
    (message,) = mail.outbox  # only td.syt has something in round 2 (Sở Tư pháp 1.2, 1.6)
    assert _to(message) == [TD_SYT]
    assert "- Sở Tư pháp: 2 tiêu chí thành phần" in message.body
    assert "Thời hạn thẩm định lần 2: hết ngày 20/12/2026." in message.body


def test_each_unit_gets_its_round_one_result_with_reasons_requests_and_deadline(ns):
    _open_round_one(ns)
    _close_round_one(ns)
    by_to = _by_recipient()
    assert set(by_to) == {tuple(STP), tuple(SYT)}
    stp = by_to[tuple(STP)]
    assert stp.subject == (
        "[Chỉ số CCHC] Kết quả thẩm định lần 1: giải trình, bổ sung chậm nhất 23:59 ngày "
        "10/12/2026 — Sở Tư pháp"
    )
    body = stp.body
    assert "điều chỉnh điểm 1 tiêu chí và đề nghị đơn vị giải trình, bổ sung 1 tiêu chí" in body
    line = next(x for x in body.splitlines() if x.startswith("- 1.6 "))
    assert line.endswith(f"tự đánh giá 0,9, thẩm định 0,5 điểm. Lý do: {REASON}")
    assert any(x.startswith("- 1.2 ") and x.endswith(ASKED) for x in body.splitlines())
    assert "chậm nhất 23:59 ngày 10/12/2026" in body
    assert f"/tham-dinh/danh-gia/{ns.stp.pk}/giai-trinh/" in body
    assert REASON in stp.alternatives[0][0]
    syt = by_to[tuple(SYT)]
    assert "đơn vị không cần giải trình, bổ sung" in syt.body
    assert "chậm nhất" not in syt.subject


def test_the_organizer_hears_when_a_unit_sends_its_answers(ns):
    _open_round_one(ns)
    _close_round_one(ns)
    ns.at("supplement")
    answer_save(actor=ns.province.officer, entry=entry_of(ns.stp, "1.2"), text="KH số 5")
    mail.outbox.clear()
    ns.run(answers_send, actor=ns.province.leader, assessment=ns.stp)
    (message,) = mail.outbox
    assert _to(message) == [ADMIN]
    assert message.subject == "[Chỉ số CCHC] Sở Tư pháp đã gửi giải trình, bổ sung"
    assert "lúc 09:00 ngày 03/12/2026 (Lê Quang Huy duyệt và gửi)" in message.body
    assert "giải trình 1/2 tiêu chí thành phần" in message.body


def _to_appraised(ns):
    _open_round_one(ns)
    _close_round_one(ns)
    ns.at("round2")
    round_open(actor=ns.province.admin, period=ns.period, round=2)
    for code in ("1.2", "1.6"):
        decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, code), round=2, kind=K.ACCEPT)
    round_close(actor=ns.province.admin, period=ns.period, round=2)


def test_the_chair_hears_of_the_submission_and_the_organizer_of_the_return_and_approval(ns):
    _to_appraised(ns)
    admin, chair = ns.province.admin, ns.province.chair
    ns.at("consolidation")
    mail.outbox.clear()
    ns.run(consolidation_submit, actor=admin, period=ns.period, note="Kính trình Chủ tịch")
    (submitted,) = mail.outbox
    assert _to(submitted) == [CHAIR]
    assert submitted.subject == (
        f"[Chỉ số CCHC] Đề nghị phê duyệt kết quả thẩm định — {ns.period.name}"
    )
    assert "kết quả thẩm định Chỉ số CCHC của 2 đơn vị" in submitted.body
    assert "Ý kiến kèm theo: Kính trình Chủ tịch" in submitted.body
    assert f"/tham-dinh/dot/{ns.period.pk}/tong-hop/" in submitted.body

    mail.outbox.clear()
    note = "Xem lại tiêu chí 1.6 của Sở Tư pháp"
    ns.run(chair_return, actor=chair, period=ns.period, note=note)
    (returned,) = mail.outbox
    assert _to(returned) == [ADMIN]
    assert returned.subject.startswith("[Chỉ số CCHC] Chủ tịch Hội đồng trả lại kết quả")
    assert "Vũ Mạnh Hùng, Chủ tịch Hội đồng thẩm định, đã trả lại" in returned.body
    assert f"Ý kiến của Chủ tịch Hội đồng: {note}" in returned.body

    round_close(actor=admin, period=ns.period, round=2)
    ns.at("approval")
    consolidation_submit(actor=admin, period=ns.period)
    mail.outbox.clear()
    ns.run(chair_approve, actor=chair, period=ns.period)
    (approved,) = mail.outbox
    assert _to(approved) == [ADMIN]
    assert approved.subject.startswith("[Chỉ số CCHC] Chủ tịch Hội đồng đã phê duyệt")
    assert "lúc 09:00 ngày 27/12/2026" in approved.body
    assert "quyết định công bố" in approved.body


def test_appraisers_with_leaves_left_are_reminded_three_days_before_the_round_ends_once(ns):
    _open_round_one(ns)
    _accept_all(ns, ns.syt, ns.province.appraiser)  # td.stp has finished Sở Y tế
    mail.outbox.clear()
    assert "0 thẩm định viên" in _remind("2026-11-26")  # 4 days before 30/11: not yet
    assert mail.outbox == []
    out = _remind("2026-11-27")
    (message,) = mail.outbox
    assert _to(message) == [TD_SYT]
    left = len(undecided(ns.period, 1, [ns.stp]))
    assert message.subject == (
        "[Chỉ số CCHC] Còn 3 ngày đến hạn thẩm định lần 1: còn "
        f"{left} tiêu chí thành phần chưa kết luận — {ns.period.name}"
    )
    assert f"- Sở Tư pháp: {left} tiêu chí thành phần" in message.body
    assert "kết thúc hết ngày 30/11/2026 (còn 3 ngày)" in message.body
    assert "Đã xếp hàng thư nhắc thẩm định cho 1 thẩm định viên" in out
    mail.outbox.clear()
    again = _remind("2026-11-27")
    assert mail.outbox == []
    assert "bỏ qua (đã nhắc hôm nay) Đinh Văn Sơn" in again
    assert AuditEvent.objects.filter(verb="appraisal.reminder_round").count() == 1


def test_a_unit_that_has_not_sent_its_answers_is_reminded_two_days_before_its_deadline(ns):
    _open_round_one(ns)
    _close_round_one(ns)
    ns.at("supplement")
    answer_save(actor=ns.province.officer, entry=entry_of(ns.stp, "1.2"), text="KH số 5")
    mail.outbox.clear()
    _remind("2026-12-07")
    assert mail.outbox == []
    out = _remind("2026-12-08")
    by_to = _by_recipient()
    assert set(by_to) == {tuple(STP)}  # Sở Y tế had nothing to answer: it is not reminded
    message = by_to[tuple(STP)]
    assert message.subject == (
        "[Chỉ số CCHC] Còn 2 ngày đến hạn gửi giải trình, bổ sung — Sở Tư pháp"
    )
    assert "hạn gửi là 23:59 ngày 10/12/2026 (còn 2 ngày) và đơn vị chưa gửi" in message.body
    assert "- Đã soạn nội dung giải trình: 1" in message.body
    assert "- Chưa giải trình: 1.6" in message.body
    assert "1 đơn vị chưa gửi giải trình" in out
    mail.outbox.clear()
    _remind("2026-12-08")
    assert mail.outbox == []
    answers_send(actor=ns.province.leader, assessment=ns.stp)
    assert "0 đơn vị" in _remind("2026-12-08")


def test_a_unit_whose_answers_were_sent_or_with_nothing_asked_is_not_reminded(ns):
    _open_round_one(ns)
    _close_round_one(ns)
    ns.at("supplement")
    answer_save(actor=ns.province.officer, entry=entry_of(ns.stp, "1.2"), text="KH số 5")
    answers_send(actor=ns.province.leader, assessment=ns.stp)
    mail.outbox.clear()
    _remind("2026-12-08")
    assert mail.outbox == []


def test_muted_signals_send_nothing(ns, django_capture_on_commit_callbacks):
    ns.at("round1")
    with assessment_signals.muted():
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            round_open(actor=ns.province.admin, period=ns.period, round=1)
            _accept_all(ns, ns.stp, ns.appraiser2)
            _accept_all(ns, ns.syt, ns.province.appraiser)
            round_close(actor=ns.province.admin, period=ns.period, round=1)
    assert callbacks == [] and mail.outbox == []


def test_the_dry_run_lists_without_sending(ns):
    _open_round_one(ns)
    mail.outbox.clear()
    out = StringIO()
    call_command("appraisal_reminders", "--date", "2026-11-27", "--dry-run", stdout=out)
    assert mail.outbox == []
    assert "sẽ nhắc Đỗ Văn Nam" in out.getvalue()
    assert "Sẽ nhắc 2 thẩm định viên và 0 đơn vị" in out.getvalue()
