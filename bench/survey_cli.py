"""Benchmark of ``parindex survey`` against a bare CSV-reading baseline.

Run: ``.venv/bin/python bench/survey_cli.py`` (``--responses N`` to change the size).
Writes into a temporary directory the public example's survey (``so-demo-survey.yaml``: 4
groups, 14 questions, 10 survey criteria, 5 SIPAS factors) with every question asked of
every group, and responses about 20 units — 80,000 by default, each answering 14 questions
(one in a hundred left out), ≈ 1.1 million rows, 2 % void — then
runs, each in its own subprocess: ``parindex survey SURVEY RESPONSES -o out.json`` (and
``--format values``), and a baseline that only reads the same file with ``csv.reader`` and
counts the rows per answer. Peak memory is the child's ``ru_maxrss``, read from
``resource.getrusage(RUSAGE_CHILDREN)`` (the largest child so far: the baseline runs first).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = Path("/work/shared/spec/examples/so-demo-survey.yaml")
if not EXAMPLE.is_file():  # pragma: no cover - the spec may be vendored into the repo later
    EXAMPLE = ROOT / "docs" / "spec" / "examples" / "so-demo-survey.yaml"
BASELINE = r"""
import csv, sys
from collections import Counter
counts = Counter()
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    reader = csv.reader(f)
    next(reader)
    for row in reader:
        counts[row[4]] += 1
print(sum(counts.values()))
"""
UNITS = 20


def generate(directory: Path, responses: int) -> tuple[Path, Path, int]:
    """The survey and a responses CSV; returns their paths and the number of rows."""
    survey = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for question in survey["questions"]:
        question.pop("groups", None)  # asked of everyone: 14 answers a response
    survey_path = directory / "survey.yaml"
    survey_path.write_text(yaml.safe_dump(survey, allow_unicode=True), encoding="utf-8")
    scale = [o["key"] for o in survey["scale"]]
    groups = [g["code"] for g in survey["groups"]]
    questions = [(q["code"], [o["key"] for o in q.get("options", [])] or scale)
                 for q in survey["questions"]]  # fmt: skip
    units = [f"DV{u:03d}" for u in range(UNITS)]
    rnd = random.Random(responses)
    path = directory / "responses.csv"
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("response,group,unit,question,answer,status\n")
        for r in range(responses):
            # people (DAN) are most respondents
            group = "DAN" if rnd.random() < 0.9 else rnd.choice(groups[:3])
            unit = rnd.choice(units)
            status = "void" if rnd.random() < 0.02 else ""
            lines = []
            for code, keys in questions:
                if rnd.random() < 0.99:
                    lines.append(f"P{r:06d},{group},{unit},{code},{rnd.choice(keys)},{status}\n")
            out.write("".join(lines))
            rows += len(lines)
    return survey_path, path, rows


def measure(argv: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB of the largest child so far) of one child process."""
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{argv} failed: {proc.stderr.decode()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=80_000)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        survey, responses, rows = generate(directory, args.responses)
        size = responses.stat().st_size / 2**20
        print(f"{args.responses} responses, {rows} rows, {size:.1f} MiB, {UNITS} units")
        command = [sys.executable, "-m", "parindex.cli", "survey", str(survey), str(responses)]
        runs = [
            ("survey json", [*command, "-o", str(directory / "out.json")]),
            ("survey values", [*command, "--format", "values", "-o", str(directory / "v.csv")]),
        ]
        print(f"{'run':14} {'s':>7} {'peak MiB':>9} {'ratio':>6}")
        # the baseline first: RUSAGE_CHILDREN keeps the largest child so far
        t_base, m_base = measure([sys.executable, "-c", BASELINE, str(responses)])
        print(f"{'csv.reader':14} {t_base:>7.2f} {m_base:>9.0f} {1:>6.2f}")
        for name, argv in runs:
            seconds, peak = measure(argv)
            print(f"{name:14} {seconds:>7.2f} {peak:>9.0f} {seconds / t_base:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
