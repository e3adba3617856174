"""Survey benchmark, three parts measured side by side in one run (everything on 127.0.0.1,
stopped at the end):

(a) intake through the real invitation link — ``GET`` + ``POST /khao-sat/<token>/``
    (``survey_public:respond_form``) on PostgreSQL under gunicorn with production's
    deploy/gunicorn.conf.py and bench/web_settings.py (bench/web.py's machinery), 20 clients
    without think time, each response a respondent of its own (a token made as
    ``invitations.new_token`` makes them, only its SHA-256 stored) answering the 14 radio
    questions — beside django-survey-and-report 1.5.0 (installed by the bench in a separate
    virtual environment, ``--dsr-venv``) in a small generated Django project on the same
    PostgreSQL server (its own database), under gunicorn with the same configuration file,
    answering an equivalent anonymous 14-question radio form (``GET`` + ``POST /survey/<id>/``,
    fields ``question_<pk>``). Rounds alternate the two servers (``--rounds``). Goal: at least
    its rate, p95 under 200 ms;
(b) survey points of 80,000 responses (≈ 1.1 M answers, bulk-loaded with COPY into the same
    survey) by the app's path, ``services.points.survey_points_refresh``, timed in a child,
    and the ratio to a raw SQL ``GROUP BY`` unit, group, question, option over the same rows.
    Goal: under 5 s;
(c) ``parindex survey`` on the same 80,000 responses as CSV (bench/survey_cli.py's generator
    and measurement): under 20 s and 1 GB, ratio to a bare ``csv.reader``.

Run: ``.venv/bin/python bench/survey.py`` from the repository root (as root or a user that
may run PostgreSQL's initdb); ``--responses``, ``--per-client``, ``--rounds`` to change sizes.
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
import string
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import survey_cli  # noqa: E402
from bench.web import CpuMeter, Postgres, free_port, gunicorn_facts, pg_bin  # noqa: E402

PY = sys.executable
CLIENTS = 20
SPARE = 6  # links left for the in-process probe of queries and CPU (the first: warm-up)
UNITS = survey_cli.UNITS  # 20 units DV000…DV019, as the CSV of (c)
GROUPS = ("HDND", "LDSO", "LDHUYEN")  # the groups of the units' lists (officials)
FRAMEWORK = Path("/work/shared/spec/examples/so-demo.yaml")
if not FRAMEWORK.is_file():  # pragma: no cover
    FRAMEWORK = ROOT / "docs" / "spec" / "examples" / "so-demo.yaml"
DSR = {"django-survey-and-report": "1.5.0"}
GOAL_P95_MS = 200.0
GOAL_POINTS_S = 5.0
GOAL_CLI_S, GOAL_CLI_MIB = 20.0, 1024.0
RADIO = re.compile(r'type="radio" name="([^"]+)" value="([^"]*)"')


def survey_definition(framework_code: str, year: int, block: str) -> dict:
    """The public example's survey, every question asked of every group (14 a form), as
    bench/survey_cli.py writes it."""
    import yaml

    data = yaml.safe_load(survey_cli.EXAMPLE.read_text(encoding="utf-8"))
    for question in data["questions"]:
        question.pop("groups", None)
    data.update(year=year, block=block, framework=framework_code, code=f"XHH-{framework_code}")
    return data


# ------------------------------------------------------------------ children (inside Django)


def setup_ours(n_respondents: int) -> None:
    """``--setup N``: a province, the block sở with the so-demo framework, units DV000…DV019,
    a period whose survey is open, ``N`` respondents on the units' lists (one unit each, a
    link each); prints the tokens and the settings as JSON."""
    import datetime as dt

    import django
    import yaml

    django.setup()
    from django.utils import timezone

    from bench.web import settings_facts
    from parindex.accounts.models import Unit
    from parindex.accounts.services import block_create, unit_create
    from parindex.assessments.participation import period_add_units
    from parindex.frameworks.services import framework_activate, framework_import
    from parindex.periods.models import Phase
    from parindex.periods.services import period_create
    from parindex.survey.access import token_hash
    from parindex.survey.models import Respondent, RespondentUnit
    from parindex.survey.services.invitations import new_token
    from parindex.survey.services.lifecycle import (
        survey_create,
        survey_set_window,
        survey_transition,
    )

    today = timezone.localdate()
    spec = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))
    spec.update(code="SO-BENCH", year=today.year, block="so")
    so = block_create(actor=None, code="so", name="Khối sở", position=1)
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
        blocks=[(so, fw)], calendar=calendar,
    )  # fmt: skip
    units = [
        unit_create(
            actor=None,
            code=f"DV{u:03d}",
            name=f"Sở số {u + 1}",
            kind=Unit.Kind.DEPARTMENT,
            parent=root,
            block=so,
        )  # fmt: skip
        for u in range(UNITS)
    ]
    period_add_units(actor=None, period=period, units=units)
    pb = period.blocks.select_related("framework", "block").get()
    survey = survey_create(
        actor=None, period_block=pb, data=survey_definition(fw.code, today.year, "so")
    )
    survey_set_window(
        actor=None, survey=survey, opens_on=today - d(10), closes_on=today + d(30),
        lists_due_on=today + d(5), public_enabled=True,
    )  # fmt: skip
    survey = survey_transition(actor=None, survey=survey, to="open")
    tokens = [new_token() for _ in range(n_respondents)]
    now = timezone.now()
    people = Respondent.objects.bulk_create(
        [
            Respondent(
                survey=survey,
                group=GROUPS[i % len(GROUPS)],
                name=f"Người được khảo sát {i}",
                email=f"nguoi{i}@example.gov.vn",
                listed_by=units[i % UNITS],
                token_hash=token_hash(t),
                invited_at=now,
            )  # fmt: skip
            for i, t in enumerate(tokens)
        ],
        batch_size=1000,
    )
    RespondentUnit.objects.bulk_create(
        [RespondentUnit(respondent=p, unit=units[i % UNITS]) for i, p in enumerate(people)],
        batch_size=1000,
    )
    print(json.dumps({"tokens": tokens, "survey": survey.pk, "settings": settings_facts()}))


def load_responses(csv_path: str) -> None:
    """``--load CSV``: the responses CSV of (c) into the survey with COPY (responses with
    their ids, then the answers), ANALYZE; prints counts and seconds as JSON."""
    import csv

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from parindex.accounts.models import Unit
    from parindex.survey.models import Response, Survey, SurveyAnswer

    t0 = time.perf_counter()
    survey = Survey.objects.get()
    units = dict(Unit.objects.filter(code__startswith="DV").values_list("code", "pk"))
    now = timezone.now()
    with connection.cursor() as cur:
        cur.execute(f"SELECT coalesce(max(id), 0) FROM {Response._meta.db_table}")  # noqa: S608
        first = cur.fetchone()[0] + 1
    explicit = {
        "survey": survey.pk,
        "channel": Response.Channel.PUBLIC,
        "submitted_at": now,
        "started_at": now,
        "flags": "[]",
    }
    fields = [f for f in Response._meta.concrete_fields if f.name != "id"]
    columns = ["id", *(connection.ops.quote_name(f.column) for f in fields)]
    ids: dict[str, int] = {}
    answers = 0
    with open(csv_path, encoding="utf-8-sig", newline="") as fh, connection.cursor() as cur:
        reader = csv.reader(fh)
        next(reader)
        sql = f"COPY {Response._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with cur.cursor.copy(sql) as copy:
            for code, group, unit, _q, _a, status in reader:
                if code in ids:
                    continue
                ids[code] = first + len(ids)
                row: list[Any] = [ids[code]]
                for f in fields:
                    if f.name == "group":
                        row.append(group)
                    elif f.name == "unit":
                        row.append(units[unit])
                    elif f.name == "status":
                        row.append(Response.Status.VOID if status == "void" else "valid")
                    elif f.name in explicit:
                        row.append(explicit[f.name])
                    elif f.null:
                        row.append(None)
                    else:
                        default = f.get_default()
                        row.append(
                            json.dumps(default) if isinstance(default, list | dict) else default
                        )
                copy.write_row(row)
    with open(csv_path, encoding="utf-8-sig", newline="") as fh, connection.cursor() as cur:
        reader = csv.reader(fh)
        next(reader)
        table = SurveyAnswer._meta.db_table
        with cur.cursor.copy(f"COPY {table} (response_id, question, option) FROM STDIN") as copy:
            for code, _g, _u, question, answer, _s in reader:
                copy.write_row((ids[code], question, answer))
                answers += 1
        cur.execute(f"ANALYZE {Response._meta.db_table}")
        cur.execute(f"ANALYZE {table}")
        seq = f"pg_get_serial_sequence('{Response._meta.db_table}', 'id')"
        cur.execute(f"SELECT setval({seq}, %s)", [first + len(ids)])
    print(json.dumps({"responses": len(ids), "answers": answers,
                      "seconds": time.perf_counter() - t0}))  # fmt: skip


def points() -> None:
    """``--points``: the raw SQL GROUP BY and the app's ``survey_points_refresh``, each
    twice, alternately; the engine's part alone (``points.compute``) once; prints JSON."""
    import django

    django.setup()
    from django.db import connection

    from parindex.assessments.models import Entry
    from parindex.survey.access import SURVEY_RELATED
    from parindex.survey.models import Response, Survey, SurveyAnswer, UnitVoid
    from parindex.survey.services import points as svc

    def get_survey() -> Survey:
        return Survey.objects.select_related(*SURVEY_RELATED).get()

    # table names from the models, the survey id a parameter
    sql = (
        f'SELECT r.unit_id, r."group", a.question, a.option, count(*) '  # noqa: S608
        f"FROM {SurveyAnswer._meta.db_table} a JOIN {Response._meta.db_table} r "
        f"ON r.id = a.response_id WHERE r.survey_id = %s AND r.status = 'valid' "
        f"AND NOT EXISTS (SELECT 1 FROM {UnitVoid._meta.db_table} v "
        f"WHERE v.survey_id = r.survey_id AND v.unit_id = r.unit_id) GROUP BY 1, 2, 3, 4"
    )
    out: dict[str, Any] = {"sql": [], "refresh": []}
    survey = get_survey()
    for _ in range(2):
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(sql, [survey.pk])
            rows = cur.fetchall()
        out["sql"].append(time.perf_counter() - t0)
        out["sql_groups"] = len(rows)
        out["sql_answers"] = sum(r[4] for r in rows)
        survey = get_survey()
        t0 = time.perf_counter()
        done = svc.survey_points_refresh(actor=None, survey=survey)
        out["refresh"].append(time.perf_counter() - t0)
        out.setdefault("refresh_result", []).append(
            {"responses": done.responses, "units": done.units,
             "assessments": done.assessments, "changed": done.changed}
        )  # fmt: skip
    t0 = time.perf_counter()
    results = svc.compute(get_survey())
    out["compute"] = time.perf_counter() - t0
    out["compute_valid"] = results.valid
    t0 = time.perf_counter()
    out["read_rows"] = sum(1 for _ in svc.counted_rows(get_survey()))
    out["read"] = time.perf_counter() - t0
    out["entries_with_points"] = Entry.objects.filter(survey_score__isnull=False).count()
    print(json.dumps(out))


def count_ours() -> None:
    """``--count``: responses and answers stored through the link (channel invitation)."""
    import django

    django.setup()
    from django.db.models import Count

    from parindex.survey.models import Response, SurveyAnswer

    qs = Response.objects.filter(channel=Response.Channel.INVITATION)
    statuses = qs.order_by().values_list("status").annotate(n=Count("id"))
    print(json.dumps({
        "responses": qs.count(),
        "answers": SurveyAnswer.objects.filter(response__in=qs).count(),
        "statuses": dict(statuses),
    }))  # fmt: skip


# ------------------------------------------------------------------ django-survey-and-report

DSR_SETTINGS = '''"""Generated by bench/survey.py: a minimal project serving django-survey-and-report."""
import os

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "survey",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "dsrbench.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.template.context_processors.i18n",
        "django.template.context_processors.static",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
WSGI_APPLICATION = "dsrbench.wsgi.application"
DATABASES = {"default": {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "dsr", "USER": "postgres", "HOST": "127.0.0.1", "PORT": os.environ["DSR_PG_PORT"],
    "CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True,
    # the same options as parindex's production settings (psycopg prepared statements)
    "OPTIONS": {"server_side_binding": True, "prepare_threshold": 5},
}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"handlers": [], "level": "WARNING"}}
# django-survey-and-report's settings (its survey/settings.py defaults)
CHOICES_SEPARATOR = ","
USER_DID_NOT_ANSWER = "Left blank"
EXCEL_COMPATIBLE_CSV = False
DEFAULT_SURVEY_PUBLISHING_DURATION = 7
SURVEY_DEFAULT_PIE_COLOR = "red!50"
'''
DSR_URLS = """from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [
    path("bench/ok/", lambda request: HttpResponse("ok")),
    path("survey/", include("survey.urls")),
]
"""
DSR_WSGI = """import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dsrbench.settings")
application = get_wsgi_application()
"""
DSR_SETUP = '''"""Generated by bench/survey.py: one anonymous, one-page survey of 14 required radio
questions with the same texts and options as parindex's form; prints its id as JSON."""
import datetime
import json
import sys

import django

django.setup()
from survey.models import Question, Survey  # noqa: E402

spec = json.loads(sys.argv[1])
# published since the day before yesterday: its default (now, as a date in UTC) is "not yet
# published" where the server's day is already tomorrow (Asia/Ho_Chi_Minh after 17:00 UTC)
today = datetime.date.today()
survey = Survey.objects.create(
    name=spec["title"], description="Bench", is_published=True, need_logged_user=False,
    editable_answers=True, display_method=Survey.ALL_IN_ONE_PAGE,
    publish_date=today - datetime.timedelta(days=2),
    expire_date=today + datetime.timedelta(days=30),
)
for order, q in enumerate(spec["questions"], 1):
    Question.objects.create(
        survey=survey, text=q["text"], order=order, required=True, type=Question.RADIO,
        choices=",".join(q["labels"]),
    )
print(json.dumps({"survey": survey.pk}))
'''
PROBE = r'''"""Generated by bench/survey.py: the SQL queries and the CPU of one GET and one POST of
the form, in process (Django's test client, no network), for each path given; prints JSON."""
import json
import os
import re
import statistics
import sys
import time

import django

django.setup()
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

RADIO = re.compile(r'type="radio" name="([^"]+)" value="([^"]*)"')
PROFILE = None
if os.environ.get("BENCH_PROFILE"):  # cProfile of the GETs (not the warm-up) appended there
    import cProfile

    PROFILE = cProfile.Profile()
paths, hidden = json.loads(sys.argv[1]), json.loads(sys.argv[2])
out = {"get_queries": [], "post_queries": [], "get_cpu_ms": [], "post_cpu_ms": []}
client = Client(HTTP_HOST="127.0.0.1")  # one client: its handler loads the middleware once
for path in paths:
    client.cookies.clear()  # a new respondent's browser
    with CaptureQueriesContext(connection) as q:
        t0 = time.process_time()
        if PROFILE and path is not paths[0]:
            page = PROFILE.runcall(client.get, path)
        else:
            page = client.get(path)
        out["get_cpu_ms"].append(1000 * (time.process_time() - t0))
    assert page.status_code == 200, page.status_code
    out["get_queries"].append(len(q.captured_queries))
    text = page.content.decode()
    data = {}
    for name, value in RADIO.findall(text):
        data.setdefault(name, value)
    for name in hidden:
        data[name] = re.search(rf'name="{name}" value="([^"]*)"', text).group(1)
    with CaptureQueriesContext(connection) as q:
        t0 = time.process_time()
        done = client.post(path, data)
        out["post_cpu_ms"].append(1000 * (time.process_time() - t0))
    assert done.status_code == 302, done.status_code
    out["post_queries"].append(len(q.captured_queries))
if PROFILE:
    import io
    import pstats

    text = io.StringIO()
    pstats.Stats(PROFILE, stream=text).sort_stats("cumulative").print_stats(40)
    with open(os.environ["BENCH_PROFILE"], "a") as fh:
        fh.write(f"== GET {sys.argv[0]} ({len(paths) - 1} requests)\n" + text.getvalue())
print(json.dumps({k: statistics.median(v[1:]) for k, v in out.items()}))  # [0]: warm-up
'''
DSR_COUNT = """import json

import django

django.setup()
from survey.models import Answer, Response  # noqa: E402

print(json.dumps({"responses": Response.objects.count(), "answers": Answer.objects.count()}))
"""


def dsr_venv(path: Path, django_version: str, psycopg_version: str, gunicorn_version: str) -> Path:
    """The separate virtual environment of django-survey-and-report (created and filled with
    pip once, then reused while it holds the pinned versions); returns its python."""
    python = path / "bin" / "python"
    wanted = {
        "django-survey-and-report": DSR["django-survey-and-report"],
        "django": django_version,
        "psycopg": psycopg_version,
        "gunicorn": gunicorn_version,
    }
    if python.exists():
        frozen = subprocess.run([str(python), "-m", "pip", "freeze"], capture_output=True,
                                text=True).stdout.lower()  # fmt: skip
        if all(f"{name}=={version}" in frozen for name, version in wanted.items()):
            return python
        shutil.rmtree(path)
    print(f"Cài django-survey-and-report vào môi trường riêng {path}…", flush=True)
    subprocess.run([PY, "-m", "venv", str(path)], check=True)
    specs = [f"{n}=={v}" for n, v in wanted.items() if n != "psycopg"]
    specs.append(f"psycopg[binary]=={psycopg_version}")
    subprocess.run([str(python), "-m", "pip", "install", "-q", *specs], check=True,
                   stderr=subprocess.DEVNULL)  # fmt: skip
    return python


def dsr_project(directory: Path) -> None:
    package = directory / "dsrbench"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(DSR_SETTINGS)
    (package / "urls.py").write_text(DSR_URLS)
    (package / "wsgi.py").write_text(DSR_WSGI)
    (directory / "setup_survey.py").write_text(DSR_SETUP)
    (directory / "count.py").write_text(DSR_COUNT)


def form_spec() -> dict:
    """The texts and option labels of parindex's form (every question asked of everyone)."""
    import yaml

    data = yaml.safe_load(survey_cli.EXAMPLE.read_text(encoding="utf-8"))
    scale = [o["label"] for o in data["scale"]]
    return {
        "title": data.get("title", "Khảo sát"),
        "questions": [
            {"text": q["text"], "labels": [o["label"] for o in q.get("options", [])] or scale}
            for q in data["questions"]
        ],
    }


# ------------------------------------------------------------------ load


class Respondent:
    """One client thread: a keep-alive connection; each response GET the form, then POST
    an answer to every radio question (random options) with the page's hidden fields."""

    def __init__(self, port: int, n: int, timeout: float = 30) -> None:
        self.port = port
        self.timeout = timeout
        self.conn: HTTPConnection | None = None
        self.rng = random.Random(n)
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits)
                            for _ in range(32))  # fmt: skip
        self.first_error = ""

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, dict, bytes]:
        headers = {"Host": "127.0.0.1", "Cookie": f"csrftoken={self.csrf}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
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
                return response.status, dict(response.getheaders()), data
            except (ConnectionError, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def fail(self, what: str, status: int, body: bytes) -> tuple[bool, float, float]:
        if not self.first_error:
            self.first_error = f"{what}: HTTP {status} {body[:300]!r}"
        return False, 0.0, 0.0

    def answer(self, page: bytes) -> dict[str, str] | None:
        choices: dict[str, list[str]] = {}
        for name, value in RADIO.findall(page.decode("utf-8")):
            choices.setdefault(name, []).append(value)
        if len(choices) != 14:
            return None
        return {name: self.rng.choice(values) for name, values in choices.items()}

    def respond(self, path: str, hidden: tuple[str, ...], done: re.Pattern[str]) -> tuple:
        t0 = time.perf_counter()
        status, _h, page = self.request("GET", path)
        t_get = time.perf_counter() - t0
        if status != 200:
            return self.fail("GET", status, page)
        data = self.answer(page)
        if data is None:
            return self.fail("GET (câu hỏi)", status, page)
        text = page.decode("utf-8")
        for name in hidden:
            found = re.search(rf'name="{name}" value="([^"]*)"', text)
            if found is None:
                return self.fail(f"GET ({name})", status, page)
            data[name] = found.group(1)
        data["csrfmiddlewaretoken"] = self.csrf
        t0 = time.perf_counter()
        status, headers, body = self.request("POST", path, urlencode(data).encode())
        t_post = time.perf_counter() - t0
        if status != 302 or not done.search(headers.get("Location", "")):
            return self.fail("POST", status, body)
        return True, t_get, t_post

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class Target:
    """One server under test: its port, its gunicorn, the next response's URL."""

    def __init__(self, name: str, port: int, proc: subprocess.Popen, pg: Postgres) -> None:
        self.name = name
        self.port = port
        self.proc = proc
        self.meter = CpuMeter(proc.pid, pg)
        self.lock = threading.Lock()

    def next_path(self) -> str | None:  # pragma: no cover - overridden
        raise NotImplementedError


class Ours(Target):
    hidden = ("don_vi", "bat_dau")
    done = re.compile(r"/khao-sat/[A-Za-z0-9_-]+/cam-on/$")

    def __init__(self, *a: Any, tokens: list[str]) -> None:
        super().__init__(*a)
        self.tokens = list(tokens)

    def next_path(self) -> str | None:
        with self.lock:
            return f"/khao-sat/{self.tokens.pop()}/" if self.tokens else None


class Theirs(Target):
    hidden: tuple[str, ...] = ()
    done = re.compile(r"/survey/confirm/[0-9a-f]+/$")

    def __init__(self, *a: Any, survey: int) -> None:
        super().__init__(*a)
        self.path = f"/survey/{survey}/"

    def next_path(self) -> str | None:
        return self.path


def run_intake(target: Target, per_client: int, deadline_s: float) -> dict:
    """``CLIENTS`` threads, no think time, ``per_client`` responses each (GET + POST)."""
    gets: list[float] = []
    posts: list[float] = []
    pairs: list[float] = []
    errors = 0
    first_error = ""
    lock = threading.Lock()
    barrier = threading.Barrier(CLIENTS)
    stop_at = time.monotonic() + deadline_s
    clients = [Respondent(target.port, n) for n in range(CLIENTS)]

    def work(client: Respondent) -> None:
        nonlocal errors, first_error
        mine: list[tuple[float, float]] = []
        bad = 0
        barrier.wait()
        for _ in range(per_client):
            path = target.next_path()
            if path is None or time.monotonic() > stop_at:
                bad += 1
                break
            try:
                good, t_get, t_post = client.respond(path, target.hidden, target.done)
            except Exception as exc:  # noqa: BLE001 - counted as an error, the run goes on
                good, t_get, t_post = False, 0.0, 0.0
                client.first_error = client.first_error or repr(exc)
            if good:
                mine.append((t_get, t_post))
            else:
                bad += 1
        with lock:
            for g, p in mine:
                gets.append(g)
                posts.append(p)
                pairs.append(g + p)
            errors += bad
            first_error = first_error or client.first_error

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    web0, db0 = target.meter.sample()
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    web1, db1 = target.meter.sample()
    for c in clients:
        c.close()
    n = max(1, len(pairs))
    return {
        "server": target.name,
        "responses": len(pairs),
        "errors": errors,
        "first_error": first_error,
        "elapsed": elapsed,
        "rate": len(pairs) / elapsed if elapsed else 0.0,
        "get": _pct(gets),
        "post": _pct(posts),
        "pair": _pct(pairs),
        "web_cpu": 1000 * (web1 - web0) / n,
        "db_cpu": 1000 * (db1 - db0) / n,
    }


def _pct(values: list[float]) -> dict:
    if not values:
        return {"p50": float("nan"), "p95": float("nan")}
    values = sorted(values)
    return {
        "p50": 1000 * statistics.median(values),
        "p95": 1000 * values[max(0, int(0.95 * len(values)) - 1)],
    }


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit("gunicorn đã dừng khi khởi động (xem thông báo ở trên).")
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/ok/", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn (cổng {port}) không sẵn sàng sau {timeout:.0f} giây.")


def gunicorn_command(python: str, app: str, port: int) -> list[str]:
    """Production's configuration file (4 sync workers), the access log to /dev/null."""
    return [python, "-m", "gunicorn", app, "--config", str(ROOT / "deploy/gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null",
            "--log-level", "warning"]  # fmt: skip


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def child_json(argv: list[str], **kw: Any) -> dict:
    done = subprocess.run(argv, capture_output=True, text=True, **kw)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{' '.join(argv[:3])}… thất bại (xem lỗi ở trên).")
    return json.loads(done.stdout.strip().splitlines()[-1])


def version_of(package: str) -> str:
    from importlib.metadata import version

    return version(package)


# ------------------------------------------------------------------ main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    parser.add_argument("--points", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cli", help=argparse.SUPPRESS)
    parser.add_argument("--per-client", type=int, default=20, help="responses per client a round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds (ours, theirs) of (a)")
    parser.add_argument("--responses", type=int, default=80_000, help="responses of (b), (c)")
    parser.add_argument("--phase-timeout", type=float, default=300.0)
    parser.add_argument(
        "--dsr-venv", default="/tmp/parindex-bench-venv-dsr",  # noqa: S108
        help="the separate virtual environment of django-survey-and-report (reused)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.setup is not None:
        setup_ours(args.setup)
        return 0
    if args.load:
        load_responses(args.load)
        return 0
    if args.points:
        points()
        return 0
    if args.count:
        count_ours()
        return 0
    if args.cli:  # the baseline first: RUSAGE_CHILDREN keeps the largest child so far
        print(json.dumps({"runs": [survey_cli.measure(argv) for argv in json.loads(args.cli)]}))
        return 0

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)  # fmt: skip
    tmp = Path(tempfile.mkdtemp(prefix="parindex-surveybench."))
    tmp.chmod(0o755)  # the postgres user must reach its cluster inside
    (tmp / "data" / "static").mkdir(parents=True)
    pg = Postgres(tmp)
    ours_proc: subprocess.Popen | None = None
    dsr_proc: subprocess.Popen | None = None
    try:
        db_url = pg.start()
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
        print(f"PostgreSQL {pg_bin().parts[-2]} tạm thời trên 127.0.0.1:{pg.port}; migrate…",
              flush=True)  # fmt: skip
        subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env,
                       check=True)  # fmt: skip
        collected = subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"],
                                   cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
        if collected.returncode != 0:
            print("CẢNH BÁO: collectstatic lỗi — chạy tiếp với STATIC_MANIFEST=0", flush=True)
            env["STATIC_MANIFEST"] = "0"
        needed = CLIENTS * (args.per_client * args.rounds + 1) + SPARE
        ours_data = child_json([PY, str(Path(__file__)), "--setup", str(needed)], cwd=ROOT,
                               env=env)  # fmt: skip
        print(f"Cấu hình: {json.dumps(ours_data['settings'], ensure_ascii=False)}", flush=True)

        # django-survey-and-report: its own venv, project, database on the same server
        python = dsr_venv(Path(args.dsr_venv), version_of("django"), version_of("psycopg"),
                          version_of("gunicorn"))  # fmt: skip
        project = tmp / "dsr"
        dsr_project(project)
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=pg.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:  # fmt: skip
            conn.execute("CREATE DATABASE dsr")
        dsr_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(project),
            "DJANGO_SETTINGS_MODULE": "dsrbench.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DSR_PG_PORT": str(pg.port),
            "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "4"),
            "GUNICORN_THREADS": os.environ.get("GUNICORN_THREADS", "1"),
        }
        subprocess.run([str(python), "-m", "django", "migrate", "--noinput", "-v0"], cwd=project,
                       env=dsr_env, check=True)  # fmt: skip
        dsr_data = child_json([str(python), "setup_survey.py", json.dumps(form_spec())],
                              cwd=project, env=dsr_env)  # fmt: skip

        ours_port, dsr_port = free_port(18800), free_port(18900)
        command = gunicorn_command(PY, "parindex.wsgi", ours_port)
        facts = gunicorn_facts(env, command)
        ours_proc = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        dsr_proc = subprocess.Popen(gunicorn_command(str(python), "dsrbench.wsgi", dsr_port),
                                    cwd=project, env=dsr_env, start_new_session=True)  # fmt: skip
        wait_ready(ours_port, ours_proc)
        wait_ready(dsr_port, dsr_proc)
        ours = Ours("parindex", ours_port, ours_proc, pg, tokens=ours_data["tokens"][SPARE:])
        theirs = Theirs("django-survey-and-report", dsr_port, dsr_proc, pg,
                        survey=dsr_data["survey"])  # fmt: skip
        print(f"(a) {facts}, {CLIENTS} clients, {args.rounds} rounds × {args.per_client} "
              "responses a client", flush=True)  # fmt: skip
        for target in (ours, theirs):  # warm-up: every worker imports, connects, renders
            warm = run_intake(target, 1, args.phase_timeout)
            if warm["errors"]:
                raise SystemExit(f"{target.name}: khởi động lỗi: {warm['first_error']}")
        intake: list[dict] = []
        for r in range(args.rounds):
            for target in (ours, theirs) if r % 2 == 0 else (theirs, ours):
                result = run_intake(target, args.per_client, args.phase_timeout)
                result["round"] = r + 1
                intake.append(result)
                print(_intake_line(result), flush=True)
        stop(ours_proc)
        stop(dsr_proc)
        stored_ours = child_json([PY, str(Path(__file__)), "--count"], cwd=ROOT, env=env)
        stored_dsr = child_json([str(python), "count.py"], cwd=project, env=dsr_env)
        probe = tmp / "probe.py"
        probe.write_text(PROBE)
        spare = [f"/khao-sat/{t}/" for t in ours_data["tokens"][:SPARE]]
        probes = {
            "parindex": child_json([PY, str(probe), json.dumps(spare), json.dumps(Ours.hidden)],
                                   cwd=ROOT, env=env),
            "django-survey-and-report": child_json(
                [str(python), str(probe), json.dumps([theirs.path] * SPARE), "[]"],
                cwd=project, env=dsr_env),
        }  # fmt: skip

        # (b) and (c): the same 80,000 responses
        cli_dir = tmp / "cli"
        cli_dir.mkdir()
        survey_path, csv_path, rows = survey_cli.generate(cli_dir, args.responses)
        size = csv_path.stat().st_size / 2**20
        print(
            f"(b), (c): {args.responses} responses, {rows} answers, {size:.1f} MiB CSV", flush=True
        )
        loaded = child_json([PY, str(Path(__file__)), "--load", str(csv_path)], cwd=ROOT, env=env)
        print(f"COPY: {loaded['responses']} responses, {loaded['answers']} answers in "
              f"{loaded['seconds']:.1f} s", flush=True)  # fmt: skip
        pts = child_json([PY, str(Path(__file__)), "--points"], cwd=ROOT, env=env)

        command = [PY, "-m", "parindex.cli", "survey", str(survey_path), str(csv_path)]
        # bench/survey_cli.py's measure() in a fresh process: RUSAGE_CHILDREN there holds
        # only the baseline and then the CLI (here it would hold migrate's and the setup's)
        measured = child_json([PY, str(Path(__file__)), "--cli", json.dumps(
            [[PY, "-c", survey_cli.BASELINE, str(csv_path)],
             [*command, "-o", str(cli_dir / "out.json")]])], cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
        (t_base, m_base), (t_cli, m_cli) = measured["runs"]
        results = json.loads((cli_dir / "out.json").read_text(encoding="utf-8"))
        cli = {"base_s": t_base, "base_mib": m_base, "s": t_cli, "mib": m_cli,
               "valid": results.get("responses", {}).get("valid")
               if isinstance(results.get("responses"), dict) else results.get("valid")}  # fmt: skip
        report(intake, stored_ours, stored_dsr, probes, pts, loaded, cli, args, rows)
        bad = any(r["errors"] for r in intake)
        return 1 if bad else 0
    finally:
        stop(ours_proc)
        stop(dsr_proc)
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def _intake_line(r: dict) -> str:
    return (
        f"  round {r['round']} {r['server']:26} {r['responses']:4} responses, {r['errors']} errors,"
        f" {r['rate']:6.1f}/s, GET p95 {r['get']['p95']:6.1f} ms, POST p95 {r['post']['p95']:6.1f}"
        f" ms, GET+POST p95 {r['pair']['p95']:6.1f} ms"
        + (f" — {r['first_error']}" if r["first_error"] else "")
    )


def report(intake: list[dict], stored_ours: dict, stored_dsr: dict, probes: dict, pts: dict,
           loaded: dict,
           cli: dict, args: argparse.Namespace, rows: int) -> None:  # fmt: skip
    print()
    print("(a) intake, 20 clients without think time (each response = GET form + POST answers)")
    print("| round | server | responses | errors | responses/s | GET p50/p95 ms | POST p50/p95 ms"
          " | GET+POST p95 ms | CPU/response ms gunicorn + PG |")  # fmt: skip
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in intake:
        print(f"| {r['round']} | {r['server']} | {r['responses']} | {r['errors']} | "
              f"{r['rate']:.1f} | {r['get']['p50']:.1f} / {r['get']['p95']:.1f} | "
              f"{r['post']['p50']:.1f} / {r['post']['p95']:.1f} | {r['pair']['p95']:.1f} | "
              f"{r['web_cpu']:.1f} + {r['db_cpu']:.1f} |")  # fmt: skip
    ours = [r for r in intake if r["server"] == "parindex"]
    theirs = [r for r in intake if r["server"] != "parindex"]
    rate_o = statistics.mean(r["rate"] for r in ours)
    rate_t = statistics.mean(r["rate"] for r in theirs)
    p95_o = max(max(r["get"]["p95"], r["post"]["p95"]) for r in ours)
    met = rate_o >= rate_t and p95_o < GOAL_P95_MS
    print(f"stored: parindex {stored_ours}, django-survey-and-report {stored_dsr}")
    print(
        "in process, one request (median of 5 after a warm-up; Django's test client, no network):"
    )
    for name, p in probes.items():
        print(
            f"  {name}: GET {p['get_queries']:.0f} queries, {p['get_cpu_ms']:.1f} ms CPU; "
            f"POST {p['post_queries']:.0f} queries, {p['post_cpu_ms']:.1f} ms CPU"
        )
    print(
        f"rate ratio parindex / django-survey-and-report: {rate_o / rate_t:.2f} "
        f"({rate_o:.1f} vs {rate_t:.1f}/s); parindex worst request p95 {p95_o:.1f} ms "
        f"→ goal (≥ its rate, p95 < {GOAL_P95_MS:.0f} ms) {'MET' if met else 'NOT met'}"
    )
    print()
    refresh, sql = pts["refresh"], pts["sql"]
    print(
        f"(b) survey points, {loaded['responses']} responses / {loaded['answers']} answers "
        "in PostgreSQL"
    )
    print("| run | s | ratio to SQL GROUP BY |")
    print("| --- | ---: | ---: |")
    for i in range(2):
        print(f"| SQL GROUP BY #{i + 1} ({pts['sql_groups']} groups, {pts['sql_answers']} answers)"
              f" | {sql[i]:.2f} | 1.00 |")  # fmt: skip
        res = pts["refresh_result"][i]
        print(
            f"| survey_points_refresh #{i + 1} ({res['responses']} responses, "
            f"{res['changed']} entries changed) | {refresh[i]:.2f} | {refresh[i] / sql[i]:.1f} |"
        )
    print(
        f"| of which: read of the counted rows ({pts['read_rows']} rows) | {pts['read']:.2f} | "
        f"{pts['read'] / min(sql):.1f} |"
    )
    print(
        f"| engine compute incl. read (points.compute) | {pts['compute']:.2f} | "
        f"{pts['compute'] / min(sql):.1f} |"
    )
    print(f"goal (< {GOAL_POINTS_S:.0f} s): {'MET' if max(refresh) < GOAL_POINTS_S else 'NOT met'}")
    print()
    print(f"(c) parindex survey on the same responses as CSV ({rows} rows)")
    print("| run | s | peak MiB | ratio |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| csv.reader | {cli['base_s']:.2f} | {cli['base_mib']:.0f} | 1.00 |")
    print(
        f"| parindex survey (json) | {cli['s']:.2f} | {cli['mib']:.0f} | "
        f"{cli['s'] / cli['base_s']:.2f} |"
    )
    ok = cli["s"] < GOAL_CLI_S and cli["mib"] < GOAL_CLI_MIB
    print(
        f"goal (< {GOAL_CLI_S:.0f} s, < 1 GB): {'MET' if ok else 'NOT met'}; "
        f"valid responses in its JSON: {cli['valid']}"
    )


if __name__ == "__main__":
    sys.exit(main())
