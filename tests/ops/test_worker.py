"""The worker's health for the organizer: its page (counts, failures in Vietnamese, the
periodic jobs' last runs), the home page's warning, the heartbeat and the job records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from parindex.ops import receivers
from parindex.ops.models import JobRun, WorkerHeartbeat

URL = "/van-hanh/tac-vu-nen/"


def _task(status="READY", path="parindex.notify.tasks.send_reminder", age_min=0, **kw):
    row = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=path,
        backend_name="default",
        run_after=get_date_max(),
        **kw,
    )
    DBTaskResult.objects.filter(pk=row.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=age_min)
    )
    return row


@pytest.mark.parametrize("who", ["admin", "district_admin", "sysadmin"])
def test_organizer_admins_and_the_system_admin_see_the_page(province, login, who):
    response = login(getattr(province, who)).get(URL)
    assert response.status_code == 200
    assert "Worker đang hoạt động bình thường" in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "officer", "leader", "appraiser", "chair"])
def test_others_get_403(province, login, who):
    assert login(getattr(province, who)).get(URL).status_code == 403


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_counts_and_failures_readable_in_vietnamese(province, login):
    now = timezone.now()
    _task(age_min=1)
    _task(status="RUNNING", started_at=now)
    _task(status="SUCCESSFUL", finished_at=now - dt.timedelta(hours=2))
    _task(status="SUCCESSFUL", finished_at=now - dt.timedelta(hours=30))  # not in the last 24 h
    _task(
        status="FAILED",
        path="parindex.notify.tasks.send_submitted_notice",
        finished_at=now - dt.timedelta(minutes=5),
        exception_class_path="smtplib.SMTPServerDisconnected",
        traceback="Traceback...\nsmtplib.SMTPServerDisconnected: Connection unexpectedly closed",
    )
    page = login(province.admin).get(URL).content.decode()
    for key, value in [("waiting", 1), ("running", 1), ("finished_24h", 1), ("failed_24h", 1)]:
        assert f'data-count="{key}">{value}<' in page
    assert "Báo đơn vị đã gửi kết quả tự đánh giá" in page
    assert "Không kết nối được máy chủ thư điện tử" in page
    # the error's own text only for the system admin
    assert "Connection unexpectedly closed" not in page
    page = login(province.sysadmin).get(URL).content.decode()
    assert "Connection unexpectedly closed" in page


def test_a_task_waiting_too_long_warns_on_the_home_page(province, login, settings):
    settings.WORKER_STALE_MINUTES = 10
    _task(age_min=3)
    assert 'id="worker-alert"' not in login(province.admin).get("/").content.decode()
    _task(age_min=25)
    home = login(province.admin).get("/").content.decode()
    assert 'id="worker-alert"' in home and "25 phút" in home
    assert 'id="worker-alert"' in login(province.admin).get(URL).content.decode()
    # a unit's officer is not bothered with it
    assert 'id="worker-alert"' not in login(province.officer).get("/").content.decode()


def test_a_task_scheduled_for_later_is_not_a_dead_worker(province, login):
    row = _task(age_min=60)
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now() + dt.timedelta(hours=1))
    assert 'id="worker-alert"' not in login(province.admin).get("/").content.decode()


def test_a_real_worker_records_a_heartbeat_the_in_process_backend_does_not(db):
    class DatabaseBackend:  # the sender a real worker sends
        pass

    class ImmediateBackend:
        pass

    class FakeTask:
        module_path = "parindex.notify.tasks.send_reminder"

    class FakeResult:
        task = FakeTask()

    receivers.on_task_started(ImmediateBackend, FakeResult())
    assert not WorkerHeartbeat.objects.exists()
    receivers.on_task_started(DatabaseBackend, FakeResult())
    receivers.on_task_finished(DatabaseBackend, FakeResult())
    receivers.on_task_finished(DatabaseBackend, FakeResult())
    (beat,) = WorkerHeartbeat.objects.all()
    assert beat.tasks_done == 2 and beat.last_task == FakeTask.module_path
    assert beat.worker.endswith(":DatabaseBackend")
    assert timezone.now() - beat.seen_at < dt.timedelta(seconds=30)


@pytest.mark.django_db(transaction=True)
def test_the_db_worker_records_its_heartbeat_and_the_page_shows_it(province, settings, client):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from parindex.notify.tasks import send_submitted_notice

    send_submitted_notice.enqueue(987654)  # no such assessment: the task returns 0
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    (beat,) = WorkerHeartbeat.objects.all()
    assert beat.worker.endswith(":DatabaseBackend") and beat.tasks_done == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    client.force_login(province.admin)
    page = client.get(URL).content.decode()
    assert 'data-count="finished_24h">1<' in page
    assert "Báo đơn vị đã gửi kết quả tự đánh giá" in page  # the worker's last task, by name


def test_the_periodic_jobs_record_their_runs(province, login):
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("appraisal_reminders", "--dry-run", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (run,) = JobRun.objects.all()
    assert run.job == "send_reminders" and run.ok is True and run.finished_at is not None
    assert run.summary.startswith("Đã xếp hàng gửi thư nhắc cho 0 đơn vị")
    page = login(province.admin).get(URL).content.decode()
    assert "Thành công" in page
    assert "Chưa chạy lần nào" in page  # appraisal_reminders (a dry run is not a run)


def test_a_failing_job_is_recorded_as_failed(db, monkeypatch):
    from parindex.notify.management.commands import send_reminders

    def boom(on):
        raise RuntimeError("x")

    monkeypatch.setattr(send_reminders, "reminders_due", boom)
    with pytest.raises(RuntimeError):
        call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    run = JobRun.objects.get()
    assert run.ok is False and "RuntimeError" in run.summary
