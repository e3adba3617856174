"""The workflow table (workflow.py) through its one entry point ``assessment_transition``:
who takes each step, when (phase or the unit's window), its checks, and the steps reserved to
the appraisal module."""

import pytest
import time_machine

from parindex.assessments.models import Status, StatusChange
from parindex.assessments.services import assessment_extend_deadline, assessment_transition
from parindex.assessments.workflow import TRANSITIONS
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from tests.assessments.workflow_helpers import MOMENTS, actor_for, make_complete
from tests.periods.factories import local

IN_SELF_ASSESSMENT = local(2026, 10, 20)
APPRAISAL_STEPS = [t for t in TRANSITIONS if t.by_appraisal]
HAND_STEPS = [t for t in TRANSITIONS if not t.by_appraisal]


def _force(assessment, status):
    """Put the assessment in a status for the test (bypassing the workflow on purpose)."""
    type(assessment).objects.filter(pk=assessment.pk).update(status=status)
    assessment.status = status


def _ids(t):
    return f"{t.source}->{t.target}"


@pytest.mark.parametrize("t", TRANSITIONS, ids=_ids)
def test_every_step_by_its_actor_in_its_window_works_and_is_recorded(province, assessment, t):
    make_complete(assessment)
    _force(assessment, t.source)
    with time_machine.travel(MOMENTS[(t.source, t.target)], tick=False):
        assessment_transition(
            actor=actor_for(province, t.actor),
            assessment=assessment,
            to=t.target,
            note="Lý do",
            by_appraisal=t.by_appraisal,
        )
    assessment.refresh_from_db()
    assert assessment.status == t.target
    change = StatusChange.objects.get(assessment=assessment)
    assert (change.old_status, change.new_status, change.note) == (t.source, t.target, "Lý do")
    assert change.actor == actor_for(province, t.actor)
    event = AuditEvent.objects.get(verb="assessment.transition")
    assert event.old["status"] == t.source and event.new["status"] == t.target


def test_the_steps_driven_by_the_appraisal_are_the_rounds_supplement_appraised_and_publication():
    assert {(t.source, t.target) for t in APPRAISAL_STEPS} == {
        (Status.SUBMITTED, Status.APPRAISAL_1),
        (Status.APPRAISAL_1, Status.SUPPLEMENT),
        (Status.SUPPLEMENT, Status.APPRAISAL_2),
        (Status.APPRAISAL_1, Status.APPRAISAL_2),
        (Status.APPRAISAL_2, Status.APPRAISED),
        (Status.APPRAISED, Status.APPRAISAL_2),
        (Status.APPRAISED, Status.FINALIZED),
    }
    assert {(t.source, t.target) for t in HAND_STEPS} == {
        (Status.DRAFT, Status.PENDING_APPROVAL),
        (Status.PENDING_APPROVAL, Status.DRAFT),
        (Status.PENDING_APPROVAL, Status.SUBMITTED),
        (Status.SUBMITTED, Status.DRAFT),
    }


@pytest.mark.parametrize("t", APPRAISAL_STEPS, ids=_ids)
def test_an_appraisal_step_is_refused_by_hand_even_in_its_window(province, assessment, t):
    _force(assessment, t.source)
    with time_machine.travel(MOMENTS[(t.source, t.target)], tick=False):
        with pytest.raises(DomainError, match="do phân hệ thẩm định thực hiện"):
            assessment_transition(
                actor=actor_for(province, t.actor), assessment=assessment, to=t.target, note="x"
            )
    assessment.refresh_from_db()
    assert assessment.status == t.source
    assert not StatusChange.objects.exists()


def test_round_one_cannot_start_before_its_phase_even_for_the_appraisal(province, assessment):
    """Before: the organizer clicked "Bắt đầu thẩm định lần 1" during Tự đánh giá."""
    _force(assessment, Status.SUBMITTED)
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        with pytest.raises(
            DomainError,
            match=r"Chỉ “Bắt đầu thẩm định lần 1” trong giai đoạn “Thẩm định lần 1”.*"
            r"\(hiện: “Tự đánh giá”\)",
        ):
            assessment_transition(
                actor=province.admin,
                assessment=assessment,
                to=Status.APPRAISAL_1,
                by_appraisal=True,
            )
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED


def test_publication_waits_for_the_approval_phase(province, assessment):
    _force(assessment, Status.APPRAISED)
    with time_machine.travel(local(2026, 12, 22), tick=False):
        with pytest.raises(DomainError, match="“Phê duyệt và công bố”"):
            assessment_transition(
                actor=province.chair, assessment=assessment, to=Status.FINALIZED, by_appraisal=True
            )


def test_submission_sets_submitted_at(province, assessment):
    make_complete(assessment)
    _force(assessment, Status.PENDING_APPROVAL)
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        assessment_transition(actor=province.leader, assessment=assessment, to=Status.SUBMITTED)
    assessment.refresh_from_db()
    assert assessment.submitted_at == IN_SELF_ASSESSMENT


@pytest.mark.parametrize("to", [Status.PENDING_APPROVAL, Status.SUBMITTED])
def test_sending_an_incomplete_self_assessment_is_refused_inside_the_transition(
    province, assessment, to
):
    """The completeness check is the step's own (before: only ``assessment_send`` ran it, so
    ``assessment_transition`` sent an empty assessment)."""
    _force(assessment, Status.DRAFT if to == Status.PENDING_APPROVAL else Status.PENDING_APPROVAL)
    actor = province.officer if to == Status.PENDING_APPROVAL else province.leader
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        with pytest.raises(DomainError, match="Chưa thể gửi: còn") as info:
            assessment_transition(actor=actor, assessment=assessment, to=to)
    assert info.value.problems
    assert not StatusChange.objects.exists()


def test_an_illegal_move_is_refused_in_vietnamese(province, assessment):
    with pytest.raises(
        DomainError, match="Không thể chuyển bản đánh giá từ “Đang tự đánh giá” sang “Đã công bố”"
    ):
        assessment_transition(actor=province.chair, assessment=assessment, to=Status.FINALIZED)
    assert not StatusChange.objects.exists()


def test_the_wrong_actor_is_refused(province, assessment):
    make_complete(assessment)
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        for user in (province.outsider, province.leader, province.admin, province.appraiser):
            with pytest.raises(DomainError, match="Chỉ chuyên viên đầu mối"):
                assessment_transition(actor=user, assessment=assessment, to=Status.PENDING_APPROVAL)
    _force(assessment, Status.PENDING_APPROVAL)
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        with pytest.raises(DomainError, match="Chỉ lãnh đạo đơn vị"):
            assessment_transition(
                actor=province.officer, assessment=assessment, to=Status.SUBMITTED
            )
    assert not StatusChange.objects.exists()


def test_a_district_admin_is_not_the_organizer_of_a_province_period(province, assessment):
    _force(assessment, Status.SUBMITTED)
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        with pytest.raises(DomainError, match="cán bộ quản trị"):
            assessment_transition(
                actor=province.district_admin, assessment=assessment, to=Status.DRAFT, note="x"
            )


def test_a_note_is_required_where_the_table_says_so(province, assessment):
    _force(assessment, Status.SUBMITTED)
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        with pytest.raises(DomainError, match="Ghi rõ lý do"):
            assessment_transition(
                actor=province.admin, assessment=assessment, to=Status.DRAFT, note=" "
            )
    assert assessment.status == Status.SUBMITTED


def test_the_organizer_reopens_only_while_the_appraisal_has_not_ended(province, assessment):
    _force(assessment, Status.SUBMITTED)
    with time_machine.travel(local(2026, 12, 22), tick=False):
        with pytest.raises(DomainError, match="Mở lại để đơn vị sửa"):
            assessment_transition(
                actor=province.admin, assessment=assessment, to=Status.DRAFT, note="Sửa số liệu"
            )
    with time_machine.travel(local(2026, 11, 20), tick=False):
        assessment_transition(
            actor=province.admin, assessment=assessment, to=Status.DRAFT, note="Sửa số liệu"
        )
    assert assessment.status == Status.DRAFT


def test_the_unit_cannot_submit_after_the_deadline_until_it_is_extended(province, assessment):
    make_complete(assessment)
    _force(assessment, Status.PENDING_APPROVAL)
    with time_machine.travel(local(2026, 11, 16, 8, 0), tick=False):
        with pytest.raises(
            DomainError,
            match=r"Đã hết hạn tự đánh giá \(15/11/2026\)\. Liên hệ Sở Nội vụ để được gia hạn\.",
        ):
            assessment_transition(actor=province.leader, assessment=assessment, to=Status.SUBMITTED)
        assessment_extend_deadline(
            actor=province.admin,
            assessment=assessment,
            until=local(2026, 11, 18, 17, 0),
            reason="Đơn vị có văn bản xin gia hạn",
        )
        assessment_transition(actor=province.leader, assessment=assessment, to=Status.SUBMITTED)
    assert assessment.status == Status.SUBMITTED
    event = AuditEvent.objects.get(verb="assessment.extend_deadline")
    assert event.reason == "Đơn vị có văn bản xin gia hạn"
    assert event.old == {"deadline_override": None}


def test_a_closed_period_refuses_every_step(province, assessment):
    from parindex.periods.models import Period

    Period.objects.filter(pk=assessment.period_id).update(closed=True)
    assessment.period.closed = True
    _force(assessment, Status.SUBMITTED)
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        with pytest.raises(DomainError, match="đã đóng"):
            assessment_transition(
                actor=province.admin, assessment=assessment, to=Status.DRAFT, note="x"
            )


def test_an_extension_needs_the_organizer_a_reason_and_a_later_date(province, assessment):
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        with pytest.raises(DomainError, match="Chỉ cán bộ quản trị"):
            assessment_extend_deadline(
                actor=province.officer,
                assessment=assessment,
                until=local(2026, 11, 20),
                reason="Xin thêm thời gian",
            )
        with pytest.raises(DomainError, match="Ghi lý do"):
            assessment_extend_deadline(
                actor=province.admin, assessment=assessment, until=local(2026, 11, 20), reason=""
            )
        with pytest.raises(DomainError, match="sau hạn chung"):
            assessment_extend_deadline(
                actor=province.admin,
                assessment=assessment,
                until=local(2026, 11, 10),
                reason="Rút ngắn",
            )
    assessment.refresh_from_db()
    assert assessment.deadline_override is None
