"""National-scale open data (issue 9 §8): the open-data bundle of 12,600 units × 90 leaves
(1,134,000 entries) through the app's own path, beside the bare calculator on the same file.

Run: ``.venv/bin/python bench/national.py [--units 12600] [--runs 2]`` from the repository
root. SQLite in a temporary directory by default; ``--pg`` for PostgreSQL: the database of
``DATABASE_URL`` (an empty one) when it is set, else a throwaway cluster as bench/web.py
starts it (stopped at the end).

1. The national-scale file is bench/calc.py's (``calc.generate``: its 90-leaf framework, every
   rule type, and values for every unit × leaf, with a units file of names).
2. The dataset is stored as the app would have stored it at the chair's approval: through the
   services where they are cheap — block, province, Sở Nội vụ (the organizer), the framework
   imported from the same YAML spec and activated, the period with its calendar — and the
   rest with ``bulk_create`` in batches, mirroring the services' rows: the units (``path``
   as ``unit_create`` sets it), one assessment per unit (``Đã phê duyệt``) with one entry per
   leaf (``assessment_create``), each entry with the declared value(s) and the self score and
   Không áp dụng the autosave computes (``entry_record``: ``evaluate_leaf``, a relative leaf
   without a self score), the survey leaves' points as the survey stores them
   (``survey_score``, 6 decimals); then the approval's snapshot computed by the app's own
   ``results_snapshot`` (what ``chair_approve`` freezes) and the decision's number, date and
   signer on ``PeriodAppraisal``. Not stored (the open data do not read them): the audit rows,
   the status history, the assessments' stored totals.
3. Measured, each in its own child process (wall time, peak RSS = the child's ``ru_maxrss``
   from ``os.wait4``), alternately ``--runs`` times:
   (a) ``parindex publish-data --year Y --block so --out DIR`` (Django start, ``build_bundle``
       with its own recompute check, files written) — the app's path end to end;
   (b) ``parindex score fw.yaml values.csv --units units.csv -o out.json`` on bench/calc.py's
       generated files — the engine alone (as bench/calc.py), the ratio's base.
4. Checked: ``parindex score framework.yaml values.csv --units units.csv`` on the written
   files gives the bundle's results.json byte for byte, and that results.json is (b)'s
   out.json byte for byte (the bundle publishes what the calculator computes on the file).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BATCH = 5000


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(argv)} failed:\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def build(directory: Path, units: int) -> dict[str, object]:
    """The dataset in the configured database (Django set up); what the runs need."""
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat
    from django.utils import timezone

    from bench.calc import make_framework
    from parindex.accounts.models import Unit
    from parindex.accounts.services import block_create, unit_create
    from parindex.appraisal.models import PeriodAppraisal
    from parindex.appraisal.services.approval import results_snapshot
    from parindex.assessments.models import SCORE_DECIMALS, Assessment, Entry, Status
    from parindex.assessments.services.locking import _stored
    from parindex.engine import RelativeRule, evaluate_leaf
    from parindex.frameworks.models import FrameworkNode
    from parindex.frameworks.selectors import framework_to_engine
    from parindex.frameworks.services import framework_activate, framework_import
    from parindex.periods.models import Phase
    from parindex.periods.services import period_create

    times: dict[str, float] = {}
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    times["migrate"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    today = timezone.localdate()
    so = block_create(actor=None, code="so", name="Khối sở", position=1)
    root = unit_create(actor=None, code="VN", name="Toàn quốc", kind=Unit.Kind.PROVINCE)
    snv = unit_create(
        actor=None, code="SNV", name="Sở Nội vụ", kind=Unit.Kind.DEPARTMENT, parent=root,
        admin_root=root,
    )  # fmt: skip
    spec = make_framework()  # bench/calc.py's framework (its fw.yaml), this year's version
    spec.update(year=today.year)
    fw = framework_import(actor=None, owner=snv, data=spec, source="bench")
    framework_activate(actor=None, framework=fw)
    d = dt.timedelta
    calendar = {
        Phase.PREPARATION: (today - d(90), today - d(81)),
        Phase.SELF_ASSESSMENT: (today - d(80), today - d(61)),
        Phase.APPRAISAL_1: (today - d(60), today - d(51)),
        Phase.SUPPLEMENT: (today - d(50), today - d(41)),
        Phase.APPRAISAL_2: (today - d(40), today - d(31)),
        Phase.CONSOLIDATION: (today - d(30), today - d(21)),
        Phase.APPROVAL: (today - d(20), today + d(10)),
        Phase.ARCHIVE: (today + d(11), today + d(100)),
    }
    period = period_create(
        actor=None, organizer=snv, year=today.year, name=f"Chỉ số CCHC năm {today.year} (quốc gia)",
        blocks=[(so, fw)], calendar=calendar,
    )  # fmt: skip
    times["services"] = time.perf_counter() - t0

    # units and assessments, as unit_create / assessment_create store them
    t0 = time.perf_counter()
    names: list[tuple[str, str]] = []
    with open(directory / f"units-{units}.csv", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        names = [(row[0], row[1]) for row in reader]
    now = timezone.now()
    sent = now - d(70)
    with transaction.atomic():
        Unit.objects.bulk_create(
            [
                Unit(
                    code=code,
                    name=name,
                    kind=Unit.Kind.DEPARTMENT,
                    parent=root,
                    block=so,
                    position=i,
                )  # fmt: skip
                for i, (code, name) in enumerate(names)
            ],
            batch_size=BATCH,
        )
        Unit.objects.filter(parent=root, block=so).update(
            path=Concat(Value(root.path), Cast("id", CharField()), Value("/"))
        )
        unit_ids = dict(
            Unit.objects.filter(parent=root, block=so).values_list("code", "id").order_by()
        )
        Assessment.objects.bulk_create(
            [
                Assessment(
                    period=period,
                    unit_id=unit_ids[code],
                    framework=fw,
                    status=Status.FINALIZED,
                    submitted_at=sent,
                )  # fmt: skip
                for code, _name in names
            ],
            batch_size=BATCH,
        )
    assessment_ids = dict(
        Assessment.objects.filter(period=period).values_list("unit__code", "id").order_by()
    )
    times["units + assessments"] = time.perf_counter() - t0

    # entries: one per leaf, the declared values and the self score as entry_record stores them
    t0 = time.perf_counter()
    engine_fw = framework_to_engine(fw)
    leaves = {
        n.code: n
        for n in FrameworkNode.objects.filter(framework=fw).exclude(rule_type="").only("pk", "code")
    }
    nodes = {code: engine_fw.node(code) for code in leaves}
    quantum = Decimal(1).scaleb(-SCORE_DECIMALS)
    cache: dict[tuple[str, str, str], tuple[Decimal | None, bool]] = {}

    def self_score(code: str, value: str, value2: str) -> tuple[Decimal | None, bool]:
        key = (code, value, value2)
        hit = cache.get(key)
        if hit is None:
            node = nodes[code]
            points = evaluate_leaf(node, value, value2)
            not_applicable = points is None
            if isinstance(node.rule, RelativeRule):
                points = None  # computed at consolidation (entry_record)
            hit = cache[key] = (_stored(points), not_applicable)
        return hit

    n_entries = 0
    with (
        transaction.atomic(),
        open(directory / f"values-{units}.csv", encoding="utf-8", newline="") as f,
    ):
        reader = csv.reader(f)
        next(reader)
        batch: list[Entry] = []
        for unit, code, value, value2 in reader:
            node = leaves[code]
            entry = Entry(assessment_id=assessment_ids[unit], node_id=node.pk, version=1)
            if nodes[code].source == "survey":  # the survey's points (survey_score)
                entry.survey_score = Decimal(value).quantize(quantum)
            else:
                entry.value, entry.value2 = value, value2
                entry.self_score, entry.not_applicable = self_score(code, value, value2)
            batch.append(entry)
            if len(batch) >= BATCH:
                Entry.objects.bulk_create(batch)
                n_entries += len(batch)
                batch = []
        Entry.objects.bulk_create(batch)
        n_entries += len(batch)
    times["entries"] = time.perf_counter() - t0

    # the approval: the app's own snapshot, as chair_approve freezes it, and the decision
    t0 = time.perf_counter()
    frozen = results_snapshot(period)
    times["results_snapshot"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    PeriodAppraisal.objects.update_or_create(
        period=period,
        defaults={
            "review": PeriodAppraisal.Review.APPROVED,
            "submitted_at": now - d(15),
            "approved_at": now - d(10),
            "snapshot": frozen,
            "decision_number": "1/QĐ-BNV",
            "decision_date": today - d(5),
            "decision_signer": "Bench",
        },
    )
    times["approval row"] = time.perf_counter() - t0
    del frozen
    connection.close()
    return {"year": today.year, "entries": n_entries, "times": times, "vendor": connection.vendor}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=12_600)
    parser.add_argument("--runs", type=int, default=2, help="alternate (a) and (b) this often")
    parser.add_argument("--pg", action="store_true", help="PostgreSQL (DATABASE_URL or a temp one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--reuse", metavar="DIR", help="measure again on the directory a --keep run left (SQLite)"
    )
    parser.add_argument("--build", help=argparse.SUPPRESS)  # the child: build in this directory
    parser.add_argument("--info", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        info = build(Path(args.build), args.units)
        Path(args.info).write_text(json.dumps(info), encoding="utf-8")
        return 0

    from bench.calc import generate

    reuse = Path(args.reuse) if args.reuse else None
    tmp = reuse or Path(tempfile.mkdtemp(prefix="parindex-bench-national-"))
    tmp.chmod(0o755)
    env = dict(os.environ)
    env.update(
        PARINDEX_DATA_DIR=str(tmp / "data"),
        SECRET_KEY="bench-national-" + "x" * 40,
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="parindex.settings",
        PYTHONPATH=str(ROOT),
    )
    pg = None
    if not args.pg:
        env.pop("DATABASE_URL", None)
    elif not env.get("DATABASE_URL"):
        from bench.web import Postgres

        pg = Postgres(tmp)
        env["DATABASE_URL"] = pg.start()
    os.environ.clear()
    os.environ.update(env)
    try:
        info_path = tmp / "build.json"
        fw_yaml, values, names = (
            tmp / "fw.yaml", tmp / f"values-{args.units}.csv", tmp / f"units-{args.units}.csv"
        )  # fmt: skip
        if reuse is None:
            t0 = time.perf_counter()
            generate(tmp, args.units)
            gen_s = time.perf_counter() - t0
            # the database in a child process: this one stays small, and its children's peak
            # RSS (inherited across fork and exec) is theirs, not the build's
            build_s, build_rss = measure(
                [sys.executable, str(Path(__file__).resolve()), "--build", str(tmp),
                 "--units", str(args.units), "--info", str(info_path)],
                env,
            )  # fmt: skip
            info = json.loads(info_path.read_text(encoding="utf-8"))
            info.update(generate_s=gen_s, build_s=build_s, build_rss=build_rss)
            info_path.write_text(json.dumps(info), encoding="utf-8")
        else:
            info = json.loads(info_path.read_text(encoding="utf-8"))
        py = sys.executable
        out = tmp / "out"
        score_out = tmp / "score.json"
        publish = [py, "-m", "parindex.cli", "publish-data", "--year", str(info["year"]),
                   "--block", "so", "--organizer", "SNV", "--out", str(out)]  # fmt: skip
        score = [py, "-m", "parindex.cli", "score", str(fw_yaml), str(values),
                 "--units", str(names), "-o", str(score_out)]  # fmt: skip
        runs: list[tuple[str, float, float]] = []
        for _ in range(args.runs):
            if out.exists():
                shutil.rmtree(out)
            runs.append(("publish-data", *measure(publish, env)))
            runs.append(("score", *measure(score, env)))

        # the checks
        again = tmp / "recomputed.json"
        measure(
            [py, "-m", "parindex.cli", "score", str(out / "framework.yaml"),
             str(out / "values.csv"), "--units", str(out / "units.csv"), "-o", str(again)],
            env,
        )  # fmt: skip
        published = (out / "results.json").read_bytes()
        recompute_ok = again.read_bytes() == published
        same_as_file = score_out.read_bytes() == published
        sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir())}

        load = os.getloadavg()
        vendor = info["vendor"]
        print(
            f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {vendor}, "
            f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
        )
        print(
            f"{args.units} units × 90 leaves = {info['entries']:,} entries; files generated in "
            f"{info['generate_s']:.1f} s; database built in {info['build_s']:.1f} s ("
            + ", ".join(f"{k} {v:.1f} s" for k, v in info["times"].items())
            + f"), peak {info['build_rss']:.0f} MiB"
            + (" (reused)" if reuse else "")
        )
        print("| run | # | s | peak MiB |")
        print("| --- | ---: | ---: | ---: |")
        for i, (name, secs, mib) in enumerate(runs):
            print(f"| {name} | {i // 2 + 1} | {secs:.2f} | {mib:.0f} |")
        pub = [s for n, s, _ in runs if n == "publish-data"]
        base = [s for n, s, _ in runs if n == "score"]
        ratios = [p / b for p, b in zip(pub, base, strict=True)]
        print(
            f"publish-data {min(pub):.2f}–{max(pub):.2f} s, score {min(base):.2f}–{max(base):.2f} s, "
            f"ratio {min(ratios):.2f}–{max(ratios):.2f}"
        )
        print("files (bytes):", ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
        print(f"check: parindex score on the written files == results.json: {recompute_ok}")
        print(f"check: results.json == parindex score on bench/calc.py's file: {same_as_file}")
        return 0 if recompute_ok and same_as_file else 1
    finally:
        if pg is not None:
            pg.stop()
        if args.keep or reuse:
            print("kept:", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
