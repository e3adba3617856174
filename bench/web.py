"""Web benchmark: gunicorn + PostgreSQL, 20 concurrent unit officers on the self-assessment
table page and its autosave, against a bare Django view in the same run.

Run: ``.venv/bin/python bench/web.py`` from the repository root (as root or as a user that
may run PostgreSQL's initdb; ``apt-get install -y postgresql`` if it is missing).

What it does, everything on 127.0.0.1 and stopped at the end (``finally``):
1. a throwaway PostgreSQL cluster (initdb in a temp dir, as the postgres user when run as
   root, trust over 127.0.0.1 only, fsync off) on a free port — the approach of ``./run``;
2. ``migrate``, then one province with 20 districts (block huyện), one officer each, a
   framework of 90 leaves (the demo huyện framework, 71 leaves, plus 19 generated ones),
   a period whose self-assessment phase is open today, and a session per officer;
3. ``collectstatic`` into the run's STATIC_ROOT, then gunicorn with production's
   deploy/gunicorn.conf.py (4 sync workers; ``--workers``, ``--threads``, ``--worker-class``
   override it to compare, e.g. ``--workers 2 --threads 4`` for gthread 2 × 4) and bench/web_settings.py: production's settings
   (DEBUG off, so the cached template loader; hashed static files; the same middleware; the
   same database options, prepared statements included) and the bench's own URLconf, which
   adds ``/bench/ok/``, a bare view;
4. saturation (the headline figure): three phases of 20 concurrent clients (threads, stdlib
   http.client, keep-alive) with NO think time, each client one officer: the bare view
   (20 × 30), the table page (20 × 5), the autosave of values on its own assessment (20 × 30,
   alternating yes/no on the boolean leaves, with the version the server returned: no
   conflict expected). Warm-up requests first;
5. paced (``--paced N``, 40 by default, 0 to skip): the same 20 officers working like typists —
   each pauses 1.0 s ± 0.3 s between two actions (the workspace autosaves 800 ms after the
   last keystroke), reloads the table every 10th action and requests the bare view once every
   10 actions too, so the three are measured under the same load.
Prints p50/p95 latency, throughput, errors, the ratios to the bare view, and the CPU each
request cost gunicorn, PostgreSQL and the clients (read from /proc around each phase): on a
shared 2-core machine latency moves with whatever else runs, CPU per request does not.
``--db-options`` adds a query string to DATABASE_URL (e.g. ``server_side_binding=false`` to
measure without prepared statements) to try a database setting.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
N_UNITS = 20
GOALS_MS = {"autosave": 150.0, "table": 400.0}


# ------------------------------------------------------------------ PostgreSQL


def free_port(start: int) -> int:
    for port in range(start, start + 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"không còn cổng trống từ {start}")


def pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    if not found:
        raise SystemExit(
            "Không tìm thấy PostgreSQL (initdb): cài bằng `apt-get install -y postgresql`."
        )
    return found[-1].parent


def as_pg(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class Postgres:
    def __init__(self, tmp: Path) -> None:
        self.dir = tmp / "pg"
        self.bin = pg_bin()
        self.port = free_port(54400)
        self.started = False

    def start(self) -> str:
        self.dir.mkdir()
        self.dir.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        data = self.dir / "data"
        subprocess.run(
            as_pg([str(self.bin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                   "-E", "UTF8", "--locale=C.UTF-8"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        hba = "host all all 127.0.0.1/32 trust\n"
        subprocess.run(as_pg(["tee", str(data / "pg_hba.conf")]), input=hba.encode(),
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        opts = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        subprocess.run(
            as_pg([str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "server.log"),
                   "-w", "-t", "60", "start", "-o", opts]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.started = True
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE parindex")
        return f"postgres://postgres@127.0.0.1:{self.port}/parindex"

    def stop(self) -> None:
        if self.started:
            subprocess.run(
                as_pg([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast",
                       "-w", "-t", "60", "stop"]),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            self.started = False


# ------------------------------------------------------------------ data (child process)


def setup_data() -> None:
    """Runs inside Django (``--setup``): builds the province and prints the clients' JSON."""
    import datetime as dt

    import django
    import yaml

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from parindex.accounts.models import Membership, Unit
    from parindex.accounts.services import (
        block_create,
        membership_grant,
        unit_create,
        user_create,
    )
    from parindex.assessments.models import Entry
    from parindex.assessments.participation import period_add_units
    from parindex.frameworks.services import framework_activate, framework_import
    from parindex.periods.models import Phase
    from parindex.periods.services import period_create

    today = timezone.localdate()
    spec = yaml.safe_load((ROOT / "parindex/demo/huyen.yaml").read_text(encoding="utf-8"))
    spec["nodes"].append(
        {
            "code": "10",
            "title": "Nội dung bổ sung (sinh cho bench)",
            "children": [
                {
                    "code": f"10.{i}",
                    "title": f"Tiêu chí bổ sung số {i}",
                    "max": 0.5,
                    "rule": {"type": "boolean"},
                    "evidence": "Văn bản chứng minh.",
                }
                for i in range(1, 20)
            ],
        }
    )
    spec.update(code="HUYEN-BENCH", year=today.year, block="huyen")
    huyen = block_create(actor=None, code="huyen", name="Khối huyện", position=1)
    root = unit_create(actor=None, code="HY", name="Tỉnh Hưng Yên", kind=Unit.Kind.PROVINCE)
    snv = unit_create(
        actor=None, code="SNV", name="Sở Nội vụ", kind=Unit.Kind.DEPARTMENT, parent=root,
        admin_root=root,
    )  # fmt: skip
    fw = framework_import(actor=None, owner=snv, data=spec, source="bench")
    framework_activate(actor=None, framework=fw)
    d = dt.timedelta
    calendar = {
        Phase.PREPARATION: (today - d(30), today - d(21)),
        Phase.SELF_ASSESSMENT: (today - d(20), today + d(20)),
        Phase.APPRAISAL_1: (today + d(21), today + d(30)),
        Phase.SUPPLEMENT: (today + d(31), today + d(40)),
        Phase.APPRAISAL_2: (today + d(41), today + d(50)),
        Phase.CONSOLIDATION: (today + d(51), today + d(55)),
        Phase.APPROVAL: (today + d(56), today + d(60)),
        Phase.ARCHIVE: (today + d(61), today + d(150)),
    }
    period = period_create(
        actor=None, organizer=snv, year=today.year, name=f"Chỉ số CCHC năm {today.year} (bench)",
        blocks=[(huyen, fw)], calendar=calendar,
    )  # fmt: skip
    units, officers = [], []
    for i in range(1, N_UNITS + 1):
        unit = unit_create(
            actor=None, code=f"H{i:02d}", name=f"UBND huyện số {i}", kind=Unit.Kind.DISTRICT,
            parent=root, block=huyen,
        )  # fmt: skip
        user = user_create(actor=None, username=f"cv.h{i:02d}", password=None,
                           full_name=f"Chuyên viên huyện {i}")  # fmt: skip
        membership_grant(actor=None, user=user, unit=unit, role=Membership.Role.UNIT_OFFICER)
        units.append(unit)
        officers.append(user)
    assessments = period_add_units(actor=None, period=period, units=units)

    def url(names: list[str], *args: int) -> str:
        for name in names:
            try:
                return reverse(name, args=args)
            except NoReverseMatch:
                continue
        raise SystemExit(f"không có URL nào trong {names}")

    alphabet = string.ascii_letters + string.digits
    clients = []
    for user, a in zip(officers, assessments, strict=True):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        entries = list(
            Entry.objects.filter(assessment=a, node__rule_type="boolean")
            .order_by("node__position")
            .values_list("pk", flat=True)
        )
        clients.append(
            {
                "session": session.session_key,
                "csrf": "".join(secrets.choice(alphabet) for _ in range(32)),
                "table": url(["assessments:table", "assessments:detail"], a.pk),
                "autosave": [url(["assessments:autosave"], a.pk, e) for e in entries],
            }
        )
    n_leaves = Entry.objects.filter(assessment=assessments[0]).count()
    print(json.dumps({"clients": clients, "leaves": n_leaves, "settings": settings_facts()}))


def settings_facts() -> dict:
    """What the bench runs with, to show it is production's configuration."""
    from django.conf import settings
    from django.template import engines

    import parindex.settings as product

    loader = engines["django"].engine.template_loaders[0]
    return {
        "DEBUG": settings.DEBUG,
        "template loader": f"{type(loader).__module__}.{type(loader).__name__}",
        "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
        "middleware as production": settings.MIDDLEWARE == product.MIDDLEWARE,
        "database": settings.DATABASES["default"]["ENGINE"],
        "database options": settings.DATABASES["default"].get("OPTIONS", {}),
        "CONN_MAX_AGE": settings.DATABASES["default"]["CONN_MAX_AGE"],
    }


# ------------------------------------------------------------------ load


class Client:
    def __init__(self, port: int, info: dict, timeout: float) -> None:
        self.port = port
        self.info = info
        self.timeout = timeout
        self.conn: HTTPConnection | None = None
        self.cookie = f"sessionid={info['session']}; csrftoken={info['csrf']}"
        self.versions: dict[str, int] = {}
        self.flip = 0

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": self.cookie, "Host": "127.0.0.1"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.info["csrf"]
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, data
            except (ConnectionError, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def ok(self, i: int) -> bool:
        status, body = self.request("GET", "/bench/ok/")
        return status == 200 and body == b"ok"

    def table(self, i: int) -> bool:
        status, body = self.request("GET", self.info["table"])
        return status == 200 and len(body) > 10_000

    def autosave(self, i: int) -> bool:
        urls = self.info["autosave"]
        path = urls[i % len(urls)]
        value = "yes" if (i // len(urls) + self.flip) % 2 == 0 else "no"
        data = {
            "value": value,
            "value2": "",
            "explanation": f"Lần lưu {i}",
            "version": self.versions.get(path, 0),
        }
        status, body = self.request("POST", path, urlencode(data).encode())
        if status != 200:
            return False
        answer = json.loads(body)
        self.versions[path] = answer.get("version", 0)
        return bool(answer.get("ok"))

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def run_phase(
    clients: list[Client], kind: str, count: int, deadline_s: float, meter: CpuMeter | None = None
) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + deadline_s
    barrier = threading.Barrier(len(clients))

    def work(client: Client) -> None:
        nonlocal errors
        action = getattr(client, kind)
        mine: list[float] = []
        bad = 0
        barrier.wait()
        for i in range(count):
            if time.monotonic() > stop_at:
                bad += count - i
                break
            t0 = time.perf_counter()
            try:
                good = action(i)
            except Exception:  # noqa: BLE001 - counted as an error, the run goes on
                good = False
            mine.append(time.perf_counter() - t0)
            bad += 0 if good else 1
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    before = meter.sample() if meter else (0.0, 0.0)
    client_before = time.process_time()
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    client_cpu = time.process_time() - client_before
    after = meter.sample() if meter else (0.0, 0.0)
    n = max(1, len(latencies))
    latencies.sort()
    return {
        "web_cpu": 1000 * (after[0] - before[0]) / n,
        "db_cpu": 1000 * (after[1] - before[1]) / n,
        "client_cpu": 1000 * client_cpu / n,
        "elapsed": elapsed,
        "kind": kind,
        "requests": len(latencies),
        "errors": errors,
        "p50": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "p95": 1000 * latencies[max(0, int(0.95 * len(latencies)) - 1)] if latencies else 0.0,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
    }


PACE_S = (0.7, 1.3)  # an officer's pause between two actions (autosave 800 ms after typing)


def run_paced(clients: list[Client], actions: int, deadline_s: float) -> dict[str, dict]:
    """Every client works like a typist: an action, a pause of ``PACE_S``, the next; every
    10th action reloads the table, one in 10 requests the bare view, the rest autosave."""
    latencies: dict[str, list[float]] = {"ok": [], "table": [], "autosave": []}
    errors = dict.fromkeys(latencies, 0)
    lock = threading.Lock()
    stop_at = time.monotonic() + deadline_s
    t0 = time.perf_counter()

    def work(n: int, client: Client) -> None:
        rng = random.Random(n)
        mine: dict[str, list[float]] = {k: [] for k in latencies}
        bad = dict.fromkeys(latencies, 0)
        saves = 1000 * (n + 1)  # autosave counter: other values than the saturation phase's
        time.sleep(rng.uniform(0, PACE_S[1]))  # the officers do not start in step
        for i in range(actions):
            if time.monotonic() > stop_at:
                break
            kind = "table" if i % 10 == 0 else "ok" if i % 10 == 5 else "autosave"
            t = time.perf_counter()
            try:
                if kind == "autosave":
                    saves += 1
                    good = client.autosave(saves)
                else:
                    good = getattr(client, kind)(i)
            except Exception:  # noqa: BLE001 - counted as an error, the run goes on
                good = False
            mine[kind].append(time.perf_counter() - t)
            bad[kind] += 0 if good else 1
            time.sleep(rng.uniform(*PACE_S))
        with lock:
            for k in latencies:
                latencies[k].extend(mine[k])
                errors[k] += bad[k]

    threads = [threading.Thread(target=work, args=(n, c)) for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return {k: _stats(k, v, errors[k], elapsed) for k, v in latencies.items()}


def _stats(kind: str, latencies: list[float], errors: int, elapsed: float) -> dict:
    latencies = sorted(latencies)
    return {
        "kind": kind,
        "requests": len(latencies),
        "errors": errors,
        "elapsed": elapsed,
        "p50": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "p95": 1000 * latencies[max(0, int(0.95 * len(latencies)) - 1)] if latencies else 0.0,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
    }


def _children(ppid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == ppid:
            out.append(int(stat.parent.name))
    return out


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (Linux /proc; 0 for a process gone)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


class CpuMeter:
    """CPU used by gunicorn (master and workers) and by PostgreSQL (postmaster and backends)
    during a phase: divided by the requests, it does not depend on what else the machine runs,
    unlike latency on a shared 2-core machine."""

    def __init__(self, gunicorn_pid: int, pg: Postgres) -> None:
        self.gunicorn_pid = gunicorn_pid
        self.pg = pg

    def pids(self) -> tuple[list[int], list[int]]:
        postmaster = int((self.pg.dir / "data" / "postmaster.pid").read_text().split()[0])
        return (
            [self.gunicorn_pid, *_children(self.gunicorn_pid)],
            [postmaster, *_children(postmaster)],
        )

    def sample(self) -> tuple[float, float]:
        web, db = self.pids()
        return cpu_seconds(web), cpu_seconds(db)


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit("gunicorn đã dừng khi khởi động (xem thông báo ở trên).")
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/ok/")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn không sẵn sàng sau 60 giây.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, help="default: deploy/gunicorn.conf.py's")
    parser.add_argument("--threads", type=int, help="default: deploy/gunicorn.conf.py's")
    parser.add_argument("--worker-class", help="default: deploy/gunicorn.conf.py's")
    parser.add_argument(
        "--paced", type=int, default=40, help="actions per officer in the paced run (0: none)"
    )
    parser.add_argument("--ok", type=int, default=30, help="bare-view requests per client")
    parser.add_argument("--tables", type=int, default=5, help="table loads per client")
    parser.add_argument("--autosaves", type=int, default=30, help="autosaves per client")
    parser.add_argument("--phase-timeout", type=float, default=300.0)
    parser.add_argument(
        "--db-options",
        default="",
        help="query string added to DATABASE_URL, e.g. 'server_side_binding=false' (no prepared"
        " statements); the default is the product's default",
    )
    args = parser.parse_args()
    if args.setup:
        setup_data()
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="parindex-webbench."))
    tmp.chmod(0o755)  # the postgres user must reach its cluster inside
    (tmp / "data" / "static").mkdir(parents=True)  # STATIC_ROOT, filled by collectstatic
    pg = Postgres(tmp)
    gunicorn: subprocess.Popen | None = None
    clients: list[Client] = []
    try:
        db_url = pg.start() + (f"?{args.db_options}" if args.db_options else "")
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "DJANGO_SETTINGS_MODULE": "bench.web_settings",
            "PYTHONPATH": str(ROOT),
            "PARINDEX_DATA_DIR": str(tmp / "data"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "SECURE_COOKIES": "0",
            "STATIC_MANIFEST": "1",
            "LOG_LEVEL": "WARNING",
            "DB_CONN_MAX_AGE": "600",
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        env.pop("REDIS_URL", None)
        print(f"PostgreSQL tạm thời trên 127.0.0.1:{pg.port}; migrate…", flush=True)
        subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env,
                       check=True)  # fmt: skip
        collected = subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"],
                                   cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
        if collected.returncode != 0:  # production's deploy would stop here: say so, go on
            reason = collected.stderr.strip().splitlines()
            print(
                "CẢNH BÁO: collectstatic (STATIC_MANIFEST) lỗi — chạy tiếp với STATIC_MANIFEST=0: "
                + next((line for line in reversed(reason) if "Error" in line), "?"),
                flush=True,
            )
            env["STATIC_MANIFEST"] = "0"
        t0 = time.perf_counter()
        out = subprocess.run([PY, str(Path(__file__)), "--setup"], cwd=ROOT, env=env,
                             check=True, capture_output=True, text=True).stdout  # fmt: skip
        data = json.loads(out.strip().splitlines()[-1])
        print(f"Cấu hình: {json.dumps(data['settings'], ensure_ascii=False)}", flush=True)
        print(
            f"Dữ liệu: {N_UNITS} đơn vị × {data['leaves']} tiêu chí thành phần "
            f"({time.perf_counter() - t0:.1f} s).",
            flush=True,
        )
        port = free_port(18700)
        # Production's configuration file; the access log is written (its CPU counts) to
        # /dev/null instead of the journal.
        command = [PY, "-m", "gunicorn", "parindex.wsgi", "--config",
                   str(ROOT / "deploy/gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
                   "--access-logfile", "/dev/null", "--log-level", "warning"]  # fmt: skip
        for flag, value in (
            ("--workers", args.workers),
            ("--threads", args.threads),
            ("--worker-class", args.worker_class),
        ):
            if value is not None:
                command += [flag, str(value)]
        gunicorn = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        args.gunicorn = gunicorn_facts(env, command)
        wait_ready(port, gunicorn)
        clients = [Client(port, info, timeout=30) for info in data["clients"]]
        # Warm-up (not measured): every worker imports, connects and renders once or twice.
        run_phase(clients, "ok", 3, args.phase_timeout)
        run_phase(clients, "table", 1, args.phase_timeout)
        for c in clients:
            c.flip = 1
        run_phase(clients, "autosave", 2, args.phase_timeout)
        for c in clients:
            c.flip = 0
        meter = CpuMeter(gunicorn.pid, pg)
        results = {
            "ok": run_phase(clients, "ok", args.ok, args.phase_timeout, meter),
            "table": run_phase(clients, "table", args.tables, args.phase_timeout, meter),
            "autosave": run_phase(clients, "autosave", args.autosaves, args.phase_timeout, meter),
        }
        paced = run_paced(clients, args.paced, 3 * args.phase_timeout) if args.paced else None
        report(results, args, paced)
        failed = any(r["errors"] for r in results.values())
        failed = failed or bool(paced and any(r["errors"] for r in paced.values()))
        return 1 if failed else 0
    finally:
        for c in clients:
            c.close()
        if gunicorn is not None and gunicorn.poll() is None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
                gunicorn.wait()
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def gunicorn_facts(env: dict, command: list[str]) -> str:
    """What gunicorn runs with: its configuration file and the bench's overrides."""
    code = (
        "import sys; from gunicorn.app.wsgiapp import WSGIApplication as A; "
        "sys.argv = ['gunicorn', *sys.argv[1:]]; c = A('%(prog)s [OPTIONS] [APP_MODULE]').cfg; "
        "print(c.worker_class_str, c.workers, c.threads)"
    )
    out = subprocess.run([PY, "-c", code, *command[3:]], cwd=ROOT, env=env,
                         capture_output=True, text=True).stdout.split()  # fmt: skip
    if len(out) != 3:
        return "gunicorn (?)"
    kind, workers, threads = out
    if kind == "sync" and int(threads) > 1:
        kind = "gthread"  # gunicorn's own rule
    return f"gunicorn {kind} {workers} workers × {threads if kind != 'sync' else 1} threads"


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.1f}" if base and base == base else "–"


def report(results: dict, args: argparse.Namespace, paced: dict | None = None) -> None:
    base = results["ok"]
    labels = {
        "ok": "bare view (/bench/ok/)",
        "table": "table page",
        "autosave": "autosave (POST)",
    }
    print()
    print(
        f"{args.gunicorn}, {N_UNITS} concurrent clients, PostgreSQL {pg_bin().parts[-2]}, "
        f"{os.cpu_count()} CPU, Python {sys.version.split()[0]}"
    )
    print()
    print("Saturation (no think time):")
    print()
    print("| endpoint | requests | errors | p50 ms | p95 ms | req/s | p50 ratio | p95 ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind in ("ok", "table", "autosave"):
        r = results[kind]
        print(
            f"| {labels[kind]} | {r['requests']} | {r['errors']} | {r['p50']:.1f} | "
            f"{r['p95']:.1f} | {r['rps']:.1f} | {_ratio(r['p50'], base['p50'])} | "
            f"{_ratio(r['p95'], base['p95'])} |"
        )
    print()
    print("CPU per request, ms (gunicorn = master + workers; PostgreSQL = all its processes;")
    print("client = this process's 20 threads):")
    print()
    print("| endpoint | gunicorn | PostgreSQL | client | total | CPU-bound p50 estimate |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    cores = os.cpu_count() or 1
    for kind in ("ok", "table", "autosave"):
        r = results[kind]
        total = r["web_cpu"] + r["db_cpu"] + r["client_cpu"]
        print(
            f"| {labels[kind]} | {r['web_cpu']:.1f} | {r['db_cpu']:.1f} | {r['client_cpu']:.1f} | "
            f"{total:.1f} | {N_UNITS * total / cores:.0f} |"
        )
    print()
    print(
        f"(CPU-bound estimate = {N_UNITS} clients × total CPU per request ÷ {cores} cores: the"
        " latency when every core is busy and the requests wait their turn.)"
    )
    print()
    for kind, goal in GOALS_MS.items():
        p95 = results[kind]["p95"]
        verdict = "đạt" if p95 < goal else "CHƯA ĐẠT"
        print(f"Mục tiêu {labels[kind]} p95 < {goal:.0f} ms: {p95:.1f} ms — {verdict}")
    if not paced:
        return
    base = paced["ok"]
    print()
    print(
        f"Paced ({N_UNITS} officers, {PACE_S[0]}–{PACE_S[1]} s between two actions, "
        f"{args.paced} actions each: table every 10th, bare view 1 in 10, the rest autosaves;"
        f" {base['elapsed']:.0f} s):"
    )
    print()
    print("| endpoint | requests | errors | p50 ms | p95 ms | req/s | p50 ratio | p95 ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind in ("ok", "table", "autosave"):
        r = paced[kind]
        print(
            f"| {labels[kind]} | {r['requests']} | {r['errors']} | {r['p50']:.1f} | "
            f"{r['p95']:.1f} | {r['rps']:.1f} | {_ratio(r['p50'], base['p50'])} | "
            f"{_ratio(r['p95'], base['p95'])} |"
        )
    print()
    for kind, goal in GOALS_MS.items():
        p95 = paced[kind]["p95"]
        verdict = "đạt" if p95 < goal else "CHƯA ĐẠT"
        print(f"(paced) Mục tiêu {labels[kind]} p95 < {goal:.0f} ms: {p95:.1f} ms — {verdict}")


if __name__ == "__main__":
    sys.exit(main())
