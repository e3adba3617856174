"""Personal API tokens: the service (hash only, audited, revocation) and the account page."""

from __future__ import annotations

import hashlib

import pytest

from parindex.api.models import ApiToken
from parindex.api.services import token_authenticate, token_create, token_revoke
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError


def test_a_token_is_stored_only_as_its_sha256_and_the_creation_is_audited(province):
    token, raw = token_create(actor=province.officer, user=province.officer, name="Báo cáo")
    assert raw.startswith("pi_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.token_hash, stored.prefix, stored.name}
    event = AuditEvent.objects.get(verb="api_token.create")
    assert event.actor == province.officer and event.object_id == str(token.pk)
    assert raw not in str(event.new)
    assert token_authenticate(raw).user == province.officer


def test_nobody_creates_a_token_for_someone_else_and_a_name_is_required(province):
    with pytest.raises(DomainError, match="Chỉ chủ tài khoản"):
        token_create(actor=province.admin, user=province.officer, name="x")
    with pytest.raises(DomainError, match="Nhập tên gợi nhớ"):
        token_create(actor=province.officer, user=province.officer, name="  ")
    assert not ApiToken.objects.exists()


def test_a_revoked_token_or_a_deactivated_user_no_longer_authenticates(province):
    token, raw = token_create(actor=province.officer, user=province.officer, name="A")
    _, raw2 = token_create(actor=province.leader, user=province.leader, name="B")
    with pytest.raises(DomainError, match="tài khoản khác"):
        token_revoke(actor=province.outsider, token=token)
    assert token_authenticate(raw) is not None
    token_revoke(actor=province.officer, token=token)
    assert token_authenticate(raw) is None
    assert AuditEvent.objects.filter(verb="api_token.revoke", object_id=str(token.pk)).count() == 1
    token_revoke(actor=province.officer, token=token)  # twice: nothing more
    assert AuditEvent.objects.filter(verb="api_token.revoke").count() == 1
    province.leader.is_active = False
    province.leader.save()
    assert token_authenticate(raw2) is None
    assert token_authenticate("pi_not-a-token") is None


def test_the_last_use_is_noted(province):
    token, raw = token_create(actor=province.officer, user=province.officer, name="A")
    assert token.last_used_at is None
    token_authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_account_page_shows_the_token_once_and_revokes_it(province, login):
    client = login(province.officer)
    page = client.get("/tai-khoan/ma-truy-cap-api/")
    assert page.status_code == 200 and "Chưa có mã truy cập nào" in page.content.decode()
    answer = client.post("/tai-khoan/ma-truy-cap-api/", {"name": "Phần mềm tổng hợp"})
    html = answer.content.decode()
    token = ApiToken.objects.get(user=province.officer)
    raw = html.split('id="new-token">')[1].split("<")[0]
    assert hashlib.sha256(raw.encode()).hexdigest() == token.token_hash
    again = client.get("/tai-khoan/ma-truy-cap-api/").content.decode()
    assert raw not in again and token.prefix in again
    # another user's token is not found; the owner revokes it
    other = login(province.outsider)
    assert other.post(f"/tai-khoan/ma-truy-cap-api/{token.pk}/thu-hoi/").status_code == 404
    client = login(province.officer)
    assert client.post(f"/tai-khoan/ma-truy-cap-api/{token.pk}/thu-hoi/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_an_empty_name_is_refused_on_the_page(province, login):
    client = login(province.officer)
    answer = client.post("/tai-khoan/ma-truy-cap-api/", {"name": ""})
    assert "Nhập tên gợi nhớ" in answer.content.decode()
    assert not ApiToken.objects.exists()
