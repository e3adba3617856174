"""Run ``parindex restore`` / ``parindex backup`` in a child process on another database
(a SQLite file under its own PARINDEX_DATA_DIR), so the restore meets an empty database
outside the test's transaction, whatever engine the tests run on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(data_dir: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "S3_BUCKET", "MEDIA_ROOT", "REDIS_URL"}
        and not k.startswith("PYTEST")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="parindex.settings",
        PARINDEX_DATA_DIR=str(data_dir),
        PYTHONPATH=str(ROOT),
    )
    return subprocess.run(
        [sys.executable, "-m", "parindex.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def tables(m: dict) -> dict[str, tuple[int, str]]:
    return {t["model"]: (t["rows"], t["content_sha256"]) for t in m["tables"]}


def files(m: dict) -> dict[str, str]:
    return {f["name"]: f["sha256"] for f in m["files"]["items"]}


def assert_same_backup(source: dict, copy: dict) -> None:
    """The copy (a backup of the restored database) holds the source's rows and files; the
    audit trail has one more row, the restore's own."""
    a, b = tables(source), tables(copy)
    assert set(a) == set(b)
    audit_a, audit_b = a.pop("audit.auditevent"), b.pop("audit.auditevent")
    assert audit_b[0] == audit_a[0] + 1
    assert a == b
    assert files(copy) == files(source)
