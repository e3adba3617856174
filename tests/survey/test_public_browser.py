"""Browser tests (Chromium): a citizen answers from the public link on a phone-sized viewport;
an enumerator keys two paper forms with the keyboard only (Enter moves on, a valid key moves
on by itself). Screenshots go to $PARINDEX_SHOTS (default: a temp dir)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.cache import cache

from parindex.survey.models import Response
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots_dir() -> Path:
    path = Path(os.environ.get("PARINDEX_SHOTS") or tempfile.mkdtemp(prefix="parindex-public-"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_a_citizen_answers_from_the_public_link_on_a_phone(
    browser,  # noqa: F811
    live_server,
    surveyed,
    shots_dir,
):
    cache.clear()
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/khao-sat/{surveyed.survey.pk}/dv/STP/")
    assert "Sở Tư pháp" in page.content()
    page.screenshot(path=str(shots_dir / "public-form-390.png"), full_page=False)
    page.screenshot(path=str(shots_dir / "public-form-390-full.png"), full_page=True)
    for fs in page.locator("fieldset.pi-question").all():
        fs.locator("label").nth(1).click()
    page.fill("#id_phone", "0912 345 678")
    page.click("button[type=submit]")
    page.wait_for_url("**/cam-on/")
    assert "Cảm ơn Ông/Bà" in page.content()
    page.screenshot(path=str(shots_dir / "public-thanks-390.png"))
    context.close()
    r = Response.objects.get()
    assert (r.channel, r.group, r.unit_id, r.phone) == (
        "public",
        "DAN",
        surveyed.province.stp.pk,
        "0912 345 678",
    )


def test_an_enumerator_keys_two_paper_forms_with_the_keyboard(
    browser,  # noqa: F811
    live_server,
    surveyed,
    shots_dir,
):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", surveyed.enumerator.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    url = f"{live_server.url}/dieu-tra/{surveyed.survey.pk}/nhap-phieu/?nhom=HDND"
    page.goto(url)
    for serial, unit, keys in (("0001", "STP", "ABCDABCA"), ("0002", "SYT", "bbbbaaaa")):
        assert page.evaluate("document.activeElement.id") == "id_serial"  # autofocus
        page.keyboard.type(serial)
        page.keyboard.press("Enter")
        page.keyboard.press("Control+A")
        page.keyboard.type(unit)
        page.keyboard.press("Enter")
        boxes = page.locator("input.pi-key").count()
        for key in (keys * 3)[:boxes]:
            page.keyboard.type(key)  # a valid key moves to the next box by itself
        if serial == "0001":
            page.screenshot(path=str(shots_dir / "enumerator-entry-typed.png"), full_page=True)
        with page.expect_navigation():
            page.keyboard.press("Enter")  # on the last box: saves the form
        page.wait_for_load_state("networkidle")
        assert f"Đã lưu phiếu số {serial}" in page.content()
    page.screenshot(path=str(shots_dir / "enumerator-entry.png"), full_page=True)
    context.close()
    got = {r.serial: r.unit.code for r in Response.objects.select_related("unit")}
    assert got == {"0001": "STP", "0002": "SYT"}
    assert all(r.enumerator_id == surveyed.enumerator.pk for r in Response.objects.all())


def test_the_poster_renders(surveyed, shots_dir):
    from parindex.survey.poster import poster_pdf

    pdf = poster_pdf(surveyed.survey, surveyed.province.stp, "https://cchc.example.vn/khao-sat/1/")
    assert pdf.startswith(b"%PDF")
    (shots_dir / "poster.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-singlefile",
                str(shots_dir / "poster.pdf"),
                str(shots_dir / "poster"),
            ],
            check=True,
        )
        assert (shots_dir / "poster.png").exists()


def test_the_organizer_pages_of_the_qr_codes_and_the_double_entry(
    browser,  # noqa: F811
    live_server,
    surveyed,
    shots_dir,
):
    from parindex.accounts.models import Membership
    from parindex.accounts.services import membership_grant, user_create
    from parindex.survey.services.paper import paper_second_entry, paper_submit

    other = user_create(actor=None, username="dtv.hai", password=PASSWORD, full_name="Lý Thị Hai")
    membership_grant(
        actor=None, user=other, unit=surveyed.province.snv, role=Membership.Role.ENUMERATOR
    )
    answers = {"Q01": "A", "Q02": "B", "Q06": "C"}
    kw = dict(survey=surveyed.survey, group="HDND", unit=surveyed.province.stp)
    paper_submit(actor=surveyed.enumerator, serial="0007", answers=answers, **kw)
    paper_second_entry(actor=other, serial="0007", answers={**answers, "Q02": "D"}, **kw)
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", surveyed.province.admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/dieu-tra/{surveyed.survey.pk}/qr/")
    assert "Tải áp phích (PDF)" in page.content()
    page.screenshot(path=str(shots_dir / "organizer-qr-list.png"), full_page=True)
    page.goto(f"{live_server.url}/dieu-tra/{surveyed.survey.pk}/doi-chieu/")
    assert "Phiếu số 0007" in page.content()
    page.screenshot(path=str(shots_dir / "organizer-compare.png"), full_page=True)
    with page.expect_navigation():
        page.click("button[value=second]")
    assert "đã lấy theo lần nhập 2" in page.content()
    context.close()
    assert Response.objects.get().answers.get(question="Q02").option == "D"
