"""The export page in Chromium, on an approved period: the organizer asks for the workbook in
the background from the results page's *Văn bản* card; the job appears with its status, the
page polls it (htmx) until *Tải về* shows, and the download is the workbook. Screenshot in a
temp dir printed at the end."""

from __future__ import annotations

import io
import os

import pytest
from openpyxl import load_workbook

from tests.browser.test_self_assessment_flow import log_in
from tests.results.conftest import appraisal, approved, clock  # noqa: F401 - fixtures

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_organizer_builds_the_workbook_in_the_background(
    browser, live_server, request, shots, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    ns = request.getfixturevalue("approved")
    admin = log_in(browser, live_server, "quantri", ns.province.password)
    admin.goto(f"{live_server.url}/ket-qua/dot/{ns.period.pk}/")
    admin.click('[data-doc-link="page"]')
    admin.click("tr[data-doc=workbook] button[value=xlsx]")
    job = admin.locator("#jobs [data-job]").first
    job.wait_for()
    assert "Bảng số liệu Chỉ số CCHC (Excel)" in job.inner_text()
    admin.locator("#jobs [data-download]").wait_for(timeout=20_000)
    assert admin.locator("#no-jobs").is_hidden()
    admin.screenshot(path=str(shots / "documents-export.png"), full_page=True)
    with admin.expect_download() as download:
        admin.click("#jobs [data-download]")
    assert download.value.suggested_filename == "Số liệu Chỉ số CCHC năm 2026.xlsx"
    wb = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert "Chỉ số thành phần" in wb.sheetnames
    print(f"screenshots: {shots}")


def test_the_organizer_builds_the_periods_archive_in_the_background(
    browser, live_server, request, shots, settings
):
    import json
    import zipfile

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    ns = request.getfixturevalue("approved")
    admin = log_in(browser, live_server, "quantri", ns.province.password)
    admin.goto(f"{live_server.url}/ket-qua/dot/{ns.period.pk}/van-ban/")
    assert "Hồ sơ lưu trữ của đợt đánh giá" in admin.locator("tr[data-doc=archive]").inner_text()
    admin.click("tr[data-doc=archive] button[value=zip]")
    admin.locator("#jobs [data-download]").wait_for(timeout=60_000)
    admin.screenshot(path=str(shots / "documents-archive.png"), full_page=True)
    with admin.expect_download() as download:
        admin.click("#jobs [data-download]")
    assert download.value.suggested_filename.startswith("Hồ sơ lưu trữ Chỉ số CCHC 2026")
    archive = zipfile.ZipFile(download.value.path())
    manifest = json.loads(archive.read("manifest.json"))
    assert any(f["path"].startswith("02 Đơn vị/so/STP - Sở Tư pháp/") for f in manifest["files"])
    print(f"screenshots: {shots}")
