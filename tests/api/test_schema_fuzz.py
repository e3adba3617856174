"""schemathesis against the ninja OpenAPI document, through the WSGI app (no server): every
operation, with a token and without, ``MAX_EXAMPLES`` generated requests each — as drawn
(mostly unknown ids) and again on the world's real objects (so the reads and the officer's
write run on fuzzed queries and bodies). No 5xx, and every response conforms to the document
(status code documented, JSON content type, body and headers by their schema). Runs on SQLite
and on PostgreSQL (the requests share the test's connection and transaction)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks

from parindex.survey.services.lifecycle import survey_create
from tests.api.conftest import approve_period
from tests.survey.conftest import survey_data

MAX_EXAMPLES = 20
CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
]


@pytest.fixture
def fuzz_world(world, settings):
    settings.API_RATE_TOKEN = "100000/min"  # the fuzz is not a flood
    settings.API_RATE_ANON = "100000/min"
    p = world.p
    pb = world.period.blocks.select_related("framework", "block").get(block=p.so)
    world.survey = survey_create(actor=p.admin, period_block=pb, data=survey_data(pb.framework))
    world.framework = pb.framework
    approve_period(world)  # the public results have something to serve
    return world


@pytest.fixture
def wsgi_app():
    """The WSGI app, its requests inside the test's transaction: as Django's test client does,
    the request signals must not close the connection (on PostgreSQL that would end the
    test's transaction; SQLite's in-memory database ignores the close)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return schema, [r.ok() for r in schema.get_all_operations()]


def _real_ids(w):
    return {
        "framework_id": w.framework.pk,
        "period_id": w.period.pk,
        "assessment_id": w.a.pk,
        "entry_id": w.entry_a.pk,
        "survey_id": w.survey.pk,
        "block_code": "so",
    }


@pytest.mark.parametrize("who", ["officer", "admin", None])
def test_every_operation_answers_within_its_schema_and_never_500(fuzz_world, wsgi_app, who):
    w = fuzz_world
    schema, operations = _operations(wsgi_app)
    assert len(operations) >= 13
    headers = {"Authorization": f"Bearer {w.tokens[who]}"} if who else {}
    real = _real_ids(w)
    seen: dict[str, set[int]] = {}

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            for path_parameters in (None, real):
                if path_parameters is not None:
                    if not case.path_parameters:
                        continue
                    case.path_parameters = {
                        k: real.get(k, v) for k, v in case.path_parameters.items()
                    }
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                seen.setdefault(case.operation.label, set()).add(response.status_code)

        run()

    # the fuzz reached the objects: each persona got answers beyond 4xx somewhere
    codes = set().union(*seen.values())
    assert 200 in codes
    assert 200 in seen["GET /api/v1/public/results/{period_id}/{block_code}/"]
    if who is None:
        assert 401 in seen["GET /api/v1/assessments/"]
    if who == "officer":
        assert seen["PUT /api/v1/assessments/{assessment_id}/entries/{entry_id}/"] & {200, 409, 422}
