"""Two app servers (gunicorn with deploy/gunicorn.conf.py, what each server of a cluster runs)
on the same PostgreSQL, Redis and bucket with the same SECRET_KEY: an officer logs in on one,
uploads a PDF there, and the other server knows the login and serves the file — nothing that
a request needs stays on the server that took the previous one."""

from __future__ import annotations

import http.cookiejar
import json
import re
import secrets
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.urls import reverse

from parindex.accounts.models import User
from parindex.evidence.models import EvidenceFile
from tests.conftest import PASSWORD
from tests.evidence import pdfs
from tests.stack.conftest import WAIT, spawn, stop, tail_of

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, proc, port: int, log) -> None:
        self.proc, self.base, self.log = proc, f"http://127.0.0.1:{port}", log

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def servers(app_env, tmp_path):
    started = []
    for name in ("a", "b"):
        port = _free_port()
        env = {**app_env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"}
        log = tmp_path / f"gunicorn-{name}.log"
        args = ["-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "parindex.wsgi:application"]
        started.append(Server(spawn(args, env, log), port, log))
    try:
        deadline = time.monotonic() + WAIT
        for server in started:
            while True:
                if server.proc.poll() is not None:
                    pytest.fail(f"gunicorn stopped at start:\n{tail_of(server.log)}")
                try:
                    with urllib.request.urlopen(server.url(reverse("accounts:login")), timeout=5):  # noqa: S310
                        break
                except urllib.error.HTTPError as exc:
                    pytest.fail(f"gunicorn answered {exc.code}:\n{tail_of(server.log)}")
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not answer within {WAIT} s:\n{tail_of(server.log)}")
                time.sleep(0.2)
        yield started
    finally:
        for server in started:
            stop(server.proc)


def _multipart(field: str, name: str, data: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    return (
        head + data + f"\r\n--{boundary}--\r\n".encode(),
        f"multipart/form-data; boundary={boundary}",
    )


def test_a_login_and_an_upload_on_one_server_hold_on_the_other(servers, ev):
    a, b = servers
    # the production password hasher (the servers run the production settings)
    User.objects.filter(pk=ev.officer.pk).update(
        password=make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    )
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    login_url = reverse("accounts:login")
    form = browser.open(a.url(login_url), timeout=30).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    login = urlencode(
        {"csrfmiddlewaretoken": csrf, "username": ev.officer.username, "password": PASSWORD}
    ).encode()
    with browser.open(a.url(login_url), data=login, timeout=30) as answer:
        assert login_url not in answer.url  # logged in, sent on to the home page
    assert {c.name for c in jar} >= {"sessionid", "csrftoken"}

    # server B knows the session (in the database, checked with the same SECRET_KEY)
    entry_page = reverse("evidence:entry", args=[ev.entry.pk])
    with browser.open(b.url(entry_page), timeout=30) as page:
        assert page.url == b.url(entry_page) and page.status == 200

    # an upload on A (its CSRF cookie and token) ...
    data = pdfs.make_pdf("Tai len o may chu A")
    body, content_type = _multipart("files", "ke-hoach.pdf", data)
    token = next(c.value for c in jar if c.name == "csrftoken")
    request = urllib.request.Request(  # noqa: S310 - our own server
        a.url(reverse("evidence:upload", args=[ev.entry.pk])),
        data=body,
        headers={"Content-Type": content_type, "X-CSRFToken": token, "Accept": "application/json"},
    )
    with browser.open(request, timeout=60) as answer:
        (result,) = json.load(answer)["results"]
    assert result["ok"] is True, result["message"]
    evidence = EvidenceFile.objects.get(entry=ev.entry)

    # ... is downloaded from B (the bucket), and B still refuses someone without the session
    with browser.open(b.url(reverse("evidence:download", args=[evidence.pk])), timeout=30) as f:
        assert f.headers["Content-Disposition"].startswith("attachment; ")
        assert f.read() == data
    stranger = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with stranger.open(b.url(reverse("evidence:download", args=[evidence.pk])), timeout=30) as f:
        assert login_url in f.url  # sent to the login page


def test_metrics_add_up_every_gunicorn_worker(app_env, tmp_path):
    """METRICS=true with PROMETHEUS_MULTIPROC_DIR: requests served by two sync workers are all
    counted, whichever worker answers the scrape (without the directory each answers with its
    own count only)."""
    import concurrent.futures

    port = _free_port()
    metrics_dir = tmp_path / "metrics"
    env = {**app_env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
           "METRICS": "true", "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}  # fmt: skip
    log = tmp_path / "gunicorn.log"
    args = ["-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "parindex.wsgi:application"]
    proc = spawn(args, env, log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).close()  # noqa: S310
                break
            except urllib.error.HTTPError as exc:
                pytest.fail(f"/healthz answered {exc.code}:\n{tail_of(log)}")
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{tail_of(log)}")
                time.sleep(0.2)

        def hit(_: int) -> None:
            urllib.request.urlopen(base + "/healthz", timeout=30).close()  # noqa: S310

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(hit, range(60)))
        served = {p.name.split("_")[-1] for p in metrics_dir.glob("counter_*.db")}
        assert len(served) == 2, f"one worker served everything ({served}): nothing to add up"
        pattern = re.compile(
            r'^django_http_requests_total_by_view_transport_method_total\{[^}]*view="healthz"'
            r'[^}]*\} ([0-9.e+]+)$', re.MULTILINE,
        )  # fmt: skip
        for _ in range(4):
            with urllib.request.urlopen(base + "/metrics", timeout=30) as r:  # noqa: S310
                text = r.read().decode()
            assert sum(float(v) for v in pattern.findall(text)) == 61  # 1 at start + 60
            assert "parindex_tasks_kept 0.0" in text
    finally:
        stop(proc)
