from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from parindex.assessments.models import Entry, Status, StatusChange
from parindex.assessments.services import entry_record
from parindex.audit.models import AuditEvent
from parindex.frameworks.models import Framework, FrameworkNode
from tests.periods.factories import local

IN_SELF_ASSESSMENT = local(2026, 10, 20)


def _url(name, assessment):
    return reverse(name, args=[assessment.pk])


def test_anonymous_users_are_sent_to_login(client, assessment):
    response = client.get(_url("assessments:detail", assessment))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["admin", "officer", "leader", "appraiser", "chair", "sysadmin"])
def test_the_organizer_the_unit_and_the_council_can_read_the_page(login, province, assessment, who):
    # appraisers read an assessment once the unit has sent it (issue 6, §3)
    type(assessment).objects.filter(pk=assessment.pk).update(status=Status.SUBMITTED)
    response = login(getattr(province, who)).get(_url("assessments:detail", assessment))
    assert response.status_code == 200
    assert "Sở Tư pháp" in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "district_admin", "commune_officer"])
def test_everyone_else_gets_404(login, province, assessment, who):
    client = login(getattr(province, who))
    assert client.get(_url("assessments:detail", assessment)).status_code == 404
    response = client.post(
        _url("assessments:extend", assessment),
        {"until_date": "20/11/2026", "until_time": "17:00", "reason": "x"},
    )
    assert response.status_code == 404
    assert (
        client.post(
            _url("assessments:transition", assessment), {"to": "pending_approval"}
        ).status_code
        == 404
    )
    assert not AuditEvent.objects.filter(verb__startswith="assessment.e").exists()


def test_the_officer_can_read_the_assessment_but_not_the_period(login, province, assessment):
    client = login(province.officer)
    assert client.get(_url("assessments:detail", assessment)).status_code == 200
    assert client.get(reverse("periods:detail", args=[assessment.period_id])).status_code == 404


def test_the_officer_cannot_extend_the_deadline(login, province, assessment):
    response = login(province.officer).post(
        _url("assessments:extend", assessment),
        {"until_date": "20/11/2026", "until_time": "17:00", "reason": "Xin gia hạn"},
    )
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.deadline_override is None


def test_the_page_shows_scores_side_by_side_in_vietnamese_numbers(login, province, assessment):
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        entry = Entry.objects.get(assessment=assessment, node__code="1.6")
        entry_record(actor=province.officer, entry=entry, value="2", value2="3")
        entry_record(
            actor=province.officer,
            entry=Entry.objects.get(assessment=assessment, node__code="1.1.1"),
            value="b",
        )
    Entry.objects.filter(pk=entry.pk).update(round1_score=Decimal("0.5"), round1_note="Thiếu hồ sơ")
    response = login(province.admin).get(_url("assessments:detail", assessment))
    html = response.content.decode()
    assert "0,67" in html  # 2/3 of 1 point
    assert "2/3" in html
    assert "b. Ban hành chậm" in html
    assert "Thiếu hồ sơ" in html
    assert "1,17" in html  # the total


def test_the_organizer_extends_the_deadline(login, province, assessment):
    with time_machine.travel(local(2026, 11, 16, 9, 0), tick=False):
        response = login(province.admin).post(
            _url("assessments:extend", assessment),
            {"until_date": "20/11/2026", "until_time": "17:00", "reason": "Có văn bản xin gia hạn"},
            follow=True,
        )
    assert (
        "Đã gia hạn tự đánh giá cho Sở Tư pháp đến 17:00 ngày 20/11/2026"
        in response.content.decode()
    )
    assessment.refresh_from_db()
    assert assessment.deadline_override == local(2026, 11, 20, 17, 0)


def test_a_bad_extension_date_shows_a_vietnamese_message(login, province, assessment):
    with time_machine.travel(local(2026, 11, 16, 9, 0), tick=False):
        response = login(province.admin).post(
            _url("assessments:extend", assessment),
            {"until_date": "2026-13-40", "until_time": "17:00", "reason": "x"},
            follow=True,
        )
    assert "Ngày không hợp lệ" in response.content.decode()


def test_the_organizer_reopens_a_submitted_assessment_with_a_reason(login, province, assessment):
    type(assessment).objects.filter(pk=assessment.pk).update(status=Status.SUBMITTED)
    client = login(province.admin)
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        response = client.get(_url("assessments:detail", assessment))
        assert "Mở lại để đơn vị sửa" in response.content.decode()
        response = client.post(
            _url("assessments:transition", assessment), {"to": "draft", "note": ""}, follow=True
        )
        assert "Ghi rõ lý do" in response.content.decode()
        client.post(
            _url("assessments:transition", assessment),
            {"to": "draft", "note": "Thiếu tài liệu kiểm chứng tiêu chí 3.2"},
        )
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT
    assert StatusChange.objects.get().note == "Thiếu tài liệu kiểm chứng tiêu chí 3.2"


def test_the_officer_cannot_take_an_organizer_transition(login, province, assessment):
    type(assessment).objects.filter(pk=assessment.pk).update(status=Status.SUBMITTED)
    with time_machine.travel(IN_SELF_ASSESSMENT, tick=False):
        response = login(province.officer).post(
            _url("assessments:transition", assessment), {"to": "draft", "note": "x"}, follow=True
        )
    assert "Chỉ cán bộ quản trị" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("status", "to", "label", "moment"),
    [
        (Status.SUBMITTED, "appraisal_1", "Bắt đầu thẩm định lần 1", local(2026, 11, 20)),
        (Status.APPRAISAL_1, "supplement", "Yêu cầu giải trình, bổ sung", local(2026, 12, 2)),
        (Status.APPRAISAL_2, "appraised", "Hoàn thành thẩm định", local(2026, 12, 22)),
    ],
)
def test_the_organizer_cannot_click_through_the_appraisal(
    login, province, assessment, status, to, label, moment
):
    """Before: "Bắt đầu thẩm định lần 1 → … → Đã thẩm định" were buttons with no appraisal."""
    type(assessment).objects.filter(pk=assessment.pk).update(status=status)
    with time_machine.travel(moment, tick=False):
        client = login(province.admin)
        html = client.get(_url("assessments:detail", assessment)).content.decode()
        assert label not in html
        response = client.post(
            _url("assessments:transition", assessment), {"to": to, "note": "x"}, follow=True
        )
    assert "do phân hệ thẩm định thực hiện" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == status
    assert not StatusChange.objects.exists()


def test_the_chair_cannot_publish_by_hand(login, province, assessment):
    type(assessment).objects.filter(pk=assessment.pk).update(status=Status.APPRAISED)
    with time_machine.travel(local(2026, 12, 27), tick=False):
        client = login(province.chair)
        assert (
            "Phê duyệt, công bố kết quả"
            not in client.get(_url("assessments:detail", assessment)).content.decode()
        )
        client.post(_url("assessments:transition", assessment), {"to": "finalized"})
    assessment.refresh_from_db()
    assert assessment.status == Status.APPRAISED


def _grow(framework, extra):
    """Add ``extra`` boolean leaves under domain 1."""
    parent = FrameworkNode.objects.get(framework=framework, code="1")
    last = FrameworkNode.objects.filter(framework=framework).order_by("-position").first()
    for i in range(extra):
        FrameworkNode.objects.create(
            framework=framework,
            parent=parent,
            code=f"1.{90 + i}",
            title=f"Thêm {i}",
            position=last.position + 1 + i,
            depth=1,
            max=Decimal(1),
            rule_type="boolean",
        )


def test_the_page_does_not_grow_with_the_number_of_entries(
    login, province, django_assert_num_queries
):
    from parindex.assessments.participation import period_add_units
    from tests.periods.factories import make_framework, make_period

    fw = make_framework(province.snv, province.so, year=2026)
    period = make_period(province, frameworks={province.so: fw})
    (small,) = period_add_units(actor=province.admin, period=period, units=[province.stp])
    _grow(fw, 20)
    (big,) = period_add_units(actor=province.admin, period=period, units=[province.syt])
    assert big.entries.count() == small.entries.count() + 20
    for a in (small, big):
        Entry.objects.filter(assessment=a).update(updated_by=province.officer)
    client = login(province.admin)
    # session, user, roles, assessment, phases, nodes, entries, history
    with django_assert_num_queries(9):  # +1: the menu asks for a council seat
        client.get(_url("assessments:detail", small))
    with django_assert_num_queries(9):  # +1: the menu asks for a council seat
        client.get(_url("assessments:detail", big))
    assert Framework.objects.count() == 1
