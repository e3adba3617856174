"""The integration suite on the real parts (marker ``stack``): PostgreSQL, Redis (the cache
and django-tasks-rq's queue, run by a real ``rqworker`` process) and an S3-compatible bucket.

``./run test`` starts a throwaway Redis and SeaweedFS next to its PostgreSQL and runs this
directory with ``DATABASE_URL``, ``REDIS_URL``, ``S3_BUCKET``, ``S3_ENDPOINT_URL``,
``S3_ACCESS_KEY`` and ``S3_SECRET_KEY`` set (step "pytest (PostgreSQL + Redis + S3)";
``./run test-stack`` runs only that step). Without them every test here is skipped, with the
reason; in CI (``CI=true``) a missing variable fails instead.

The tests are transactional (the worker is another process: it sees committed rows only) and
use the production settings' cache, tasks and storage (``parindex/settings.py``, which reads
the variables), not the in-process ones of ``settings_test``. The worker runs the same
command as ``./run worker`` on the test database, with the test process's ``SECRET_KEY``
(shared by every server and worker, as in production) and mails written to files.
"""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.appraisal.conftest import appraisal, clock  # noqa: F401 - fixtures
from tests.evidence.conftest import ev, identity, signed_pdf  # noqa: F401 - fixtures
from tests.publication.conftest import published  # noqa: F401 - fixture
from tests.results.conftest import approved  # noqa: F401 - fixture
from tests.survey.conftest import surveyed  # noqa: F401 - fixture

REQUIRED = (
    "DATABASE_URL",
    "REDIS_URL",
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY",
    "S3_SECRET_KEY",
)
ROOT = Path(__file__).resolve().parents[2]
WAIT = 90  # seconds any one wait on the worker may take before the test fails


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session", autouse=True)
def _stack_env():
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if os.environ.get("DATABASE_URL", "") and not os.environ["DATABASE_URL"].startswith("postgres"):
        missing.append("DATABASE_URL=postgres://… (the worker shares the test database)")
    if missing:
        reason = "the stack tests need " + ", ".join(missing) + " (./run test-stack sets them)"
        if _in_ci():
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def real_services(_stack_env, settings):
    """The production settings' cache (Redis), tasks (RQ) and file storage (S3)."""
    from parindex import settings as production

    assert production.TASKS["default"]["BACKEND"] == "parindex.ops.tasks_backend.ResilientRQBackend"
    assert production.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert production.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.TASKS = production.TASKS
    settings.CACHES = production.CACHES
    settings.STORAGES = {**settings.STORAGES, "default": production.STORAGES["default"]}
    return settings


# ------------------------------------------------------------------------- Redis and S3


@pytest.fixture(scope="session")
def redis_client(_stack_env):
    import redis

    return redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=5)


@pytest.fixture(scope="session")
def queue_client(_stack_env):
    """A client of the queue's Redis database (another number than the cache's)."""
    import redis

    from parindex import settings as production

    return redis.Redis.from_url(production.RQ_QUEUES["default"]["URL"], socket_timeout=5)


@pytest.fixture(autouse=True)
def _fresh_queue(queue_client):
    """No job left by an earlier test (its rows are gone) runs during this one."""
    from rq import Queue

    Queue("default", connection=queue_client).empty()


@pytest.fixture(autouse=True)
def _empty_cache(redis_client):
    """No cache entry of another test: the cache's own database is emptied (the queue lives
    in another one, see ``test_cache_clear_leaves_the_queue``)."""
    redis_client.flushdb()
    yield
    redis_client.flushdb()


@pytest.fixture
def real_clock(redis_client):
    """Back to the machine's time (asked of Redis) for the rest of the test, when a fixture
    left this process's clock at another day: S3 refuses a request signed more than 15
    minutes away from its own clock, and the worker runs on the real one."""
    import datetime as dt

    import time_machine

    seconds, micros = redis_client.time()
    now = dt.datetime.fromtimestamp(seconds + micros / 1e6, tz=dt.UTC)
    with time_machine.travel(now, tick=True):
        yield now


@pytest.fixture(scope="session")
def s3(_stack_env):
    """A boto3 client with the app's key (to look at the bucket behind the app's back)."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=os.environ["S3_ENDPOINT_URL"],
        aws_access_key_id=os.environ["S3_ACCESS_KEY"],
        aws_secret_access_key=os.environ["S3_SECRET_KEY"],
        region_name=os.environ.get("S3_REGION") or "us-east-1",
    )


@pytest.fixture
def bucket_keys(s3):
    """bucket_keys(prefix) -> the object names in the bucket under ``prefix``."""

    def keys(prefix: str = "") -> set[str]:
        pages = s3.get_paginator("list_objects_v2").paginate(
            Bucket=os.environ["S3_BUCKET"], Prefix=prefix
        )
        return {obj["Key"] for page in pages for obj in page.get("Contents", [])}

    return keys


# ------------------------------------------------------------------------- the worker


def _test_database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


# Runs the command given after it with SIGTERM as its "parent died" signal (Linux prctl
# PR_SET_PDEATHSIG, kept across exec): if pytest itself is killed (./run's timeout), the worker
# stops too instead of staying behind, polling a Redis that is gone.
DIE_WITH_PARENT = (
    "import ctypes, os, signal, sys; "
    "ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM); "
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)


@pytest.fixture(scope="session")
def mail_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("worker-mail")


@pytest.fixture(scope="session")
def app_env(django_db_setup, django_db_blocker, mail_dir) -> dict[str, str]:
    """The environment of another process of the app (a worker, an app server): the
    production settings on the test database, this process's ``SECRET_KEY``, mails to files;
    REDIS_URL and S3_* as given to this process."""
    from django.conf import settings
    from django.db import connection

    with django_db_blocker.unblock():
        test_db = connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "parindex.settings",
        "DATABASE_URL": _test_database_url(test_db),
        "SECRET_KEY": settings.SECRET_KEY,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("SECRET_KEY_FILE", None)
    return env


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """``python ARGS`` from the repository's root, output to ``log``; stopped with pytest."""
    with open(log, "wb") as out:
        return subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-c", DIE_WITH_PARENT, *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def tail_of(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else ""


@pytest.fixture(scope="session")
def worker(app_env, tmp_path_factory, queue_client):
    """``rqworker --job-class django_tasks_rq.Job default`` (what ``./run worker`` runs when
    REDIS_URL is set) in its own process, on the test database, for the whole session."""
    from rq import Worker

    log = tmp_path_factory.mktemp("worker") / "worker.log"
    before = {w.name for w in Worker.all(connection=queue_client)}
    proc = spawn(
        ["manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "default"], app_env, log
    )

    def tail() -> str:
        return tail_of(log)

    handle = WorkerHandle(proc, tail)
    try:
        deadline = time.monotonic() + WAIT
        while not ({w.name for w in Worker.all(connection=queue_client)} - before):
            if proc.poll() is not None:
                pytest.fail(f"the worker stopped at start (code {proc.returncode}):\n{tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the worker did not register in Redis within {WAIT} s:\n{tail()}")
            time.sleep(0.2)
        yield handle
    finally:
        stop(proc)  # SIGTERM: RQ's warm shutdown, the job in hand is finished first


class WorkerHandle:
    def __init__(self, proc: subprocess.Popen, tail) -> None:
        self.proc = proc
        self.tail = tail

    def alive(self) -> None:
        if self.proc.poll() is not None:
            pytest.fail(f"the worker died (code {self.proc.returncode}):\n{self.tail()}")


@pytest.fixture
def enqueued(transactional_db, worker, mail_dir, queue_client):
    """The task results enqueued from now on (django-tasks' ``task_enqueued`` signal), the
    mail folder emptied first; after the test (before the database is flushed: this fixture
    comes after ``transactional_db``), waits for the worker to be idle."""
    from django_tasks.signals import task_enqueued

    _wait_idle(worker, queue_client)  # the jobs the test's fixtures queued, mails and all
    for old in mail_dir.iterdir():
        old.unlink()
    results: list = []

    def collect(sender, task_result, **kwargs):
        results.append(task_result)

    task_enqueued.connect(collect, weak=False)
    try:
        yield results
    finally:
        task_enqueued.disconnect(collect)
        _wait_idle(worker, queue_client)


def _wait_idle(worker: WorkerHandle, queue_client) -> None:
    from rq import Queue
    from rq.registry import StartedJobRegistry

    queue = Queue("default", connection=queue_client)
    started = StartedJobRegistry(queue=queue)
    deadline = time.monotonic() + WAIT
    while queue.count or started.count:
        if worker.proc.poll() is not None or time.monotonic() > deadline:
            return
        time.sleep(0.1)


def wait_for(results: list, worker: WorkerHandle, *, timeout: float = WAIT) -> list:
    """Wait (bounded) until every result has finished in the worker; fail on a failure."""
    from django_tasks import TaskResultStatus

    deadline = time.monotonic() + timeout
    pending = list(results)
    while pending:
        worker.alive()
        for result in list(pending):
            result.refresh()
            if result.status == TaskResultStatus.FAILED:
                pytest.fail(
                    f"task {result.task.module_path} failed in the worker:\n"
                    + "\n".join(e.traceback for e in result.errors)
                )
            if result.status == TaskResultStatus.SUCCESSFUL:
                pending.remove(result)
        if pending and time.monotonic() > deadline:
            names = ", ".join(f"{r.task.module_path} ({r.status})" for r in pending)
            pytest.fail(f"not finished within {timeout} s: {names}\n{worker.tail()}")
        if pending:
            time.sleep(0.1)
    return results


def read_mails(folder: Path) -> list[email.message.EmailMessage]:
    """The mails the worker's file backend wrote (one file per connection, several mails
    each, separated by a line of 79 dashes)."""
    mails = []
    for path in sorted(folder.iterdir()):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                mails.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return mails


def body_of(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()
