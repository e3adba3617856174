"""The Redis cache while Redis is down: the site keeps serving (bench/load.py found every
page answering 500 during a Redis outage)."""

from __future__ import annotations

import socket

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from parindex.common.cache import ResilientRedisCache
from parindex.common.ratelimit import hit


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def down():
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    return url, ResilientRedisCache(url, {"OPTIONS": {"socket_connect_timeout": 1}})


def test_django_s_own_redis_cache_raises_when_redis_is_down(down):
    url, _ = down
    with pytest.raises(Exception, match="(?i)connect"):
        RedisCache(url, {}).get("k")  # what the resilient backend is for


def test_a_redis_outage_reads_as_an_empty_cache(down):
    _, cache = down
    assert cache.get("k", "missing") == "missing"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    cache.set("k", 1)
    cache.delete("k")
    cache.delete_many(["a"])
    assert cache.add("k", 1) is True  # "once per minute" work runs; nothing is refused
    assert cache.incr("k") == 1
    assert cache.get_or_set("k", lambda: 5) == 5


def test_rate_limits_let_requests_through_while_redis_is_down(down, monkeypatch):
    _, cache = down
    monkeypatch.setattr("parindex.common.ratelimit.cache", cache)
    assert all(hit("test", "client", [(1, 60)]) is None for _ in range(5))


@pytest.mark.django_db
def test_pages_still_answer_while_redis_is_down(client, django_user_model, down):
    url, _ = down
    caches = {
        "default": {
            "BACKEND": "parindex.common.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    user = django_user_model.objects.create_user(username="cv.down", password="x" * 12)
    # override_settings resets the cache handler (Django's setting_changed receiver).
    with override_settings(CACHES=caches):
        client.force_login(user)
        assert client.get("/").status_code == 200  # the session list's touch, the sign-in marks
        assert client.get("/cong-khai/").status_code == 200  # the public cache, its rate limit
