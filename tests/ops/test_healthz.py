"""/healthz: 200 when the database, the queue and the file store answer; 503 naming the part
that failed; no secret in the answer; details for a system admin only."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from parindex.ops import health


@pytest.fixture(autouse=True)
def _fresh_store_cache():
    health.clear_store_cache()
    yield
    health.clear_store_cache()


def test_all_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and "failed" not in body
    assert set(body["checks"]) == {"database", "queue", "storage"}
    for check in body["checks"].values():
        assert check["ok"] is True and check["ms"] >= 0
    assert response["Cache-Control"].startswith("max-age=0")


def test_database_down_answers_503_naming_it(client, db, monkeypatch):
    def down(full):
        raise OperationalError("could not connect to server at db.internal user=app password=x")

    monkeypatch.setattr(health, "check_database", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False and body["failed"] == ["database"]
    assert body["checks"]["database"]["ok"] is False
    assert "db.internal" not in response.content.decode()  # no error text, no host


def test_store_failing_answers_503(client, db, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(health.default_storage, "save", full_disk)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def test_the_store_probe_leaves_no_file_and_is_cached(client, db, settings, monkeypatch):
    calls = []
    real = health.check_store

    def counting(full):
        calls.append(1)
        return real(full)

    monkeypatch.setattr(health, "check_store", counting)
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert len(calls) == 1  # polled every few seconds: one probe per cache period
    _dirs, files = health.default_storage.listdir(health.PROBE_DIR)
    assert files == []
    settings.HEALTHZ_STORE_CACHE_SECONDS = 0
    client.get("/healthz")
    assert len(calls) == 2


def test_a_broken_queue_is_reported(client, db, monkeypatch):
    def down(full):
        raise ConnectionError("redis://:hunter2@cache:6379")

    monkeypatch.setattr(health, "check_queue", down)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["failed"] == ["queue"]
    assert "hunter2" not in response.content.decode()


def test_details_only_for_a_system_admin(province, client, login):
    anonymous = client.get("/healthz?full=1").json()
    assert "waiting" not in anonymous["checks"]["queue"]
    login(province.admin)
    organizer = client.get("/healthz?full=1").json()
    assert "waiting" not in organizer["checks"]["queue"]
    login(province.sysadmin)
    full = client.get("/healthz?full=1").json()
    assert full["checks"]["queue"]["waiting"] == 0 and full["checks"]["queue"]["failed"] == 0
    assert full["checks"]["queue"]["backend"] == "db"


def test_anonymous_and_only_get(client, db):
    assert client.post("/healthz").status_code == 405
