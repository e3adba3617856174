import pytest
import time_machine

from parindex.assessments.models import Status, StatusChange
from parindex.assessments.services import assessment_extend_deadline, assessment_transition
from parindex.assessments.workflow import TRANSITIONS
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from tests.periods.factories import local

IN_SELF_ASSESSMENT = local(2026, 10, 20)


def _force(assessment, status):
    """Put the assessment in a status for the test (bypassing the workflow on purpose)."""
    type(assessment).objects.filter(pk=assessment.pk).update(status=status)
    assessment.status = status


def _actor(province, kind):
    return {
        "officer": province.officer,
        "leader": province.leader,
        "organizer": province.admin,
        "appraiser": province.appraiser,
        "chair": province.chair,
    }[kind]


@pytest.mark.parametrize("t", TRANSITIONS, ids=lambda t: f"{t.source}->{t.target}")
def test_every_allowed_transition_by_the_right_actor_works_and_is_recorded(province, assessment, t):
    _force(assessment, t.source)
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        assessment_transition(
            actor=_actor(province, t.actor), assessment=assessment, to=t.target, note="Lý do"
        )
    assessment.refresh_from_db()
    assert assessment.status == t.target
    change = StatusChange.objects.get(assessment=assessment)
    assert (change.old_status, change.new_status, change.note) == (t.source, t.target, "Lý do")
    assert change.actor == _actor(province, t.actor)
    event = AuditEvent.objects.get(verb="assessment.transition")
    assert event.old["status"] == t.source and event.new["status"] == t.target


def test_submission_sets_submitted_at(province, assessment):
    _force(assessment, Status.PENDING_APPROVAL)
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        assessment_transition(actor=province.leader, assessment=assessment, to=Status.SUBMITTED)
    assessment.refresh_from_db()
    assert assessment.submitted_at == IN_SELF_ASSESSMENT


def test_an_illegal_move_is_refused_in_vietnamese(province, assessment):
    with pytest.raises(
        DomainError, match="Không thể chuyển bản đánh giá từ “Đang tự đánh giá” sang “Đã công bố”"
    ):
        assessment_transition(actor=province.chair, assessment=assessment, to=Status.FINALIZED)
    assert not StatusChange.objects.exists()


def test_the_wrong_actor_is_refused(province, assessment):
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
    with pytest.raises(DomainError, match="cán bộ quản trị"):
        assessment_transition(
            actor=province.district_admin, assessment=assessment, to=Status.APPRAISAL_1
        )


def test_a_note_is_required_where_the_table_says_so(province, assessment):
    _force(assessment, Status.SUBMITTED)
    with pytest.raises(DomainError, match="Ghi rõ lý do"):
        assessment_transition(
            actor=province.admin, assessment=assessment, to=Status.DRAFT, note=" "
        )
    assert assessment.status == Status.SUBMITTED


def test_the_unit_cannot_submit_after_the_deadline_until_it_is_extended(province, assessment):
    _force(assessment, Status.PENDING_APPROVAL)
    with time_machine.travel(local(2026, 11, 16, 8, 0), tick=False):
        with pytest.raises(DomainError, match=r"Đã hết hạn tự đánh giá \(15/11/2026\)"):
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
