"""A task enqueued while Redis is down is kept in the database (``ops.PendingTask``) and handed
to the queue once Redis answers again; the user's write and its page are unaffected.

Real Redis servers (Debian's redis-server, a throwaway one per test on a free loopback port,
stopped and started again on the same port) and a real RQ worker run (``SimpleWorker``, in
this process). The unreachable case is a closed port; the hung case a socket that accepts and
never answers."""

from __future__ import annotations

import socket
import subprocess
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from parindex.ops import redis_state, selectors, services, tasks_backend
from parindex.ops.models import PendingTask
from tests.ops.test_rq import REDIS, RESILIENT, _free_port
from tests.survey.conftest import surveyed  # noqa: F401 - fixture
from tests.survey.test_respond import invited  # noqa: F401, F811 - fixture

pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed")


class RedisServer:
    def __init__(self) -> None:
        self.port = _free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603
            [REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


def _use(settings, url: str, backend: str = RESILIENT) -> None:
    from parindex.common.env import redis_queue_url

    settings.REDIS_URL = url
    settings.RQ_QUEUES = {"default": {"URL": redis_queue_url(url)}}
    settings.TASKS = {"default": {"BACKEND": backend, "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    """Each test starts with Redis "not failed" in this process (the state is per process)."""
    state = redis_state._State()
    for module in (redis_state, tasks_backend):
        monkeypatch.setattr(module, "STATE", state)


@pytest.fixture
def redis_server(settings):
    server = RedisServer()
    server.start()
    _use(settings, server.url)
    yield server
    server.stop()


def _queue():
    import django_rq
    from django_tasks_rq import Job

    return django_rq.get_queue("default", job_class=Job)


def _run_worker() -> None:
    from django_tasks_rq import Job
    from rq import SimpleWorker

    queue = _queue()
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


@pytest.mark.django_db(transaction=True)
def test_a_survey_answer_while_redis_is_down_is_stored_and_its_task_runs_when_redis_is_back(
    invited,  # noqa: F811 - fixture
    client,
    redis_server,
):
    from parindex.survey.models import Response
    from tests.survey.test_respond import answers_for, post

    redis_server.stop()  # the queue is down when the respondent sends the page
    r = post(client, invited, invited.province.stp, answers_for(invited))
    assert r.status_code == 302 and r["Location"] == invited.url  # the next unit's page
    assert Response.objects.filter(unit=invited.province.stp).count() == 1
    (kept,) = PendingTask.objects.all()
    assert kept.task_path == "parindex.survey.tasks_points.refresh_points"
    assert kept.args[0] == invited.survey.pk and "ConnectionError" in kept.last_error
    # the organizer's worker page says so, in Vietnamese
    status = selectors.worker_status()
    assert status.pending == 1 and status.error  # Redis itself is unreachable
    redis_server.start()
    assert _queue().count == 0
    # nothing enqueued since: the drain (cron, or the worker after a task) hands it over
    call_command("drain_tasks")
    assert PendingTask.objects.count() == 0
    (job,) = _queue().jobs
    assert job.func_name == "parindex.survey.tasks_points.refresh_points"
    assert list(job.args) == kept.args
    _run_worker()
    assert job.get_status(refresh=True) == "finished"


@pytest.mark.django_db(transaction=True)
def test_without_the_outbox_the_same_answer_is_an_error_page(invited, client, settings):  # noqa: F811
    """What the outbox fixes: django-tasks-rq alone raises after the answer is stored."""
    import redis

    from tests.survey.test_respond import answers_for, post

    _use(settings, f"redis://127.0.0.1:{_free_port()}/0", backend="django_tasks_rq.RQBackend")
    with pytest.raises(redis.exceptions.ConnectionError):
        post(client, invited, invited.province.stp, answers_for(invited))


def test_the_next_successful_enqueue_hands_the_kept_tasks_over_in_order(db, redis_server):
    from parindex.notify.tasks import send_reminder, send_submitted_notice

    redis_server.stop()
    first = send_submitted_notice.enqueue(111)
    send_reminder.enqueue(222, "manual", "2026-12-03", None)
    assert first.id.startswith("pending-")
    assert list(PendingTask.objects.values_list("task_path", "args")) == [
        ("parindex.notify.tasks.send_submitted_notice", [111]),
        ("parindex.notify.tasks.send_reminder", [222, "manual", "2026-12-03", None]),
    ]
    redis_server.start()
    tasks_backend.STATE.failed_at = None  # the retry pause is over (5 s in production)
    send_submitted_notice.enqueue(333)
    assert PendingTask.objects.count() == 0
    assert [(j.func_name.rsplit(".", 1)[-1], j.args[0]) for j in _queue().jobs] == [
        ("send_submitted_notice", 333),
        ("send_submitted_notice", 111),
        ("send_reminder", 222),
    ]


def test_while_redis_rests_a_process_tries_it_once_not_on_every_enqueue(db, settings):
    """A hung Redis (accepts, never answers) costs one socket timeout, then the process goes
    straight to the outbox until RETRY_AFTER has passed."""
    from parindex.notify.tasks import send_submitted_notice

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(50)
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    _use(settings, f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
    try:
        for n in range(5):
            send_submitted_notice.enqueue(n)
        assert PendingTask.objects.count() == 5
        assert len(accepted) == 1  # only the first enqueue waited for Redis
        assert "TimeoutError" in PendingTask.objects.first().last_error
    finally:
        listener.close()
        for conn in accepted:
            conn.close()


def test_drain_tasks_fails_while_redis_is_still_down_and_keeps_the_rows(db, settings, capsys):
    from parindex.notify.tasks import send_submitted_notice

    _use(settings, f"redis://127.0.0.1:{_free_port()}/0")
    send_submitted_notice.enqueue(7)
    tasks_backend.STATE.failed_at = None
    with pytest.raises(CommandError, match="Còn 1 tác vụ chưa đưa được vào hàng đợi"):
        call_command("drain_tasks")
    row = PendingTask.objects.get()
    assert row.attempts == 1 and "ConnectionError" in row.last_error


def test_a_kept_task_that_no_longer_exists_does_not_block_the_others(db, redis_server):
    from parindex.notify.tasks import send_submitted_notice

    redis_server.stop()
    send_submitted_notice.enqueue(1)
    PendingTask.objects.update(task_path="parindex.notify.tasks.gone_in_this_version")
    send_submitted_notice.enqueue(2)
    redis_server.start()
    tasks_backend.STATE.failed_at = None
    assert services.pending_tasks_drain() == (1, 1)
    left = PendingTask.objects.get()
    assert left.attempts == 1 and "Không còn tác vụ này" in left.last_error
    assert [j.args[0] for j in _queue().jobs] == [2]


def test_a_task_of_a_write_rolled_back_is_not_kept(db, settings):
    from django.db import transaction

    from parindex.notify.tasks import send_submitted_notice

    _use(settings, f"redis://127.0.0.1:{_free_port()}/0")
    with pytest.raises(RuntimeError), transaction.atomic():
        send_submitted_notice.enqueue(5)  # enqueued inside the transaction (a command)
        raise RuntimeError
    assert PendingTask.objects.count() == 0


def test_the_worker_drains_after_a_task_it_ran(db, redis_server):
    from parindex.notify.tasks import send_submitted_notice

    redis_server.stop()
    send_submitted_notice.enqueue(41)
    redis_server.start()
    tasks_backend.STATE.failed_at = None
    # another process enqueued one (its own state: no drain) — the worker runs it, then drains
    from django_tasks_rq import RQBackend

    RQBackend.enqueue(
        tasks_backend.ResilientRQBackend("default", {"QUEUES": ["default"]}),
        send_submitted_notice, (42,), {},
    )  # fmt: skip
    tasks_backend.STATE.next_drain = 0.0
    _run_worker()  # runs 42, drains 41 into the queue, burst goes on and runs it
    assert PendingTask.objects.count() == 0
    assert _queue().count == 0


def test_the_worker_page_names_the_kept_tasks(province, login, settings):
    _use(settings, f"redis://127.0.0.1:{_free_port()}/0")
    services.pending_task_keep(
        task_path="parindex.notify.tasks.send_submitted_notice", args=[1], kwargs={},
        queue_name="default", priority=0, run_after=None, error="ConnectionError: refused",
    )  # fmt: skip
    page = login(province.admin).get(reverse("ops:worker")).content.decode()
    assert 'id="worker-pending"' in page
    assert "1 tác vụ đang được giữ lại" in page and "Không tác vụ nào bị mất" in page


@pytest.mark.parametrize(
    ("url", "queue_db", "expected"),
    [
        ("redis://127.0.0.1:6379/0", "",
         "redis://127.0.0.1:6379/1?socket_connect_timeout=1&socket_timeout=2"),
        ("redis://:pw@10.0.0.5:6380/4?socket_timeout=9", "",
         "redis://:pw@10.0.0.5:6380/5?socket_timeout=9&socket_connect_timeout=1"),
        ("redis://127.0.0.1:6379", "7",
         "redis://127.0.0.1:6379/7?socket_connect_timeout=1&socket_timeout=2"),
    ],
)  # fmt: skip
def test_the_queue_has_its_own_redis_database(url, queue_db, expected):
    from parindex.common.env import redis_queue_url

    assert redis_queue_url(url, queue_db) == expected


def test_a_queue_database_equal_to_the_cache_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    from parindex.common.env import redis_queue_url

    with pytest.raises(ImproperlyConfigured, match="REDIS_QUEUE_DB"):
        redis_queue_url("redis://127.0.0.1:6379/3", "3")
    with pytest.raises(ImproperlyConfigured, match="REDIS_QUEUE_DB must be an integer"):
        redis_queue_url("redis://127.0.0.1:6379/3", "x")
