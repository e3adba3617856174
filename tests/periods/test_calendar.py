import datetime as dt

import pytest
import time_machine

from parindex.periods.calendar import (
    calendar_problems,
    current_phase,
    default_calendar,
    self_assessment_deadline,
)
from parindex.periods.models import Phase
from tests.periods.factories import local

D = dt.date


def test_the_default_calendar_follows_bac_giang_qt_cchc_01():
    cal = default_calendar(2026)
    assert cal == {
        Phase.PREPARATION: (D(2026, 10, 1), D(2026, 10, 14)),
        Phase.SELF_ASSESSMENT: (D(2026, 10, 15), D(2026, 11, 15)),
        Phase.APPRAISAL_1: (D(2026, 11, 16), D(2026, 11, 30)),
        Phase.SUPPLEMENT: (D(2026, 12, 1), D(2026, 12, 10)),
        Phase.APPRAISAL_2: (D(2026, 12, 11), D(2026, 12, 20)),
        Phase.CONSOLIDATION: (D(2026, 12, 21), D(2026, 12, 25)),
        Phase.APPROVAL: (D(2026, 12, 26), D(2026, 12, 31)),
        Phase.ARCHIVE: (D(2027, 1, 1), D(2027, 3, 31)),
    }
    assert list(cal) == list(Phase)
    assert calendar_problems(cal) == []


def test_it_reports_overlapping_phases_in_vietnamese():
    cal = default_calendar(2026)
    cal[Phase.APPRAISAL_1] = (D(2026, 11, 15), D(2026, 11, 30))
    problems = calendar_problems(cal)
    assert len(problems) == 1
    assert "Thẩm định lần 1" in problems[0] and "chồng lấn" in problems[0]


def test_it_reports_phases_out_of_order_and_reversed_dates():
    cal = default_calendar(2026)
    cal[Phase.SUPPLEMENT], cal[Phase.APPRAISAL_2] = cal[Phase.APPRAISAL_2], cal[Phase.SUPPLEMENT]
    cal[Phase.PREPARATION] = (D(2026, 10, 10), D(2026, 10, 1))
    problems = calendar_problems(cal)
    assert any("trước ngày bắt đầu 10/10/2026" in p for p in problems)
    assert any("Thẩm định lần 2" in p for p in problems)


def test_it_reports_a_missing_phase():
    cal = default_calendar(2026)
    del cal[Phase.ARCHIVE]
    assert calendar_problems(cal) == ["Thiếu thời gian của giai đoạn: Lưu trữ."]


@pytest.mark.parametrize(
    ("when", "phase"),
    [
        (local(2026, 9, 30, 23, 59), None),
        (local(2026, 10, 1, 0, 0), Phase.PREPARATION),
        (local(2026, 10, 15, 0, 1), Phase.SELF_ASSESSMENT),
        (local(2026, 11, 15, 23, 59), Phase.SELF_ASSESSMENT),
        (local(2026, 11, 16, 0, 0), Phase.APPRAISAL_1),
        (local(2026, 12, 31, 23, 0), Phase.APPROVAL),
        (local(2027, 1, 1, 8, 0), Phase.ARCHIVE),
        (local(2028, 6, 1), Phase.ARCHIVE),
    ],
)
def test_the_current_phase_follows_the_calendar_at_its_boundaries(period, when, phase):
    with time_machine.travel(when, tick=False):
        assert current_phase(period) == phase


def test_the_last_day_of_self_assessment_is_local_time_not_utc(period):
    # 15/11 23:30 in Hà Nội is 15/11 16:30 UTC; 16/11 06:00 local is 15/11 23:00 UTC.
    with time_machine.travel(local(2026, 11, 16, 6, 0), tick=False):
        assert current_phase(period) == Phase.APPRAISAL_1


def test_a_closed_period_is_archived(period):
    period.closed = True
    assert current_phase(period, D(2026, 10, 20)) == Phase.ARCHIVE


def test_the_deadline_is_the_end_of_the_last_self_assessment_day(period, province):
    deadline = self_assessment_deadline(period)
    assert deadline == local(2026, 11, 15, 23, 59).replace(second=59, microsecond=999999)


def test_a_later_deadline_override_wins_and_an_earlier_one_does_not(assessment):
    period = assessment.period
    assessment.deadline_override = local(2026, 11, 20, 17, 0)
    assert self_assessment_deadline(period, assessment) == local(2026, 11, 20, 17, 0)
    assessment.deadline_override = local(2026, 11, 10, 17, 0)
    assert self_assessment_deadline(period, assessment).date() == D(2026, 11, 15)
