"""The results in Chromium, on a period approved through the appraisal's services: the
organizer opens the period's results from the period page's tab, reads the frozen ranking
and the decision, downloads the open data of the block; the unit's officer goes from the
home page to its results and reads its scores side by side with the council's reason.
Screenshots in a temp dir printed at the end."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest

from tests.browser.test_self_assessment_flow import log_in
from tests.results.conftest import appraisal, approved, clock  # noqa: F401 - fixtures

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_organizer_and_the_unit_read_the_approved_results(browser, live_server, request, shots):
    ns = request.getfixturevalue("approved")
    pw = ns.province.password
    admin = log_in(browser, live_server, "quantri", pw)
    admin.goto(f"{live_server.url}/dot-danh-gia/{ns.period.pk}/")
    admin.click("text=Kết quả, xếp hạng")
    admin.wait_for_load_state("networkidle")
    body = admin.inner_text("body")
    assert "Kết quả đã được Chủ tịch Hội đồng thẩm định phê duyệt ngày 27/12/2026" in body
    assert "Quyết định công bố số 345/QĐ-UBND ngày 29/12/2026" in body
    assert "Tạm tính" not in body
    frozen = ns.state.snapshot["blocks"]["so"]["results"]
    first = frozen["units"][0]
    row = admin.locator(f'#ranking-so tr[data-unit="{first["unit"]}"]')
    assert row.locator('[data-col="rank"]').inner_text() == "1"
    assert row.locator('[data-col="index"]').inner_text() == f"{first['index']:.2f}".replace(
        ".", ","
    )
    admin.screenshot(path=str(shots / "results-period.png"), full_page=True)
    with admin.expect_download() as download:
        admin.click('[data-open-data="so"]')
    content = open(download.value.path(), "rb").read()
    archive = zipfile.ZipFile(io.BytesIO(content))
    results = json.loads(archive.read("du-lieu-mo-SNV-2026-so/results.json"))
    assert results == frozen

    officer = log_in(browser, live_server, "cv.stp", pw)
    officer.click("text=Kết quả Chỉ số CCHC")
    officer.click("text=Xem kết quả")
    officer.wait_for_load_state("networkidle")
    body = officer.inner_text("body")
    assert "Sở Tư pháp — kết quả Chỉ số CCHC năm 2026" in body
    assert "Chỉ chứng minh 1/2" in body
    leaf = officer.locator('#leaves tr[data-code="1.6"]')
    assert leaf.locator('[data-col="self"]').inner_text() == "0,9"
    assert leaf.locator('[data-col="round1"]').inner_text() == "0,5"
    officer.screenshot(path=str(shots / "results-unit.png"), full_page=True)
    print(f"screenshots: {shots}")
