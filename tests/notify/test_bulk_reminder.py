"""The organizer's "Gửi nhắc nhở" button on the progress page, and the submitted notice."""

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from parindex.assessments.models import Status
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.notify.dispatch import notify_submitted, reminders_request
from parindex.notify.models import ReminderLog
from tests.periods.factories import local
from tests.periods.helpers import declare, give_emails, period_with_units, set_status

NOW = local(2026, 11, 10, 9, 30)


@pytest.fixture
def setup(province):
    give_emails(province)
    period, by_code = period_with_units(province)
    return period, by_code["STP"], by_code["SYT"]


def remind(client, period, *assessments):
    return client.post(
        reverse("periods:progress-remind", args=[period.pk]),
        {"assessments": [a.pk for a in assessments], "qs": "khoi=1"},
        follow=True,
    )


def test_the_button_sends_vietnamese_reminders_to_the_chosen_units(
    login, province, setup, django_capture_on_commit_callbacks
):
    period, stp, syt = setup
    declare(stp, "1.2", "yes")
    client = login(province.admin)
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = remind(client, period, stp, syt)
    assert response.redirect_chain[-1][0].endswith("?khoi=1")
    html = response.content.decode()
    assert "Đã gửi nhắc nhở (qua thư điện tử) đến 2 đơn vị: Sở Tư pháp, Sở Y tế." in html
    by_unit = {m.to[0]: m for m in mail.outbox}
    assert set(by_unit) == {"cv.stp@bacgiang.gov.vn", "cv.syt@bacgiang.gov.vn"}
    message = by_unit["cv.stp@bacgiang.gov.vn"]
    assert message.to == ["cv.stp@bacgiang.gov.vn", "ld.stp@bacgiang.gov.vn"]
    assert (
        message.subject == "[Chỉ số CCHC] Còn 5 ngày đến hạn gửi kết quả tự đánh giá — Sở Tư pháp"
    )
    assert "Sở Nội vụ đề nghị đơn vị hoàn thành việc tự đánh giá" in message.body
    assert "Đã kê khai: 1/43 tiêu chí thành phần" in message.body
    assert "15/11/2026 23:59" in message.body
    events = AuditEvent.objects.filter(verb="reminder.request").order_by("object_id")
    assert [e.object_id for e in events] == [str(stp.pk), str(syt.pk)]
    assert all(e.actor == province.admin for e in events)
    assert ReminderLog.objects.filter(kind="manual", requested_by=province.admin).count() == 2


def test_a_second_click_the_same_day_sends_nothing_more(
    login, province, setup, django_capture_on_commit_callbacks
):
    period, stp, syt = setup
    client = login(province.admin)
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            remind(client, period, stp)
        with django_capture_on_commit_callbacks(execute=True):
            response = remind(client, period, stp)
    assert len(mail.outbox) == 1
    assert "Sở Tư pháp: đã được nhắc hôm nay." in response.content.decode()


def test_submitted_units_and_units_without_address_are_skipped(
    login, province, setup, django_capture_on_commit_callbacks
):
    from parindex.accounts.models import User

    period, stp, syt = setup
    set_status(stp, Status.SUBMITTED)
    User.objects.filter(username="cv.syt").update(email="")
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = remind(login(province.admin), period, stp, syt)
    html = response.content.decode()
    assert mail.outbox == []
    assert "Sở Tư pháp: đã gửi kết quả tự đánh giá." in html
    assert "Sở Y tế: chưa có địa chỉ thư điện tử" in html


def test_nothing_chosen_is_refused(login, province, setup):
    period, stp, syt = setup
    response = remind(login(province.admin), period)
    assert "Chọn ít nhất một đơn vị để gửi nhắc nhở." in response.content.decode()


def test_a_unit_of_another_period_is_refused(login, province, setup):
    period, stp, syt = setup
    other, by_code = period_with_units(province, year=2027, units=[province.stp])
    response = remind(login(province.admin), period, by_code["STP"])
    assert "Có đơn vị không tham gia đợt đánh giá này." in response.content.decode()
    assert not AuditEvent.objects.filter(verb="reminder.request").exists()


def test_only_the_organizer_may_request_reminders(province, setup):
    period, stp, syt = setup
    with pytest.raises(DomainError, match="quản trị"):
        reminders_request(actor=province.officer, period=period, assessments=[stp])
    with pytest.raises(DomainError, match="quản trị"):
        reminders_request(actor=province.district_admin, period=period, assessments=[stp])


def test_nothing_is_sent_when_the_request_is_rolled_back(
    province, setup, django_capture_on_commit_callbacks
):
    period, stp, syt = setup
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                reminders_request(actor=province.admin, period=period, assessments=[stp])
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []


def test_the_organizer_hears_when_a_unit_submits(
    province, setup, django_capture_on_commit_callbacks
):
    period, stp, syt = setup
    from parindex.assessments.models import Assessment

    set_status(stp, Status.SUBMITTED)
    Assessment.objects.filter(pk=stp.pk).update(submitted_at=local(2026, 11, 14, 16, 5))
    with django_capture_on_commit_callbacks(execute=True):
        notify_submitted(stp)
    (message,) = mail.outbox
    assert message.to == ["quantri@bacgiang.gov.vn"]
    assert message.subject == "[Chỉ số CCHC] Sở Tư pháp đã gửi kết quả tự đánh giá"
    assert "lúc 14/11/2026 16:05" in message.body
    assert reverse("periods:progress", args=[period.pk]) in message.body
