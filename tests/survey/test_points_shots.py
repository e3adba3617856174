"""Screens of the survey points in Chromium (the organizer's table, one unit's open
computation, SIPAS); screenshots into $PARINDEX_SHOTS (default: a temp dir)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from parindex.survey.services.points import survey_points_refresh
from tests.survey.test_points_world import load_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user, password):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_points_screens(page, live_server, surveyed):
    shots = Path(os.environ.get("PARINDEX_SHOTS") or tempfile.mkdtemp(prefix="points-"))
    shots.mkdir(parents=True, exist_ok=True)
    load_world(surveyed)
    survey_points_refresh(actor=surveyed.province.admin, survey=surveyed.survey)
    pw = surveyed.province.password
    log_in(page, live_server, surveyed.province.admin, pw)
    base = f"{live_server.url}/dieu-tra/{surveyed.survey.pk}"
    page.goto(f"{base}/diem/")
    assert page.locator("#points-table").is_visible()
    page.screenshot(path=str(shots / "organizer.png"), full_page=True)
    page.goto(f"{base}/sipas/?sort=-sipas")
    page.screenshot(path=str(shots / "sipas.png"), full_page=True)
    page.goto(f"{base}/diem/")
    page.once("dialog", lambda d: d.accept())
    page.click("#freeze")
    page.wait_for_load_state("networkidle")
    assert page.locator("#frozen-badge").is_visible()
    page.screenshot(path=str(shots / "frozen.png"), full_page=True)
    page.context.clear_cookies()
    log_in(page, live_server, surveyed.province.officer, pw)
    page.goto(f"{base}/diem/{surveyed.stp.pk}/")
    assert page.locator("#leaf-1\\.7").is_visible()
    page.screenshot(path=str(shots / "unit.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shots / "unit-phone.png"), full_page=False)
