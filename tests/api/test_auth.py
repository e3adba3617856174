"""Who the API lets in: a valid token only; no session, no revoked token, no inactive user.
Errors are JSON with a Vietnamese ``detail``."""

from __future__ import annotations

from parindex.api.models import ApiToken
from parindex.api.services import token_revoke


def test_without_a_token_the_api_answers_401_in_vietnamese(world, call):
    response = call("get", "/assessments/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "mã truy cập API" in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_session_is_not_a_credential_even_for_reads(world, call, login):
    login(world.p.officer)
    assert call("get", "/assessments/").status_code == 401
    assert call("put", f"/assessments/{world.a.pk}/entries/{world.entry_a.pk}/",
                json={"value": "2", "version": 0}).status_code == 401  # fmt: skip


def test_a_wrong_scheme_or_an_unknown_token_is_401(world, call):
    assert call("get", "/assessments/", HTTP_AUTHORIZATION="Basic abc").status_code == 401
    assert call("get", "/assessments/", token="pi_nothing-like-it").status_code == 401


def test_a_revoked_token_is_401(world, call):
    raw = world.tokens["officer"]
    assert call("get", "/assessments/", token=raw).status_code == 200
    token = ApiToken.objects.get(user=world.p.officer)
    token_revoke(actor=world.p.officer, token=token)
    assert call("get", "/assessments/", token=raw).status_code == 401


def test_a_deactivated_user_is_401(world, call):
    raw = world.tokens["officer"]
    world.p.officer.is_active = False
    world.p.officer.save()
    assert call("get", "/assessments/", token=raw).status_code == 401


def test_the_token_acts_as_its_user_not_as_the_session(world, call, login):
    login(world.p.admin)  # a signed-in organizer in the same browser changes nothing
    listed = call("get", "/assessments/", token=world.tokens["officer"]).json()
    assert [a["unit"]["code"] for a in listed["items"]] == ["STP"]


def test_a_read_only_user_gets_403_with_the_web_message(world, call):
    entry = world.entry_a
    response = call("put", f"/assessments/{world.a.pk}/entries/{entry.pk}/",
                    token=world.tokens["admin"], json={"value": "2", "version": 0})  # fmt: skip
    assert response.status_code == 403
    assert response.json() == {"detail": "Bạn chỉ có quyền xem tiêu chí này."}
