"""Two-factor sign-in: required of organizer and system admins, chosen by anyone else.

These tests sign in as production does (``two_factor`` marker: the shared fixture that passes
the second factor is off), through the login form.
"""

from __future__ import annotations

import re
import time

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from parindex.accounts.models import BackupCode, Membership, TwoFactorDevice, TwoFactorFailure
from parindex.accounts.services import membership_grant
from parindex.accounts.services.sessions import SID, touch_key
from parindex.accounts.services.twofactor import (
    _store_backup_codes,
    backup_digest,
    secret_new,
    totp_code,
)
from parindex.api.services import token_create
from parindex.audit.models import AuditEvent

pytestmark = pytest.mark.two_factor

VERIFY = "/tai-khoan/xac-thuc-hai-buoc/"
ENROL = "/tai-khoan/xac-thuc-hai-buoc/dang-ky/"
EXEMPT = {"accounts:two-factor-verify", "accounts:two-factor-enrol", "accounts:logout"}


def sign_in(client, user, password):
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": password}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def with_device(user):
    """An authenticator (its secret) and backup codes for ``user``."""
    secret = secret_new()
    TwoFactorDevice.objects.create(user=user, secret=secret)
    return secret, _store_backup_codes(user)


def _patterns(resolver=None, namespace="", prefix=""):
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = f"{namespace}{item.namespace}:" if item.namespace else namespace
            yield from _patterns(item, ns, prefix + str(item.pattern))
        elif isinstance(item, URLPattern):
            yield f"{namespace}{item.name or ''}", prefix + str(item.pattern)


def _example(route: str) -> str:
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    route = re.sub(r"\(\?P<\w+>\[0-9\]\+\)", "1", route)
    route = re.sub(r"\(\?P<\w+>([a-z|]+)\)", lambda m: m.group(1).split("|")[0], route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route)
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(\w+:)?\w+>", "x", route)
    return "/" + route.replace("\\.", ".").replace("\\", "")


def test_an_organizer_admin_without_a_verified_session_is_sent_away_from_every_page(province):
    """Every URL of the URLconf — the back-office, the account pages, the API token page, the
    admin site (/quan-tri-he-thong/) — answers with the enrolment until the second factor is
    set up; only the enrolment, code and sign-out pages answer, and /api/v1/ (no session there)."""
    client = Client()
    sign_in(client, province.admin, province.password)
    checked = 0
    for name, route in sorted(set(_patterns())):
        if name in EXEMPT or name.startswith("api:"):
            continue
        path = _example(route)
        try:
            resolve(path)
        except Resolver404:
            continue  # a route whose example value does not match (a token's pattern)
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 302, (name, path, response.status_code)
            assert response["Location"].startswith(ENROL), (name, path, response["Location"])
        checked += 1
    assert checked > 60
    assert client.get("/quan-tri-he-thong/").status_code == 302
    assert client.get(ENROL).status_code == 200


def test_a_system_admin_with_a_device_is_sent_to_the_code_page_then_gets_in(province):
    secret, _ = with_device(province.sysadmin)
    client = Client()
    sign_in(client, province.sysadmin, province.password)
    response = client.get("/quan-tri-he-thong/")
    assert response.status_code == 302
    assert response["Location"] == VERIFY + "?next=%2Fquan-tri-he-thong%2F"
    page = client.get(response["Location"])
    assert "Xác thực hai bước" in page.content.decode()
    ok = client.post(VERIFY, {"code": totp_code(secret), "next": "/quan-tri-he-thong/"})
    assert ok.status_code == 302 and ok["Location"] == "/quan-tri-he-thong/"
    assert client.get("/quan-tri-he-thong/").status_code == 200
    assert AuditEvent.objects.filter(verb="auth.2fa_verified").count() == 1


def test_the_next_address_must_be_on_this_site(province):
    secret, _ = with_device(province.admin)
    client = Client()
    sign_in(client, province.admin, province.password)
    ok = client.post(VERIFY, {"code": totp_code(secret), "next": "https://evil.example/"})
    assert ok["Location"] == "/"
    for strange in ("//evil.example/", "abc", "/x\x00y"):
        assert client.get(VERIFY, {"next": strange})["Location"] == "/"
    assert client.get(VERIFY, {"next": "/ket-qua/"})["Location"] == "/ket-qua/"


def test_a_code_cannot_be_used_twice_within_its_time_step(province):
    secret, _ = with_device(province.admin)
    with time_machine.travel(time.time(), tick=False):
        code = totp_code(secret)
        client = Client()
        sign_in(client, province.admin, province.password)
        assert client.post(VERIFY, {"code": code})["Location"] == "/"
        client.post(reverse("accounts:logout"))
        sign_in(client, province.admin, province.password)
        again = client.post(VERIFY, {"code": code})
        assert again.status_code == 200
        assert "Mã này đã được dùng" in again.content.decode()
        assert client.get("/").status_code == 302


def test_the_clock_may_drift_one_step_not_two(province):
    secret, _ = with_device(province.admin)
    now = time.time()
    with time_machine.travel(now, tick=False):
        client = Client()
        sign_in(client, province.admin, province.password)
        too_old = client.post(VERIFY, {"code": totp_code(secret, at=now - 60)})
        assert "Mã xác thực không đúng" in too_old.content.decode()
        late = client.post(VERIFY, {"code": totp_code(secret, at=now - 30)})
        assert late.status_code == 302
    with time_machine.travel(now + 90, tick=False):
        other = Client()
        sign_in(other, province.admin, province.password)
        early = other.post(VERIFY, {"code": totp_code(secret, at=now + 120)})
        assert early.status_code == 302


def test_five_wrong_codes_lock_code_entry_even_for_the_right_code_and_it_is_audited(
    province, settings
):
    secret, codes = with_device(province.admin)
    client = Client()
    sign_in(client, province.admin, province.password)
    right = totp_code(secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for i in range(5):
        response = client.post(VERIFY, {"code": wrong if i % 2 else "zzzz-zzzz-zzzz"})
        assert response.status_code == 200
    body = response.content.decode()
    assert "tạm thời bị khóa" in body and "15 phút" in body
    assert AuditEvent.objects.filter(verb="auth.2fa_failed").count() == 5
    assert AuditEvent.objects.filter(verb="auth.2fa_locked").count() == 1
    for attempt in (right, codes[0]):
        refused = client.post(VERIFY, {"code": attempt})
        assert refused.status_code == 200 and "tạm thời bị khóa" in refused.content.decode()
    assert BackupCode.objects.filter(user=province.admin, used_at__isnull=False).count() == 0
    assert client.get("/").status_code == 302
    with time_machine.travel(time.time() + 16 * 60, tick=False):
        assert client.post(VERIFY, {"code": totp_code(secret)}).status_code == 302
        assert client.get("/").status_code == 200


def test_the_attempts_left_are_shown_before_the_lock(province):
    with_device(province.admin)
    client = Client()
    sign_in(client, province.admin, province.password)
    client.post(VERIFY, {"code": "000000"})
    client.post(VERIFY, {"code": "000001"})
    third = client.post(VERIFY, {"code": "000002"}).content.decode()
    assert "Còn 2 lần thử" in third


def test_a_backup_code_works_once(province):
    _, codes = with_device(province.admin)
    client = Client()
    sign_in(client, province.admin, province.password)
    response = client.post(VERIFY, {"code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(verb="auth.2fa_backup_used").count() == 1
    client.post(reverse("accounts:logout"))
    sign_in(client, province.admin, province.password)
    again = client.post(VERIFY, {"code": codes[3]})
    assert again.status_code == 200 and "Mã xác thực không đúng" in again.content.decode()
    assert client.post(VERIFY, {"code": codes[4]}).status_code == 302


def test_enrolment_shows_a_qr_code_and_the_secret_and_a_code_confirms_it(province):
    client = Client()
    sign_in(client, province.district_admin, province.password)
    assert client.get("/")["Location"].startswith(ENROL)
    page = client.get(ENROL).content.decode()
    assert 'src="data:image/svg+xml' in page
    secret = client.session["_pi_2fa_secret"]
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert client.get(ENROL).content.decode().count(secret[:4]) >= 1  # the same secret on reload
    assert client.session["_pi_2fa_secret"] == secret
    wrong = client.post(ENROL, {"code": "123456" if totp_code(secret) != "123456" else "654321"})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    assert not TwoFactorDevice.objects.filter(user=province.district_admin).exists()
    done = client.post(ENROL, {"code": totp_code(secret)})
    assert done.status_code == 200
    shown = re.findall(r"\b[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}\b", done.content.decode())
    assert len(set(shown)) == 10
    assert "no-store" in done["Cache-Control"]
    stored = set(
        BackupCode.objects.filter(user=province.district_admin).values_list("code_hash", flat=True)
    )
    assert stored == {backup_digest(c) for c in shown}
    assert not stored & set(shown)  # only digests are kept
    assert TwoFactorDevice.objects.get(user=province.district_admin).secret == secret
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(verb="user.2fa_enabled").count() == 1
    # the next sign-in asks for a code
    other = Client()
    sign_in(other, province.district_admin, province.password)
    assert other.get("/")["Location"].startswith(VERIFY)


def test_an_officer_needs_no_code_but_may_turn_it_on_and_off(province):
    client = Client()
    sign_in(client, province.officer, province.password)
    assert client.get("/").status_code == 200
    account = client.get(reverse("accounts:account")).content.decode()
    assert "Bật xác thực hai bước" in account
    client.get(ENROL)
    secret = client.session["_pi_2fa_secret"]
    assert client.post(ENROL, {"code": totp_code(secret)}).status_code == 200
    assert client.get("/").status_code == 200
    later = Client()
    sign_in(later, province.officer, province.password)
    assert later.get("/")["Location"].startswith(VERIFY)
    # turning it off needs the password
    off = reverse("accounts:two-factor-disable")
    client.post(off, {"password": "sai-mat-khau"})
    assert TwoFactorDevice.objects.filter(user=province.officer).exists()
    client.post(off, {"password": province.password})
    assert not TwoFactorDevice.objects.filter(user=province.officer).exists()
    assert AuditEvent.objects.filter(verb="user.2fa_disabled").count() == 1


def test_an_organizer_admin_cannot_turn_it_off(province):
    secret, _ = with_device(province.admin)
    client = Client()
    sign_in(client, province.admin, province.password)
    client.post(VERIFY, {"code": totp_code(secret)})
    client.post(reverse("accounts:two-factor-disable"), {"password": province.password})
    assert TwoFactorDevice.objects.filter(user=province.admin).exists()


def test_new_backup_codes_replace_the_old_ones(province):
    secret, old = with_device(province.officer)
    client = Client()
    sign_in(client, province.officer, province.password)
    client.post(VERIFY, {"code": totp_code(secret)})
    page = client.post(reverse("accounts:two-factor-backup-codes"), {"password": province.password})
    new = re.findall(r"\b[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}\b", page.content.decode())
    assert len(set(new)) == 10
    digests = set(
        BackupCode.objects.filter(user=province.officer).values_list("code_hash", flat=True)
    )
    assert digests == {backup_digest(c) for c in new}
    assert backup_digest(old[0]) not in digests


def test_a_role_granted_during_a_session_asks_for_the_second_factor_within_a_minute(province):
    client = Client()
    sign_in(client, province.officer, province.password)
    assert client.get("/").status_code == 200
    membership_grant(
        actor=None, user=province.officer, unit=province.snv, role=Membership.Role.ORGANIZER_ADMIN
    )
    cache.delete(touch_key(client.session[SID]))  # the minute has passed
    assert client.get("/")["Location"].startswith(ENROL)


def test_the_api_takes_its_token_not_the_pending_session(province):
    client = Client()
    sign_in(client, province.admin, province.password)
    assert client.get("/api/v1/periods/").status_code == 401
    _, raw = token_create(actor=province.admin, user=province.admin, name="Thử")
    ok = client.get("/api/v1/periods/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ok.status_code == 200


def test_a_system_admin_resets_another_accounts_second_factor_with_a_reason(province):
    secret, _ = with_device(province.admin)
    victim = Client()
    sign_in(victim, province.admin, province.password)
    victim.post(VERIFY, {"code": totp_code(secret)})
    assert victim.get("/").status_code == 200
    sys_secret, _ = with_device(province.sysadmin)
    root = Client()
    sign_in(root, province.sysadmin, province.password)
    root.post(VERIFY, {"code": totp_code(sys_secret)})
    url = reverse("accounts:user-two-factor-reset", args=[province.admin.pk])
    page = root.get(reverse("accounts:user-edit", args=[province.admin.pk])).content.decode()
    assert "Đặt lại xác thực hai bước" in page or "Xác thực hai bước" in page
    root.post(url, {"reason": ""})
    assert TwoFactorDevice.objects.filter(user=province.admin).exists()
    root.post(url, {"reason": "Mất điện thoại"})
    assert not TwoFactorDevice.objects.filter(user=province.admin).exists()
    assert not BackupCode.objects.filter(user=province.admin).exists()
    event = AuditEvent.objects.get(verb="user.2fa_reset")
    assert event.actor == province.sysadmin and event.reason == "Mất điện thoại"
    # the account was signed out everywhere; its next sign-in enrols again
    assert victim.get("/")["Location"].startswith(reverse("accounts:login"))
    sign_in(victim, province.admin, province.password)
    assert victim.get("/")["Location"].startswith(ENROL)


def test_only_a_system_admin_resets_a_second_factor(province):
    with_device(province.officer)
    admin_secret, _ = with_device(province.admin)
    client = Client()
    sign_in(client, province.admin, province.password)
    client.post(VERIFY, {"code": totp_code(admin_secret)})
    url = reverse("accounts:user-two-factor-reset", args=[province.officer.pk])
    assert client.post(url, {"reason": "thử"}).status_code == 403
    outsider = Client()
    sign_in(outsider, province.outsider, province.password)
    assert outsider.post(url, {"reason": "thử"}).status_code == 403
    assert TwoFactorDevice.objects.filter(user=province.officer).exists()


def test_failures_are_counted_per_account(province):
    with_device(province.admin)
    client = Client()
    sign_in(client, province.admin, province.password)
    client.post(VERIFY, {"code": "000000"})
    assert TwoFactorFailure.objects.filter(user=province.admin).count() == 1
    assert AuditEvent.objects.get(verb="auth.2fa_failed").actor == province.admin


@pytest.mark.two_factor
def test_sign_out_works_before_the_second_factor(province):
    client = Client()
    sign_in(client, province.admin, province.password)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.two_factor
def test_the_test_helper_is_off_here_so_force_login_owes_the_code(province, client):
    client.force_login(province.admin)
    assert client.get("/")["Location"].startswith(ENROL)


def test_an_htmx_request_of_a_pending_session_sends_the_whole_page_to_the_code_page(province):
    with_device(province.admin)
    client = Client()
    sign_in(client, province.admin, province.password)
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == VERIFY
