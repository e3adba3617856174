"""Load and faults (issue #10 §2): the production-like stack on 127.0.0.1 — throwaway
PostgreSQL (bench/web.py's ``Postgres``), Redis (cache and RQ task queue) with one RQ worker
(``manage.py rqworker --job-class django_tasks_rq.Job default``, as ``./run worker``), an S3
store (SeaweedFS ``weed mini``, as ``./run``'s ``start_s3``), gunicorn with
deploy/gunicorn.conf.py and bench/web_settings.py — under a mixed, paced load for
``--duration`` seconds: officers autosaving (and uploading a small PDF now and then),
appraisers deciding, survey respondents answering the public form, visitors on the public
ranking page. Faults, each in its own window: kill -9 of one gunicorn worker, PostgreSQL
restarted (pg_ctl restart -m fast), Redis stopped (``--redis-outage`` s), the S3 store stopped.
Then a consistency check in a Django child: acknowledged saves stored with their value and
version, evidence rows ↔ bucket objects, acknowledged survey responses stored, audit rows.

Scale: issue #10 asks 200 officers and 50 appraisers; a shared 2-core machine carries far
less, so the defaults are 20 officers paced ~1 s, 10 appraisers, 1 survey response/s,
5 visitors (flags). Disk-full of the data dir is NOT tested (needs a root loop mount).
Run: ``.venv/bin/python bench/load.py [--duration 180]`` (as root or a user that may initdb).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import web  # noqa: E402
from bench.survey import Ours, Respondent  # noqa: E402
from bench.web import (  # noqa: E402
    PY,
    ROOT,
    Appraiser,
    Client,
    Postgres,
    _children,
    cpu_seconds,
    free_port,
    small_pdf,
    wait_ready,
)

WEED = Path("/work/main/.venv/bin/weed")
BUCKET = "parindex-load"


# ------------------------------------------------------------------ children (inside Django)


def setup_child(units: int, respondents: int) -> None:
    """Builds bench/web.py's data (``units`` districts), bench/public.py's published block
    and an open survey (block sở) with ``respondents`` links; prints three JSON lines."""
    web.N_UNITS = units
    web.setup_data()  # calls django.setup()
    from bench import public

    public.setup()
    import datetime as dt

    import yaml
    from django.utils import timezone

    from bench.survey import FRAMEWORK, GROUPS, survey_definition
    from parindex.accounts.models import Unit
    from parindex.accounts.services import block_create, unit_create
    from parindex.assessments.participation import period_add_units
    from parindex.frameworks.services import framework_activate, framework_import
    from parindex.periods.models import Phase
    from parindex.periods.services import period_create
    from parindex.survey.access import token_hash
    from parindex.survey.models import Respondent as R
    from parindex.survey.models import RespondentUnit
    from parindex.survey.services.invitations import new_token
    from parindex.survey.services.lifecycle import (
        survey_create,
        survey_set_window,
        survey_transition,
    )

    today = timezone.localdate()
    spec = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))
    spec.update(code="SO-LOAD", year=today.year + 1, block="so")
    so = block_create(actor=None, code="so", name="Khối sở", position=2)
    root = Unit.objects.get(code="HY")
    snv = Unit.objects.get(code="SNV")
    fw = framework_import(actor=None, owner=snv, data=spec, source="bench")
    framework_activate(actor=None, framework=fw)
    d = dt.timedelta
    starts = [-30, -20, 21, 31, 41, 51, 56, 61]
    ends = [-21, 20, 30, 40, 50, 55, 60, 150]
    phases = [Phase.PREPARATION, Phase.SELF_ASSESSMENT, Phase.APPRAISAL_1, Phase.SUPPLEMENT,
              Phase.APPRAISAL_2, Phase.CONSOLIDATION, Phase.APPROVAL, Phase.ARCHIVE]  # fmt: skip
    calendar = {
        p: (today + d(s), today + d(e)) for p, s, e in zip(phases, starts, ends, strict=True)
    }
    period = period_create(
        actor=None, organizer=snv, year=today.year + 1, name="Chỉ số CCHC (bench tải, sở)",
        blocks=[(so, fw)], calendar=calendar,
    )  # fmt: skip
    deps = [
        unit_create(
            actor=None,
            code=f"DV{u:03d}",
            name=f"Sở số {u + 1}",
            kind=Unit.Kind.DEPARTMENT,
            parent=root,
            block=so,
        )  # fmt: skip
        for u in range(5)
    ]
    period_add_units(actor=None, period=period, units=deps)
    pb = period.blocks.select_related("framework", "block").get()
    survey = survey_create(actor=None, period_block=pb,
                           data=survey_definition(fw.code, today.year + 1, "so"))  # fmt: skip
    survey_set_window(actor=None, survey=survey, opens_on=today - d(10),
                      closes_on=today + d(30), lists_due_on=today + d(5),
                      public_enabled=True)  # fmt: skip
    survey = survey_transition(actor=None, survey=survey, to="open")
    tokens = [new_token() for _ in range(respondents)]
    now = timezone.now()
    people = R.objects.bulk_create(
        [
            R(
                survey=survey,
                group=GROUPS[i % 3],
                name=f"Người {i}",
                email=f"n{i}@example.gov.vn",
                listed_by=deps[i % 5],
                token_hash=token_hash(t),
                invited_at=now,
            )
            for i, t in enumerate(tokens)
        ]  # fmt: skip
    )
    RespondentUnit.objects.bulk_create(
        [RespondentUnit(respondent=p, unit=deps[i % 5]) for i, p in enumerate(people)]
    )
    print(json.dumps({"tokens": tokens, "survey": survey.pk}))


def check_child(path: str) -> None:
    """Consistency after the run (reads the parent's record of acknowledged writes)."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.storage import default_storage

    from parindex.assessments.models import Entry
    from parindex.audit.models import AuditEvent
    from parindex.evidence.models import EvidenceFile
    from parindex.survey.models import Response

    facts = json.loads(Path(path).read_text())
    saves = facts["saves"]  # entry id → [value, version] last acknowledged
    rows = {e.pk: e for e in Entry.objects.filter(pk__in=[int(k) for k in saves])}
    missing = [
        k for k, (value, version) in saves.items()
        if int(k) not in rows or rows[int(k)].value != value or rows[int(k)].version != version
    ]  # fmt: skip
    import boto3

    s3 = boto3.client(
        "s3", endpoint_url=os.environ["S3_ENDPOINT_URL"],
        aws_access_key_id=os.environ["S3_ACCESS_KEY"],
        aws_secret_access_key=os.environ["S3_SECRET_KEY"],
    )  # fmt: skip
    keys: set[str] = set()
    for page in s3.get_paginator("list_objects_v2").paginate(
        Bucket=settings.AWS_STORAGE_BUCKET_NAME
    ):
        keys |= {o["Key"] for o in page.get("Contents", [])}
    location = getattr(default_storage, "location", "") or ""
    names = {
        (f"{location}/{n}" if location else n)
        for n in EvidenceFile.objects.values_list("storage_name", flat=True)
    }
    uploads = set(facts["uploads"])
    acked_surveys = facts["surveys"]
    answered = Response.objects.filter(survey_id=facts["survey"]).count()
    print(json.dumps({
        "saves_acknowledged": len(saves),
        "saves_missing_or_different": len(missing),
        "evidence_rows": len(names),
        "rows_without_object": len(names - keys),
        "objects_without_row": len(keys - names),
        "uploads_acknowledged_missing": len(uploads - set(
            EvidenceFile.objects.filter(pk__in=uploads).values_list("pk", flat=True))),
        "surveys_acknowledged": acked_surveys,
        "surveys_stored": answered,
        "audit_rows": AuditEvent.objects.count(),
    }))  # fmt: skip


# ------------------------------------------------------------------ services


class Redis:
    def __init__(self, tmp: Path) -> None:
        self.dir = tmp / "redis"
        self.dir.mkdir()
        self.port = free_port(16390)
        self.password = secrets.token_hex(16)
        (self.dir / "redis.conf").write_text(
            f"bind 127.0.0.1\nport {self.port}\nrequirepass {self.password}\n"
            f'dir {self.dir}\nsave ""\nappendonly no\n'
        )
        self.proc: subprocess.Popen | None = None
        self.url = f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", str(self.dir / "redis.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.RedisError:
                time.sleep(0.1)
        raise SystemExit("redis-server không trả lời")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


class S3:
    def __init__(self, tmp: Path) -> None:
        self.dir = tmp / "s3"
        (self.dir / "data").mkdir(parents=True)
        self.ports = []
        p = 18330
        while len(self.ports) < 10:
            p = free_port(p)
            self.ports.append(p)
            p += 1
        self.key = "parindex-" + secrets.token_hex(6)
        self.secret = secrets.token_urlsafe(30)
        self.endpoint = f"http://127.0.0.1:{self.ports[6]}"
        (self.dir / "s3.json").write_text(json.dumps({"identities": [{
            "name": "parindex", "credentials": [{"accessKey": self.key, "secretKey": self.secret}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))  # fmt: skip
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        p, d = self.ports, self.dir
        cmd = [str(WEED), "mini", f"-dir={d / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
               f"-master.port={p[0]}", f"-master.port.grpc={p[1]}", "-master.telemetry=false",
               f"-volume.port={p[2]}", f"-volume.port.grpc={p[3]}", "-volume.preStopSeconds=0",
               f"-filer.port={p[4]}", f"-filer.port.grpc={p[5]}",
               f"-filer.localSocket={d / 'filer.sock'}", f"-s3.port={p[6]}",
               f"-s3.port.grpc={p[7]}", f"-s3.localSocket={d / 's3.sock'}",
               "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={d / 's3.json'}",
               "-admin.ui=false", f"-admin.port={p[8]}", f"-admin.port.grpc={p[9]}",
               "-webdav=false"]  # fmt: skip
        self.proc = subprocess.Popen(cmd, stdout=(d / "weed.log").open("ab"),
                                     stderr=subprocess.STDOUT)  # fmt: skip
        import boto3

        s3 = boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.key,
                          aws_secret_access_key=self.secret)  # fmt: skip
        end = time.monotonic() + 90
        while True:
            try:
                if BUCKET not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
                    s3.create_bucket(Bucket=BUCKET)
                s3.head_bucket(Bucket=BUCKET)
                return
            except Exception as exc:  # noqa: BLE001
                if time.monotonic() > end or self.proc.poll() is not None:
                    raise SystemExit(f"S3 (weed) không sẵn sàng: {exc}") from exc
                time.sleep(0.5)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for port in self.ports:
            for sock in Path(tempfile.gettempdir()).glob(f"seaweedfs-*-grpc-{port}.sock"):
                sock.unlink(missing_ok=True)


# ------------------------------------------------------------------ load


class Recorder:
    """Latencies and errors per endpoint, per fault window."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.window = "baseline"
        self.lat: dict[str, list[float]] = {}
        self.err: dict[tuple[str, str], int] = {}
        self.count: dict[tuple[str, str], int] = {}
        self.first: dict[tuple[str, str], str] = {}
        self.saves: dict[str, list] = {}
        self.uploads: list[int] = []
        self.surveys = 0

    def add(self, kind: str, seconds: float, good: bool, why: str = "") -> None:
        with self.lock:
            self.lat.setdefault(kind, []).append(seconds)
            key = (self.window, kind)
            self.count[key] = self.count.get(key, 0) + 1
            if not good:
                self.err[key] = self.err.get(key, 0) + 1
                self.first.setdefault(key, why[:200])


class Officer(Client):
    def __init__(self, port: int, info: dict, rec: Recorder, n: int) -> None:
        super().__init__(port, info, timeout=30)
        self.rec, self.rng, self.n = rec, random.Random(n), n

    def step(self, i: int) -> None:
        if self.rng.random() < 0.05:
            return self.upload(i)
        path = self.info["autosave"][i % len(self.info["autosave"])]
        value = self.rng.choice(["yes", "no"])
        body = f"value={value}&value2=&explanation=L%E1%BA%A7n+{i}&version={self.versions.get(path, 0)}"
        t0 = time.perf_counter()
        try:
            status, data = self.request("POST", path, body.encode())
            answer = json.loads(data) if status == 200 else {}
        except Exception as exc:  # noqa: BLE001
            status, answer, data = 0, {}, str(exc).encode()
        good = status == 200 and bool(answer.get("ok"))
        if good:
            self.versions[path] = answer["version"]
            with self.rec.lock:
                self.rec.saves[re.findall(r"\d+", path)[-1]] = [value, answer["version"]]
        elif status == 200:  # a conflict (someone else's version): take the server's
            self.versions[path] = answer.get("version", self.versions.get(path, 0))
        self.rec.add("autosave", time.perf_counter() - t0, good, f"{status} {data[:150]!r}")

    def upload(self, i: int) -> None:
        path = self.info["autosave"][i % len(self.info["autosave"])]
        entry = re.findall(r"\d+", path)[-1]
        boundary = secrets.token_hex(12)
        pdf = small_pdf(f"load {self.n} {i} {secrets.token_hex(4)}")
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                f'filename="minh-chung-{i}.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode()
            + pdf
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}",
                   "Accept": "application/json", "X-CSRFToken": self.info["csrf"],
                   "Cookie": self.cookie, "Host": "127.0.0.1"}  # fmt: skip
        t0 = time.perf_counter()
        try:
            if self.conn is None:
                from http.client import HTTPConnection

                self.conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request("POST", f"/tai-lieu/muc/{entry}/tai-len/", body, headers)
            r = self.conn.getresponse()
            status, data = r.status, r.read()
            answer = json.loads(data) if status in (200, 400) else {}
        except Exception as exc:  # noqa: BLE001
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            status, data, answer = 0, str(exc).encode(), {}
        results = answer.get("results") or [{}]
        good = status == 200 and results[0].get("ok") is True
        if good:
            with self.rec.lock:
                self.rec.uploads.append(results[0]["id"])
        why = f"{status} {results[0].get('message') or answer.get('error') or data[:150]!r}"
        self.rec.add("upload", time.perf_counter() - t0, good, why)


def loop(stop: threading.Event, pace: float, rng: random.Random, act) -> None:  # noqa: ANN001
    i = 0
    time.sleep(rng.uniform(0, pace))
    while not stop.is_set():
        act(i)
        i += 1
        stop.wait(rng.uniform(0.7 * pace, 1.3 * pace))


def gunicorn_workers(pid: int) -> list[int]:
    return _children(pid)


def main() -> int:  # noqa: C901, PLR0915
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--setup", nargs=2, type=int, help=argparse.SUPPRESS)
    ap.add_argument("--check", help=argparse.SUPPRESS)
    ap.add_argument("--duration", type=float, default=180.0)
    ap.add_argument("--officers", type=int, default=20)
    ap.add_argument("--appraisers", type=int, default=10)
    ap.add_argument("--survey-rate", type=float, default=1.0, help="responses per second")
    ap.add_argument("--public", type=int, default=5, help="visitors of the ranking page")
    ap.add_argument("--redis-outage", type=float, default=60.0)
    ap.add_argument("--no-faults", action="store_true")
    args = ap.parse_args()
    if args.setup:
        setup_child(*args.setup)
        return 0
    if args.check:
        check_child(args.check)
        return 0
    units = max(args.officers, args.appraisers, 2)
    respondents = int(args.survey_rate * (args.duration + args.redis_outage + 120)) + 10
    tmp = Path(tempfile.mkdtemp(prefix="parindex-load."))
    tmp.chmod(0o755)
    (tmp / "data" / "static").mkdir(parents=True)
    pg, redis_, s3 = Postgres(tmp), Redis(tmp), S3(tmp)
    procs: list[subprocess.Popen] = []
    gunicorn = worker = None
    try:
        db_url = pg.start()
        redis_.start()
        s3.start()
        env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "bench.web_settings",
               "PYTHONPATH": str(ROOT), "PARINDEX_DATA_DIR": str(tmp / "data"),
               "SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "0", "SECURE_COOKIES": "0",
               "STATIC_MANIFEST": "0", "LOG_LEVEL": "WARNING", "DB_CONN_MAX_AGE": "600",
               "ALLOWED_HOSTS": "127.0.0.1", "REDIS_URL": redis_.url, "S3_BUCKET": BUCKET,
               "S3_ENDPOINT_URL": s3.endpoint, "S3_ACCESS_KEY": s3.key,
               "S3_SECRET_KEY": s3.secret, "S3_REGION": "us-east-1",
               # every client is 127.0.0.1 here: the per-address limits would stand for one
               # user, not the many the bench plays
               "RATE_LIMIT_SURVEY": "100000/min", "RATE_LIMIT_PUBLIC": "100000/min"}  # fmt: skip
        print(
            f"PostgreSQL :{pg.port}, Redis :{redis_.port}, S3 {s3.endpoint}; migrate…", flush=True
        )
        subprocess.run(
            [PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        t0 = time.perf_counter()
        made = subprocess.run([PY, __file__, "--setup", str(units), str(respondents)], cwd=ROOT,
                              env=env, capture_output=True, text=True)  # fmt: skip
        if made.returncode:
            sys.stderr.write(made.stderr[-4000:])
            raise SystemExit("setup thất bại")
        lines = [json.loads(x) for x in made.stdout.splitlines() if x.startswith("{")]
        data, pub, surv = lines[-3], lines[-2], lines[-1]
        print(f"Dữ liệu: {units} huyện, {respondents} đường dẫn khảo sát "
              f"({time.perf_counter() - t0:.0f} s).", flush=True)  # fmt: skip
        port = free_port(18700)
        gunicorn = subprocess.Popen(
            [PY, "-m", "gunicorn", "parindex.wsgi", "--config", str(ROOT / "deploy/gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        worker = subprocess.Popen(
            [PY, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "default"],
            cwd=ROOT, env=env, start_new_session=True, stdout=(tmp / "worker.log").open("ab"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_ready(port, gunicorn)
        rec = Recorder()
        stop = threading.Event()
        threads = []
        for n, info in enumerate(data["clients"][: args.officers]):
            o = Officer(port, info, rec, n)
            threads.append(
                threading.Thread(target=loop, args=(stop, 1.0, random.Random(n), o.step))
            )
        for n, info in enumerate(data["appraisal"]["clients"][: args.appraisers]):
            a = Appraiser(port, info, 30, data["appraisal"]["domain_leaves"])

            def act(i: int, a: Appraiser = a) -> None:
                t = time.perf_counter()
                try:
                    good = a.decide(i)
                except Exception as exc:  # noqa: BLE001
                    good, a.first_error = False, str(exc)
                rec.add("decide", time.perf_counter() - t, good, a.first_error)
                a.first_error = ""

            threads.append(
                threading.Thread(target=loop, args=(stop, 2.0, random.Random(100 + n), act))
            )
        target = Ours("ours", port, gunicorn, pg, tokens=surv["tokens"])
        if args.survey_rate > 0:
            for n in range(3):
                r = Respondent(port, 200 + n)

                def answer(i: int, r: Respondent = r) -> None:
                    path = target.next_path()
                    if path is None:
                        return
                    t = time.perf_counter()
                    try:
                        good = r.respond(path, target.hidden, target.done)[0]
                    except Exception as exc:  # noqa: BLE001
                        good, r.first_error = False, str(exc)
                    if good:
                        with rec.lock:
                            rec.surveys += 1
                    rec.add("survey", time.perf_counter() - t, good, r.first_error)
                    r.first_error = ""

                threads.append(
                    threading.Thread(
                        target=loop,
                        args=(stop, 3 / args.survey_rate, random.Random(200 + n), answer),
                    )
                )
        for n in range(args.public):
            v = Client(port, {"session": "", "csrf": ""}, 30)
            v.cookie = ""

            def visit(i: int, v: Client = v) -> None:
                t = time.perf_counter()
                try:
                    status, body = v.request("GET", pub["cached"])
                    good, why = status == 200 and b'id="ranking"' in body, str(status)
                except Exception as exc:  # noqa: BLE001
                    good, why = False, str(exc)
                rec.add("public", time.perf_counter() - t, good, why)

            threads.append(
                threading.Thread(target=loop, args=(stop, 2.0, random.Random(300 + n), visit))
            )

        def pids() -> dict[str, list[int]]:
            pm = int((pg.dir / "data" / "postmaster.pid").read_text().split()[0])
            return {"gunicorn": [gunicorn.pid, *_children(gunicorn.pid)],
                    "PostgreSQL": [pm, *_children(pm)],
                    "Redis": [redis_.proc.pid] if redis_.proc else [],
                    "rqworker": [worker.pid, *_children(worker.pid)],
                    "weed": [s3.proc.pid] if s3.proc else []}  # fmt: skip

        cpu0 = {k: cpu_seconds(v) for k, v in pids().items()}
        t_start = time.perf_counter()
        for t in threads:
            t.start()
        time.sleep(args.duration)  # baseline window: no fault
        base_cpu = {k: cpu_seconds(v) - cpu0[k] for k, v in pids().items()}
        base_requests = sum(len(v) for v in rec.lat.values())
        base_elapsed = time.perf_counter() - t_start
        if not args.no_faults:
            rec.window = "kill -9 worker"
            victim = gunicorn_workers(gunicorn.pid)[0]
            os.kill(victim, signal.SIGKILL)
            time.sleep(15)
            rec.window = "PostgreSQL restart"
            subprocess.run(web.as_pg([str(pg.bin / "pg_ctl"), "-D", str(pg.dir / "data"),
                                      "-m", "fast", "-w", "restart"]),
                           stdout=subprocess.DEVNULL, check=False)  # fmt: skip
            time.sleep(15)
            rec.window = f"Redis stopped {args.redis_outage:.0f} s"
            redis_.stop()
            time.sleep(args.redis_outage)
            redis_.start()
            time.sleep(15)
            rec.window = "S3 stopped"
            s3.stop()
            time.sleep(20)
            s3.start()
            rec.window = "after"
            time.sleep(10)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        time.sleep(5)  # let the worker drain
        (tmp / "facts.json").write_text(json.dumps(
            {"saves": rec.saves, "uploads": rec.uploads, "surveys": rec.surveys,
             "survey": surv["survey"]}))  # fmt: skip
        checked = subprocess.run([PY, __file__, "--check", str(tmp / "facts.json")], cwd=ROOT,
                                 env=env, capture_output=True, text=True)  # fmt: skip
        if checked.returncode:
            sys.stderr.write(checked.stderr[-3000:])
            check = {}
        else:
            check = json.loads(checked.stdout.strip().splitlines()[-1])
        worker_log = (tmp / "worker.log").read_text(errors="replace")
        report(args, rec, base_cpu, base_requests, base_elapsed, check, worker_log)
        return 0
    finally:
        for p in (gunicorn, worker, *procs):
            if p is not None and p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
        redis_.stop()
        s3.stop()
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def report(args, rec, base_cpu, base_requests, base_elapsed, check, worker_log) -> None:  # noqa: ANN001
    print()
    print(f"Load: {args.officers} officers (paced ~1 s, 5 % uploads), {args.appraisers} appraisers"
          f" (~2 s), survey {args.survey_rate}/s, {args.public} public visitors (~2 s); baseline "
          f"{args.duration:.0f} s; {os.cpu_count()} CPU, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")  # fmt: skip
    print()
    print("| endpoint | requests | p50 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: |")
    for kind, lat in sorted(rec.lat.items()):
        lat = sorted(lat)
        print(f"| {kind} | {len(lat)} | {1000 * statistics.median(lat):.0f} | "
              f"{1000 * lat[max(0, int(0.95 * len(lat)) - 1)]:.0f} |")  # fmt: skip
    print()
    n = max(1, base_requests)
    print(f"CPU per request in the baseline window ({base_requests} requests, "
          f"{base_requests / base_elapsed:.1f}/s), ms: "
          + ", ".join(f"{k} {1000 * v / n:.1f}" for k, v in base_cpu.items()))  # fmt: skip
    print()
    print("| window | endpoint | requests | errors users saw | first error |")
    print("| --- | --- | ---: | ---: | --- |")
    for (window, kind), count in rec.count.items():
        e = rec.err.get((window, kind), 0)
        first = rec.first.get((window, kind), "").replace("|", "/").replace("\n", " ")
        print(f"| {window} | {kind} | {count} | {e} | {first[:120]} |")
    print()
    print("Consistency:", json.dumps(check, ensure_ascii=False))
    fails = worker_log.count("Traceback")
    print(
        f"RQ worker log: {fails} tracebacks, {worker_log.count('Successfully completed')} jobs done"
    )


if __name__ == "__main__":
    sys.exit(main())
