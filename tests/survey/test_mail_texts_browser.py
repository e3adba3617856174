"""In Chromium: the organizer edits the invitation's text, sees a refused text's message and
the preview of a saved one. Screenshots go to /tmp/shots/lists/."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex.survey.models import Survey
from parindex.survey.services.respondents import respondents_import
from tests.conftest import PASSWORD
from tests.survey.test_lists import GOOD, rows_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/lists")  # noqa: S108 - beside the other list screenshots


def test_the_organizer_writes_the_invitation(surveyed, live_server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    p = surveyed.province
    respondents_import(actor=p.officer, survey=surveyed.survey, unit=p.stp, rows=rows_of(GOOD))
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", p.admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/dieu-tra/{surveyed.survey.pk}/danh-sach/")
    page.click("text=Nội dung thư mời, thư nhắc")
    page.wait_for_load_state("networkidle")
    assert page.locator("#mail-invitation [data-preview]").inner_text().count("Kính gửi") == 1
    page.screenshot(path=str(SHOTS / "mail-default.png"), full_page=True)
    body = page.locator("#body-invitation")
    body.fill("Kính gửi {ho_ten},\nMời Ông/Bà trả lời phiếu.")
    page.click("#mail-invitation button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "phải có {duong_dan}" in page.locator("#mail-invitation .alert-danger").inner_text()
    page.screenshot(path=str(SHOTS / "mail-refused.png"), full_page=True)
    body = page.locator("#body-invitation")
    body.fill("Kính gửi {ho_ten},\nMời Ông/Bà trả lời phiếu tại {duong_dan} trước {han_tra_loi}.")
    page.click("#mail-invitation button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "đã lưu" in page.content()
    preview = page.locator("#mail-invitation [data-preview]").inner_text()
    assert "{ho_ten}" not in preview and "/khao-sat/" in preview
    page.screenshot(path=str(SHOTS / "mail-saved.png"), full_page=True)
    assert Survey.objects.get(pk=surveyed.survey.pk).mail_texts["invitation"]["subject"]
