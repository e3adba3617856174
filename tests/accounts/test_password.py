import re

from django.urls import reverse

from parindex.accounts.services import user_set_password
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError

URL = reverse("accounts:password-change")


def test_the_password_page_needs_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_shows_the_password_rules_in_vietnamese(login, province):
    client = login(province.officer)
    response = client.post(
        URL,
        {
            "old_password": province.password,
            "new_password1": "123456",
            "new_password2": "123456",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 10 ký tự." in page
    assert "Mật khẩu này hoàn toàn là số." in page
    assert "Mật khẩu này quá phổ biến." in page
    province.officer.refresh_from_db()
    assert province.officer.check_password(province.password)


def test_it_says_when_the_old_password_is_wrong(login, province):
    response = login(province.officer).post(
        URL,
        {"old_password": "khong-dung", "new_password1": "x", "new_password2": "x"},
    )
    assert "Mật khẩu cũ" in response.content.decode()


def test_it_changes_the_password_and_audits_without_the_password(login, province):
    new = "Cai-cach-hanh-chinh-2026"
    response = login(province.officer).post(
        URL, {"old_password": province.password, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    province.officer.refresh_from_db()
    assert province.officer.check_password(new)
    event = AuditEvent.objects.get(verb="user.password_change")
    assert new not in str(event.new) and new not in event.reason


def test_the_service_refuses_a_weak_password(province):
    try:
        user_set_password(actor=province.admin, user=province.officer, password="abc", reason="")
    except DomainError as exc:
        assert "quá ngắn" in exc.message
    else:
        raise AssertionError("weak password accepted")


def test_an_admin_resets_a_password_shown_once(login, province):
    url = reverse("accounts:user-password-reset", args=[province.officer.pk])
    response = login(province.admin).post(url, {"password": "", "reason": "Quên mật khẩu"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = re.search(
        r'<code class="fs-5 user-select-all">([^<]+)</code>', response.content.decode()
    )
    assert password
    province.officer.refresh_from_db()
    assert province.officer.check_password(password.group(1))
    event = AuditEvent.objects.get(verb="user.password_reset")
    assert event.actor == province.admin
    assert password.group(1) not in str(event.new)
    assert event.reason == "Quên mật khẩu"


def test_an_admin_cannot_reset_a_password_outside_the_scope(login, province):
    url = reverse("accounts:user-password-reset", args=[province.officer.pk])
    assert login(province.district_admin).post(url, {"password": ""}).status_code == 404
    url = reverse("accounts:user-password-reset", args=[province.admin.pk])
    assert login(province.outsider).post(url, {"password": ""}).status_code == 403


def test_a_district_admin_cannot_reset_the_password_of_a_province_account(login, province):
    # the province admin also holds a role in the commune: the district admin sees, not changes
    from parindex.accounts.models import Membership
    from parindex.accounts.services import membership_grant

    membership_grant(
        actor=None, user=province.admin, unit=province.commune, role=Membership.Role.APPRAISER
    )
    client = login(province.district_admin)
    assert client.get(reverse("accounts:user-edit", args=[province.admin.pk])).status_code == 200
    url = reverse("accounts:user-password-reset", args=[province.admin.pk])
    assert client.post(url, {"password": ""}).status_code == 403
