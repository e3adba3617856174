"""In Chromium: the organizer publishes the approved period from its results page; an
anonymous visitor opens the public ranking, a unit's scorecard (the chart drawn) and downloads
the open-data zip; the English page and the print layout. Screenshots: /tmp/shots/publication/."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from parindex.publication.models import Publication
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/publication")  # noqa: S108 - beside the other screenshots


def test_the_organizer_publishes_and_a_visitor_reads_and_downloads(approved, live_server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    ns = approved
    p = ns.province
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", p.admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/ket-qua/dot/{ns.period.pk}/")
    page.screenshot(path=str(SHOTS / "results-before.png"), full_page=True)
    page.click("#publish-button")
    page.wait_for_load_state("networkidle")
    assert "Đã công bố kết quả (phiên bản 1)" in page.content()
    assert Publication.objects.filter(period=ns.period, version=1).exists()
    page.screenshot(path=str(SHOTS / "results-published.png"), full_page=True)

    # an anonymous visitor
    page.context.clear_cookies()
    base = f"{live_server.url}/cong-khai/"
    page.goto(base)
    page.click(f"a[href='/cong-khai/{ns.period.organizer.code}/2026/so/']")
    page.wait_for_load_state("networkidle")
    snapshot = ns.state.snapshot["blocks"]["so"]["results"]["units"]
    first = snapshot[0]
    row = page.locator(f"#ranking tr[data-unit='{first['unit']}']")
    assert row.locator("[data-col=index]").inner_text() == f"{first['index']:.2f}".replace(".", ",")
    assert page.locator("[data-decision=date]").inner_text() == "29/12/2026"
    assert page.locator("[data-decision=number]").inner_text() == "345/QĐ-UBND"
    page.screenshot(path=str(SHOTS / "ranking.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(SHOTS / "ranking-print.png"), full_page=True)
    page.emulate_media(media="screen")

    with page.expect_download() as info:
        page.click("#open-data-zip")
    download = info.value
    assert download.suggested_filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    assert any(n.endswith("/results.json") for n in archive.namelist())

    page.click(f"#ranking tr[data-unit='{first['unit']}'] a")
    page.wait_for_selector("#domain-chart[data-rendered='1']")
    assert first["name"] in page.locator("h1").inner_text()
    page.screenshot(path=str(SHOTS / "scorecard.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(SHOTS / "scorecard-print.png"), full_page=True)
    page.emulate_media(media="screen")

    page.click("a[hreflang=en]")
    page.wait_for_selector("#domain-chart[data-rendered='1']")
    assert "Criteria where the most points were lost" in page.content()
    page.screenshot(path=str(SHOTS / "scorecard-en.png"), full_page=True)
