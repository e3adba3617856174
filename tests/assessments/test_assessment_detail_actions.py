"""The read-only assessment page offers only the actions that can still apply: the deadline
extension while the unit has not sent its self-assessment and the period is open; transitions
not in a closed period, and the unit's own steps not after its deadline."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from parindex.assessments.models import Assessment, Status
from parindex.assessments.services import assessment_extend_deadline
from parindex.common.errors import DomainError
from parindex.periods.models import Period
from tests.periods.factories import local

IN_SELF_ASSESSMENT = local(2026, 10, 20)
AFTER_DEADLINE = local(2026, 11, 16, 9, 0)
EXTEND = "Gia hạn tự đánh giá"
TRANSITIONS = "Chuyển trạng thái"


def _page(client, assessment):
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        response = client.get(reverse("assessments:detail", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _set(assessment, status):
    Assessment.objects.filter(pk=assessment.pk).update(status=status)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PENDING_APPROVAL])
def test_the_organizer_may_extend_before_the_unit_sends(login, province, assessment, status):
    _set(assessment, status)
    assert EXTEND in _page(login(province.admin), assessment)


@pytest.mark.parametrize(
    "status",
    [Status.SUBMITTED, Status.APPRAISAL_1, Status.APPRAISED, Status.FINALIZED],
)
def test_no_extension_form_once_the_unit_has_sent(login, province, assessment, status):
    _set(assessment, status)
    assert EXTEND not in _page(login(province.admin), assessment)


def test_a_finalized_assessment_shows_no_action_at_all(login, province, assessment):
    _set(assessment, Status.FINALIZED)
    html = _page(login(province.admin), assessment)
    assert EXTEND not in html
    assert TRANSITIONS not in html
    assert reverse("assessments:extend", args=[assessment.pk]) not in html
    assert reverse("assessments:transition", args=[assessment.pk]) not in html


def test_a_closed_period_shows_neither_extension_nor_transitions(login, province, assessment):
    _set(assessment, Status.DRAFT)
    Period.objects.filter(pk=assessment.period_id).update(closed=True)
    html = _page(login(province.admin), assessment)
    assert EXTEND not in html
    assert TRANSITIONS not in html
    _set(assessment, Status.SUBMITTED)
    html = _page(login(province.admin), assessment)
    assert "Mở lại để đơn vị sửa" not in html


def test_the_organizer_still_sees_its_own_transitions(login, province, assessment):
    _set(assessment, Status.SUBMITTED)
    html = _page(login(province.admin), assessment)
    assert TRANSITIONS in html
    assert "Mở lại để đơn vị sửa" in html
    assert "Bắt đầu thẩm định lần 1" not in html  # the appraisal module's step


def test_no_reopen_once_the_appraisal_phases_are_over(login, province, assessment):
    _set(assessment, Status.SUBMITTED)
    with time_machine.travel(local(2026, 12, 22), tick=False):
        html = (
            login(province.admin)
            .get(reverse("assessments:detail", args=[assessment.pk]))
            .content.decode()
        )
    assert TRANSITIONS not in html


def test_the_units_steps_disappear_after_its_deadline(login, province, assessment):
    client = login(province.officer)
    assert "Trình lãnh đạo duyệt" in _page(client, assessment)
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        html = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "Trình lãnh đạo duyệt" not in html


def test_the_service_refuses_to_extend_a_sent_assessment(province, assessment):
    _set(assessment, Status.FINALIZED)
    assessment.refresh_from_db()
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        with pytest.raises(DomainError, match="chỉ gia hạn khi đơn vị chưa gửi"):
            assessment_extend_deadline(
                actor=province.admin,
                assessment=assessment,
                until=local(2026, 11, 20, 17, 0),
                reason="Có văn bản xin gia hạn",
            )
    assessment.refresh_from_db()
    assert assessment.deadline_override is None


def test_the_total_after_appraisal_waits_for_the_appraisal(login, province, assessment):
    from decimal import Decimal

    Assessment.objects.filter(pk=assessment.pk).update(
        self_points=Decimal("39.89"), final_points=Decimal("39.89")
    )
    html = _page(login(province.admin), assessment)
    card = html[html.index("Tổng điểm sau thẩm định") :][:400]
    assert "39,89" not in card
    assert "Có sau khi bắt đầu thẩm định." in card
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Status.APPRAISAL_1, final_points=Decimal("41.25")
    )
    html = _page(login(province.admin), assessment)
    assert "41,25" in html[html.index("Tổng điểm sau thẩm định") :][:400]
