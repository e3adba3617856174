"""The account page's sessions: listed, ended one by one or all others, ended by a new password;
only one's own."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from parindex.accounts.models import UserSession
from parindex.accounts.services.sessions import SID, key_hash
from parindex.audit.models import AuditEvent

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
ACCOUNT = "/tai-khoan/cua-toi/"


def signed_in(user, password, ua=CHROME, ip="10.1.2.3"):
    client = Client(HTTP_USER_AGENT=ua, REMOTE_ADDR=ip)
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": password}
    )
    assert response.status_code == 302
    return client


def is_signed_in(client) -> bool:
    return client.get(ACCOUNT).status_code == 200


def test_each_sign_in_is_listed_with_its_browser_address_and_times(province):
    first = signed_in(province.officer, province.password)
    signed_in(province.officer, province.password, ua=FIREFOX, ip="10.9.9.9")
    rows = UserSession.objects.filter(user=province.officer)
    assert rows.count() == 2
    assert {r.ip for r in rows} == {"10.1.2.3", "10.9.9.9"}
    mine = rows.get(pk=first.session[SID])
    assert mine.key_hash == key_hash(first.session.session_key)
    assert first.session.session_key not in mine.key_sealed  # the key is never kept readable
    page = first.get(ACCOUNT).content.decode()
    assert "Chrome trên Windows" in page and "Firefox trên Linux" in page
    assert "Phiên này" in page and "10.9.9.9" in page
    assert page.count("Đăng xuất phiên này") == 1
    assert "Đăng xuất mọi phiên khác" in page


def test_ending_another_session_signs_it_out_at_once(province):
    here = signed_in(province.officer, province.password)
    there = signed_in(province.officer, province.password, ua=FIREFOX)
    other = UserSession.objects.get(pk=there.session[SID])
    response = here.post(reverse("accounts:session-end", args=[other.pk]))
    assert response.status_code == 302
    assert not is_signed_in(there)
    assert is_signed_in(here)
    assert not UserSession.objects.filter(pk=other.pk).exists()
    assert AuditEvent.objects.filter(verb="auth.session_ended", actor=province.officer).count() == 1


def test_ending_every_other_session_keeps_this_one(province):
    here = signed_in(province.officer, province.password)
    others = [signed_in(province.officer, province.password, ua=FIREFOX) for _ in range(2)]
    stranger = signed_in(province.leader, province.password)
    here.post(reverse("accounts:sessions-end-others"))
    assert is_signed_in(here)
    assert not any(is_signed_in(c) for c in others)
    assert is_signed_in(stranger)
    assert UserSession.objects.filter(user=province.officer).count() == 1


def test_nobody_ends_someone_elses_session(province):
    """The outsider test: another unit's officer gets 404, and the session lives on."""
    victim = signed_in(province.officer, province.password)
    row = UserSession.objects.get(pk=victim.session[SID])
    outsider = signed_in(province.outsider, province.password)
    assert outsider.post(reverse("accounts:session-end", args=[row.pk])).status_code == 404
    outsider.post(reverse("accounts:sessions-end-others"))
    assert is_signed_in(victim)
    assert UserSession.objects.filter(pk=row.pk).exists()
    assert "Đăng xuất phiên này" not in outsider.get(ACCOUNT).content.decode()


def test_the_account_page_lists_only_my_sessions(province):
    signed_in(province.officer, province.password, ua=FIREFOX)
    mine = signed_in(province.outsider, province.password)
    page = mine.get(ACCOUNT).content.decode()
    assert "Firefox" not in page


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(province):
    here = signed_in(province.officer, province.password)
    there = signed_in(province.officer, province.password, ua=FIREFOX)
    new = "Mat-khau-moi-that-dai-2027"
    response = here.post(
        reverse("accounts:password-change"),
        {"old_password": province.password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert is_signed_in(here)
    assert not is_signed_in(there)
    (row,) = UserSession.objects.filter(user=province.officer)
    assert row.pk == here.session[SID]
    assert row.key_hash == key_hash(here.session.session_key)  # followed the cycled key


def test_an_admins_password_reset_ends_every_session_of_the_account(province, login):
    target = signed_in(province.officer, province.password)
    admin = login(province.admin)
    admin.post(
        reverse("accounts:user-password-reset", args=[province.officer.pk]),
        {"password": "", "reason": "Quên mật khẩu"},
    )
    assert not is_signed_in(target)
    assert not UserSession.objects.filter(user=province.officer).exists()


def test_signing_out_removes_the_row(province):
    client = signed_in(province.officer, province.password)
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=province.officer).exists()


def test_last_seen_moves_at_most_once_a_minute(province):
    start = time.time()
    with time_machine.travel(start, tick=False):
        client = signed_in(province.officer, province.password)
        row = UserSession.objects.get(user=province.officer)
        seen = row.last_seen
    with time_machine.travel(start + 30, tick=False):
        client.get("/")
        assert UserSession.objects.get(pk=row.pk).last_seen == seen
    with time_machine.travel(start + 61, tick=False):
        client.get("/", REMOTE_ADDR="10.4.4.4")
        row.refresh_from_db()
        assert row.last_seen > seen and row.ip == "10.4.4.4"


def test_an_ordinary_page_asks_no_more_queries_for_the_session(
    province, login, django_assert_max_num_queries
):
    client = login(province.officer)
    client.get("/")
    with django_assert_max_num_queries(50) as counted:
        client.get(reverse("accounts:password-change"))
    names = " ".join(q["sql"] for q in counted.captured_queries)
    assert "accounts_usersession" not in names
    assert "accounts_twofactordevice" not in names


@pytest.mark.parametrize(
    "engine",
    ["django.contrib.sessions.backends.cache", "django.contrib.sessions.backends.cached_db"],
)
def test_ending_a_session_works_with_other_session_engines(province, settings, engine):
    settings.SESSION_ENGINE = engine
    here = signed_in(province.officer, province.password)
    there = signed_in(province.officer, province.password, ua=FIREFOX)
    assert is_signed_in(there)
    here.post(reverse("accounts:session-end", args=[there.session[SID]]))
    assert not is_signed_in(there)
    assert is_signed_in(here)
