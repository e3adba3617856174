import time_machine
from django.urls import reverse

from parindex.accounts.models import LoginFailure
from parindex.audit.models import AuditEvent

URL = "accounts:login"


def _try(client, username, password, ip="10.0.0.1"):
    return client.post(reverse(URL), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_it_logs_in_with_the_right_password(client, province):
    response = _try(client, "quantri", province.password)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb="auth.login", object_id=str(province.admin.pk)).exists()


def test_it_says_in_vietnamese_that_the_password_is_wrong(client, province):
    response = _try(client, "quantri", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_it_locks_the_user_name_after_five_failures(client, province):
    for _ in range(4):
        _try(client, "quantri", "sai-mat-khau")
    response = _try(client, "quantri", "sai-mat-khau")
    assert (
        "Tên đăng nhập này tạm thời bị khóa vì đã nhập sai mật khẩu 5 lần trong 15 phút. Vui lòng thử lại sau 15 phút."
        in response.content.decode()
    )
    # even the right password is refused now, from another address too
    response = _try(client, "quantri", province.password, ip="10.0.0.2")
    assert response.status_code == 200
    assert "đã nhập sai mật khẩu 5 lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
    events = AuditEvent.objects.filter(object_id=str(province.admin.pk))
    assert events.filter(verb="auth.login_failed").count() == 5
    assert events.filter(verb="auth.locked").count() == 1


def test_it_counts_down_the_remaining_attempts(client, province):
    for _ in range(3):
        response = _try(client, "quantri", "sai-mat-khau")
    assert "Còn 2 lần thử" in response.content.decode()


def test_the_lock_expires_after_the_lock_minutes(client, province):
    with time_machine.travel("2026-03-02 08:00 +0700", tick=False) as clock:
        for _ in range(5):
            _try(client, "quantri", "sai-mat-khau")
        clock.shift(60 * 10)
        response = _try(client, "quantri", province.password)
        assert "Vui lòng thử lại sau 5 phút." in response.content.decode()
        clock.shift(60 * 5 + 1)
        response = _try(client, "quantri", province.password)
        assert response.status_code == 302


def test_it_locks_an_address_trying_many_user_names(client, province, settings):
    settings.LOGIN_MAX_FAILURES_PER_IP = 8
    for i in range(7):
        _try(client, f"a{i}", "sai-mat-khau", ip="10.9.9.9")
    # An office behind one address is not locked by a few colleagues' typos…
    assert _try(client, "quantri", "sai-mat-khau", ip="10.9.9.9").status_code == 200
    # …but the eighth failure from that address locks it for every user name.
    response = _try(client, "quantri", province.password, ip="10.9.9.9")
    body = response.content.decode()
    assert "địa chỉ mạng này đã có 8 lần đăng nhập sai trong 15 phút" in body
    assert "Tên đăng nhập này" not in body
    assert _try(client, "quantri", province.password, ip="10.0.0.7").status_code == 302


def test_an_unknown_user_name_gets_the_same_answers_as_a_known_one(client, province):
    known = _try(client, "quantri", "sai-mat-khau", ip="10.1.1.1").content.decode()
    unknown = _try(client, "khong-co-ai", "sai-mat-khau", ip="10.1.1.2").content.decode()
    marker = "Tên đăng nhập hoặc mật khẩu không đúng"
    assert marker in known and marker in unknown
    for _ in range(4):
        response = _try(client, "khong-co-ai", "sai-mat-khau", ip="10.1.1.2")
    assert "đã nhập sai mật khẩu 5 lần" in response.content.decode()
    assert AuditEvent.objects.filter(
        verb="auth.locked", object_type="accounts.loginfailure"
    ).exists()


def test_a_successful_login_clears_that_users_failures(client, province):
    for _ in range(4):
        _try(client, "quantri", "sai-mat-khau")
    assert _try(client, "quantri", province.password).status_code == 302
    assert not LoginFailure.objects.filter(username="quantri").exists()
    client.logout()
    for _ in range(4):
        response = _try(client, "quantri", "sai-mat-khau")
    assert "tạm thời bị khóa" not in response.content.decode()


def test_the_lock_ignores_the_case_of_the_user_name(client, province):
    for name in ["QuanTri", "QUANTRI", "quantri", "Quantri", "quanTRI"]:
        _try(client, name, "sai-mat-khau")
    assert "tạm thời bị khóa" in _try(client, "quantri", province.password).content.decode()


def test_logout_needs_a_post(login, province):
    client = login(province.officer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_admin_sites_login_obeys_the_same_lock(client, province):
    """The admin site's own login page (/quan-tri-he-thong/login/) goes through the throttled
    authentication backend: its failures count, and once locked even the right password is
    refused there, with the lock message."""
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": "hethong", "password": "sai"}, REMOTE_ADDR="10.3.3.3")
    assert LoginFailure.objects.filter(username="hethong").count() == 5
    response = client.post(
        url, {"username": "hethong", "password": province.password}, REMOTE_ADDR="10.3.3.4"
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "đã nhập sai mật khẩu 5 lần" in response.content.decode()
    # the site's own login page is locked for that user name too
    assert (
        "đã nhập sai mật khẩu 5 lần" in _try(client, "hethong", province.password).content.decode()
    )


def test_authenticate_itself_refuses_a_locked_user_name(rf, province):
    from django.contrib.auth import authenticate

    request = rf.post("/", REMOTE_ADDR="10.4.4.4")
    for _ in range(5):
        assert authenticate(request, username="quantri", password="sai") is None
    assert authenticate(request, username="quantri", password=province.password) is None
    assert AuditEvent.objects.filter(verb="auth.locked").count() == 1


def test_the_admin_site_logs_in_the_system_admin(client, province):
    response = client.post(
        reverse("admin:login"), {"username": "hethong", "password": province.password}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        verb="auth.login", object_id=str(province.sysadmin.pk)
    ).exists()
