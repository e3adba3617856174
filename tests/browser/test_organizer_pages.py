"""The organizer logs in through the real login page and reads the main pages in Vietnamese."""

from __future__ import annotations

import pytest

from parindex.assessments.participation import period_add_units
from parindex.frameworks.models import Framework
from parindex.frameworks.services import framework_import
from parindex.periods.services import period_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPEC = {
    "format": "parindex.framework/v1",
    "code": "BG-SO-2026",
    "title": "Bộ tiêu chí xác định Chỉ số CCHC các sở, ban, ngành năm 2026",
    "year": 2026,
    "block": "so",
    "nodes": [
        {
            "code": "1",
            "title": "Công tác chỉ đạo, điều hành cải cách hành chính",
            "children": [
                {
                    "code": "1.1",
                    "title": "Ban hành kế hoạch CCHC năm kịp thời",
                    "max": 60,
                    "rule": {"type": "boolean"},
                },
                {
                    "code": "1.2",
                    "title": "Mức độ hài lòng của người dân (điều tra XHH)",
                    "max": 40,
                    "source": "survey",
                    "rule": {"type": "survey"},
                },
            ],
        }
    ],
}


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def period(province):
    framework = framework_import(
        actor=province.admin, owner=province.snv, data=SPEC, source="so.yaml"
    )
    period = period_create(
        actor=province.admin,
        organizer=province.snv,
        year=2026,
        name="Xác định Chỉ số CCHC năm 2026 của các sở, ban, ngành",
        blocks=[(province.so, framework)],
    )
    period_add_units(actor=province.admin, period=period, units=[province.stp, province.syt])
    return period


def test_the_organizer_logs_in_and_reads_home_frameworks_and_period(
    page, live_server, province, period, shots
):
    log_in(page, live_server, "quantri", province.password)
    assert page.url.rstrip("/") == live_server.url
    body = page.inner_text("body")
    assert "Nguyễn Thị Hoa" in body
    page.screenshot(path=str(shots / "home.png"), full_page=True)

    page.goto(f"{live_server.url}/bo-tieu-chi/")
    assert "BG-SO-2026" in page.inner_text("body")
    framework = Framework.objects.get(code="BG-SO-2026")
    page.goto(f"{live_server.url}/bo-tieu-chi/{framework.pk}/")
    body = page.inner_text("body")
    assert "Công tác chỉ đạo, điều hành cải cách hành chính" in body
    assert "Ban hành kế hoạch CCHC năm kịp thời" in body
    page.screenshot(path=str(shots / "framework.png"), full_page=True)

    page.goto(f"{live_server.url}/dot-danh-gia/")
    assert "Đợt đánh giá" in page.inner_text("body")
    page.goto(f"{live_server.url}/dot-danh-gia/{period.pk}/")
    body = page.inner_text("body")
    assert "Xác định Chỉ số CCHC năm 2026 của các sở, ban, ngành" in body
    assert "Tự đánh giá" in body
    assert "Sở Tư pháp" in body
    page.screenshot(path=str(shots / "period.png"), full_page=True)
    print(f"screenshots: {shots}")


def test_a_wrong_password_shows_the_vietnamese_error(page, live_server, province, shots):
    log_in(page, live_server, "quantri", "khong-phai-mat-khau")
    assert "/tai-khoan/dang-nhap/" in page.url
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page.inner_text("body")
    page.screenshot(path=str(shots / "login-error.png"))


def test_an_officer_does_not_see_the_organizer_pages(page, live_server, province):
    log_in(page, live_server, "cv.stp", province.password)
    assert "Trần Văn Minh" in page.inner_text("body")
    response = page.goto(f"{live_server.url}/bo-tieu-chi/")
    assert response is not None and response.status in (403, 404)
