"""Benchmark of ``parindex score`` against a bare CSV-reading baseline.

Run: ``.venv/bin/python bench/calc.py`` (add ``--scales province`` for the small one only).
Generates a framework of 90 leaves mixing every rule type and values for 45 units
(province) and 12,600 units (national) into a temporary directory, then runs, each in its
own subprocess: ``parindex score FW VALUES --units UNITS -o out.json`` and a baseline that
only reads the same CSV with the csv module and sums the values as Decimal.
Peak memory is the child's ``ru_maxrss`` (``os.wait4``).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SCALES = {"province": 45, "national": 12_600}
BASELINE = r"""
import csv, sys
from decimal import Decimal, InvalidOperation
total = Decimal(0)
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    reader = csv.reader(f)
    next(reader)
    for row in reader:
        for cell in row[2:4]:
            try:
                total += Decimal(cell)
            except InvalidOperation:
                pass
print(total)
"""
KINDS = [
    "choice",
    "boolean",
    "number",
    "ratio_p",
    "ratio_s",
    "count",
    "deduction",
    "relative",
    "survey",
]


def make_framework() -> dict[str, object]:
    nodes = []
    leaf_no = 0
    for d in range(1, 10):
        children = []
        for c in range(1, 11):
            kind = KINDS[leaf_no % len(KINDS)]
            leaf_no += 1
            code = f"{d}.{c}"
            node: dict[str, object] = {"code": code, "title": f"Tiêu chí {code}", "max": 1}
            if kind == "choice":
                node["rule"] = {
                    "type": "choice",
                    "options": [
                        {"key": "a", "label": "Đạt", "points": 1},
                        {"key": "b", "label": "Chậm", "points": 0.5},
                        {"key": "c", "label": "Không", "points": 0},
                    ],
                }
            elif kind == "ratio_p":
                node["rule"] = {"type": "ratio", "mode": "proportional", "when_zero": "na"}
            elif kind == "ratio_s":
                node["rule"] = {
                    "type": "ratio",
                    "mode": "steps",
                    "steps": [{"min_percent": 90, "points": 1}, {"min_percent": 70, "points": 0.5}],
                }
            elif kind == "count":
                node["rule"] = {"type": "count", "per": 0.25}
            elif kind == "deduction":
                node["rule"] = {"type": "deduction", "per": 0.5, "floor": -0.5}
            elif kind == "survey":
                node["rule"] = {"type": "survey"}
                node["source"] = "survey"
            else:
                node["rule"] = {"type": kind}
            if kind == "boolean":
                node["allow_na"] = True
            children.append(node)
        nodes.append({"code": str(d), "title": f"Lĩnh vực {d}", "children": children})
    return {
        "format": "parindex.framework/v1",
        "code": "BENCH",
        "title": "Bộ tiêu chí đo hiệu năng",
        "year": 2024,
        "block": "so",
        "bands": [
            {"min": 90, "label": "Xuất sắc"},
            {"min": 70, "label": "Khá"},
            {"min": 0, "label": "Yếu"},
        ],
        "nodes": nodes,
    }


def value_for(kind: str, rnd: random.Random) -> tuple[str, str]:
    if kind == "choice":
        return rnd.choice("abc"), ""
    if kind == "boolean":
        return rnd.choice(["có", "không", "NA"]) if rnd.random() < 0.05 else "có", ""
    if kind == "number":
        return f"{rnd.randint(0, 100) / 100:.2f}", ""
    if kind in ("ratio_p", "ratio_s"):
        den = rnd.randint(0, 1200)
        return str(rnd.randint(0, den)), str(den)
    if kind in ("count", "deduction"):
        return str(rnd.randint(0, 5)), ""
    if kind == "relative":
        return f"{rnd.uniform(0, 50):.1f}", ""
    return f"{rnd.random():.4f}", ""


def generate(directory: Path, units: int) -> tuple[Path, Path, Path]:
    rnd = random.Random(units)
    fw_path = directory / "fw.yaml"
    fw_path.write_text(yaml.safe_dump(make_framework(), allow_unicode=True), encoding="utf-8")
    leaves = [
        (f"{d}.{c}", KINDS[((d - 1) * 10 + c - 1) % len(KINDS)])
        for d in range(1, 10)
        for c in range(1, 11)
    ]
    values = directory / f"values-{units}.csv"
    names = directory / f"units-{units}.csv"
    with open(values, "w", encoding="utf-8") as out, open(names, "w", encoding="utf-8") as un:
        out.write("unit,criterion,value,value2\n")
        un.write("code,name\n")
        for u in range(units):
            code = f"DV{u:05d}"
            un.write(f"{code},Đơn vị số {u}\n")
            lines = []
            for leaf, kind in leaves:
                value, value2 = value_for(kind, rnd)
                lines.append(f"{code},{leaf},{value},{value2}\n")
            out.write("".join(lines))
    return fw_path, values, names


def measure(argv: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", nargs="+", choices=list(SCALES), default=list(SCALES))
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(
        f"{'scale':10} {'units':>6} {'rows':>9} {'ours s':>8} {'ours MiB':>9} {'base s':>8} {'base MiB':>9} {'ratio':>6}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        for scale in args.scales:
            units = SCALES[scale]
            fw, values, names = generate(directory, units)
            out = directory / f"out-{units}.json"
            ours = [
                sys.executable,
                "-m",
                "parindex.cli",
                "score",
                str(fw),
                str(values),
                "--units",
                str(names),
                "-o",
                str(out),
            ]
            base = [sys.executable, "-c", BASELINE, str(values)]
            t_ours, m_ours = measure(ours)
            t_base, m_base = measure(base)
            print(
                f"{scale:10} {units:>6} {units * 90:>9} {t_ours:>8.2f} {m_ours:>9.0f} "
                f"{t_base:>8.2f} {m_base:>9.0f} {t_ours / t_base:>6.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
