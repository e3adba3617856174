"""Pagination and rate limits."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from parindex.api.throttling import parse_rates
from parindex.assessments.models import Entry


def test_lists_are_paginated(world, call):
    token = world.tokens["officer"]
    leaves = Entry.objects.filter(assessment=world.a).count()
    first = call("get", f"/assessments/{world.a.pk}/entries/?page_size=5", token=token).json()
    assert first["count"] == leaves and len(first["items"]) == 5
    second = call("get", f"/assessments/{world.a.pk}/entries/?page=2&page_size=5",
                  token=token).json()  # fmt: skip
    assert {e["id"] for e in first["items"]}.isdisjoint(e["id"] for e in second["items"])
    everything = call("get", f"/assessments/{world.a.pk}/entries/", token=token).json()
    assert len(everything["items"]) == leaves  # 100 a page by default for entries
    beyond = call("get", f"/assessments/{world.a.pk}/entries/?page=99", token=token).json()
    assert beyond["items"] == [] and beyond["count"] == leaves
    bad = call("get", f"/assessments/{world.a.pk}/entries/?page=0", token=token)
    assert bad.status_code == 422 and bad.json()["detail"].startswith("Dữ liệu gửi lên")


def test_a_token_over_its_rate_gets_429_and_another_token_does_not(world, call, settings):
    settings.API_RATE_TOKEN = "3/min"
    token = world.tokens["officer"]
    codes = [call("get", "/assessments/", token=token).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = call("get", "/assessments/", token=token)
    assert response.json() == {"detail": "Quá nhiều yêu cầu: chờ một lát rồi gửi lại."}
    assert int(response["Retry-After"]) >= 1
    assert call("get", "/assessments/", token=world.tokens["leader"]).status_code == 200


def test_anonymous_requests_are_limited_per_address(world, call, settings):
    settings.API_RATE_ANON = "2/min"
    here = {"REMOTE_ADDR": "10.1.1.1"}
    codes = [call("get", "/public/results/", **here).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert call("get", "/public/results/", REMOTE_ADDR="10.1.1.2").status_code == 200
    # a token's requests are not counted against its address
    assert call("get", "/assessments/", token=world.tokens["officer"], **here).status_code == 200


def test_rates_are_parsed_strictly_and_a_typo_stops_the_start(settings):
    assert parse_rates("120/min, 10000/day") == [(120, 60), (10000, 86400)]
    for bad in ("120/minute", "abc/min", "0/min", "120"):
        with pytest.raises(ValueError):
            parse_rates(bad)
    settings.API_RATE_ANON = "60/minutes"
    with pytest.raises(ImproperlyConfigured, match="API_RATE_ANON"):
        apps.get_app_config("api").ready()
