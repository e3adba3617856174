"""The session as OWASP ASVS V3 asks (Django's own mechanisms, as configured here): a new
session key at login, the cookie HttpOnly and SameSite=Lax, the session dead on the server
after logout, and an idle limit (SESSION_COOKIE_AGE)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from tests.conftest import PASSWORD


def _log_in(client: Client, user) -> None:
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_the_login_gives_a_new_session_key(client, province):
    client.get("/tai-khoan/dang-nhap/")
    client.session.save()  # an anonymous session fixed before the login (fixation attempt)
    before = client.session.session_key
    _log_in(client, province.officer)
    assert client.session.session_key != before


def test_the_session_cookie_is_httponly_and_samesite_lax(client, province):
    client.post("/tai-khoan/dang-nhap/", {"username": province.officer.username,
                                          "password": PASSWORD})  # fmt: skip
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_after_logout_the_old_cookie_opens_nothing(client, province):
    _log_in(client, province.officer)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post("/tai-khoan/dang-xuat/").status_code == 302
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = other.get("/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
