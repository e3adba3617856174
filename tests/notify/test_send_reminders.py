"""``parindex send_reminders``: the daily reminder of the self-assessment deadline."""

from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from parindex.assessments.models import Status
from parindex.assessments.services import assessment_extend_deadline
from parindex.audit.models import AuditEvent
from parindex.notify.models import ReminderLog
from parindex.periods.services import period_close
from tests.periods.factories import local
from tests.periods.helpers import declare, give_emails, period_with_units, set_status


@pytest.fixture
def setup(province):
    give_emails(province)
    period, by_code = period_with_units(province)  # reminder days: 7,3,1 (the default)
    return period, by_code["STP"], by_code["SYT"]


def run(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_it_reminds_exactly_n_days_before_the_deadline(province, setup):
    period, stp, syt = setup  # deadline 15/11/2026 23:59; SYT has an officer with an address
    sent_on = {}
    for day in range(1, 17):
        mail.outbox.clear()
        with time_machine.travel(local(2026, 11, day, 7, 0), tick=False):
            run()
        sent_on[day] = sorted(m.to[0] for m in mail.outbox)
    assert [d for d, to in sent_on.items() if to] == [8, 12, 14]
    assert sent_on[8] == ["cv.stp@bacgiang.gov.vn", "cv.syt@bacgiang.gov.vn"]


def test_the_message_is_in_vietnamese_with_the_deadline_progress_and_link(province, setup):
    period, stp, syt = setup
    declare(stp, "1.2", "yes")
    declare(stp, "1.4", "no")
    with time_machine.travel(local(2026, 11, 12, 7, 0), tick=False):
        run()
    (message,) = [m for m in mail.outbox if "cv.stp@bacgiang.gov.vn" in m.to]
    assert sorted(message.to) == ["cv.stp@bacgiang.gov.vn", "ld.stp@bacgiang.gov.vn"]
    assert message.subject == (
        "[Chỉ số CCHC] Còn 3 ngày đến hạn gửi kết quả tự đánh giá — Sở Tư pháp"
    )
    body = message.body
    assert "Kính gửi: Sở Tư pháp" in body
    assert "Hạn gửi kết quả tự đánh giá: 15/11/2026 23:59" in body
    assert "còn 3 ngày đến hạn" in body
    assert "Đã kê khai: 2/43 tiêu chí thành phần (5%)" in body
    assert "Còn thiếu tài liệu kiểm chứng hoặc giải trình: 1 tiêu chí" in body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Sở Tư pháp" in html and "15/11/2026 23:59" in html


def test_it_links_to_the_unit_s_workspace_on_the_site(province, setup, settings):
    settings.SITE_URL = "https://cchc.bacgiang.gov.vn"
    period, stp, syt = setup
    with time_machine.travel(local(2026, 11, 14, 7, 0), tick=False):
        run()
    message = next(m for m in mail.outbox if "cv.stp@bacgiang.gov.vn" in m.to)
    from parindex.notify.emails import workspace_url

    assert workspace_url(stp).startswith("https://cchc.bacgiang.gov.vn/")
    assert workspace_url(stp) in message.body
    assert "Còn 1 ngày" in message.subject


def test_it_never_sends_twice_the_same_day(province, setup):
    period, stp, syt = setup
    with time_machine.travel(local(2026, 11, 8, 7, 0), tick=False):
        run()
        first = len(mail.outbox)
        out = run()
        run("--date", "2026-11-08")
    assert first == 2
    assert len(mail.outbox) == 2
    assert "bỏ qua (đã nhắc hôm nay)" in out
    assert ReminderLog.objects.filter(kind="deadline").count() == 2


def test_the_service_refuses_a_second_send_of_the_same_day(province, setup):
    from parindex.notify.services import reminder_send

    period, stp, syt = setup
    day = local(2026, 11, 8).date()
    assert reminder_send(actor=None, assessment=stp, kind="deadline", for_date=day) is not None
    assert reminder_send(actor=None, assessment=stp, kind="deadline", for_date=day) is None
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(verb="reminder.sent")
    assert event.new["to"] == ["cv.stp@bacgiang.gov.vn", "ld.stp@bacgiang.gov.vn"]


def test_it_skips_units_that_have_submitted_or_wait_for_their_leader(province, setup):
    period, stp, syt = setup
    set_status(syt, Status.SUBMITTED)
    set_status(stp, Status.PENDING_APPROVAL)  # still not sent: the leader is reminded too
    with time_machine.travel(local(2026, 11, 8, 7, 0), tick=False):
        run()
    assert [sorted(m.to) for m in mail.outbox] == [
        ["cv.stp@bacgiang.gov.vn", "ld.stp@bacgiang.gov.vn"]
    ]


def test_an_extension_moves_the_reminders(province, setup):
    period, stp, syt = setup
    with time_machine.travel(local(2026, 10, 20), tick=False):
        assessment_extend_deadline(
            actor=province.admin,
            assessment=syt,
            until=local(2026, 11, 20, 17, 0),
            reason="Thay đổi nhân sự",
        )
    with time_machine.travel(local(2026, 11, 8, 7, 0), tick=False):
        run()
    assert [m.to for m in mail.outbox] == [["cv.stp@bacgiang.gov.vn", "ld.stp@bacgiang.gov.vn"]]
    mail.outbox.clear()
    with time_machine.travel(local(2026, 11, 13, 7, 0), tick=False):
        run()
    (message,) = mail.outbox
    assert message.to == ["cv.syt@bacgiang.gov.vn"]
    assert "20/11/2026 17:00 (đã được gia hạn riêng cho đơn vị)" in message.body


def test_the_reminder_days_are_the_period_s_policy(province, setup):
    from parindex.periods.models import Period

    period, stp, syt = setup
    Period.objects.filter(pk=period.pk).update(reminder_days="10,0")
    for day, expected in ((5, 2), (8, 0), (15, 2)):
        mail.outbox.clear()
        with time_machine.travel(local(2026, 11, day, 7, 0), tick=False):
            run()
        assert len(mail.outbox) == expected, day
    assert "Hôm nay là hạn cuối" in mail.outbox[0].subject
    Period.objects.filter(pk=period.pk).update(reminder_days="")
    mail.outbox.clear()
    with time_machine.travel(local(2026, 11, 5, 7, 0), tick=False):
        run("--date", "2026-11-05")
    assert mail.outbox == []


def test_a_closed_period_gets_no_reminder(province, setup):
    period, stp, syt = setup
    period_close(actor=province.admin, period=period, reason="Kết thúc")
    with time_machine.travel(local(2026, 11, 8, 7, 0), tick=False):
        run()
    assert mail.outbox == []


def test_dry_run_lists_without_sending(province, setup):
    period, stp, syt = setup
    out = run("--date", "2026-11-08", "--dry-run")
    assert "sẽ nhắc Sở Tư pháp — Xác định Chỉ số CCHC năm 2026: hạn 15/11/2026 23:59" in out
    assert "Sẽ nhắc 2 đơn vị (ngày 08/11/2026)." in out
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()


def test_a_bad_date_is_refused_in_vietnamese(province, setup):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="không hợp lệ"):
        run("--date", "08/11/2026")


def test_a_unit_without_addresses_is_logged_once_and_gets_nothing(province, setup):
    from parindex.accounts.models import User

    User.objects.filter(username="cv.syt").update(email="")
    with time_machine.travel(local(2026, 11, 8, 7, 0), tick=False):
        run()
        run()
    assert len(mail.outbox) == 1
    log = ReminderLog.objects.get(assessment__unit__code="SYT")
    assert log.recipients == []
