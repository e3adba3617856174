from decimal import Decimal

import pytest
import time_machine

from parindex.assessments.models import Entry, Status
from parindex.assessments.services import (
    assessment_extend_deadline,
    entry_record,
    entry_set_appraisal,
    entry_set_survey_score,
)
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from tests.periods.factories import local

IN_SELF_ASSESSMENT = local(2026, 10, 20)
AFTER_DEADLINE = local(2026, 11, 16, 0, 5)


@pytest.fixture
def at_work():
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        yield


def _entry(assessment, code):
    return Entry.objects.get(assessment=assessment, node__code=code)


@pytest.mark.parametrize(
    ("code", "value", "value2", "score"),
    [
        ("1.1.1", "b", "", Decimal("0.5")),  # choice
        ("1.1.1", "A", "", Decimal("1")),  # choice, any case
        ("1.2", "có", "", Decimal("1")),  # boolean
        ("1.2", "no", "", Decimal("0")),
        ("1.1.2", "17", "20", Decimal("1")),  # ratio steps: 85 % -> 1
        ("1.6", "3", "4", Decimal("0.75")),  # ratio proportional
        ("1.5", "3", "", Decimal("1")),  # count, capped at max
        ("3.7", "3", "", Decimal("-0.5")),  # deduction down to its floor
        ("2.5", "0.75", "", Decimal("0.75")),  # number
    ],
)
def test_it_computes_the_self_score_with_the_engine(
    province, assessment, at_work, code, value, value2, score
):
    entry = entry_record(
        actor=province.officer, entry=_entry(assessment, code), value=value, value2=value2
    )
    entry.refresh_from_db()
    assert entry.self_score == score
    assert entry.not_applicable is False
    assert entry.version == 1
    assert entry.updated_by == province.officer


def test_na_makes_the_entry_not_applicable(province, assessment, at_work):
    entry = entry_record(actor=province.officer, entry=_entry(assessment, "2.4"), value="NA")
    assert entry.not_applicable is True and entry.self_score is None
    ratio = entry_record(
        actor=province.officer, entry=_entry(assessment, "3.2"), value="0", value2="0"
    )
    assert ratio.not_applicable is True  # when_zero: na


def test_a_relative_leaf_keeps_its_value_but_no_self_score(province, assessment, at_work):
    entry = entry_record(actor=province.officer, entry=_entry(assessment, "7.5"), value="12.5")
    assert entry.value == "12.5" and entry.self_score is None


def test_recording_updates_the_totals_and_writes_an_audit_row(province, assessment, at_work):
    entry_record(actor=province.officer, entry=_entry(assessment, "1.2"), value="yes")
    entry_record(
        actor=province.leader,
        entry=_entry(assessment, "1.1.1"),
        value="b",
        explanation="Ban hành ngày 20/01",
    )
    assessment.refresh_from_db()
    assert assessment.self_points == Decimal("1.5")
    assert assessment.final_points == Decimal("1.5")
    event = AuditEvent.objects.filter(verb="entry.record").first()
    assert event.old == {"explanation": "", "self_score": None, "value": ""}
    assert event.new == {"explanation": "Ban hành ngày 20/01", "self_score": "0.5", "value": "b"}


def test_a_bad_value_gives_a_vietnamese_message_and_saves_nothing(province, assessment, at_work):
    entry = _entry(assessment, "1.6")
    with pytest.raises(DomainError) as exc:
        entry_record(actor=province.officer, entry=entry, value="5", value2="4")
    assert exc.value.message == "Tiêu chí 1.6: tử số 5 lớn hơn mẫu số 4."
    with pytest.raises(DomainError, match="phương án 'x' không có"):
        entry_record(actor=province.officer, entry=_entry(assessment, "1.1.1"), value="x")
    with pytest.raises(DomainError, match="không cho phép giá trị NA"):
        entry_record(actor=province.officer, entry=_entry(assessment, "1.2"), value="NA")
    entry.refresh_from_db()
    assert (entry.value, entry.value2, entry.version, entry.self_score) == ("", "", 0, None)
    assert not AuditEvent.objects.filter(verb="entry.record").exists()


def test_survey_leaves_are_not_scored_by_the_unit(province, assessment, at_work):
    with pytest.raises(DomainError, match="đơn vị không tự chấm"):
        entry_record(actor=province.officer, entry=_entry(assessment, "1.7"), value="0.8")


def test_only_the_units_own_people_may_declare(province, assessment, at_work):
    for user in (province.outsider, province.admin, province.appraiser):
        with pytest.raises(DomainError, match="Chỉ chuyên viên đầu mối hoặc lãnh đạo"):
            entry_record(actor=user, entry=_entry(assessment, "1.2"), value="yes")


def test_it_refuses_after_the_deadline_and_works_again_after_an_extension(province, assessment):
    entry = _entry(assessment, "1.2")
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        with pytest.raises(DomainError, match=r"Đã hết hạn tự đánh giá \(15/11/2026\)"):
            entry_record(actor=province.officer, entry=entry, value="yes")
        assessment_extend_deadline(
            actor=province.admin,
            assessment=assessment,
            until=local(2026, 11, 17, 17, 0),
            reason="Sự cố mạng ngày 15/11",
        )
        entry_record(actor=province.officer, entry=entry, value="yes")
    entry.refresh_from_db()
    assert entry.self_score == Decimal("1")
    with time_machine.travel(local(2026, 11, 17, 17, 1), tick=False):
        with pytest.raises(DomainError, match=r"Đã hết hạn tự đánh giá \(17/11/2026 17:00\)"):
            entry_record(actor=province.officer, entry=entry, value="no")


def test_it_refuses_before_self_assessment_starts(province, assessment):
    with time_machine.travel(local(2026, 10, 14, 10, 0), tick=False):
        with pytest.raises(
            DomainError, match=r"Chưa đến thời gian tự đánh giá \(bắt đầu từ 15/10/2026\)"
        ):
            entry_record(actor=province.officer, entry=_entry(assessment, "1.2"), value="yes")


def test_it_refuses_once_the_assessment_is_submitted(province, assessment, at_work):
    type(assessment).objects.filter(pk=assessment.pk).update(status=Status.SUBMITTED)
    with pytest.raises(DomainError, match="“Đã gửi”"):
        entry_record(actor=province.officer, entry=_entry(assessment, "1.2"), value="yes")


def test_a_stale_version_is_refused(province, assessment, at_work):
    entry = _entry(assessment, "1.2")
    entry_record(actor=province.officer, entry=entry, value="yes", expected_version=0)
    with pytest.raises(DomainError, match="vừa được người khác cập nhật"):
        entry_record(actor=province.leader, entry=entry, value="no", expected_version=0)


def test_an_empty_value_clears_the_declaration(province, assessment, at_work):
    entry = entry_record(actor=province.officer, entry=_entry(assessment, "1.2"), value="yes")
    entry = entry_record(actor=province.officer, entry=entry, value="")
    assert entry.self_score is None and entry.value == "" and entry.version == 2


def _in(assessment, status):
    type(assessment).objects.filter(pk=assessment.pk).update(status=status)


def test_appraisal_scores_need_a_note_when_they_differ_and_stay_in_range(
    province, assessment, at_work
):
    entry = entry_record(actor=province.officer, entry=_entry(assessment, "3.7"), value="1")
    _in(assessment, Status.APPRAISAL_1)
    with pytest.raises(DomainError, match="ghi ý kiến thẩm định"):
        entry_set_appraisal(
            actor=province.appraiser, entry=entry, round=1, score=Decimal("0"), note=""
        )
    with pytest.raises(DomainError, match="từ -0,5 đến 1"):
        entry_set_appraisal(
            actor=province.appraiser, entry=entry, round=1, score=Decimal("-1"), note="x"
        )
    with pytest.raises(DomainError, match="thẩm định lần 2"):
        entry_set_appraisal(
            actor=province.appraiser, entry=entry, round=2, score=Decimal("0.5"), note=""
        )
    entry_set_appraisal(
        actor=province.appraiser, entry=entry, round=1, score=Decimal("0.5"), note=""
    )
    entry_set_appraisal(
        actor=province.admin, entry=entry, round=1, score=Decimal("-0.5"), note="Thêm 2 vi phạm"
    )
    entry.refresh_from_db()
    assert entry.round1_score == Decimal("-0.5") and entry.round1_note == "Thêm 2 vi phạm"
    assessment.refresh_from_db()
    assert assessment.self_points == Decimal("0.5")
    assert assessment.final_points == Decimal("-0.5")
    with pytest.raises(DomainError, match="Chỉ thẩm định viên hoặc cán bộ quản trị"):
        entry_set_appraisal(
            actor=province.officer, entry=entry, round=1, score=Decimal("1"), note="x"
        )


def test_the_organizer_stores_survey_scores_which_count_in_the_final_points(province, assessment):
    entry = _entry(assessment, "1.7")
    entry_set_survey_score(actor=province.admin, entry=entry, score=Decimal("3.2"))
    with pytest.raises(DomainError, match="từ 0 đến 4"):
        entry_set_survey_score(actor=province.admin, entry=entry, score=Decimal("4.5"))
    with pytest.raises(DomainError, match="không chấm bằng điều tra"):
        entry_set_survey_score(
            actor=province.admin, entry=_entry(assessment, "1.2"), score=Decimal("1")
        )
    assessment.refresh_from_db()
    assert assessment.final_points == Decimal("3.2") and assessment.self_points == 0


@pytest.mark.parametrize(
    "until",
    [local(9999, 12, 31, 17, 0), local(2026, 12, 1, 0, 0)],
    ids=["31/12/9999", "the day after round 1 ends"],
)
def test_an_extension_beyond_the_end_of_round_one_is_refused(province, assessment, until):
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        with pytest.raises(
            DomainError,
            match=r"chậm nhất là 30/11/2026, ngày cuối của giai đoạn “Thẩm định lần 1”",
        ):
            assessment_extend_deadline(
                actor=province.admin, assessment=assessment, until=until, reason="Xin gia hạn"
            )
    assessment.refresh_from_db()
    assert assessment.deadline_override is None


def test_an_extension_to_the_last_day_of_round_one_is_accepted(province, assessment):
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        assessment_extend_deadline(
            actor=province.admin,
            assessment=assessment,
            until=local(2026, 11, 30, 23, 0),
            reason="Xin gia hạn",
        )
    assessment.refresh_from_db()
    assert assessment.deadline_override == local(2026, 11, 30, 23, 0)


def test_stored_final_points_equal_the_final_stage_computation_before_any_appraisal(
    province, assessment, at_work
):
    """The autosave computes one stage while nothing is appraised (``appraised``): the stored
    final points must still be exactly the final stage's points — with choice, ratio, count,
    deduction, number, NA and a relative leaf declared, and the survey leaves unscored."""
    from parindex.assessments import scoring

    for code, value, value2 in [
        ("1.1.1", "b", ""),
        ("1.1.2", "17", "20"),
        ("1.5", "3", ""),
        ("3.7", "3", ""),
        ("2.5", "0.75", ""),
        ("2.4", "NA", ""),
    ] + [
        (e.node.code, "5", "")
        for e in Entry.objects.filter(assessment=assessment, node__rule_type="relative")
    ]:
        entry_record(actor=province.officer, entry=_entry(assessment, code), value=value,
                     value2=value2)  # fmt: skip
    assessment.refresh_from_db()
    final = scoring.assessment_scores(assessment, scoring.FINAL)
    own = scoring.assessment_scores(assessment, scoring.SELF)
    assert assessment.final_points == final.points == own.points == assessment.self_points
    assert final.max > own.max  # the survey leaves count in the final max only
    entry_set_survey_score(actor=province.admin, entry=_entry(assessment, "1.7"),
                           score=Decimal("1.5"))  # fmt: skip
    assessment.refresh_from_db()
    assert assessment.final_points == own.points + Decimal("1.5")
