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
    assert "Bạn đã nhập sai quá 5 lần. Vui lòng thử lại sau 15 phút." in response.content.decode()
    # even the right password is refused now, from another address too
    response = _try(client, "quantri", province.password, ip="10.0.0.2")
    assert response.status_code == 200
    assert "Bạn đã nhập sai quá 5 lần" in response.content.decode()
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
    assert "Bạn đã nhập sai quá" in response.content.decode()
    assert _try(client, "quantri", province.password, ip="10.0.0.7").status_code == 302


def test_an_unknown_user_name_gets_the_same_answers_as_a_known_one(client, province):
    known = _try(client, "quantri", "sai-mat-khau", ip="10.1.1.1").content.decode()
    unknown = _try(client, "khong-co-ai", "sai-mat-khau", ip="10.1.1.2").content.decode()
    marker = "Tên đăng nhập hoặc mật khẩu không đúng"
    assert marker in known and marker in unknown
    for _ in range(4):
        response = _try(client, "khong-co-ai", "sai-mat-khau", ip="10.1.1.2")
    assert "Bạn đã nhập sai quá 5 lần" in response.content.decode()
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
    assert "Bạn đã nhập sai quá" not in response.content.decode()


def test_the_lock_ignores_the_case_of_the_user_name(client, province):
    for name in ["QuanTri", "QUANTRI", "quantri", "Quantri", "quanTRI"]:
        _try(client, name, "sai-mat-khau")
    assert "Bạn đã nhập sai quá" in _try(client, "quantri", province.password).content.decode()


def test_logout_needs_a_post(login, province):
    client = login(province.officer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
