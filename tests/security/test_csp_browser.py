"""In Chromium, with the real Content-Security-Policy: key pages log no CSP violation (the
watcher of tests/conftest.py fails any browser test that does), their scripts still run,
and the watcher itself catches an inline script the policy refuses."""

from __future__ import annotations

import pytest

from tests.conftest import CSP_VIOLATIONS, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inline_script_is_refused_and_the_watcher_sees_it(live_server, page):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.piInline = 1"; document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.piInline") is None  # not run
    assert any("Content Security Policy" in v for v in CSP_VIOLATIONS), CSP_VIOLATIONS
    CSP_VIOLATIONS.clear()  # seen on purpose: the test's teardown must not fail on it


def test_public_and_error_pages_and_the_api_docs_load_clean(live_server, page):
    for path in ("/cong-khai/", "/tai-khoan/dang-nhap/", "/khong-co-trang-nay/", "/api/v1/docs"):
        response = page.goto(f"{live_server.url}{path}")
        assert (
            response is not None
            and "script-src 'self'" in response.headers["content-security-policy"]
        )
        page.wait_for_load_state("networkidle")
    # Swagger UI (its own static scripts) drew the API's operations
    assert page.locator(".opblock").count() > 0


def test_an_organizer_page_confirms_through_common_js(live_server, page, province):
    admin = province.admin
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/tai-khoan/don-vi/{province.syt.pk}/sua/")
    asked: list[str] = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.click("button[data-confirm^='Ngừng hoạt động']")
    page.wait_for_timeout(300)
    assert asked and asked[0].startswith("Ngừng hoạt động đơn vị")
    assert "/don-vi/" in page.url  # cancelled: nothing sent, still on the page
