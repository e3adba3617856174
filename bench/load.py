"""Load and faults (issue #10 §2): the production-like stack on 127.0.0.1 — throwaway
PostgreSQL (bench/web.py's ``Postgres``), Redis (cache and RQ task queue) with one RQ worker
(``manage.py rqworker --job-class django_tasks_rq.Job default``, as ``./run worker``), an S3
store (SeaweedFS ``weed mini``, as ``./run``'s ``start_s3``), gunicorn with
deploy/gunicorn.conf.py and bench/web_settings.py — under a mixed, paced load: unit officers
autosaving (a small PDF upload instead now and then), appraisers deciding, survey
respondents answering through their invitation links, visitors on the public ranking page.

Scale (the issue's, by default): 200 officers — 4 per district of 50 districts, each with
its own share of the district's entries, one action every ~8 s (0.7–1.3 ×, on a schedule),
5 % of them uploads; 50 appraisers (one per district, round 1 of the previous year's
period) deciding one leaf every ~10 s; 10 public visitors every ~5 s: ≈ 25 + 5 + 2 = 32
requests/s from the 260 people; survey intake 5 responses/s on top (GET the form + POST the
answers: 10 requests/s), ≈ 42 requests/s in all. The survey's rate: bench/RESULTS.md
measured the intake's peak at 61.5–97.5 responses/s (20 clients without think time, 2 cores
saturated by the survey alone, ≈ 17–27 ms of CPU per response). Beside the rest of the load
on the same 2 cores (≈ 1 core by the last run's ≈ 37 ms of CPU per request) that peak would
only measure queueing, so the default is 5/s, 5–8 % of the measured peak — still far above
a ministry-scale survey's average (tens of thousands of responses over a few days: < 1/s);
``--survey-rate 60`` asks for the measured peak on a machine with the cores for it.

Windows: a baseline of ``--duration`` s (180) without fault, then one fault after the
other, each its own window: kill -9 of one gunicorn worker; PostgreSQL restarted
(pg_ctl restart -m fast); Redis stopped ``--redis-outage`` s (60); the S3 store stopped 20 s;
the data dir's disk full (root only: PostgreSQL's data dir and PARINDEX_DATA_DIR live on a
``--disk-mb`` MiB tmpfs the bench mounts; the window writes a filler file until ENOSPC, holds
``--disk-full`` s (20) under load, deletes it, and starts PostgreSQL again if it PANICked or
stopped, saying so; not root: the window is skipped with the reason; the WAL is kept small —
max_wal_size 256MB, checkpoints every 60 s — so the normal run fits the tmpfs with room to
spare: the report prints the data dir's size after setup and at the end). Each window reports
"errors users saw / data lost". Whole run: setup, the baseline, ≈ 200 s of fault windows, the
check.

Then a consistency check in a Django child (``check_child``): the tasks drained (RQ queue,
its failed-job registry, ``ops.PendingTask`` when it exists); each entry's last acknowledged
value and version stored; every acknowledged autosave, decision and upload has its audit row,
and the audit rows are exactly the stored changes (one per entry version, one per decision,
each upload's row exists); entry self scores and assessment totals equal the engine's
(``assessments.scoring.assessment_points``, the one bridge); round-1 scores equal the current
decisions; evidence rows ↔ bucket objects; acknowledged survey responses stored.
Output: Markdown for bench/RESULTS.md.
Run: ``.venv/bin/python bench/load.py`` (as root, or a user that may initdb — then without
the disk-full window); smoke: ``--officers 6 --officers-per-unit 2 --appraisers 3
--duration 20 --redis-outage 10 --survey-rate 1`` (``--keep`` leaves PostgreSQL and the temp
dir for a look after a failed check).
"""

from __future__ import annotations

import argparse
import ast
import json
import math
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
from collections import Counter
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

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


def setup_child(units: int, respondents: int, per_unit: int) -> None:
    """Builds bench/web.py's data (``units`` districts, one appraiser each), ``per_unit``
    officers per district (:func:`extra_officers`), bench/public.py's published block and an
    open survey (block sở) with ``respondents`` links; prints four JSON lines."""
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
    print(json.dumps({"officers": extra_officers(units, per_unit)}))


def extra_officers(units: int, per_unit: int) -> list[dict]:
    """``per_unit - 1`` more officers for each district of bench/web.py's data (its own
    officer is the first), each with a session; the district's boolean entries are dealt
    out among its officers (officer ``k`` takes entries ``k``, ``k + per_unit``, …), so no
    two people type into the same entry (an autosave conflict would be a user's error, not
    a fault's)."""
    from django.urls import reverse
    from django.utils import timezone

    from parindex.accounts.models import Membership, Unit
    from parindex.accounts.services import membership_grant, user_create
    from parindex.assessments.models import Assessment, Entry

    year = timezone.localdate().year
    out = []
    for i in range(1, units + 1):
        unit = Unit.objects.get(code=f"H{i:02d}")
        a = Assessment.objects.get(unit=unit, period__year=year)
        entries = list(
            Entry.objects.filter(assessment=a, node__rule_type="boolean")
            .order_by("node__position")
            .values_list("pk", flat=True)
        )
        urls = [reverse("assessments:autosave", args=(a.pk, e)) for e in entries]
        for k in range(per_unit):
            if k == 0:
                user = Membership.objects.get(unit=unit, role=Membership.Role.UNIT_OFFICER).user
            else:
                user = user_create(actor=None, username=f"cv.h{i:02d}.{k}", password=None,
                                   full_name=f"Chuyên viên {k + 1} huyện {i}")  # fmt: skip
                membership_grant(
                    actor=None, user=user, unit=unit, role=Membership.Role.UNIT_OFFICER
                )
            mine = urls[k::per_unit] or urls
            out.append({**web.new_session(user), "autosave": mine})
    return out


def check_child(path: str) -> None:  # noqa: C901, PLR0912, PLR0915
    """Consistency after the run (reads the parent's record of acknowledged writes): saves,
    entry scores and totals against the engine (through ``assessments.scoring``, the one
    bridge), audit rows against acknowledged writes (both ways), evidence rows ↔ bucket
    objects, survey responses, tasks (RQ queue, failed registry, ``ops.PendingTask``)."""
    import datetime as dt

    import django

    django.setup()
    from collections import Counter

    from django.conf import settings
    from django.core.files.storage import default_storage

    from parindex.appraisal.models import Decision
    from parindex.assessments import scoring
    from parindex.assessments.models import Assessment, Entry
    from parindex.assessments.services.locking import _stored
    from parindex.audit.models import AuditEvent
    from parindex.evidence.models import EvidenceFile
    from parindex.survey.models import Response

    try:
        from parindex.ops.models import PendingTask
    except ImportError:
        PendingTask = None  # noqa: N806

    facts = json.loads(Path(path).read_text())
    since = dt.datetime.fromtimestamp(facts["since"], tz=dt.UTC)
    windows = facts["windows"]
    lost: Counter[str] = Counter()  # acknowledged writes not found, by fault window
    out: dict[str, object] = {}

    # --- tasks first: let the worker drain the queue (and the kept tasks, if any)
    import django_rq
    from rq.registry import FailedJobRegistry

    queue = django_rq.get_queue("default")

    def pending() -> int:
        return PendingTask.objects.count() if PendingTask is not None else 0

    end = time.monotonic() + 60
    drained = False
    while time.monotonic() < end:
        if queue.count == 0 and pending() == 0:
            break
        if not drained and PendingTask is not None and time.monotonic() > end - 40:
            from django.core.management import call_command

            try:  # the lead's command (a timer runs it in production)
                call_command("drain_tasks")
            except Exception as exc:  # noqa: BLE001
                out["drain_tasks_error"] = str(exc)[:200]
            drained = True
        time.sleep(1)
    out["tasks_queued_after_drain"] = queue.count
    failed = FailedJobRegistry(queue=queue)
    out["tasks_failed_registry"] = failed.count
    why: Counter[str] = Counter()
    for job_id in failed.get_job_ids()[:50]:
        job = queue.fetch_job(job_id)
        exc = [
            ln
            for ln in ((getattr(job, "exc_info", None) or "").splitlines() if job else [])
            if re.match(r"[A-Za-z_][\w.]*: ", ln) and not ln.startswith(("HINT", "DETAIL"))
        ]
        why[f"{getattr(job, 'func_name', '?')}: {exc[-1][:150] if exc else '?'}"] += 1
    if why:
        out["tasks_failed_why"] = dict(why)
    out["tasks_pending_outbox"] = pending() if PendingTask is not None else "n/a (no PendingTask)"

    # --- saves: the last acknowledged value and version of each entry is stored
    acked = facts["saves"]  # [entry, value, explanation, version, window, acked at (epoch s)]
    last: dict[int, list] = {}
    for s in acked:
        if s[0] not in last or s[3] > last[s[0]][3]:
            last[s[0]] = s
    rows = {e.pk: e for e in Entry.objects.filter(pk__in=last).select_related("node")}
    missing = 0
    details: list[str] = []
    for pk, (_, value, explanation, version, w, *at) in last.items():
        e = rows.get(pk)
        if (
            e is None
            or e.version < version
            or (e.version == version and (e.value, e.explanation) != (value, explanation))
        ):
            missing += 1
            lost[windows[w]] += 1
            when = (
                time.strftime("%H:%M:%S", time.gmtime(at[0])) + f".{int(at[0] % 1 * 1000):03d}"
                if at
                else "?"
            )
            details.append(f"entry {pk}: acknowledged v{version} {explanation!r} at {when} UTC; "
                           f"stored v{getattr(e, 'version', None)} {getattr(e, 'explanation', None)!r}")  # fmt: skip
    out["saves_acknowledged"] = len(acked)
    out["entries_saved"] = len(last)
    out["saves_missing_or_different"] = missing
    if details:
        out["saves_missing_details"] = details[:20]

    # --- audit of the autosaves: each acknowledged save has its row (matched by entry and
    # its explanation, unique per save); each entry has one row per stored version
    audit = AuditEvent.objects.filter(at__gte=since)
    seen: dict[int, set[str]] = {}
    per_entry: Counter[int] = Counter()
    for oid, new in audit.filter(verb="entry.record").values_list("object_id", "new"):
        per_entry[int(oid)] += 1
        seen.setdefault(int(oid), set()).add((new or {}).get("explanation"))
    no_audit = 0
    for pk, _, explanation, _, w, *_ in acked:
        if explanation not in seen.get(pk, set()):
            no_audit += 1
            lost[windows[w]] += 1
    acked_expl = {(s[0], s[2]) for s in acked}
    out["saves_without_audit_row"] = no_audit
    out["autosave_audit_rows_not_acknowledged"] = sum(
        1 for pk, ex in seen.items() for x in ex if (pk, x) not in acked_expl
    )
    all_entries = {e.pk: e for e in Entry.objects.filter(pk__in=set(per_entry) | set(last))}
    out["entries_audit_rows_not_one_per_version"] = sum(
        1 for pk, e in all_entries.items() if per_entry.get(pk, 0) != e.version
    )

    # --- decisions: acknowledged ⊆ stored; one audit row per stored decision
    decided = facts["decisions"]  # [entry, kind, reason, window]
    stored = Counter(
        Decision.objects.filter(at__gte=since, round=1).values_list("entry_id", flat=True)
    )
    acked_per: Counter[int] = Counter(d[0] for d in decided)
    last_w = {d[0]: d[3] for d in decided}  # the window of the entry's last acknowledged one
    missing_d = 0
    for pk, n in acked_per.items():
        if stored.get(pk, 0) < n:
            missing_d += n - stored.get(pk, 0)
            lost[windows[last_w[pk]]] += n - stored.get(pk, 0)
    audit_d: Counter[int] = Counter()
    reasons: dict[int, set[str]] = {}
    for oid, reason in audit.filter(verb="appraisal.decide1").values_list("object_id", "reason"):
        audit_d[int(oid)] += 1
        reasons.setdefault(int(oid), set()).add(reason)
    no_audit_d = 0
    for pk, kind, reason, w in decided:
        if kind == "adjust" and reason not in reasons.get(pk, set()):
            no_audit_d += 1
            lost[windows[w]] += 1
    out["decisions_acknowledged"] = len(decided)
    out["decisions_missing"] = missing_d
    out["decisions_adjust_without_audit_row"] = no_audit_d
    out["decisions_audit_rows_not_one_per_decision"] = sum(
        1 for pk in set(stored) | set(audit_d) if stored.get(pk, 0) != audit_d.get(pk, 0)
    )
    current = {
        d.entry_id: d.score
        for d in Decision.objects.filter(round=1, current=True, entry_id__in=acked_per)
    }
    r1 = dict(Entry.objects.filter(pk__in=current).values_list("pk", "round1_score"))
    out["entries_round1_score_not_current_decision"] = sum(
        1 for pk, score in current.items() if r1.get(pk) != score
    )

    # --- scores and totals against the engine (the one bridge: assessments.scoring)
    touched = set(
        Entry.objects.filter(pk__in=set(last) | set(acked_per)).values_list(
            "assessment_id", flat=True
        )
    )
    periods = set(Assessment.objects.filter(pk__in=touched).values_list("period_id", flat=True))
    checked = Assessment.objects.filter(period_id__in=periods).select_related("framework")
    bad_entries = bad_totals = 0
    examples: list[str] = []
    for a in checked:
        own, final = scoring.assessment_points(a)
        engine_totals = (_stored(own.points) or 0, _stored(final) or 0)
        # None: never computed (an assessment nobody wrote to), which the engine's 0 matches
        if (a.self_points or 0, a.final_points or 0) != engine_totals:
            bad_totals += 1
            if len(examples) < 5:
                examples.append(f"assessment {a.pk} ({a.status}): stored {a.self_points} / "
                                f"{a.final_points}, engine {engine_totals[0]} / {engine_totals[1]}")  # fmt: skip
        for e in Entry.objects.filter(assessment=a).exclude(value="").select_related("node"):
            if e.self_score != _stored(own.leaves.get(e.node.code)):
                bad_entries += 1
                if len(examples) < 10:
                    examples.append(f"entry {e.pk} ({e.node.code} = {e.value!r}): stored "
                                    f"{e.self_score}, engine {own.leaves.get(e.node.code)}")  # fmt: skip
    out["assessments_checked"] = (
        f"{len(checked)} (every one of the {len(periods)} periods written to)"
    )
    out["assessment_totals_not_engine"] = bad_totals
    out["entry_self_scores_not_engine"] = bad_entries
    if examples:
        out["scores_not_engine_examples"] = examples

    # --- evidence rows ↔ bucket objects; uploads acknowledged ↔ rows ↔ audit
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
    uploads = {u[0]: u[1] for u in facts["uploads"]}  # evidence id → window
    have = set(EvidenceFile.objects.filter(pk__in=uploads).values_list("pk", flat=True))
    audited = {
        (new or {}).get("id")
        for new in audit.filter(verb="evidence.upload").values_list("new", flat=True)
    }
    for pk, w in uploads.items():
        if pk not in have or pk not in audited:
            lost[windows[w]] += 1
    all_ids = set(EvidenceFile.objects.values_list("pk", flat=True))
    out.update({
        "evidence_rows": len(names),
        "rows_without_object": len(names - keys),
        "objects_without_row": len(keys - names),
        "uploads_acknowledged": len(uploads),
        "uploads_acknowledged_without_row": len(set(uploads) - have),
        "uploads_without_audit_row": len(set(uploads) - audited),
        "upload_audit_rows_without_row": len(audited - all_ids),
    })  # fmt: skip

    # --- survey
    out["surveys_acknowledged"] = facts["surveys"]
    out["surveys_stored"] = Response.objects.filter(survey_id=facts["survey"]).count()
    # each acknowledged link (one unit per respondent) is marked answered: the mark and the
    # response are written in one transaction, so a link not marked is a response lost
    from parindex.survey.access import token_hash
    from parindex.survey.models import RespondentUnit

    answered = set(
        RespondentUnit.objects.filter(
            respondent__survey_id=facts["survey"], answered_on__isnull=False
        ).values_list("respondent__token_hash", flat=True)
    )
    gone = [p for p in facts.get("survey_paths", []) if token_hash(p[0]) not in answered]
    out["surveys_acknowledged_not_answered"] = len(gone)
    for token, w, at in gone:
        lost[windows[w]] += 1
        out.setdefault("surveys_lost_details", []).append(
            f"link …{token[-6:]} acknowledged at {time.strftime('%H:%M:%S', time.gmtime(at))} UTC"
        )
    if out["surveys_stored"] < facts["surveys"] and not gone:
        lost["survey (all windows)"] += facts["surveys"] - out["surveys_stored"]
    out["audit_rows_during_run"] = audit.count()
    out["lost_by_window"] = dict(lost)
    print(json.dumps(out, ensure_ascii=False, default=str))


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


def readable(why: str) -> str:
    """An error as a person reads it: the HTTP status and the page's <title> (or the start of
    the body), not the repr of an HTML page's first bytes."""
    m = re.search(r"""b(['"]).*\1""", why)
    if m is None:
        return why
    try:
        body = ast.literal_eval(m.group(0)).decode("utf-8", "replace")
    except (ValueError, SyntaxError):
        return why
    try:  # a JSON answer: its message
        answer = json.loads(body)
        body = str(answer.get("error") or answer.get("message") or body)
    except (ValueError, AttributeError):
        pass
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    text = " ".join((title.group(1) if title else body).split())
    return (why[: m.start()] + text)[:200]


class Recorder:
    """Latencies and errors per endpoint, per fault window; the acknowledged writes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.windows = ["baseline"]  # names, in order; facts carry the index
        self.span: dict[str, float] = {}  # seconds each window lasted
        self.notes: dict[str, str] = {}  # what the bench saw in a window (PostgreSQL PANIC…)
        self.lat: dict[str, list[float]] = {}
        self.lat_w: dict[tuple[str, str], list[float]] = {}
        self.err: dict[tuple[str, str], int] = {}
        self.count: dict[tuple[str, str], int] = {}
        self.first: dict[tuple[str, str], str] = {}
        self.saves: list[list] = []  # [entry, value, explanation, version, window]
        self.decisions: list[list] = []  # [entry, kind, reason, window]
        self.uploads: list[list] = []  # [evidence id, window]
        self.surveys = 0
        self.survey_paths: list[list] = []  # [token, window, acknowledged at]

    @property
    def window(self) -> str:
        return self.windows[-1]

    @property
    def w(self) -> int:
        return len(self.windows) - 1

    def add(self, kind: str, seconds: float, good: bool, why: str = "") -> None:
        if not good:
            why = readable(why)
        with self.lock:
            self.lat.setdefault(kind, []).append(seconds)
            key = (self.window, kind)
            self.lat_w.setdefault(key, []).append(seconds)
            self.count[key] = self.count.get(key, 0) + 1
            if not good:
                self.err[key] = self.err.get(key, 0) + 1
                self.first.setdefault(key, why[:200])


class Officer(Client):
    """One unit officer on their share of the district's entries: an autosave every
    ``pace`` s (jittered), a PDF upload instead with probability ``uploads``."""

    def __init__(self, port: int, info: dict, rec: Recorder, n: int, uploads: float) -> None:
        super().__init__(port, info, timeout=30)
        self.rec, self.rng, self.n, self.uploads = rec, random.Random(n), n, uploads

    def step(self, i: int) -> None:
        if self.rng.random() < self.uploads:
            return self.upload(i)
        path = self.info["autosave"][i % len(self.info["autosave"])]
        value = self.rng.choice(["yes", "no"])
        explanation = f"Lần {i} (cán bộ {self.n})"  # unique: the audit row is found by it
        body = urlencode({"value": value, "value2": "", "explanation": explanation,
                          "version": self.versions.get(path, 0)}).encode()  # fmt: skip
        w = self.rec.w
        t0 = time.perf_counter()
        try:
            status, data = self.request("POST", path, body)
            answer = json.loads(data) if status == 200 else {}
        except Exception as exc:  # noqa: BLE001
            status, answer, data = 0, {}, str(exc).encode()
        good = status == 200 and bool(answer.get("ok"))
        if good:
            self.versions[path] = answer["version"]
            with self.rec.lock:
                entry = int(re.findall(r"\d+", path)[-1])
                self.rec.saves.append(
                    [entry, value, explanation, answer["version"], w, time.time()]
                )
        elif status == 200:  # a conflict (someone else's version): take the server's
            self.versions[path] = answer.get("version", self.versions.get(path, 0))
        self.rec.add("autosave", time.perf_counter() - t0, good, f"{status} {data[:3000]!r}")

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
        w = self.rec.w
        t0 = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request("POST", f"/tai-lieu/muc/{entry}/tai-len/", body, headers)
            r = self.conn.getresponse()
            status, data = r.status, r.read()
            if r.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
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
                self.rec.uploads.append([results[0]["id"], w])
        why = f"{status} {results[0].get('message') or answer.get('error') or data[:3000]!r}"
        self.rec.add("upload", time.perf_counter() - t0, good, why)


def loop(stop: threading.Event, pace: float, rng: random.Random, act) -> None:  # noqa: ANN001
    """Calls ``act(i)`` every ``pace`` s on average (0.7–1.3 × pace apart, on a schedule: a
    slow answer does not lower the rate, but a late person does not burst to catch up)."""
    i = 0
    due = time.monotonic() + rng.uniform(0, pace)
    while not stop.wait(max(0.0, due - time.monotonic())):
        act(i)
        i += 1
        due = max(due + rng.uniform(0.7 * pace, 1.3 * pace), time.monotonic())


def gunicorn_workers(pid: int) -> list[int]:
    return _children(pid)


# ------------------------------------------------------------------ disk full


class Disk:
    """A size-limited tmpfs (root only) holding PostgreSQL's data dir and PARINDEX_DATA_DIR:
    the "disk of the data dir" that the disk-full window fills."""

    def __init__(self, tmp: Path, mb: int) -> None:
        self.path = tmp / "disk"
        self.mb = mb
        self.mounted = False
        self.why_not = "" if os.geteuid() == 0 else "not root (mounting a tmpfs needs root)"

    def mount(self) -> None:
        if self.why_not:
            return
        self.path.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self.mb}m,mode=0755",
                               "parindex-load", str(self.path)],
                              capture_output=True, text=True)  # fmt: skip
        if done.returncode:
            self.why_not = f"mount -t tmpfs failed: {done.stderr.strip()[:200]}"
            return
        self.mounted = True

    def used_mb(self) -> float:
        st = os.statvfs(self.path)
        return (st.f_blocks - st.f_bfree) * st.f_frsize / 2**20

    def fill(self) -> tuple[float, str]:
        """Writes a filler file until the disk refuses (ENOSPC); returns its MiB."""
        chunk = b"\0" * 2**20
        written = 0
        why = ""
        with (self.path / "filler").open("wb", buffering=0) as f:
            while written < self.mb * 2**20 * 2:
                try:
                    written += f.write(chunk)
                except OSError as exc:
                    why = exc.strerror or str(exc)
                    break
        return written / 2**20, why

    def unfill(self) -> None:
        (self.path / "filler").unlink(missing_ok=True)

    def unmount(self) -> None:
        if self.mounted:
            done = subprocess.run(["umount", str(self.path)], capture_output=True)
            if done.returncode:
                subprocess.run(["umount", "-l", str(self.path)], capture_output=True)
            self.mounted = False


def pg_alive(pg: Postgres) -> bool:
    import psycopg

    try:
        with psycopg.connect(host="127.0.0.1", port=pg.port, user="postgres", dbname="parindex",
                             connect_timeout=3) as conn:  # fmt: skip
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def pg_restart(pg: Postgres) -> None:
    """``pg_ctl restart`` with the log kept (the options come from postmaster.opts; it starts
    the server also when it is not running)."""
    subprocess.run(web.as_pg([str(pg.bin / "pg_ctl"), "-D", str(pg.dir / "data"), "-l",
                              str(pg.log or pg.dir / "server.log"), "-m", "fast", "-w", "-t", "120",
                              "restart"]),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)  # fmt: skip


def sample_waits(pg: Postgres, stop: threading.Event, waits: Counter, seconds: float) -> None:
    """Once a second in the baseline: what each busy PostgreSQL backend is doing (running,
    or waiting — for a row lock, I/O, the client…), counted for the report."""
    import psycopg

    end = time.monotonic() + seconds
    try:
        with psycopg.connect(host="127.0.0.1", port=pg.port, user="postgres",
                             dbname="parindex", autocommit=True) as conn:  # fmt: skip
            while not stop.is_set() and time.monotonic() < end:
                rows = conn.execute(
                    "SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM "
                    "pg_stat_activity WHERE datname = 'parindex' AND state = 'active' "
                    "AND pid <> pg_backend_pid()"
                ).fetchall()
                waits["samples"] += 1
                for (what,) in rows:
                    waits[what] += 1
                time.sleep(1)
    except psycopg.Error:
        pass


def pg_log(pg: Postgres) -> str:
    try:
        return (pg.log or pg.dir / "server.log").read_text(errors="replace")
    except OSError:
        return ""


def disk_full_window(rec: Recorder, pg: Postgres, disk: Disk, hold: float) -> None:
    """Fill the data dir's disk, hold ``hold`` s under load, free it; notice a PostgreSQL
    that PANICked or stopped and start it again, so the run goes on."""
    log_before = len(pg_log(pg))
    used = disk.used_mb()
    t0 = time.monotonic()
    filled, why = disk.fill()
    notes = [f"data dir {used:.0f} MiB of a {disk.mb} MiB tmpfs; filler {filled:.0f} MiB "
             f"written until “{why or 'no error'}” ({time.monotonic() - t0:.1f} s)"]  # fmt: skip
    down_at = None
    end = time.monotonic() + hold
    while time.monotonic() < end:
        if down_at is None and not pg_alive(pg):
            down_at = time.monotonic() - t0
        time.sleep(1)
    disk.unfill()
    if down_at is not None:
        notes.append(f"PostgreSQL not answering from {down_at:.0f} s into the window")
    for _ in range(10):  # crash recovery may still run
        if pg_alive(pg):
            break
        time.sleep(1)
    else:
        notes.append("PostgreSQL stopped: restarted by the bench")
        pg_restart(pg)
        if not pg_alive(pg):
            notes.append("PostgreSQL did NOT start again")
    log = pg_log(pg)[log_before:]
    panics = log.count("PANIC:")
    nospace = log.count("No space left on device")
    crashes = log.count("all server processes terminated; reinitializing")
    notes.append(f"server.log: {panics} PANIC, {crashes} crash restart, {nospace} “No space "
                 "left on device”")  # fmt: skip
    first = next((ln for ln in log.splitlines() if "PANIC:" in ln or "No space" in ln), "")
    if first:
        notes.append(f"first: {first[:160]}")
    rec.notes[rec.window] = "; ".join(notes)


def main() -> int:  # noqa: C901, PLR0912, PLR0915
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--setup", nargs=3, type=int, help=argparse.SUPPRESS)
    ap.add_argument("--check", help=argparse.SUPPRESS)
    ap.add_argument("--duration", type=float, default=180.0, help="baseline window, s")
    ap.add_argument("--officers", type=int, default=200)
    ap.add_argument("--officers-per-unit", type=int, default=4,
                    help="officers sharing one district's entries (each its own share)")  # fmt: skip
    ap.add_argument("--officer-pace", type=float, default=8.0, help="s between two actions")
    ap.add_argument("--uploads", type=float, default=0.05, help="share of actions = upload")
    ap.add_argument("--appraisers", type=int, default=50)
    ap.add_argument("--appraiser-pace", type=float, default=10.0)
    ap.add_argument("--survey-rate", type=float, default=5.0, help="responses per second")
    ap.add_argument("--public", type=int, default=10, help="visitors of the ranking page")
    ap.add_argument("--public-pace", type=float, default=5.0)
    ap.add_argument("--public-pool", type=int, default=0,
                    help="sync workers of a second gunicorn for the survey and public pages "
                         "(0: one gunicorn serves everything)")  # fmt: skip
    ap.add_argument("--redis-outage", type=float, default=60.0)
    ap.add_argument("--disk-full", type=float, default=20.0, help="s the disk stays full")
    ap.add_argument("--disk-mb", type=int, default=768, help="size of the data dir's tmpfs")
    ap.add_argument("--no-faults", action="store_true")
    ap.add_argument("--not-durable", action="store_true",
                    help="PostgreSQL with fsync, synchronous_commit and full_page_writes off "
                         "(bench/web.py's speed setting: a crash may lose acknowledged commits)")  # fmt: skip
    ap.add_argument("--faults", default="kill,pg,redis,s3,disk",
                    help="the fault windows to run, in this order (comma list)")  # fmt: skip
    ap.add_argument("--keep", action="store_true",
                    help="leave PostgreSQL running and the temp dir in place at the end")  # fmt: skip
    args = ap.parse_args()
    if args.setup:
        setup_child(*args.setup)
        return 0
    if args.check:
        check_child(args.check)
        return 0
    per_unit = max(1, args.officers_per_unit)
    units = max(-(-args.officers // per_unit), args.appraisers, 2)
    faults_s = 0 if args.no_faults else 15 + 15 + args.redis_outage + 15 + 30 + 45 + 10
    survey_clients = max(3, math.ceil(1.5 * args.survey_rate))
    respondents = int(1.2 * args.survey_rate * (args.duration + faults_s + 60)) + 10
    tmp = Path(tempfile.mkdtemp(prefix="parindex-load."))
    tmp.chmod(0o755)
    disk = Disk(tmp, args.disk_mb)
    pg, redis_, s3 = Postgres(tmp), Redis(tmp), S3(tmp)
    # durable as in production: "data lost" counts acknowledged commits, which fsync=off or
    # synchronous_commit=off may lose in a crash; the log off the disk the bench fills
    pg.durable, pg.log = not args.not_durable, tmp / "pg-server.log"
    data_dir = tmp / "data"
    gunicorn = gunicorn2 = worker = None
    try:
        disk.mount()
        if disk.mounted:
            pg.dir = disk.path / "pg"
            data_dir = disk.path / "data"
        (data_dir / "static").mkdir(parents=True)
        db_url = pg.start()
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=pg.port, user="postgres",
                             dbname="postgres", autocommit=True) as conn:  # fmt: skip
            # WAL kept small: the tmpfs holds the normal run with room to spare
            for setting in ("max_wal_size = '256MB'", "min_wal_size = '64MB'",
                            "checkpoint_timeout = '60s'"):  # fmt: skip
                conn.execute(f"ALTER SYSTEM SET {setting}")
            conn.execute("SELECT pg_reload_conf()")
        redis_.start()
        s3.start()
        env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "bench.web_settings",
               "PYTHONPATH": str(ROOT), "PARINDEX_DATA_DIR": str(data_dir),
               "SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "0", "SECURE_COOKIES": "0",
               "STATIC_MANIFEST": "0", "LOG_LEVEL": "WARNING", "DB_CONN_MAX_AGE": "600",
               "ALLOWED_HOSTS": "127.0.0.1", "REDIS_URL": redis_.url, "S3_BUCKET": BUCKET,
               "S3_ENDPOINT_URL": s3.endpoint, "S3_ACCESS_KEY": s3.key,
               "S3_SECRET_KEY": s3.secret, "S3_REGION": "us-east-1",
               # every client is 127.0.0.1 here: the per-address limits would stand for one
               # user, not the many the bench plays
               "RATE_LIMIT_SURVEY": "100000/min", "RATE_LIMIT_PUBLIC": "100000/min"}  # fmt: skip
        durable = "durable" if pg.durable else "fsync/synchronous_commit/full_page_writes off"
        print(f"PostgreSQL :{pg.port} ({durable}; {'tmpfs ' + str(args.disk_mb) + ' MiB' if disk.mounted else 'no tmpfs: ' + disk.why_not}), "
              f"Redis :{redis_.port}, S3 {s3.endpoint}; migrate…", flush=True)  # fmt: skip
        subprocess.run(
            [PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        t0 = time.perf_counter()
        made = subprocess.run([PY, __file__, "--setup", str(units), str(respondents),
                               str(per_unit)], cwd=ROOT, env=env, capture_output=True,
                              text=True)  # fmt: skip
        if made.returncode:
            sys.stderr.write(made.stderr[-4000:])
            raise SystemExit("setup thất bại")
        lines = [json.loads(x) for x in made.stdout.splitlines() if x.startswith("{")]
        data = next(x for x in lines if "clients" in x)
        pub = next(x for x in lines if "cached" in x)
        surv = next(x for x in lines if "tokens" in x)
        officers = next(x for x in lines if "officers" in x)["officers"][: args.officers]
        size0 = disk.used_mb() if disk.mounted else 0.0
        print(f"Dữ liệu: {units} huyện, {len(officers)} chuyên viên, {respondents} đường dẫn "
              f"khảo sát ({time.perf_counter() - t0:.0f} s)"
              + (f"; data dir {size0:.0f} MiB" if disk.mounted else "") + ".", flush=True)  # fmt: skip
        port = free_port(18700)
        gunicorn = subprocess.Popen(
            [PY, "-m", "gunicorn", "parindex.wsgi", "--config", str(ROOT / "deploy/gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True, stdout=(tmp / "gunicorn.log").open("ab"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        worker = subprocess.Popen(
            [PY, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "default"],
            cwd=ROOT, env=env, start_new_session=True, stdout=(tmp / "worker.log").open("ab"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        port2, gunicorn2 = port, None
        if args.public_pool:  # the survey and public pages on their own gunicorn (nginx:
            # deploy/nginx-parindex.conf's `location /khao-sat/`), as deploy/ describes
            port2 = free_port(port + 1)
            gunicorn2 = subprocess.Popen(
                [PY, "-m", "gunicorn", "parindex.wsgi", "--config", str(ROOT / "deploy/gunicorn.conf.py"),
                 "--bind", f"127.0.0.1:{port2}", "--access-logfile", "/dev/null", "--log-level", "warning"],
                cwd=ROOT, env={**env, "GUNICORN_WORKERS": str(args.public_pool)},
                start_new_session=True, stdout=(tmp / "gunicorn.log").open("ab"),
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            wait_ready(port2, gunicorn2)
        wait_ready(port, gunicorn)
        rec = Recorder()
        stop = threading.Event()
        threads = []
        for n, info in enumerate(officers):
            o = Officer(port, {**info, "table": ""}, rec, n, args.uploads)
            threads.append(threading.Thread(daemon=True, 
                target=loop, args=(stop, args.officer_pace, random.Random(n), o.step)))  # fmt: skip
        for n, info in enumerate(data["appraisal"]["clients"][: args.appraisers]):
            a = Appraiser(port, info, 30, data["appraisal"]["domain_leaves"])

            def act(i: int, a: Appraiser = a) -> None:
                leaves = a.info["decide"]
                leaf = leaves[i % len(leaves)]  # what Appraiser.decide posts for this i
                adjust = leaf["adjust"] if (i + i // len(leaves) + a.flip) % 2 else None
                kind = "adjust" if adjust is not None else "accept"
                reason = f"Hồ sơ chỉ chứng minh một phần (lần {i})." if adjust else ""
                w = rec.w
                t = time.perf_counter()
                try:
                    good = a.decide(i)
                except Exception as exc:  # noqa: BLE001
                    good, a.first_error = False, str(exc)
                if good:
                    with rec.lock:
                        rec.decisions.append([leaf["id"], kind, reason, w])
                rec.add("decide", time.perf_counter() - t, good, a.first_error)
                a.first_error = ""

            threads.append(threading.Thread(daemon=True, 
                target=loop, args=(stop, args.appraiser_pace, random.Random(100 + n), act)))  # fmt: skip
        target = Ours("ours", port2, gunicorn2 or gunicorn, pg, tokens=surv["tokens"])
        if args.survey_rate > 0:
            for n in range(survey_clients):
                r = Respondent(port2, 1000 + n)

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
                            rec.survey_paths.append([path.strip("/").split("/")[-1], rec.w,
                                                     time.time()])  # fmt: skip
                    rec.add("survey", time.perf_counter() - t, good, r.first_error)
                    r.first_error = ""

                pace = survey_clients / args.survey_rate
                threads.append(threading.Thread(daemon=True, 
                    target=loop, args=(stop, pace, random.Random(1000 + n), answer)))  # fmt: skip
        for n in range(args.public):
            v = Client(port2, {"session": "", "csrf": ""}, 30)
            v.cookie = ""

            def visit(i: int, v: Client = v) -> None:
                t = time.perf_counter()
                try:
                    status, body = v.request("GET", pub["cached"])
                    good, why = status == 200 and b'id="ranking"' in body, str(status)
                except Exception as exc:  # noqa: BLE001
                    good, why = False, str(exc)
                rec.add("public", time.perf_counter() - t, good, why)

            threads.append(threading.Thread(daemon=True, 
                target=loop, args=(stop, args.public_pace, random.Random(3000 + n), visit)))  # fmt: skip

        def pids() -> dict[str, list[int]]:
            pm = int((pg.dir / "data" / "postmaster.pid").read_text().split()[0])
            pool2 = [gunicorn2.pid, *_children(gunicorn2.pid)] if gunicorn2 else []
            return {"gunicorn": [gunicorn.pid, *_children(gunicorn.pid), *pool2],
                    "PostgreSQL": [pm, *_children(pm)],
                    "Redis": [redis_.proc.pid] if redis_.proc else [],
                    "rqworker": [worker.pid, *_children(worker.pid)],
                    "weed": [s3.proc.pid] if s3.proc else []}  # fmt: skip

        print(f"{len(threads)} client threads; baseline {args.duration:.0f} s, then the faults.",
              flush=True)  # fmt: skip
        cpu0 = {k: cpu_seconds(v) for k, v in pids().items()}
        own0 = sum(os.times()[:2])  # this process: the 260+ client threads
        since = time.time()
        t_start = time.perf_counter()
        for t in threads:
            t.start()
        waits: Counter[str] = Counter()
        threading.Thread(target=sample_waits, args=(pg, stop, waits, args.duration),
                         daemon=True).start()  # fmt: skip
        mark = [time.perf_counter()]

        def window(name: str) -> None:
            now = time.perf_counter()
            rec.span[rec.window] = now - mark[0]
            mark[0] = now
            with rec.lock:
                repeats = sum(1 for w in rec.windows if w.split(" — ")[0] == name)
                name = f"{name} — {repeats + 1}." if repeats else name  # one row each
                rec.windows.append(name)
            print(f"  {time.strftime('%H:%M:%S')} {name}", flush=True)

        time.sleep(args.duration)  # baseline window: no fault
        base_cpu = {k: cpu_seconds(v) - cpu0[k] for k, v in pids().items()}
        base_cpu["bench clients (not counted in the total)"] = sum(os.times()[:2]) - own0
        base_requests = sum(len(v) for v in rec.lat.values())
        base_elapsed = time.perf_counter() - t_start
        faults = [] if args.no_faults else [f.strip() for f in args.faults.split(",") if f.strip()]
        for fault in faults:
            if fault == "kill":
                window("kill -9 of one gunicorn worker (15 s)")
                victim = gunicorn_workers(gunicorn.pid)[0]
                os.kill(victim, signal.SIGKILL)
                time.sleep(15)
            elif fault == "pg":
                window("PostgreSQL restart -m fast (+15 s)")
                pg_restart(pg)
                time.sleep(15)
            elif fault == "redis":
                window(f"Redis stopped {args.redis_outage:.0f} s (+15 s after)")
                redis_.stop()
                time.sleep(args.redis_outage)
                redis_.start()
                time.sleep(15)
            elif fault == "s3":
                window("S3 stopped 20 s (+ its restart)")
                s3.stop()
                time.sleep(20)
                s3.start()
            elif fault == "disk" and disk.mounted:
                window(f"data dir disk full {args.disk_full:.0f} s (+15 s after)")
                disk_full_window(rec, pg, disk, args.disk_full)
                time.sleep(15)
            elif fault == "disk":
                rec.notes["disk full"] = f"skipped: {disk.why_not}"
            else:
                raise SystemExit(f"unknown fault {fault!r} (kill, pg, redis, s3, disk)")
        if faults:
            window("after")
            time.sleep(10)
        rec.span[rec.window] = time.perf_counter() - mark[0]
        stop.set()
        for t in threads:
            t.join(timeout=60)
        size1 = disk.used_mb() if disk.mounted else 0.0
        (tmp / "facts.json").write_text(json.dumps(
            {"saves": rec.saves, "uploads": rec.uploads, "decisions": rec.decisions,
             "surveys": rec.surveys, "survey_paths": rec.survey_paths,
             "survey": surv["survey"], "since": since,
             "windows": rec.windows}))  # fmt: skip
        checked = subprocess.run([PY, __file__, "--check", str(tmp / "facts.json")], cwd=ROOT,
                                 env=env, capture_output=True, text=True)  # fmt: skip
        if checked.returncode:
            sys.stderr.write(checked.stderr[-3000:])
            check = {}
        else:
            check = json.loads(checked.stdout.strip().splitlines()[-1])
        worker_log = (tmp / "worker.log").read_text(errors="replace")
        web_log = (tmp / "gunicorn.log").read_text(errors="replace")
        sizes = (size0, size1) if disk.mounted else None
        report(args, rec, base_cpu, base_requests, base_elapsed, check, worker_log,
               len(officers), units, survey_clients, sizes, web_log)  # fmt: skip
        n = waits.pop("samples", 0)
        if n:
            print(f"\nPostgreSQL's active backends in the baseline ({n} samples, mean per "
                  "sample): " + ", ".join(f"{k} {v / n:.2f}" for k, v in waits.most_common()))  # fmt: skip
        return 0
    finally:
        for p in (gunicorn, gunicorn2, worker):
            if p is not None and p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
        redis_.stop()
        s3.stop()
        if args.keep and pg.started:
            print(f"--keep: PostgreSQL still on :{pg.port} (data {pg.dir / 'data'}), temp dir "
                  f"{tmp}{' (a tmpfs at ' + str(disk.path) + ')' if disk.mounted else ''}; "
                  "stop it with pg_ctl -D … stop, then umount and remove the dir.")  # fmt: skip
        else:
            pg.stop()
            disk.unmount()
            shutil.rmtree(tmp, ignore_errors=True)


def report(args, rec, base_cpu, base_requests, base_elapsed, check, worker_log,  # noqa: ANN001, PLR0913
           officers, units, survey_clients, sizes, web_log) -> None:  # fmt: skip
    print()
    print(f"Load: {officers} officers ({args.officers_per_unit} per district, {units} districts;"
          f" one action every ~{args.officer_pace:g} s, {100 * args.uploads:g} % of them a PDF "
          f"upload), {args.appraisers} appraisers (~{args.appraiser_pace:g} s), survey "
          f"{args.survey_rate:g} responses/s ({survey_clients} clients), {args.public} public "
          f"visitors (~{args.public_pace:g} s); baseline {args.duration:.0f} s; "
          + (f"survey and public pages on their own gunicorn ({args.public_pool} workers); "
             if args.public_pool else "")
          + f"{os.cpu_count()} CPU, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")  # fmt: skip
    if sizes:
        print(f"Data dir on a {args.disk_mb} MiB tmpfs: {sizes[0]:.0f} MiB after setup, "
              f"{sizes[1]:.0f} MiB at the end.")  # fmt: skip
    print()

    def p(lat: list[float], q: float) -> float:
        return 1000 * lat[max(0, int(q * len(lat)) - 1)]

    base_s = rec.span.get("baseline", 1.0)
    print("| endpoint (baseline, no fault) | requests | req/s | errors | p50 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for (w, kind), lat in sorted(rec.lat_w.items()):
        if w != "baseline":
            continue
        lat = sorted(lat)
        print(f"| {kind} | {len(lat)} | {len(lat) / base_s:.1f} | "
              f"{rec.err.get((w, kind), 0)} | {1000 * statistics.median(lat):.0f} | "
              f"{p(lat, 0.95):.0f} |")  # fmt: skip
    print()
    print("| endpoint (whole run, faults included) | requests | errors | p50 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for kind, lat in sorted(rec.lat.items()):
        lat = sorted(lat)
        errors = sum(v for (_, k), v in rec.err.items() if k == kind)
        print(f"| {kind} | {len(lat)} | {errors} | {1000 * statistics.median(lat):.0f} | "
              f"{p(lat, 0.95):.0f} |")  # fmt: skip
    print()
    n = max(1, base_requests)
    server = sum(v for k, v in base_cpu.items() if not k.startswith("bench"))
    print(f"CPU per request in the baseline window ({base_requests} requests, "
          f"{base_requests / base_elapsed:.1f}/s), ms: "
          + ", ".join(f"{k} {1000 * v / n:.1f}" for k, v in base_cpu.items())
          + f" (total {1000 * server / n:.1f}; {server / base_elapsed:.2f} cores busy)")  # fmt: skip
    print()
    lost = check.get("lost_by_window", {})
    print("| fault window | s | requests | errors users saw | data lost | notes |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    names = list(rec.windows) + [k for k in rec.notes if k not in rec.windows]
    for w in names:
        total = sum(v for (win, _), v in rec.count.items() if win == w)
        errs = {k: v for (win, k), v in rec.err.items() if win == w}
        e = sum(errs.values())
        detail = ", ".join(f"{k} {v}" for k, v in sorted(errs.items()))
        lost_w = lost.get(w, 0) if check else "?"
        note = rec.notes.get(w, "")
        print(f"| {w} | {rec.span.get(w, 0):.0f} | {total} | {e} / {total}"
              f"{' (' + detail + ')' if detail else ''} | {lost_w} | {note} |")  # fmt: skip
    print()
    print("| fault window | endpoint | requests | errors | first error |")
    print("| --- | --- | ---: | ---: | --- |")
    for (window, kind), count in rec.count.items():
        e = rec.err.get((window, kind), 0)
        if not e:
            continue
        first = rec.first.get((window, kind), "").replace("|", "/").replace("\n", " ")
        print(f"| {window} | {kind} | {count} | {e} | {first[:160]} |")
    print()
    print("Consistency:")
    for k, v in check.items():
        print(f"- {k}: {v}")
    if not check:
        print("- the check child FAILED (its stderr above)")
    print()
    errors = web_log.count("Internal Server Error:")
    print(f"gunicorn log: {errors} “Internal Server Error”, "
          f"{web_log.count('was sent SIGKILL')} worker killed; tracebacks by their last "
          "exception line (a 503 is logged with its traceback too):")  # fmt: skip
    for count, key in exception_lines(web_log):
        print(f"- {count} × {key}")
    fails = worker_log.count("Traceback")
    print(
        f"RQ worker log: {fails} tracebacks, {worker_log.count('Successfully completed')} jobs done"
        + ("; last exception lines:" if fails else "")
    )
    for count, key in exception_lines(worker_log):
        print(f"- {count} × {key}")


def exception_lines(log: str) -> list[tuple[int, str]]:
    """The last exception line of each traceback in a log, counted, most frequent first."""
    last: dict[str, int] = {}
    records = re.split(r"\n(?=\d{2}:\d\d:\d\d |\d{4}-\d\d-\d\d \d|\[\d{4}-)", log)
    for record in records:
        if "Traceback" not in record:
            continue
        final = [ln for ln in record.splitlines()
                 if re.match(r"[A-Za-z_][\w.]*: ", ln) and not ln.startswith(("HINT", "DETAIL"))]  # fmt: skip
        if final:
            key = re.sub(r'"[^"]*/\d+"', '"…"', final[-1])[:150]  # file names of one table
            last[key] = last.get(key, 0) + 1
    return sorted(((v, k) for k, v in last.items()), reverse=True)[:8]


if __name__ == "__main__":
    sys.exit(main())
