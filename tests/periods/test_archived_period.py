"""An archived period looks archived (Lưu trữ): closed, or past its working phases. No
"Đang diễn ra", no "Điều chỉnh lịch"; a closed one offers no "Đóng đợt" either; the home page
lists only running periods."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from parindex.periods.services import period_close
from tests.periods.factories import local

RUNNING = "Đang diễn ra"
CALENDAR = "Điều chỉnh lịch"
CLOSE = "Đóng đợt đánh giá"
IN_2027 = local(2027, 5, 4)  # after the 2026 calendar's last phase (Lưu trữ ends 31/03/2027)


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_closed_period_shows_nothing_running_and_no_actions(login, province, period):
    with time_machine.travel(local(2026, 12, 28), tick=False):
        period_close(actor=province.admin, period=period, reason="Đã công bố kết quả")
        client = login(province.admin)
        detail = _get(client, reverse("periods:detail", args=[period.pk]))
        listing = _get(client, reverse("periods:list"))
        home = _get(client, reverse("home"))
    assert RUNNING not in detail
    assert CALENDAR not in detail
    assert CLOSE not in detail
    assert "Đã đóng, lưu trữ (chỉ đọc)" in detail
    assert "Lưu trữ" in listing and "Đã đóng" in listing
    assert period.name not in home


def test_a_period_past_its_calendar_is_archived_not_running(login, province, period):
    """Before: the Lưu trữ row said "Đang diễn ra" months after it ended, and the organizer
    was still offered "Điều chỉnh lịch"."""
    with time_machine.travel(IN_2027, tick=False):
        client = login(province.admin)
        detail = _get(client, reverse("periods:detail", args=[period.pk]))
        home = _get(client, reverse("home"))
    assert RUNNING not in detail
    assert CALENDAR not in detail
    assert "Lưu trữ" in detail
    assert CLOSE in detail  # the organizer can still close it (read-only from then on)
    assert period.name not in home


def test_a_running_period_still_shows_its_phase_and_actions(login, province, period):
    with time_machine.travel(local(2026, 10, 20), tick=False):
        client = login(province.admin)
        detail = _get(client, reverse("periods:detail", args=[period.pk]))
        home = _get(client, reverse("home"))
    assert RUNNING in detail
    assert CALENDAR in detail
    assert CLOSE in detail
    assert period.name in home
