"""In Chromium: a unit's list page, the organizer's list page, and a respondent answering from
the e-mail's link on a phone-sized viewport (390×844) to the thanks page. Screenshots go to
/tmp/shots/lists/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail

from parindex.survey.models import Quota, Response
from parindex.survey.services.invitations import invitations_send
from parindex.survey.services.respondents import respondents_import
from tests.survey.test_lists import GOOD, rows_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/lists")  # noqa: S108 - where the task asks for them


def log_in(page, live_server, user, password):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_lists_pages_and_a_respondent_on_a_phone(surveyed, live_server, browser, settings):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    settings.SITE_URL = live_server.url
    p = surveyed.province
    Quota.objects.create(survey=surveyed.survey, group="HDND", unit=p.stp, target=3)
    Quota.objects.create(survey=surveyed.survey, group="LDSO", unit=p.stp, target=2)
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))
    invitations_send(actor=p.admin, survey=surveyed.survey)  # transaction=True: mails now
    msg = next(m for m in mail.outbox if m.to == ["binh.tt@bacgiang.gov.vn"])
    link = re.search(r"http\S+/khao-sat/[A-Za-z0-9_-]+/", msg.body).group(0)

    desk = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    log_in(page, live_server, p.officer, p.password)
    page.goto(f"{live_server.url}/dieu-tra/{surveyed.survey.pk}/don-vi/{p.stp.pk}/danh-sach/")
    assert "Danh sách người được khảo sát" in page.inner_text("h1")
    page.screenshot(path=str(SHOTS / "unit-list.png"), full_page=True)
    desk.close()

    desk = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = desk.new_page()
    log_in(page, live_server, p.admin, p.password)
    page.goto(f"{live_server.url}/dieu-tra/{surveyed.survey.pk}/danh-sach/")
    assert "Trần Thị Bình" in page.inner_text("#respondents")
    page.screenshot(path=str(SHOTS / "organizer-list.png"), full_page=True)
    desk.close()

    phone = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.goto(link)
    assert "Đơn vị 1/2" in page.inner_text("#progress")
    page.screenshot(path=str(SHOTS / "respond-phone.png"), full_page=False)
    page.screenshot(path=str(SHOTS / "respond-phone-full.png"), full_page=True)
    # send with nothing chosen: the browser's own check stops it; force it to see the server's
    page.eval_on_selector("#respond-form", "f => f.setAttribute('novalidate', '')")
    page.eval_on_selector_all("#respond-form input", "xs => xs.forEach(x => x.required = false)")
    page.click("#respond-form button[type=submit]")
    assert "Còn câu chưa trả lời" in page.inner_text("#form-error")
    page.screenshot(path=str(SHOTS / "respond-phone-errors.png"), full_page=False)
    for _ in range(2):
        for fs in page.locator("fieldset.pi-question").all():
            fs.locator("label").nth(1).click()
        page.click("#respond-form button[type=submit]")
        page.wait_for_load_state("networkidle")
    assert "Cảm ơn Ông/Bà" in page.inner_text("body")
    page.screenshot(path=str(SHOTS / "thanks-phone.png"), full_page=False)
    phone.close()
    assert Response.objects.filter(channel="invitation").count() == 2
