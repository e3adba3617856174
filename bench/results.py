"""Results benchmark (issue 9): a block's results and its open data, side by side in one run
with a raw SQL read of the same entries.

Run: ``.venv/bin/python bench/results.py [--units 45]`` (from the repository root; SQLite in a
temporary directory, or the database of ``DATABASE_URL`` if set — an empty one).

Builds through the services a province with one block of ``--units`` units on the bench
framework of ``bench/calc.py`` (90 leaves, every rule type), fills every entry with values as
``calc.py`` draws them, marks the assessments appraised, then measures (median of the runs):

- ``raw SQL``: ``SELECT`` of the block's entries (assessment, leaf code, value, value2, scores);
- ``results_document``: the block's results computed by the bridge and the engine (what the
  consolidation's preview and the chair's approval compute);
- ``period_results``: the organizer's results page's selector (ranking, bands, component
  indices, self stage, survey points) before the approval;
- ``build_bundle``: after the approval, the open data of the block (framework.yaml, units.csv,
  values.csv, results.json, manifest.json) including its recompute check by the calculator.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=45)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="parindex-bench-results-")
    os.environ.setdefault("PARINDEX_DATA_DIR", tmp)
    os.environ.setdefault("SECRET_KEY", "bench-results-" + "x" * 40)
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.calc import KINDS, make_framework, value_for
    from parindex.accounts.models import Unit
    from parindex.accounts.services import block_create, unit_create
    from parindex.appraisal.models import PeriodAppraisal
    from parindex.appraisal.services.approval import results_snapshot
    from parindex.assessments import scoring
    from parindex.assessments.models import Assessment, Entry, Status
    from parindex.assessments.participation import period_add_units
    from parindex.frameworks.services import framework_activate, framework_import
    from parindex.periods.models import Phase
    from parindex.periods.services import period_create
    from parindex.results import opendata
    from parindex.results.selectors import period_results

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    t0 = time.perf_counter()
    today = timezone.localdate()
    so = block_create(actor=None, code="so", name="Khối sở", position=1)
    root = unit_create(actor=None, code="HY", name="Tỉnh Hưng Yên", kind=Unit.Kind.PROVINCE)
    snv = unit_create(
        actor=None, code="SNV", name="Sở Nội vụ", kind=Unit.Kind.DEPARTMENT, parent=root,
        admin_root=root,
    )  # fmt: skip
    spec = make_framework()
    spec.update(code="BENCH", year=today.year, block="so")
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
        actor=None, organizer=snv, year=today.year, name=f"Chỉ số CCHC năm {today.year} (bench)",
        blocks=[(so, fw)], calendar=calendar,
    )  # fmt: skip
    units = [
        unit_create(
            actor=None,
            code=f"DV{u:05d}",
            name=f"Đơn vị số {u}",
            kind=Unit.Kind.DEPARTMENT,
            parent=root,
            block=so,
        )  # fmt: skip
        for u in range(args.units)
    ]
    period_add_units(actor=None, period=period, units=units)
    kinds = {
        f"{dd}.{c}": KINDS[((dd - 1) * 10 + c - 1) % len(KINDS)]
        for dd in range(1, 10)
        for c in range(1, 11)
    }
    rnd = random.Random(args.units)
    entries = list(Entry.objects.filter(assessment__period=period).select_related("node"))
    for e in entries:
        kind = kinds.get(e.node.code)
        if kind is None:
            continue
        if kind == "survey":
            e.survey_score = Decimal_(rnd.random())
        else:
            e.value, e.value2 = value_for(kind, rnd)
    Entry.objects.bulk_update(entries, ["value", "value2", "survey_score"], batch_size=2000)
    Assessment.objects.filter(period=period).update(status=Status.APPRAISED)
    setup_s = time.perf_counter() - t0
    items = list(
        Assessment.objects.filter(period=period).select_related("unit", "framework", "period")
    )
    sql = (
        "SELECT e.assessment_id, n.code, e.value, e.value2, e.round1_score, e.round2_score, "
        "e.survey_score FROM assessments_entry e JOIN frameworks_frameworknode n "
        "ON n.id = e.node_id WHERE e.assessment_id IN "
        "(SELECT id FROM assessments_assessment WHERE period_id = %s)"
    )

    def raw() -> None:
        with connection.cursor() as cur:
            cur.execute(sql, [period.pk])
            cur.fetchall()

    rows = []
    base = _median(raw, args.runs)
    rows.append(("raw SQL read of the entries", base))
    scoring.results_document(items)  # warm the framework cache
    rows.append(
        (
            "results_document (bridge + engine)",
            _median(lambda: scoring.results_document(items), args.runs),
        )
    )
    rows.append(
        (
            "period_results (results page selector)",
            _median(lambda: period_results(period), args.runs),
        )
    )
    snapshot = results_snapshot(period)
    PeriodAppraisal.objects.update_or_create(
        period=period,
        defaults={
            "review": PeriodAppraisal.Review.APPROVED,
            "snapshot": snapshot,
            "approved_at": timezone.now(),
        },
    )
    bundle = opendata.build_bundle(period, "so")
    sizes = {name: len(content) for name, content in bundle.files.items()}
    rows.append(
        (
            "build_bundle (open data + recompute check)",
            _median(lambda: opendata.build_bundle(period, "so"), max(1, args.runs // 2)),
        )
    )
    n_entries = len(entries)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {vendor}, load {os.getloadavg()[0]:.1f}"
    )
    print(f"{args.units} units × 90 leaves = {n_entries} entries; setup {setup_s:.1f} s")
    print("| run | ms (median) | ratio to raw SQL |")
    print("| --- | ---: | ---: |")
    for name, secs in rows:
        print(f"| {name} | {secs * 1000:.1f} | {secs / base:.1f} |")
    print("open data files (bytes):", json.dumps(sizes))
    return 0


def Decimal_(x: float):  # noqa: N802 - a survey score as the survey stores it (6 decimals)
    from decimal import Decimal

    return Decimal(f"{x:.6f}")


if __name__ == "__main__":
    raise SystemExit(main())
