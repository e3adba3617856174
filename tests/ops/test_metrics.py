"""Prometheus metrics: off by default (nothing of django-prometheus loaded, /metrics 404); on,
/metrics answers allowed direct addresses or the bearer token, nobody else."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from parindex.ops.metrics import register_collectors

SETTINGS_DUMP = (
    "import django, json, os;"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'parindex.settings');"
    "django.setup();"
    "from django.conf import settings;"
    "print(json.dumps([settings.INSTALLED_APPS, settings.MIDDLEWARE]))"
)


def _settings_with(**env):
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETTINGS_DUMP],
        env={**os.environ, "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    apps, middleware = json.loads(out.stdout.strip().splitlines()[-1])
    return apps, middleware


def test_off_by_default_nothing_of_django_prometheus_is_loaded(client, db, settings):
    apps, middleware = _settings_with(METRICS="")
    assert not [a for a in apps if "prometheus" in a]
    assert not [m for m in middleware if "prometheus" in m]
    assert settings.METRICS is False
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_on_adds_the_app_and_wraps_the_middleware():
    apps, middleware = _settings_with(METRICS="true")
    assert "django_prometheus" in apps
    assert middleware[0] == "django_prometheus.middleware.PrometheusBeforeMiddleware"
    assert middleware[-1] == "django_prometheus.middleware.PrometheusAfterMiddleware"


@pytest.fixture
def metrics_on(settings):
    settings.METRICS = True
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1", "10.1.2.0/24"]
    settings.METRICS_TOKEN = "scrape-token-0123456789"
    register_collectors()
    return settings


def test_allowed_address_reads_the_metrics_with_the_task_gauges(client, db, metrics_on):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    text = response.content.decode()
    assert "parindex_tasks_waiting 0.0" in text
    assert "parindex_tasks_failed 0.0" in text
    assert "parindex_tasks_backend_up 1.0" in text
    assert "parindex_worker_alert 0.0" in text
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.77").status_code == 200


def test_others_are_refused(client, db, metrics_on):
    assert client.get("/metrics", REMOTE_ADDR="10.9.9.9").status_code == 403
    # through a proxy (nginx connects from 127.0.0.1 for everyone): the token only
    assert (
        client.get(
            "/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5"
        ).status_code
        == 403
    )
    assert (
        client.get(
            "/metrics", REMOTE_ADDR="127.0.0.1", HTTP_AUTHORIZATION="Bearer wrong"
        ).status_code
        == 403
    )


def test_the_token_opens_from_anywhere(client, db, metrics_on):
    response = client.get(
        "/metrics",
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
        HTTP_AUTHORIZATION="Bearer scrape-token-0123456789",
    )
    assert response.status_code == 200


def test_without_a_token_set_a_bearer_header_opens_nothing(client, db, metrics_on):
    metrics_on.METRICS_TOKEN = ""
    assert (
        client.get("/metrics", REMOTE_ADDR="10.9.9.9", HTTP_AUTHORIZATION="Bearer ").status_code
        == 403
    )
