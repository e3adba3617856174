"""The period's reminder days (policy as data), edited on the calendar form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.periods.calendar import period_calendar
from parindex.periods.models import parse_reminder_days
from parindex.periods.services import period_set_calendar


def test_reminder_days_are_parsed_distinct_and_largest_first():
    assert parse_reminder_days("1, 7;3,7") == [7, 3, 1]
    assert parse_reminder_days(" ") == []
    assert parse_reminder_days("0") == [0]


@pytest.mark.parametrize(
    ("text", "message"),
    [("7,ba", "“ba” không phải số ngày"), ("-1", "không phải số ngày"), ("90", "tối đa 60")],
)
def test_bad_reminder_days_are_refused_in_vietnamese(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_reminder_days(text)


def test_a_new_period_reminds_7_3_and_1_days_before(period):
    assert period.reminder_days == "7,3,1"
    assert period.reminder_day_list == [7, 3, 1]


def test_changing_only_the_reminder_days_is_a_change_and_is_audited(province, period):
    dates = period_calendar(period)
    period_set_calendar(
        actor=province.admin,
        period=period,
        dates=dates,
        reason="Nhắc sớm hơn",
        reminder_days="10, 5,1",
    )
    period.refresh_from_db()
    assert period.reminder_days == "10,5,1"
    event = AuditEvent.objects.get(verb="period.calendar")
    assert event.old == {"reminder_days": "7,3,1"}
    assert event.new == {"reminder_days": "10,5,1"}
    with pytest.raises(DomainError, match="không thay đổi"):
        period_set_calendar(
            actor=province.admin, period=period, dates=dates, reason="x", reminder_days="1,5,10"
        )
    with pytest.raises(DomainError, match="Ngày nhắc hạn"):
        period_set_calendar(
            actor=province.admin, period=period, dates=dates, reason="x", reminder_days="abc"
        )


def _post(period, **over):
    data = {"reason": "Theo kế hoạch", "reminder_days": "5,2"}
    for phase, (start, end) in period_calendar(period).items():
        data[f"start_{phase}"] = start.strftime("%d/%m/%Y")
        data[f"end_{phase}"] = end.strftime("%d/%m/%Y")
    data.update(over)
    return data


def test_the_calendar_form_edits_the_reminder_days(login, province, period):
    client = login(province.admin)
    url = reverse("periods:calendar-edit", args=[period.pk])
    html = client.get(url).content.decode()
    assert 'value="7,3,1"' in html
    response = client.post(url, _post(period))
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.reminder_days == "5,2"


def test_the_calendar_form_shows_a_bad_value(login, province, period):
    client = login(province.admin)
    url = reverse("periods:calendar-edit", args=[period.pk])
    response = client.post(url, _post(period, reminder_days="5,hai"))
    assert response.status_code == 200
    assert "“hai” không phải số ngày" in response.content.decode()
    period.refresh_from_db()
    assert period.reminder_days == "7,3,1"


def test_the_reminder_days_read_as_vietnamese(period):
    period.reminder_days = "7,3,1"
    assert period.reminder_days_text == "7, 3 và 1 ngày trước hạn"
    period.reminder_days = "5"
    assert period.reminder_days_text == "5 ngày trước hạn"
    period.reminder_days = ""
    assert period.reminder_days_text == ""
