"""Run ``parindex restore`` / ``parindex backup`` in a child process on another database
(a SQLite file under its own PARINDEX_DATA_DIR), so the restore meets an empty database
outside the test's transaction, whatever engine the tests run on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]


def run(
    data_dir: Path,
    *args: str,
    timeout: float = 600,
    database_url: str = "",
    extra_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
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
    if database_url:
        env["DATABASE_URL"] = database_url
    env.pop("BACKUP_SIGNING_KEY", None)
    env.update(extra_env or {})
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


@contextmanager
def second_postgres_database() -> Iterator[str]:
    """On PostgreSQL: a new empty database beside the tests' one (its URL), dropped after."""
    import psycopg
    from django.db import connection

    conf = connection.settings_dict
    name = f"{conf['NAME']}_restore"
    params = {
        "host": conf.get("HOST") or None,
        "port": conf.get("PORT") or None,
        "user": conf.get("USER") or None,
        "password": conf.get("PASSWORD") or None,
        "dbname": conf["NAME"],
    }
    with psycopg.connect(autocommit=True, **{k: v for k, v in params.items() if v}) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        user = quote(conf.get("USER") or "")
        password = quote(conf.get("PASSWORD") or "")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = conf.get("HOST") or "localhost"
        port = f":{conf['PORT']}" if conf.get("PORT") else ""
        try:
            yield f"postgres://{auth}{host}{port}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
