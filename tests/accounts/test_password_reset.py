""" "Quên mật khẩu": a single-use e-mailed link, the same answer for every address, throttled,
audited."""

from __future__ import annotations

import re
import time

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from parindex.accounts.models import User
from parindex.audit.models import AuditEvent

FORGOT = "/tai-khoan/quen-mat-khau/"
NEW = "Mat-khau-moi-that-dai-2027"


@pytest.fixture
def with_email(province):
    User.objects.filter(pk=province.officer.pk).update(email="minh.tv@stp.bacgiang.gov.vn")
    return province


def ask(client, email, capture):
    with capture(execute=True):
        return client.post(FORGOT, {"email": email})


def link_in(message) -> str:
    return re.search(r"http://\S+/tai-khoan/dat-lai-mat-khau/\S+/", message.body).group(0)


def set_password(client, link, password=NEW):
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(path, follow=True)
    if "new_password1" not in page.content.decode():
        return page
    return client.post(
        page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


def test_the_answer_is_the_same_whether_the_address_exists(
    with_email, client, django_capture_on_commit_callbacks
):
    known = ask(client, "MINH.TV@stp.bacgiang.gov.vn", django_capture_on_commit_callbacks)
    unknown = ask(Client(), "ai.do@khong-co.vn", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password-forgot-sent")
    sent = Client().get(known["Location"]).content.decode()
    assert "Nếu địa chỉ vừa nhập là thư điện tử của một tài khoản" in sent
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["minh.tv@stp.bacgiang.gov.vn"]
    assert "Đặt lại mật khẩu" in message.subject and "60 phút" in message.body
    assert AuditEvent.objects.filter(verb="auth.password_reset_requested").count() == 2
    assert AuditEvent.objects.filter(verb="auth.password_reset_mailed").count() == 1


def test_an_inactive_account_gets_no_mail(with_email, client, django_capture_on_commit_callbacks):
    User.objects.filter(pk=with_email.officer.pk).update(is_active=False)
    ask(client, "minh.tv@stp.bacgiang.gov.vn", django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_link_sets_a_new_password_once(with_email, django_capture_on_commit_callbacks):
    ask(Client(), "minh.tv@stp.bacgiang.gov.vn", django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    done = set_password(Client(), link)
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password-reset-done")
    user = User.objects.get(pk=with_email.officer.pk)
    assert user.check_password(NEW)
    event = AuditEvent.objects.get(verb="user.password_change")
    assert "thư điện tử" in event.reason
    again = set_password(Client(), link, "Mot-mat-khau-khac-2028")
    assert "Liên kết không còn dùng được" in again.content.decode()
    assert User.objects.get(pk=user.pk).check_password(NEW)


def test_the_link_expires(with_email, settings, django_capture_on_commit_callbacks):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    ask(Client(), "minh.tv@stp.bacgiang.gov.vn", django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    with time_machine.travel(time.time() + 3601):
        page = set_password(Client(), link)
    assert "Liên kết không còn dùng được" in page.content.decode()
    assert User.objects.get(pk=with_email.officer.pk).check_password(with_email.password)


def test_signing_in_after_the_request_kills_the_link(
    with_email, django_capture_on_commit_callbacks
):
    ask(Client(), "minh.tv@stp.bacgiang.gov.vn", django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    with time_machine.travel(time.time() + 2):
        Client().post(
            reverse("accounts:login"),
            {"username": with_email.officer.username, "password": with_email.password},
        )
        page = set_password(Client(), link)
    assert "Liên kết không còn dùng được" in page.content.decode()


def test_a_new_password_ends_the_accounts_sessions(with_email, django_capture_on_commit_callbacks):
    signed = Client()
    signed.post(
        reverse("accounts:login"),
        {"username": with_email.officer.username, "password": with_email.password},
    )
    assert signed.get("/").status_code == 200
    ask(Client(), "minh.tv@stp.bacgiang.gov.vn", django_capture_on_commit_callbacks)
    set_password(Client(), link_in(mail.outbox[0]))
    assert signed.get("/").status_code == 302


def test_requests_are_throttled_per_email_whether_it_exists(
    with_email, django_capture_on_commit_callbacks
):
    for email in ("minh.tv@stp.bacgiang.gov.vn", "khong.co@ai.vn"):
        for i in range(3):
            client = Client(REMOTE_ADDR=f"10.0.0.{i + 1}")
            assert ask(client, email, django_capture_on_commit_callbacks).status_code == 302
        fourth = ask(Client(REMOTE_ADDR="10.0.0.9"), email, django_capture_on_commit_callbacks)
        assert fourth.status_code == 200
        assert "quá nhiều yêu cầu" in fourth.content.decode()
    assert len(mail.outbox) == 3


def test_requests_are_throttled_per_address(db, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_MAX_PER_IP = 4
    client = Client(REMOTE_ADDR="10.7.7.7")
    for i in range(4):
        assert ask(client, f"a{i}@x.vn", django_capture_on_commit_callbacks).status_code == 302
    refused = ask(client, "a9@x.vn", django_capture_on_commit_callbacks)
    assert "quá nhiều yêu cầu" in refused.content.decode()


def test_the_login_page_links_to_it(db, client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert FORGOT in page
    assert "Thư điện tử của tài khoản" in client.get(FORGOT).content.decode()


def test_a_bad_email_is_named(db, client):
    page = client.post(FORGOT, {"email": "khong-phai-thu"}).content.decode()
    assert "Địa chỉ thư điện tử không hợp lệ" in page
