"""In Chromium: a dead worker (a reminder waiting 40 minutes, an e-mail task failed) warns on
the organizer's home page; the link leads to the page Tác vụ nền. Screenshots go to
/tmp/shots/ops/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from parindex.ops.models import JobRun, WorkerHeartbeat
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/ops")  # noqa: S108 - the screenshots of this test


def _row(status, path, **kw):
    enqueued = kw.pop("enqueued", timezone.now())
    row = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=path,
        backend_name="default",
        run_after=get_date_max(),
        **kw,
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=enqueued)


def test_the_organizer_sees_the_dead_worker_and_its_page(province, live_server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    _row("READY", "parindex.notify.tasks.send_reminder", enqueued=now - dt.timedelta(minutes=40))
    _row(
        "SUCCESSFUL", "parindex.notify.tasks.send_reminder", finished_at=now - dt.timedelta(hours=3)
    )
    _row(
        "FAILED",
        "parindex.notify.tasks.send_submitted_notice",
        finished_at=now - dt.timedelta(hours=2),
        exception_class_path="smtplib.SMTPServerDisconnected",
        traceback="smtplib.SMTPServerDisconnected: Connection unexpectedly closed",
    )
    WorkerHeartbeat.objects.create(
        worker="may-chu-1:DatabaseBackend",
        seen_at=now - dt.timedelta(hours=2),
        last_task="parindex.notify.tasks.send_submitted_notice",
        tasks_done=57,
    )
    JobRun.objects.create(
        job="send_reminders",
        started_at=now - dt.timedelta(hours=1),
        finished_at=now - dt.timedelta(hours=1),
        ok=True,
        summary="Đã xếp hàng gửi thư nhắc cho 1 đơn vị (ngày 02/12/2026).",
    )

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", province.admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    alert = page.locator("#worker-alert")
    assert "40 phút" in alert.inner_text()
    page.screenshot(path=str(SHOTS / "home-warning.png"), full_page=True)
    alert.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert "Không kết nối được máy chủ thư điện tử" in page.locator("#failures").inner_text()
    assert "Thành công" in page.locator("#jobs").inner_text()
    page.screenshot(path=str(SHOTS / "worker-page.png"), full_page=True)


def test_tasks_kept_while_redis_is_down_are_named_on_the_worker_page(
    province, live_server, page, settings
):
    """RQ mode with Redis unreachable: the page says the queue cannot be read and that the
    kept tasks wait in the database, none lost."""
    import socket

    from parindex.common.env import redis_queue_url
    from parindex.ops import services

    SHOTS.mkdir(parents=True, exist_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: Redis is "down"
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    settings.RQ_QUEUES = {"default": {"URL": redis_queue_url(settings.REDIS_URL)}}
    for n in (1, 2, 3):
        services.pending_task_keep(
            task_path="parindex.survey.tasks_points.refresh_points", args=[n, "x"], kwargs={},
            queue_name="default", priority=0, run_after=None, error="ConnectionError",
        )  # fmt: skip
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", province.admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/van-hanh/tac-vu-nen/")
    assert "Không đọc được hàng đợi tác vụ" in page.locator("#worker-error").inner_text()
    kept = page.locator("#worker-pending").inner_text()
    assert "3 tác vụ đang được giữ lại" in kept and "Không tác vụ nào bị mất" in kept
    page.screenshot(path=str(SHOTS / "worker-pending.png"), full_page=True)
