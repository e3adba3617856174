"""Every API path × every persona's token, on objects outside the persona's scope: 401, 403
or 404 — never 200 — and no write; and each persona's own objects answer 200. The objects of
the dedicated world: unit A (Sở Tư pháp) and unit B (Sở Y tế) of the province's period, a
survey of its block sở, another province's framework and period."""

from __future__ import annotations

import pytest
from django.urls import URLPattern

from parindex.accounts.models import Unit
from parindex.accounts.services import unit_create
from parindex.api.v1 import api
from parindex.assessments.models import Assessment, Entry, Status
from parindex.audit.models import AuditEvent
from parindex.periods.models import Period
from parindex.survey.services.lifecycle import survey_create
from tests.periods.factories import make_framework
from tests.survey.conftest import survey_data

OUTSIDE = 987654321


def _operation_routes():
    out = []
    for pattern in api.urls[0]:
        if isinstance(pattern, URLPattern) and pattern.name not in (
            "openapi-json", "openapi-view", "api-root",
        ):  # fmt: skip
            out.append((pattern.name, str(pattern.pattern)))
    return out


@pytest.fixture
def scope_world(world):
    w = world
    p = w.p
    pb = w.period.blocks.select_related("framework", "block").get(block=p.so)
    w.survey = survey_create(actor=p.admin, period_block=pb, data=survey_data(pb.framework))
    w.framework = pb.framework
    root2 = unit_create(actor=None, code="TK", name="Tỉnh Khác", kind=Unit.Kind.PROVINCE)
    snv2 = unit_create(actor=None, code="SNV2", name="Sở Nội vụ tỉnh Khác",
                       kind=Unit.Kind.DEPARTMENT, parent=root2, block=p.so,
                       admin_root=root2)  # fmt: skip
    w.framework2 = make_framework(snv2, p.so, year=2026)
    return w


def _ids(w, persona):
    """Ids outside ``persona``'s scope for each path parameter."""
    assessment = w.b if persona in ("officer", "leader") else w.a
    entry = w.entry_b if persona in ("officer", "leader") else w.entry_a
    if persona == "outsider":
        assessment, entry = w.a, w.entry_a
    return {
        "framework_id": {"admin": w.framework2.pk, "sysadmin": OUTSIDE}.get(
            persona, w.framework.pk
        ),
        "period_id": OUTSIDE if persona in ("admin", "sysadmin") else w.period.pk,
        "assessment_id": OUTSIDE if persona in ("admin", "sysadmin") else assessment.pk,
        "entry_id": OUTSIDE if persona in ("admin", "sysadmin") else entry.pk,
        "survey_id": OUTSIDE if persona in ("admin", "sysadmin") else w.survey.pk,
        "block_code": "so",
    }


PERSONAS = ["officer", "leader", "outsider", "district_admin", "appraiser", "chair",
            "commune_officer", "admin", "sysadmin", None]  # fmt: skip


def _path(route, ids):
    path = "/" + route
    for name, value in ids.items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    return path.removeprefix("/")


def test_every_api_path_refuses_objects_outside_the_persona_scope(scope_world, call):
    w = scope_world
    routes = _operation_routes()
    assert len(routes) >= 12
    problems = []
    audit_before = AuditEvent.objects.count()
    versions_before = sorted(Entry.objects.values_list("version", flat=True))
    for persona in PERSONAS:
        token = w.tokens[persona] if persona else None
        ids = _ids(w, persona)
        for name, route in routes:
            if "<" not in route:
                continue
            path = "/" + _path(route, ids)
            for method in ("get", "put"):
                body = {"value": "2", "version": 0} if method == "put" else None
                response = call(method, path, token=token, json=body)
                status = response.status_code
                if status not in (401, 403, 404, 405):
                    problems.append(f"{persona} {method.upper()} {path} ({name}) → {status}")
                elif status != 405:
                    assert "detail" in response.json(), (persona, path)
    assert problems == []
    assert AuditEvent.objects.count() == audit_before
    assert sorted(Entry.objects.values_list("version", flat=True)) == versions_before


def test_the_officer_of_unit_a_reads_a_and_never_b(world, call):
    token = world.tokens["officer"]
    assert call("get", f"/assessments/{world.a.pk}/", token=token).status_code == 200
    response = call("get", f"/assessments/{world.b.pk}/", token=token)
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy bản đánh giá."}
    assert call("get", f"/assessments/{world.b.pk}/entries/", token=token).status_code == 404
    listed = call("get", "/assessments/", token=token).json()
    assert {a["id"] for a in listed["items"]} == {world.a.pk}


def test_lists_hold_only_each_personas_scope(scope_world, call):
    w = scope_world

    def ids(persona, path):
        response = call("get", path, token=w.tokens[persona])
        assert response.status_code == 200, (persona, path, response.content)
        return {x["id"] for x in response.json()["items"]}

    both = {w.a.pk, w.b.pk}
    assert ids("admin", "/assessments/") == both
    assert ids("sysadmin", "/assessments/") == both
    assert ids("outsider", "/assessments/") == {w.b.pk}
    assert ids("district_admin", "/assessments/") == set()
    assert ids("appraiser", "/assessments/") == set()  # drafts: a seat gives nothing yet
    assert ids("chair", "/assessments/") == set()
    assert ids("officer", "/frameworks/") == set()
    assert w.framework.pk in ids("admin", "/frameworks/")
    assert w.framework2.pk not in ids("admin", "/frameworks/")
    assert ids("officer", "/periods/") == set()
    assert ids("admin", "/periods/") == {w.period.pk}
    assert ids("district_admin", "/periods/") == set()
    assert ids("admin", "/surveys/") == {w.survey.pk}
    assert ids("officer", "/surveys/") == set()
    assert Period.objects.count() == 1


def test_each_persona_reads_its_own_objects(scope_world, call):
    w = scope_world
    admin = w.tokens["admin"]
    for path in (f"/frameworks/{w.framework.pk}/", f"/periods/{w.period.pk}/",
                 f"/assessments/{w.b.pk}/", f"/assessments/{w.b.pk}/entries/",
                 f"/surveys/{w.survey.pk}/progress/"):  # fmt: skip
        assert call("get", path, token=admin).status_code == 200, path
    assert call("get", f"/assessments/{w.b.pk}/", token=w.tokens["outsider"]).status_code == 200
    # an organizer reads, the unit's officer may not read the survey's organizer page
    assert call("get", f"/surveys/{w.survey.pk}/progress/",
                token=w.tokens["officer"]).status_code == 404  # fmt: skip


def test_a_council_seat_lists_the_units_once_they_have_sent(world, call):
    Assessment.objects.filter(pk=world.a.pk).update(status=Status.SUBMITTED)
    for persona in ("appraiser", "chair"):
        listed = call("get", "/assessments/", token=world.tokens[persona]).json()
        assert {a["id"] for a in listed["items"]} == {world.a.pk}, persona
        detail = call("get", f"/assessments/{world.a.pk}/", token=world.tokens[persona])
        assert detail.status_code == 200
        assert call("get", f"/assessments/{world.b.pk}/",
                    token=world.tokens[persona]).status_code == 404  # fmt: skip


def test_the_organizer_reads_the_survey_progress_per_unit(scope_world, call):
    w = scope_world
    body = call("get", f"/surveys/{w.survey.pk}/progress/", token=w.tokens["admin"]).json()
    assert body["survey"]["id"] == w.survey.pk
    assert {u["unit"]["code"] for u in body["units"]} == {"STP", "SYT"}
    assert body["total"]["answered"] == 0
