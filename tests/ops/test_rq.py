"""With REDIS_URL (RQ): /healthz pings Redis and counts its queue, the worker's page reads the
queue, its registries and RQ's own worker heartbeats. Needs Debian's redis-server (skipped
without it): a throwaway server on a free loopback port, no persistence."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
import time

import pytest
from django.utils import timezone

from parindex.ops import health, selectors
from parindex.ops.models import WorkerHeartbeat

REDIS = shutil.which("redis-server")
RESILIENT = "parindex.ops.tasks_backend.ResilientRQBackend"
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(settings):
    port = _free_port()
    proc = subprocess.Popen(  # noqa: S603
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    settings.REDIS_URL = url
    settings.RQ_QUEUES = {"default": {"URL": url}}
    settings.TASKS = {"default": {"BACKEND": RESILIENT, "QUEUES": ["default"]}}
    health.clear_store_cache()
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_healthz_pings_redis_and_counts_its_queue(province, client, redis_url):
    from parindex.notify.tasks import send_submitted_notice

    send_submitted_notice.enqueue(987654)
    client.force_login(province.sysadmin)
    body = client.get("/healthz?full=1").json()
    assert body["ok"] is True
    assert body["checks"]["queue"] == {"ok": True, "ms": body["checks"]["queue"]["ms"],
                                       "backend": "rq", "waiting": 1, "failed": 0,
                                       "kept_while_down": 0}  # fmt: skip


def test_redis_down_answers_503(client, db, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_free_port()}/0"
    settings.RQ_QUEUES = {"default": {"URL": settings.REDIS_URL}}
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["failed"] == ["queue"]


def test_tasks_waiting_without_a_worker_warn(province, login, redis_url):
    from parindex.notify.tasks import send_submitted_notice

    assert selectors.worker_alert() is None
    send_submitted_notice.enqueue(987654)
    status = selectors.worker_status()
    assert status.backend == "rq" and status.waiting == 1 and status.workers == []
    assert status.oldest_waiting_since is not None
    assert timezone.now() - status.oldest_waiting_since < dt.timedelta(minutes=1)
    assert status.alert  # tasks, and no worker at all
    page = login(province.admin).get("/van-hanh/tac-vu-nen/").content.decode()
    assert "không có worker nào đang chạy" in page
    assert 'id="worker-alert"' in login(province.admin).get("/").content.decode()


def test_a_failed_rq_job_is_named_in_vietnamese(province, login, redis_url, monkeypatch):
    import smtplib

    import django_rq
    from rq import SimpleWorker

    from parindex.documents import services as documents_services
    from parindex.documents.tasks import export_build

    def down(job_id):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(documents_services, "export_run", down)
    export_build.enqueue(987654)
    from django_tasks_rq import Job

    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    status = selectors.worker_status()
    assert status.waiting == 0 and status.failed == 1 and not status.error
    (failure,) = status.recent_failures
    assert failure.label == "Tạo tệp xuất (báo cáo, văn bản)"
    assert failure.meaning == "Không kết nối được máy chủ thư điện tử"
    assert "Connection unexpectedly closed" in failure.message
    # django-tasks-rq's Job sends the task signals: the heartbeat is kept for RQ too
    assert WorkerHeartbeat.objects.get().worker.endswith(":ResilientRQBackend")
    page = login(province.sysadmin).get("/van-hanh/tac-vu-nen/").content.decode()
    assert "Tạo tệp xuất" in page and "Redis (RQ)" in page
