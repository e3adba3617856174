"""The second factor and the session list in Chromium: enrolment (QR code, secret, backup
codes), the code page, the account page's sessions. Screenshots go to the ``shots`` folder."""

from __future__ import annotations

import re

import pytest

from parindex.accounts.services.twofactor import totp_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.two_factor,
    pytest.mark.django_db(transaction=True),
]


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_enrol_then_sign_in_with_a_code_and_see_the_sessions(
    browser, page, live_server, province, shots
):
    log_in(page, live_server, "quantri", province.password)
    assert "/tai-khoan/xac-thuc-hai-buoc/dang-ky/" in page.url
    assert page.locator("img[alt^='Mã QR']").is_visible()
    page.screenshot(path=str(shots / "2fa-enrol.png"), full_page=True)
    secret = page.locator("#pi-secret").inner_text().replace(" ", "")
    page.fill("#id_code", totp_code(secret))
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    codes = page.locator("#pi-backup-codes li").all_inner_texts()
    assert len(codes) == 10 and all(
        re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", c) for c in codes
    )
    page.screenshot(path=str(shots / "2fa-backup-codes.png"), full_page=True)

    # a second browser signs in: the code page, then a backup code
    other = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    second = other.new_page()
    log_in(second, live_server, "quantri", province.password)
    assert "/tai-khoan/xac-thuc-hai-buoc/" in second.url
    second.fill("#id_code", "000000" if totp_code(secret) != "000000" else "111111")
    second.click("button[type=submit]")
    second.wait_for_load_state("networkidle")
    assert "Mã xác thực không đúng" in second.content()
    second.screenshot(path=str(shots / "2fa-verify.png"), full_page=True)
    second.fill("#id_code", codes[0])
    second.click("button[type=submit]")
    second.wait_for_load_state("networkidle")
    assert "mã dự phòng" in second.content()

    page.goto(f"{live_server.url}/tai-khoan/cua-toi/")
    rows = page.locator("#pi-sessions tbody tr")
    assert rows.count() == 2
    assert "Phiên này" in rows.first.inner_text() or "Phiên này" in rows.nth(1).inner_text()
    page.screenshot(path=str(shots / "account-sessions.png"), full_page=True)
    page.click("text=Đăng xuất mọi phiên khác")
    page.wait_for_load_state("networkidle")
    assert page.locator("#pi-sessions tbody tr").count() == 1
    second.goto(f"{live_server.url}/tai-khoan/cua-toi/")
    assert "/tai-khoan/dang-nhap/" in second.url
    other.close()
    print(f"screenshots: {shots}")
