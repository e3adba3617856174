"""400, 403 (and the CSRF failure), 404 and 500 pages in Vietnamese, with DEBUG off: never
Django's debug page with the URL list, never the English default pages; 500 renders without
the database or the context processors."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.test import Client, RequestFactory, override_settings
from django.views.defaults import server_error

ROOT = Path(__file__).resolve().parents[2]
PROD = {"DEBUG": False, "ROOT_URLCONF": "tests.common.error_urls"}


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
@override_settings(**PROD)
def test_an_anonymous_404_is_vietnamese_without_the_url_list(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = _text(response)
    assert "Không tìm thấy trang" in html
    assert "/khong-co-trang-nay/" in html
    for leak in ("Using the URLconf", "tai-khoan/", "quan-tri-he-thong", "Not Found"):
        assert leak not in html
    assert '<html lang="vi">' in html


@pytest.mark.django_db
@override_settings(**PROD)
def test_a_logged_in_404_is_the_same_page(login, province):
    response = login(province.officer).get("/danh-gia/999999999/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in _text(response)


@pytest.mark.django_db
@override_settings(**PROD)
def test_a_403_is_vietnamese_and_shows_the_reason(login, province):
    response = login(province.officer).get("/_thu/loi-403/")
    assert response.status_code == 403
    html = _text(response)
    assert "Không có quyền truy cập" in html
    assert "Chỉ quản trị của Sở Nội vụ mới được xem trang này." in html
    assert "403 Forbidden" not in html


@pytest.mark.django_db
@override_settings(**PROD)
def test_a_csrf_failure_is_vietnamese():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/tai-khoan/dang-nhap/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    html = _text(response)
    assert "Biểu mẫu đã hết hiệu lực" in html
    assert "CSRF verification failed" not in html


@pytest.mark.django_db
@override_settings(**PROD)
def test_a_bad_host_is_a_vietnamese_400(client):
    response = client.get("/", HTTP_HOST="tan-cong.example")
    assert response.status_code == 400
    html = _text(response)
    assert "Yêu cầu không hợp lệ" in html
    assert "Bad Request" not in html


@pytest.mark.django_db
@override_settings(**PROD)
def test_a_500_is_vietnamese_and_needs_no_database(django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/_thu/loi-500/")
    assert response.status_code == 500
    html = _text(response)
    assert "Lỗi hệ thống" in html
    assert "lỗi thử" not in html and "Traceback" not in html
    assert "Server Error" not in html


def test_the_500_page_renders_with_the_database_unreachable():
    # No django_db mark: any query here raises. The handler renders with an empty context.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.content.decode()


def test_the_demo_runs_with_debug_off_and_cookies_usable_over_http(tmp_path):
    """``./run demo`` exports DEBUG=false, a secret key kept in the data dir, SECURE_COOKIES
    false (the demo is plain http://127.0.0.1) and the file mail backend."""
    script = (
        'source ./run && demo_env && "$PY" -c "'
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='parindex.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "'127.0.0.1' in s.ALLOWED_HOSTS, 'localhost' in s.ALLOWED_HOSTS, s.EMAIL_BACKEND)\""
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "SECURE_COOKIES", "EMAIL_BACKEND")
        and not k.startswith("DJANGO_")
    }
    env["PARINDEX_DATA_DIR"] = str(tmp_path)
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "False",
        "False",
        "False",
        "True",
        "True",
        "django.core.mail.backends.filebased.EmailBackend",
    ]
    key = tmp_path / "secret_key"
    assert len(key.read_text().strip()) >= 50
    assert oct(key.stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db
@override_settings(**PROD)
def test_a_database_failure_is_a_503_that_says_nothing_was_saved():
    """PostgreSQL restarting or its disk full: not "Lỗi hệ thống" but what happened, that the
    change was not saved, and when to try again (bench/load.py's faults)."""
    client = Client(raise_request_exception=False)
    response = client.get("/_thu/loi-csdl/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    html = _text(response)
    assert "Tạm thời chưa lưu được dữ liệu" in html
    assert "hết dung lượng lưu trữ" in html and "CHƯA được lưu" in html
    assert "No space left" not in html  # the server's detail stays in the log


@pytest.mark.django_db
@override_settings(**PROD)
def test_the_autosave_and_the_upload_get_the_503_as_json_they_show():
    client = Client(raise_request_exception=False)
    for headers in ({"Accept": "application/json"}, {"X-Requested-With": "XMLHttpRequest"}):
        response = client.get("/_thu/loi-csdl/", headers=headers)
        assert response.status_code == 503
        body = response.json()
        assert body["retry_after"] == 30 and "CHƯA được lưu" in body["error"]


@pytest.mark.django_db
@override_settings(**PROD)
def test_other_errors_keep_the_500_page():
    response = Client(raise_request_exception=False).get("/_thu/loi-500/")
    assert response.status_code == 500 and "Lỗi hệ thống" in _text(response)


def test_a_lost_connection_is_named_as_such():
    from django.db import OperationalError

    from parindex.common.views import database_unavailable_text

    text = database_unavailable_text(OperationalError("server closed the connection"))
    assert "không trả lời" in text and "dung lượng" not in text
