"""Web benchmark: gunicorn + PostgreSQL, 20 concurrent unit officers on the self-assessment
table page and its autosave, and 20 appraisers on the unit × domain page and its decision,
against a bare Django view in the same run.

Run: ``.venv/bin/python bench/web.py`` from the repository root (as root or as a user that
may run PostgreSQL's initdb; ``apt-get install -y postgresql`` if it is missing).

What it does, everything on 127.0.0.1 and stopped at the end (``finally``):
1. a throwaway PostgreSQL cluster (initdb in a temp dir, as the postgres user when run as
   root, trust over 127.0.0.1 only, fsync off) on a free port — the approach of ``./run``;
2. ``migrate``, then one province with 20 districts (block huyện), one officer each, a
   framework of 90 leaves (the demo huyện framework, 71 leaves, plus 19 generated ones),
   a period whose self-assessment phase is open today, and a session per officer;
   and, for the appraisal, a period of the previous year for the same districts, through the
   real services (``setup_appraisal``): a framework whose domain 1 has 20 leaves (the demo's
   11 and 9 generated), every district's assessment filled with two PDFs on each leaf of
   domain 1 (its own document and the annual report: a duplicate warning) and sent by its
   leader, the calendar moved so that Thẩm định lần 1 is open today, a council of 20
   appraisers from Sở Tư pháp (every domain assigned to that department, none of them from
   a district), round 1 opened, and a session per appraiser;
3. ``collectstatic`` into the run's STATIC_ROOT, then gunicorn with production's
   deploy/gunicorn.conf.py (4 sync workers; ``--workers``, ``--threads``, ``--worker-class``
   override it to compare, e.g. ``--workers 2 --threads 4`` for gthread 2 × 4) and
   bench/web_settings.py: production's settings
   (DEBUG off, so the cached template loader; hashed static files; the same middleware; the
   same database options, prepared statements included) and the bench's own URLconf, which
   adds ``/bench/ok/``, a bare view;
4. saturation (the headline figure): phases of 20 concurrent clients (threads, stdlib
   http.client, keep-alive) with NO think time, each client one officer: the bare view
   (20 × 30), the table page (20 × 5), the autosave of values on its own assessment (20 × 30,
   alternating yes/no on the boolean leaves, with the version the server returned: no
   conflict expected); then each client one appraiser on its own district: the unit × domain
   page ``appraisal:domain`` (20 × 5, checked: 20 leaves) and the decision
   ``appraisal:decide`` as the page's htmx form posts it (20 × 30, leaf after leaf, Đồng ý
   and Điều chỉnh with values and a reason in turn; checked: the leaf fragment says it was
   recorded), after which the Decision rows are counted against the decisions the server
   confirmed. Warm-up requests first;
5. paced (``--paced N``, 40 by default, 0 to skip): the same 20 officers working like typists —
   each pauses 1.0 s ± 0.3 s between two actions (the workspace autosaves 800 ms after the
   last keystroke), reloads the table every 10th action and requests the bare view once every
   10 actions too, so the three are measured under the same load; then the 20 appraisers the
   same way (the domain page every 10th action, the rest decisions).
Prints p50/p95 latency, throughput, errors, the ratios to the bare view, and the CPU each
request cost gunicorn, PostgreSQL and the clients (read from /proc around each phase): on a
shared 2-core machine latency moves with whatever else runs, CPU per request much less.
``--profile [DIR]`` then counts the SQL queries of one request per endpoint (Django's test
client in a child process) and writes cProfile listings of the domain page and the decision
into DIR. ``--db-options`` adds a query string to DATABASE_URL (e.g.
``server_side_binding=false`` to measure without prepared statements) to try a database
setting.
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
from decimal import Decimal
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
N_UNITS = 20
DOMAIN_LEAVES = 20  # leaves of the appraised domain (the demo's domain 1 has 11)
GOALS_MS = {"autosave": 150.0, "table": 400.0, "domain": 300.0, "decide": 150.0}


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
        #: where the server log goes (bench/load.py keeps it off the disk it fills)
        self.log: Path | None = None
        #: fsync, synchronous commit and full-page writes as in production (bench/load.py
        #: counts the acknowledged writes that survive); off by default for speed benches
        self.durable = False

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
        opts = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c max_connections=100"
        if not self.durable:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        if self.log is None:
            self.log = self.dir / "server.log"
        else:
            self.log.touch()
            if os.geteuid() == 0:
                shutil.chown(self.log, "postgres", "postgres")
        subprocess.run(
            as_pg([str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.log),
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

    clients = []
    for user, a in zip(officers, assessments, strict=True):
        entries = list(
            Entry.objects.filter(assessment=a, node__rule_type="boolean")
            .order_by("node__position")
            .values_list("pk", flat=True)
        )
        clients.append(
            {
                **new_session(user),
                "table": url(["assessments:table", "assessments:detail"], a.pk),
                "autosave": [url(["assessments:autosave"], a.pk, e) for e in entries],
            }
        )
    n_leaves = Entry.objects.filter(assessment=assessments[0]).count()
    appraisal = setup_appraisal(
        root=root, snv=snv, huyen=huyen, units=units, officers=officers, url=url,
        new_session=new_session,
    )  # fmt: skip
    print(
        json.dumps(
            {
                "clients": clients,
                "leaves": n_leaves,
                "appraisal": appraisal,
                "settings": settings_facts(),
            }
        )
    )


def new_session(user: Any) -> dict:
    """A logged-in session of ``user`` (the configured backend) and a CSRF token."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    alphabet = string.ascii_letters + string.digits
    csrf = "".join(secrets.choice(alphabet) for _ in range(32))
    return {"session": session.session_key, "csrf": csrf}


def small_pdf(text: str) -> bytes:
    """A small valid one-page PDF (Helvetica text), as tests/evidence/pdfs.py makes them."""
    raw = text.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    content = b"BT /F1 14 Tf 72 760 Td (" + raw + b") Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1,
        xref,
    )
    return bytes(out)


def _fill_value(node: Any) -> tuple[str, str]:
    """What a district declares on a leaf (as tests/appraisal/conftest.py ``fill``)."""
    if node.rule_type == "choice":
        return str(node.rule_params.get("options", [{}])[0].get("key")), ""
    return {
        "boolean": ("yes", ""),
        "ratio": ("9", "10"),
        "count": ("1", ""),
        "deduction": ("0", ""),
        "number": ("0", ""),
        "relative": ("5", ""),
    }[node.rule_type]


def _adjustment(node: Any) -> dict[str, str] | None:
    """An appraiser's Điều chỉnh of a leaf the district filled with ``_fill_value`` (None:
    the leaf is only accepted — relative rules are not adjusted)."""
    if node.rule_type == "choice":
        low = min(o["points"] for o in node.rule_params["options"])
        return {"value": "", "value2": "", "score": str(low).replace(".", ",")}
    return {
        "boolean": {"value": "no", "value2": "", "score": ""},
        "ratio": {"value": "7", "value2": "10", "score": ""},
        "count": {"value": "0", "value2": "", "score": ""},
        "deduction": {"value": "1", "value2": "", "score": ""},
        "number": {"value": "", "value2": "", "score": "0"},
    }.get(node.rule_type)


def setup_appraisal(
    *, root: Any, snv: Any, huyen: Any, units: list, officers: list, url: Any, new_session: Any
) -> dict:
    """The appraisal's data, through the real services: a period of the previous year for the
    same 20 districts (a framework whose domain 1 has ``DOMAIN_LEAVES`` leaves: the demo's 11
    plus generated ones), each district's assessment filled, with two PDFs on every leaf of
    domain 1 (its own document and the annual report, shared: a duplicate warning), and sent
    (officer → leader); then the calendar moved so that Thẩm định lần 1 is open today; a
    council of ``N_UNITS`` appraisers from Sở Tư pháp, every domain assigned to that
    department; round 1 opened. Appraiser ``i`` works on district ``i``'s domain 1."""
    import datetime as dt

    import yaml
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from parindex.accounts.models import Membership, Unit
    from parindex.accounts.services import membership_grant, unit_create, user_create
    from parindex.appraisal.models import Decision
    from parindex.appraisal.services import assignment_set, council_for, member_add, round_open
    from parindex.appraisal.services.rounds import _points
    from parindex.assessments.models import Entry, Status
    from parindex.assessments.participation import period_add_units
    from parindex.assessments.services import assessment_transition, entry_record
    from parindex.evidence.models import EvidenceFile
    from parindex.evidence.services import evidence_upload
    from parindex.frameworks.models import FrameworkNode
    from parindex.frameworks.services import framework_activate, framework_import
    from parindex.periods.models import CouncilMember, Phase
    from parindex.periods.services import period_create, period_set_calendar

    today = timezone.localdate()
    year = today.year - 1
    spec = yaml.safe_load((ROOT / "parindex/demo/huyen.yaml").read_text(encoding="utf-8"))
    first = spec["nodes"][0]

    def leaves(node: dict) -> list[dict]:
        kids = node.get("children") or []
        return [leaf for kid in kids for leaf in leaves(kid)] if kids else [node]

    extra = DOMAIN_LEAVES - len(leaves(first))
    first["children"] += [
        {
            "code": f"1.{100 + i}", "title": f"Tiêu chí bổ sung số {i} (sinh cho bench)",
            "max": 1, "rule": {"type": "boolean"}, "evidence": "Văn bản chứng minh.",
        }
        for i in range(1, extra + 1)
    ]  # fmt: skip
    first["max"] = first["max"] + extra
    spec["nodes"].append(
        {
            "code": "10",
            "title": "Nội dung bổ sung (sinh cho bench)",
            "children": [
                {
                    "code": f"10.{i}", "title": f"Tiêu chí bổ sung số {i}", "max": 0.5,
                    "rule": {"type": "boolean"}, "evidence": "Văn bản chứng minh.",
                }
                for i in range(1, 20 - extra + 1)
            ],
        }
    )  # fmt: skip
    spec.update(code="HUYEN-BENCH-TD", year=year, block="huyen")
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
        actor=None, organizer=snv, year=year, name=f"Chỉ số CCHC năm {year} (bench thẩm định)",
        blocks=[(huyen, fw)], calendar=calendar,
    )  # fmt: skip
    assessments = period_add_units(actor=None, period=period, units=units)
    domain = FrameworkNode.objects.get(framework=fw, code="1", parent__isnull=True)
    report = small_pdf("Bao cao ket qua cong tac CCHC nam")  # the same file on every leaf
    for i, (unit, officer, a) in enumerate(zip(units, officers, assessments, strict=True), 1):
        leader = user_create(actor=None, username=f"ld.h{i:02d}", password=None,
                             full_name=f"Lãnh đạo huyện {i}")  # fmt: skip
        membership_grant(actor=None, user=leader, unit=unit, role=Membership.Role.UNIT_LEADER)
        for entry in Entry.objects.filter(assessment=a).select_related("node", "assessment"):
            node = entry.node
            if node.source == FrameworkNode.Source.SURVEY:
                continue
            value, value2 = _fill_value(node)
            entry_record(
                actor=officer, entry=entry, value=value, value2=value2,
                explanation="Theo Báo cáo số 12/BC-UBND" if node.evidence else None,
            )  # fmt: skip
            if node.code.startswith("1."):
                for name, data in (
                    (f"van-ban-{node.code}.pdf", small_pdf(f"{unit.code} van ban {node.code}")),
                    ("bao-cao-cchc-nam.pdf", report),
                ):
                    upload = SimpleUploadedFile(name, data, "application/pdf")
                    evidence_upload(actor=officer, entry=entry, upload=upload, inspect_timeout=0)
        assessment_transition(actor=officer, assessment=a, to=Status.PENDING_APPROVAL)
        assessment_transition(actor=leader, assessment=a, to=Status.SUBMITTED)
    moved = {
        Phase.PREPARATION: (today - d(60), today - d(51)),
        Phase.SELF_ASSESSMENT: (today - d(50), today - d(21)),
        Phase.APPRAISAL_1: (today - d(20), today + d(20)),
        Phase.SUPPLEMENT: (today + d(21), today + d(30)),
        Phase.APPRAISAL_2: (today + d(31), today + d(40)),
        Phase.CONSOLIDATION: (today + d(41), today + d(45)),
        Phase.APPROVAL: (today + d(46), today + d(50)),
        Phase.ARCHIVE: (today + d(51), today + d(150)),
    }
    period_set_calendar(actor=None, period=period, dates=moved,
                        reason="Bench: thẩm định lần 1 mở hôm nay")  # fmt: skip
    stp = unit_create(
        actor=None, code="STP", name="Sở Tư pháp", kind=Unit.Kind.DEPARTMENT, parent=root
    )
    council = council_for(period)
    appraisers = []
    for i in range(1, N_UNITS + 1):
        user = user_create(actor=None, username=f"td.{i:02d}", password=None,
                           full_name=f"Thẩm định viên số {i}")  # fmt: skip
        member_add(actor=None, council=council, user=user, unit=stp,
                   position=CouncilMember.Position.MEMBER)  # fmt: skip
        appraisers.append(user)
    for node in FrameworkNode.objects.filter(framework=fw, parent__isnull=True):
        assignment_set(actor=None, period=period, node=node, unit=stp)
    round_open(actor=None, period=period, round=1)
    clients = []
    for user, a in zip(appraisers, assessments, strict=True):
        a.refresh_from_db()
        if a.status != Status.APPRAISAL_1:
            raise SystemExit(f"{a.unit.name}: “{a.status}”, không ở thẩm định lần 1")
        page = url(["appraisal:domain"], a.pk, domain.pk)
        decide = []
        for entry in (
            Entry.objects.filter(assessment=a, node__code__startswith="1.", node__rule_type__gt="")
            .select_related("node", "assessment__framework")
            .order_by("node__position")
        ):
            adjust = _adjustment(entry.node)
            if adjust is not None:  # the engine takes these values (checked here, not saved)
                score = adjust["score"].replace(",", ".") or None
                _points(entry, adjust["value"], adjust["value2"],
                        None if score is None else Decimal(score))  # fmt: skip
            decide.append(
                {"url": url(["appraisal:decide"], a.pk, entry.pk), "id": entry.pk,
                 "adjust": adjust}
            )  # fmt: skip
        clients.append({**new_session(user), "domain": page, "decide": decide})
    files = EvidenceFile.objects.filter(assessment__period=period).count()
    return {
        "clients": clients,
        "domain_leaves": len(clients[0]["decide"]),
        "files_per_page": files // len(assessments),
        "decisions_before": Decision.objects.filter(entry__assessment__period=period).count(),
        "period": period.pk,
    }


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

    def request(
        self, method: str, path: str, body: bytes | None = None, extra: dict | None = None
    ) -> tuple[int, bytes]:
        headers = {"Cookie": self.cookie, "Host": "127.0.0.1", **(extra or {})}
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


DECIDED = "đã ghi kết luận".encode()  # the leaf fragment's message after a decision


class Appraiser(Client):
    """A council member on their district's domain: the unit × domain page and the decision
    on each leaf in turn, as the page's htmx form posts it (the leaf fragment comes back)."""

    def __init__(self, port: int, info: dict, timeout: float, leaves: int) -> None:
        super().__init__(port, info, timeout)
        self.leaves = leaves
        self.decided = 0  # decisions the server confirmed (compared with the Decision rows)
        self.first_error = ""

    def _failed(self, what: str, status: int, body: bytes) -> bool:
        if not self.first_error:
            self.first_error = f"{what}: HTTP {status} {body[:300]!r}"
        return False

    def domain(self, i: int) -> bool:
        status, body = self.request("GET", self.info["domain"])
        if status != 200 or body.count(b"data-leaf ") != self.leaves:
            return self._failed("domain", status, body)
        return True

    def decide(self, i: int) -> bool:
        leaves = self.info["decide"]
        leaf = leaves[i % len(leaves)]
        # Đồng ý and Điều chỉnh in turn; the next pass over the leaves swaps them.
        adjust = leaf["adjust"] if (i + i // len(leaves) + self.flip) % 2 else None
        data = {"kind": "accept", "value": "", "value2": "", "score": "", "reason": "",
                "request": ""}  # fmt: skip
        if adjust is not None:
            data.update(adjust, kind="adjust", reason=f"Hồ sơ chỉ chứng minh một phần (lần {i}).")
        headers = {
            "HX-Request": "true",
            "HX-Target": f"leaf-{leaf['id']}",
            "HX-Current-URL": f"http://127.0.0.1{self.info['domain']}",
        }
        status, body = self.request("POST", leaf["url"], urlencode(data).encode(), headers)
        if status != 200 or DECIDED not in body:
            return self._failed("decide", status, body)
        self.decided += 1
        return True


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


def run_paced(
    clients: list[Client],
    actions: int,
    deadline_s: float,
    page: str = "table",
    write: str = "autosave",
) -> dict[str, dict]:
    """Every client works like a typist: an action, a pause of ``PACE_S``, the next; every
    10th action reloads the page (the table; the appraisers' unit × domain page), one in 10
    requests the bare view, the rest write (autosave; the appraisers' decision)."""
    latencies: dict[str, list[float]] = {"ok": [], page: [], write: []}
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
            kind = page if i % 10 == 0 else "ok" if i % 10 == 5 else write
            t = time.perf_counter()
            try:
                if kind == write:
                    saves += 1
                    good = getattr(client, write)(saves)
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
    parser.add_argument("--count-decisions", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--setup-file", help=argparse.SUPPRESS)
    parser.add_argument(
        "--profile",
        nargs="?",
        const="-",
        help="after the phases, count the SQL queries of one request per endpoint (Django's test"
        " client in a child process) and write cProfile listings of the domain page and the"
        " decision to this directory (default: only the counts)",
    )
    parser.add_argument("--workers", type=int, help="default: deploy/gunicorn.conf.py's")
    parser.add_argument("--threads", type=int, help="default: deploy/gunicorn.conf.py's")
    parser.add_argument("--worker-class", help="default: deploy/gunicorn.conf.py's")
    parser.add_argument(
        "--paced", type=int, default=40, help="actions per officer in the paced run (0: none)"
    )
    parser.add_argument("--ok", type=int, default=30, help="bare-view requests per client")
    parser.add_argument("--tables", type=int, default=5, help="table loads per client")
    parser.add_argument("--autosaves", type=int, default=30, help="autosaves per client")
    parser.add_argument("--domains", type=int, default=5, help="unit × domain pages per appraiser")
    parser.add_argument("--decisions", type=int, default=30, help="decisions per appraiser")
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
    if args.count_decisions:
        count_decisions(args.count_decisions)
        return 0
    if args.setup_file:
        profile_requests(args.setup_file)
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="parindex-webbench."))
    tmp.chmod(0o755)  # the postgres user must reach its cluster inside
    (tmp / "data" / "static").mkdir(parents=True)  # STATIC_ROOT, filled by collectstatic
    pg = Postgres(tmp)
    gunicorn: subprocess.Popen | None = None
    clients: list[Client] = []
    appraisers: list[Appraiser] = []
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
        made = subprocess.run([PY, str(Path(__file__)), "--setup"], cwd=ROOT, env=env,
                              capture_output=True, text=True)  # fmt: skip
        if made.returncode != 0:
            sys.stderr.write(made.stderr)
            raise SystemExit("Tạo dữ liệu cho bench thất bại (xem lỗi ở trên).")
        data = json.loads(made.stdout.strip().splitlines()[-1])
        appraisal = data["appraisal"]
        print(f"Cấu hình: {json.dumps(data['settings'], ensure_ascii=False)}", flush=True)
        print(
            f"Dữ liệu: {N_UNITS} đơn vị × {data['leaves']} tiêu chí thành phần "
            f"({time.perf_counter() - t0:.1f} s); thẩm định lần 1: {N_UNITS} thẩm định viên, "
            f"mỗi người một huyện, lĩnh vực {appraisal['domain_leaves']} tiêu chí thành phần, "
            f"{appraisal['files_per_page']} tệp minh chứng.",
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
        appraisers = [
            Appraiser(port, info, timeout=30, leaves=appraisal["domain_leaves"])
            for info in appraisal["clients"]
        ]
        # Warm-up (not measured): every worker imports, connects and renders once or twice.
        run_phase(clients, "ok", 3, args.phase_timeout)
        run_phase(clients, "table", 1, args.phase_timeout)
        for c in clients:
            c.flip = 1
        run_phase(clients, "autosave", 2, args.phase_timeout)
        for c in clients:
            c.flip = 0
        run_phase(appraisers, "domain", 1, args.phase_timeout)
        for a in appraisers:
            a.flip = 1
        run_phase(appraisers, "decide", 2, args.phase_timeout)
        for a in appraisers:
            a.flip = 0
        meter = CpuMeter(gunicorn.pid, pg)
        results = {
            "ok": run_phase(clients, "ok", args.ok, args.phase_timeout, meter),
            "table": run_phase(clients, "table", args.tables, args.phase_timeout, meter),
            "autosave": run_phase(clients, "autosave", args.autosaves, args.phase_timeout, meter),
            "domain": run_phase(appraisers, "domain", args.domains, args.phase_timeout, meter),
            "decide": run_phase(appraisers, "decide", args.decisions, args.phase_timeout, meter),
        }
        paced = run_paced(clients, args.paced, 3 * args.phase_timeout) if args.paced else None
        paced_appraisal = (
            run_paced(appraisers, args.paced, 3 * args.phase_timeout, "domain", "decide")
            if args.paced
            else None
        )
        stored = json.loads(
            subprocess.run([PY, str(Path(__file__)), "--count-decisions", str(appraisal["period"])],
                           cwd=ROOT, env=env, check=True, capture_output=True,
                           text=True).stdout.strip().splitlines()[-1]
        )  # fmt: skip
        confirmed = appraisal["decisions_before"] + sum(a.decided for a in appraisers)
        args.decisions_check = (stored, confirmed)
        for a in appraisers:
            if a.first_error:
                print(f"Lỗi đầu tiên của một thẩm định viên: {a.first_error}", flush=True)
                break
        args.queries = None
        if args.profile:
            (tmp / "setup.json").write_text(json.dumps(data))
            ran = subprocess.run([PY, str(Path(__file__)), "--setup-file", str(tmp / "setup.json")],
                                 cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
            if ran.returncode != 0:
                sys.stderr.write(ran.stderr)
            else:
                args.queries = json.loads(ran.stdout.strip().splitlines()[-1])
                if args.profile != "-":
                    folder = Path(args.profile)
                    folder.mkdir(parents=True, exist_ok=True)
                    for kind in ("domain", "decide"):
                        (folder / f"{kind}.txt").write_text(args.queries[kind]["profile"])
        report(results, args, paced, paced_appraisal)
        failed = any(r["errors"] for r in results.values()) or stored["decisions"] != confirmed
        for scenario in (paced, paced_appraisal):
            failed = failed or bool(scenario and any(r["errors"] for r in scenario.values()))
        return 1 if failed else 0
    finally:
        for c in [*clients, *appraisers]:
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


def profile_requests(path: str) -> None:
    """Runs inside Django (``--profile FILE``, after the phases): one request of each endpoint
    through Django's test client with the session of the run's first clients — the number of
    SQL queries each makes and, with cProfile, where the decision spends its CPU."""
    import cProfile
    import io
    import pstats

    import django

    django.setup()
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    data = json.loads(Path(path).read_text())
    officer, appraiser = data["clients"][0], data["appraisal"]["clients"][1]
    calls = {
        "ok": (officer, "get", "/bench/ok/", {}),
        "table": (officer, "get", officer["table"], {}),
        "autosave": (officer, "post", officer["autosave"][1],
                     {"value": "no", "value2": "", "explanation": "Hồ sơ", "version": "999999"}),
        "domain": (appraiser, "get", appraiser["domain"], {}),
        "decide": (appraiser, "post", appraiser["decide"][3]["url"],
                   {"kind": "accept", "value": "", "value2": "", "score": "", "reason": "",
                    "request": ""}),
    }  # fmt: skip
    out: dict = {}
    for kind, (who, method, url, body) in calls.items():
        client = DjangoClient(HTTP_HOST="127.0.0.1", enforce_csrf_checks=False)
        client.cookies["sessionid"] = who["session"]
        headers = {"HX-Request": "true"} if kind == "decide" else {}
        for _ in range(2):  # warm (caches, templates)
            getattr(client, method)(url, body, headers=headers)
        with CaptureQueriesContext(connection) as ctx:
            response = getattr(client, method)(url, body, headers=headers)
        queries = len(ctx)  # now: the next request clears the log
        profiler = cProfile.Profile()
        profiler.enable()
        t0 = time.perf_counter()
        n = 10
        for _ in range(n):
            getattr(client, method)(url, body, headers=headers)
        wall = 1000 * (time.perf_counter() - t0) / n
        profiler.disable()
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
        stats.print_stats(20)
        stats.print_stats("parindex/", 40)  # the project's own functions
        stats.sort_stats("tottime").print_stats(25)
        out[kind] = {
            "status": response.status_code,
            "queries": queries,
            "ms_profiled": round(wall, 1),
            "profile": text.getvalue() if kind in ("domain", "decide") else "",
        }
    print(json.dumps(out))


def count_decisions(period_pk: int) -> None:
    """Runs inside Django: the Decision rows of the appraisal's period (every decision is a
    row; the current ones are one per decided leaf)."""
    import django

    django.setup()
    from parindex.appraisal.models import Decision

    rows = Decision.objects.filter(entry__assessment__period_id=period_pk)
    out = {
        "decisions": rows.count(),
        "current": rows.filter(current=True).count(),
        "adjusted": rows.filter(current=True, kind=Decision.Kind.ADJUST).count(),
    }
    print(json.dumps(out))


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


def report(
    results: dict,
    args: argparse.Namespace,
    paced: dict | None = None,
    paced_appraisal: dict | None = None,
) -> None:
    base = results["ok"]
    labels = {
        "ok": "bare view (/bench/ok/)",
        "table": "table page",
        "autosave": "autosave (POST)",
        "domain": f"unit × domain page ({DOMAIN_LEAVES} leaves)",
        "decide": "decision (POST, htmx)",
    }
    print()
    print(
        f"{args.gunicorn}, {N_UNITS} concurrent clients, PostgreSQL {pg_bin().parts[-2]}, "
        f"{os.cpu_count()} CPU, Python {sys.version.split()[0]}, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print()
    print("Saturation (no think time):")
    print()
    print("| endpoint | requests | errors | p50 ms | p95 ms | req/s | p50 ratio | p95 ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind in results:
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
    for kind in results:
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
    if args.queries:
        print(
            "SQL queries per request (one request, Django test client in a child process; "
            "ms = its wall time there, 10 requests under cProfile): "
            + ", ".join(
                f"{labels[k]} {q['queries']} ({q['ms_profiled']:.0f} ms, HTTP {q['status']})"
                for k, q in args.queries.items()
            )
        )
        print()
    stored, confirmed = args.decisions_check
    print(
        f"Kết luận thẩm định trong cơ sở dữ liệu: {stored['decisions']} dòng (máy chủ xác nhận "
        f"{confirmed}, kể cả lượt khởi động), {stored['current']} đang có hiệu lực, trong đó "
        f"{stored['adjusted']} điều chỉnh — {'khớp' if stored['decisions'] == confirmed else 'KHÔNG KHỚP'}"
    )
    print()
    for kind, goal in GOALS_MS.items():
        p95 = results[kind]["p95"]
        verdict = "đạt" if p95 < goal else "CHƯA ĐẠT"
        print(f"Mục tiêu {labels[kind]} p95 < {goal:.0f} ms: {p95:.1f} ms — {verdict}")
    for scenario, who, page, write in (
        (paced, "officers", "table", "autosaves"),
        (paced_appraisal, "appraisers", "unit × domain page", "decisions"),
    ):
        if scenario:
            _report_paced(scenario, args, labels, who, page, write)


def _report_paced(
    paced: dict, args: argparse.Namespace, labels: dict, who: str, page: str, write: str
) -> None:
    base = paced["ok"]
    print()
    print(
        f"Paced ({N_UNITS} {who}, {PACE_S[0]}–{PACE_S[1]} s between two actions, "
        f"{args.paced} actions each: {page} every 10th, bare view 1 in 10, the rest {write};"
        f" {base['elapsed']:.0f} s):"
    )
    print()
    print("| endpoint | requests | errors | p50 ms | p95 ms | req/s | p50 ratio | p95 ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, r in paced.items():
        print(
            f"| {labels[kind]} | {r['requests']} | {r['errors']} | {r['p50']:.1f} | "
            f"{r['p95']:.1f} | {r['rps']:.1f} | {_ratio(r['p50'], base['p50'])} | "
            f"{_ratio(r['p95'], base['p95'])} |"
        )
    print()
    for kind, goal in GOALS_MS.items():
        if kind not in paced:
            continue
        p95 = paced[kind]["p95"]
        verdict = "đạt" if p95 < goal else "CHƯA ĐẠT"
        print(f"(paced) Mục tiêu {labels[kind]} p95 < {goal:.0f} ms: {p95:.1f} ms — {verdict}")


if __name__ == "__main__":
    sys.exit(main())
