"""The organizer designs a block's survey in Chromium: the period's surveys, the default
survey created, a question row added through htmx and saved, the quota matrix filled; the
screens are written to $DESIGN_SHOTS (or the browser tests' temporary directory)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from parindex.assessments.participation import period_add_units
from parindex.survey.models import Quota, Survey
from tests.periods.factories import make_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_organizer_designs_the_survey(province, live_server, page, shots):
    SHOTS = Path(os.environ.get("DESIGN_SHOTS") or shots)  # noqa: N806
    SHOTS.mkdir(parents=True, exist_ok=True)
    period = make_period(province)
    period_add_units(actor=province.admin, period=period, units=[province.stp, province.syt])
    log_in(page, live_server, province.admin.username, province.password)

    page.goto(f"{live_server.url}/dot-danh-gia/{period.pk}/")
    page.click("text=Điều tra xã hội học")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "1-period.png"), full_page=True)
    page.click("text=Tạo phiếu mặc định")
    page.wait_for_load_state("networkidle")
    survey = Survey.objects.get()
    page.screenshot(path=str(SHOTS / "2-overview.png"), full_page=True)

    page.click("a.nav-link:has-text('Phiếu điều tra')")
    page.wait_for_load_state("networkidle")
    n = len(survey.definition["questions"])
    page.click("button:has-text('Thêm câu hỏi')")
    page.wait_for_selector(f"input[name='q-{n}-code']")
    page.fill(f"input[name='q-{n}-code']", "Q99")
    page.fill(f"textarea[name='q-{n}-text']", "Ông/bà hài lòng với việc tiếp nhận phản ánh?")
    page.fill(f"input[name='q-{n}-factor']", "phan_anh")
    page.screenshot(path=str(SHOTS / "3-editor.png"), full_page=True)
    page.click("button:has-text('Lưu phiếu điều tra')")
    page.wait_for_load_state("networkidle")
    assert "Đã lưu phiếu điều tra." in page.content()
    survey.refresh_from_db()
    assert survey.definition["questions"][-1]["code"] == "Q99"

    page.click("a.nav-link:has-text('Chỉ tiêu mẫu')")
    page.wait_for_load_state("networkidle")
    page.fill("#fill-target", "3")
    page.click("button:has-text('Điền cho mọi đơn vị')")
    page.wait_for_load_state("networkidle")
    assert Quota.objects.filter(target=3).count() == 2
    page.screenshot(path=str(SHOTS / "4-quota.png"), full_page=True)

    # a save with problems: listed in Vietnamese
    page.click("a.nav-link:has-text('Phiếu điều tra')")
    page.wait_for_load_state("networkidle")
    page.fill("input[name='s-0-weight']", "150")
    page.click("button:has-text('Lưu phiếu điều tra')")
    page.wait_for_load_state("networkidle")
    assert "chưa lưu gì" in page.content()
    page.screenshot(path=str(SHOTS / "5-editor-error.png"), full_page=False)


def test_the_demo_survey_screens(province, live_server, page, shots):
    """The so-demo survey (four groups) and last year's survey to copy in another block."""
    from parindex.survey.services.lifecycle import survey_create
    from parindex.survey.services.quota import quota_bulk_fill
    from tests.survey.conftest import survey_data

    SHOTS = Path(os.environ.get("DESIGN_SHOTS") or shots)  # noqa: N806
    SHOTS.mkdir(parents=True, exist_ok=True)
    period = make_period(province)
    period_add_units(actor=province.admin, period=period, units=[province.stp, province.syt])
    pb = period.blocks.select_related("framework", "block", "period").get()
    survey = survey_create(actor=province.admin, period_block=pb, data=survey_data(pb.framework))
    quota_bulk_fill(actor=province.admin, survey=survey, group="LDSO", target=3)
    quota_bulk_fill(actor=province.admin, survey=survey, group="HDND", census=True)
    quota_bulk_fill(actor=province.admin, survey=survey, group="DAN", target=30)
    log_in(page, live_server, province.admin.username, province.password)
    page.goto(f"{live_server.url}/dieu-tra/{survey.pk}/")
    page.screenshot(path=str(SHOTS / "6-demo-overview.png"), full_page=True)
    page.goto(f"{live_server.url}/dieu-tra/{survey.pk}/chi-tieu-mau/")
    page.screenshot(path=str(SHOTS / "7-demo-quota.png"), full_page=True)
    page.goto(f"{live_server.url}/dieu-tra/{survey.pk}/thiet-ke/")
    page.screenshot(path=str(SHOTS / "8-demo-editor.png"), full_page=True)
    page.goto(f"{live_server.url}/dieu-tra/dot/{period.pk}/")
    page.screenshot(path=str(SHOTS / "9-demo-period.png"), full_page=True)
    assert "4 nhóm đối tượng · 14 câu hỏi" in page.content()
