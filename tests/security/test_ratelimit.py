"""The shared rate limiter (parindex.common.ratelimit) and every page anyone may open without
logging in: over the limit a 429 in Vietnamese (JSON for the API) with Retry-After, per
address; normal use under the default limits is not affected."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from parindex import settings as prod_settings
from parindex.common.ratelimit import client_ip, hit, parse_rates
from tests.survey.conftest import surveyed  # noqa: F401 - fixture
from tests.survey.test_public import form_url

T0 = dt.datetime(2026, 12, 2, 8, 0, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_limiter_allows_the_rate_then_refuses_and_forgets_in_time():
    with time_machine.travel(T0 + dt.timedelta(seconds=10), tick=False) as clock:
        assert [hit("t", "a", [(3, 60)]) for _ in range(3)] == [None, None, None]
        retry = hit("t", "a", [(3, 60)])
        assert retry == 50  # this minute's window is full: until its end
        assert hit("t", "b", [(3, 60)]) is None  # another client
        assert hit("u", "a", [(3, 60)]) is None  # another scope
        clock.shift(55)  # 5 s into the next window: most of the last one still counts
        assert hit("t", "a", [(3, 60)]) is not None
        clock.shift(120)
        assert hit("t", "a", [(3, 60)]) is None


def test_no_burst_at_a_window_end():
    with time_machine.travel(T0 + dt.timedelta(seconds=59), tick=False) as clock:
        assert [hit("t", "a", [(4, 60)]) for _ in range(4)] == [None] * 4
        clock.shift(2)  # a new fixed window, but the last 60 s already hold 4 requests
        assert hit("t", "a", [(4, 60)]) is not None


def test_every_rate_applies():
    with time_machine.travel(T0, tick=False):
        rates = parse_rates("5/s,6/min")
        assert [hit("t", "a", rates) is None for _ in range(5)] == [True] * 5
        assert hit("t", "a", rates) == 1  # over 5 a second: wait for the next second
    with time_machine.travel(T0 + dt.timedelta(seconds=2), tick=False):
        # the refused 6th counted too: the minute's 6 are used, the wait is the minute's
        assert hit("t", "a", rates) == 58


def test_the_address_is_the_proxy_s_last_entry_only_behind_our_proxy(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert client_ip(request) == "10.0.0.5"  # a client's X-Forwarded-For is not believed
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        assert client_ip(request) == "198.51.100.7"  # what our proxy appended


def test_the_production_defaults_parse():
    for name in ("RATE_LIMIT_SURVEY", "RATE_LIMIT_PUBLIC", "API_RATE_TOKEN", "API_RATE_ANON"):
        assert parse_rates(getattr(prod_settings, name))


# ------------------------------------------------------------------ every public page
def _patterns(resolver=None, namespace=""):
    for item in (resolver or get_resolver()).url_patterns:
        if isinstance(item, URLResolver):
            if item.namespace in ("admin", "api"):
                continue  # the admin: its own login; the API: ninja's throttles (below)
            ns = f"{namespace}{item.namespace}:" if item.namespace else namespace
            yield from _patterns(item, ns)
        elif isinstance(item, URLPattern):
            yield f"{namespace}{item.name}", item.callback


# The login page has its own throttle of failures (per user name and per address); the
# health probe answers a constant and is what the load balancer polls; /metrics answers only
# the allowed addresses or the bearer token (tests/ops/test_metrics.py).
NOT_LIMITED = {"accounts:login", "healthz", "home", "metrics"}


def test_every_page_open_without_login_is_rate_limited():
    public = [
        (name, view)
        for name, view in _patterns()
        if getattr(view, "login_required", True) is False and name not in NOT_LIMITED
    ]
    assert len(public) >= 10
    missing = [name for name, view in public if not getattr(view, "rate_limit_scope", "")]
    assert missing == []


# ------------------------------------------------------------------ 429 per endpoint class
def _codes(client, path, n, addr):
    return [client.get(path, REMOTE_ADDR=addr).status_code for _ in range(n)]


@override_settings(RATE_LIMIT_PUBLIC="3/min")
def test_the_public_results_answer_429_in_vietnamese_after_the_limit(client, db):
    assert _codes(client, "/cong-khai/", 3, "192.0.2.10") == [200, 200, 200]
    refused = client.get("/cong-khai/", REMOTE_ADDR="192.0.2.10")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Quá nhiều yêu cầu trong thời gian ngắn" in refused.content.decode()
    assert client.get("/cong-khai/", REMOTE_ADDR="192.0.2.11").status_code == 200


@override_settings(RATE_LIMIT_SURVEY="3/min")
def test_the_invitation_link_is_limited_before_the_token_is_looked_up(client, db):
    path = "/khao-sat/" + "x" * 32 + "/"  # no such token: 404, then 429 (no guessing spree)
    assert _codes(client, path, 3, "192.0.2.20") == [404, 404, 404]
    refused = client.get(path, REMOTE_ADDR="192.0.2.20")
    assert refused.status_code == 429 and refused.has_header("Retry-After")
    assert client.get(path, REMOTE_ADDR="192.0.2.21").status_code == 404


@override_settings(RATE_LIMIT_SURVEY="2/min")
def test_the_public_survey_link_qr_is_limited(client, surveyed):  # noqa: F811
    url = form_url(surveyed.survey)
    assert _codes(client, url, 2, "192.0.2.30") == [200, 200]
    assert client.post(url, {"group": "DAN"}, REMOTE_ADDR="192.0.2.30").status_code == 429
    assert client.get(url, REMOTE_ADDR="192.0.2.31").status_code == 200


def test_normal_use_under_the_default_limits_is_not_refused(client, surveyed):  # noqa: F811
    url = form_url(surveyed.survey)
    with override_settings(
        RATE_LIMIT_SURVEY=prod_settings.RATE_LIMIT_SURVEY,
        RATE_LIMIT_PUBLIC=prod_settings.RATE_LIMIT_PUBLIC,
    ):
        # a meeting room of 25 people on one address, each opening the form once
        assert set(_codes(client, url, 25, "192.0.2.40")) == {200}
        # a visitor reading the public site: 40 pages in a minute
        assert set(_codes(client, "/cong-khai/", 40, "192.0.2.41")) == {200}


@override_settings(API_RATE_ANON="2/min")
def test_the_api_answers_429_in_json(client, db):
    codes = [client.get("/api/v1/public/results/", REMOTE_ADDR="192.0.2.50") for _ in range(3)]
    assert [r.status_code for r in codes] == [200, 200, 429]
    assert codes[-1].json() == {"detail": "Quá nhiều yêu cầu: chờ một lát rồi gửi lại."}
    assert int(codes[-1]["Retry-After"]) >= 1
