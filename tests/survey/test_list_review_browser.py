"""In Chromium: the organizer locks a unit's list, reopens it until a day typed dd/mm/yyyy,
and the unit's officer sees until when. Screenshots go to /tmp/shots/lists/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from parindex.survey.models import ListReview
from parindex.survey.services.respondents import respondents_import
from tests.conftest import PASSWORD
from tests.survey.test_lists import GOOD, rows_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/lists")  # noqa: S108 - beside the other list screenshots


def _login(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_organizer_locks_and_reopens_a_list(surveyed, live_server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    p = surveyed.province
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))
    _login(page, live_server, p.admin)
    page.goto(f"{live_server.url}/dieu-tra/{surveyed.survey.pk}/danh-sach/")
    page.click("#unit-lists button:has-text('Khóa')")
    page.wait_for_load_state("networkidle")
    assert "Đã khóa danh sách của Sở Tư pháp" in page.content()
    page.screenshot(path=str(SHOTS / "lists-locked.png"), full_page=True)

    until = timezone.localdate() + dt.timedelta(days=3)
    page.click("text=Mở lại cho đơn vị sửa")
    page.fill(f"#until-{p.stp.pk}", until.strftime("%d/%m/%Y"))
    page.fill(f"#reason-{p.stp.pk}", "Thiếu nhóm lãnh đạo sở")
    page.screenshot(path=str(SHOTS / "lists-reopen-form.png"), full_page=True)
    page.click(f"#unit-lists form:has(#until-{p.stp.pk}) button")
    page.wait_for_load_state("networkidle")
    assert f"Mở lại đến {until:%d/%m/%Y}" in page.content()
    assert ListReview.objects.get(unit=p.stp).reopened_until == until

    _login(page, live_server, p.officer)
    page.goto(f"{live_server.url}/dieu-tra/{surveyed.survey.pk}/don-vi/{p.stp.pk}/danh-sach/")
    text = page.locator("#reopened").inner_text()
    assert f"đến hết ngày {until:%d/%m/%Y}" in text and "Thiếu nhóm lãnh đạo sở" in text
    page.screenshot(path=str(SHOTS / "lists-unit-reopened.png"), full_page=True)
