"""The officer's write of a declared value: the autosave's service, validation messages,
audit and optimistic version."""

from __future__ import annotations

from decimal import Decimal

import time_machine

from parindex.assessments.models import Entry
from parindex.audit.models import AuditEvent
from tests.appraisal.conftest import DAYS


def _put(call, w, body, token=None, entry=None):
    entry = entry or w.entry_a
    return call("put", f"/assessments/{entry.assessment_id}/entries/{entry.pk}/",
                token=token or w.tokens["officer"], json=body)  # fmt: skip


def test_the_officer_saves_a_value_scored_by_the_engine_and_audited(world, call):
    response = _put(call, world, {"value": "3", "version": 0, "explanation": "Theo báo cáo"})
    assert response.status_code == 200, response.content
    body = response.json()
    entry = Entry.objects.get(pk=world.entry_a.pk)
    assert (entry.value, entry.version, entry.explanation) == ("3", 1, "Theo báo cáo")
    assert entry.updated_by == world.p.officer
    # 1.5 is a count rule at 0.5 a piece, max 1: min(1, 0.5 × 3) = 1
    assert Decimal(body["entry"]["self_points"]) == Decimal("1")
    assert body["entry"]["version"] == 1 and body["entry"]["can_declare"] is True
    assert Decimal(body["self_scores"]["points"]) == Decimal("1")
    event = AuditEvent.objects.get(verb="entry.record", object_id=str(entry.pk))
    assert event.actor == world.p.officer
    assert event.new["value"] == "3" and event.old["value"] == ""
    # the detail now reads the same number from the bridge
    detail = call("get", f"/assessments/{world.a.pk}/", token=world.tokens["officer"]).json()
    row = next(n for n in detail["nodes"] if n["code"] == "1.5")
    assert Decimal(row["self_points"]) == Decimal("1")


def test_a_bad_number_gets_the_web_message_and_changes_nothing(world, call, login):
    api = _put(call, world, {"value": "1,2,3", "version": 0})
    assert api.status_code == 422
    web = login(world.p.officer).post(
        f"/danh-gia/{world.a.pk}/muc/{world.entry_a.pk}/luu/",
        {"value": "1,2,3", "version": "0"},
    )
    assert web.status_code == 400
    assert api.json()["detail"] == web.json()["error"]
    assert "nhiều dấu phẩy" in api.json()["detail"]
    entry = Entry.objects.get(pk=world.entry_a.pk)
    assert (entry.value, entry.version) == ("", 0)
    assert not AuditEvent.objects.filter(verb="entry.record").exists()


def test_a_stale_version_is_a_conflict(world, call):
    assert _put(call, world, {"value": "1", "version": 0}).status_code == 200
    response = _put(call, world, {"value": "2", "version": 0})
    assert response.status_code == 409
    assert "vừa được người khác cập nhật" in response.json()["detail"]
    assert Entry.objects.get(pk=world.entry_a.pk).value == "1"


def test_the_officer_of_another_unit_cannot_write(world, call):
    response = _put(call, world, {"value": "2", "version": 0}, token=world.tokens["outsider"])
    assert response.status_code == 404
    assert Entry.objects.get(pk=world.entry_a.pk).version == 0


def test_an_entry_of_another_assessment_in_the_path_is_404(world, call):
    response = call("put", f"/assessments/{world.a.pk}/entries/{world.entry_b.pk}/",
                    token=world.tokens["outsider"], json={"value": "2", "version": 0})  # fmt: skip
    assert response.status_code == 404


def test_after_the_deadline_the_write_is_refused_as_locked(world, call):
    with time_machine.travel(DAYS["round1"], tick=False):
        response = _put(call, world, {"value": "2", "version": 0})
    assert response.status_code == 403
    assert response.json()["detail"]
    assert Entry.objects.get(pk=world.entry_a.pk).version == 0


def test_a_missing_version_is_422_in_vietnamese(world, call):
    response = _put(call, world, {"value": "2"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Dữ liệu gửi lên không hợp lệ")


def test_a_survey_leaf_is_refused_with_the_service_message(world, call):
    entry = Entry.objects.get(assessment=world.a, node__code="1.7")
    response = _put(call, world, {"value": "0,5", "version": 0}, entry=entry)
    assert response.status_code == 422
    assert "điều tra xã hội học" in response.json()["detail"]
