"""Public site benchmark: the public ranking page of a block of 45 units × 90 leaves, cached,
with 20 concurrent anonymous clients, beside the same page without its cache and a bare
Django view in the same run — gunicorn (deploy/gunicorn.conf.py) and PostgreSQL as
bench/web.py starts them (a throwaway cluster on 127.0.0.1, stopped at the end).

Run: ``.venv/bin/python bench/public.py`` from the repository root.

The data: bench/calc.py's framework of 90 leaves and values of 45 units, computed by the
engine (``parindex.results/v1``), published as version 1 of a period (a ``Publication`` row
with the content the service freezes, and its open-data files). Phases of 20 clients with no
think time: the bare view (20 × 30), the cached ranking page (20 × 30), the page without its
cache (20 × 10, ``views.ranking_page`` — the view the cache wraps). Goal (issue 9 §8): p95 of
the cached page under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.web import (  # noqa: E402
    PY,
    ROOT,
    Client,
    CpuMeter,
    Postgres,
    free_port,
    run_phase,
    wait_ready,
)

UNITS = 45
GOAL_MS = 50.0


def setup() -> None:
    """In a child process with the bench's settings: the published block; prints its paths."""
    import hashlib

    import django

    django.setup()
    from django.utils import timezone

    from bench.calc import generate
    from parindex.accounts.models import Unit
    from parindex.accounts.services import unit_create
    from parindex.engine.cli import load_all
    from parindex.engine.results import results_to_dict
    from parindex.periods.models import Period
    from parindex.publication.models import Publication, PublicationFile
    from parindex.publication.services.publish import FORMAT, _tree

    with tempfile.TemporaryDirectory() as tmp:
        fw_path, values, names = generate(Path(tmp), UNITS)
        fw, results = load_all(str(fw_path), [str(values)], str(names))
        files = {p.name: p.read_bytes() for p in (fw_path, values, names)}
    document = results_to_dict(results)
    root = unit_create(actor=None, code="TB", name="Tỉnh Bench", kind=Unit.Kind.PROVINCE)
    snv = unit_create(
        actor=None, code="SNVB", name="Sở Nội vụ tỉnh Bench", kind=Unit.Kind.DEPARTMENT,
        parent=root, admin_root=root,
    )  # fmt: skip
    period = Period.objects.create(organizer=snv, year=2025, name="Chỉ số CCHC năm 2025")
    content = {
        "format": FORMAT,
        "organizer": {"id": snv.pk, "code": snv.code, "name": snv.name},
        "period": {"id": period.pk, "name": period.name, "year": 2025},
        "approved_at": timezone.localtime().isoformat(),
        "decision": {"number": "345/QĐ-UBND", "date": "2025-12-29", "signer": "Vũ Mạnh Hùng",
                     "file_name": "", "file_sha256": ""},
        "blocks": [{
            "code": "so", "name": "Khối sở, ban, ngành",
            "framework": {"code": fw.code, "title": fw.title},
            "bands": [{"label": b.label, "min": str(b.min)} for b in fw.bands],
            "tree": _tree(fw), "results": document,
        }],
    }  # fmt: skip
    pub = Publication.objects.create(
        period=period, version=1, published_at=timezone.now(), content=content,
        content_sha256="0" * 64,
    )  # fmt: skip
    PublicationFile.objects.bulk_create(
        PublicationFile(publication=pub, block_code="so", name=name, content=data,
                        sha256=hashlib.sha256(data).hexdigest(), size=len(data), position=i)
        for i, (name, data) in enumerate(files.items())
    )  # fmt: skip
    print(json.dumps({
        "cached": "/cong-khai/SNVB/2025/so/",
        "uncached": "/bench/uncached/SNVB/2025/so/",
        "leaves": len(fw.leaves()),
        "units": len(document["units"]),
    }))  # fmt: skip


class Visitor(Client):
    """An anonymous visitor (no session)."""

    def __init__(self, port: int, paths: dict, timeout: float) -> None:
        super().__init__(port, {"session": "", "csrf": ""}, timeout)
        self.cookie = ""
        self.paths = paths

    def request(self, method, path, body=None, extra=None):  # type: ignore[no-untyped-def]
        return super().request(method, path, body, extra)

    def cached(self, i: int) -> bool:
        status, body = self.request("GET", self.paths["cached"])
        return status == 200 and b'id="ranking"' in body

    def uncached(self, i: int) -> bool:
        status, body = self.request("GET", self.paths["uncached"])
        return status == 200 and b'id="ranking"' in body


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--ok", type=int, default=30)
    parser.add_argument("--cached", type=int, default=30)
    parser.add_argument("--uncached", type=int, default=10)
    args = parser.parse_args()
    if args.setup:
        setup()
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="parindex-publicbench."))
    tmp.chmod(0o755)
    (tmp / "data" / "static").mkdir(parents=True)
    pg = Postgres(tmp)
    gunicorn: subprocess.Popen | None = None
    try:
        env = {
            **os.environ,
            "DATABASE_URL": pg.start(),
            "DJANGO_SETTINGS_MODULE": "bench.public_settings",
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
        if collected.returncode != 0:
            env["STATIC_MANIFEST"] = "0"
        made = subprocess.run([PY, str(Path(__file__)), "--setup"], cwd=ROOT, env=env,
                              capture_output=True, text=True)  # fmt: skip
        if made.returncode != 0:
            sys.stderr.write(made.stderr)
            raise SystemExit("Tạo dữ liệu cho bench thất bại.")
        paths = json.loads(made.stdout.strip().splitlines()[-1])
        print(f"Dữ liệu: khối {paths['units']} đơn vị × {paths['leaves']} tiêu chí.", flush=True)
        port = free_port(18800)
        command = [PY, "-m", "gunicorn", "parindex.wsgi", "--config",
                   str(ROOT / "deploy/gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
                   "--access-logfile", "/dev/null", "--log-level", "warning"]  # fmt: skip
        gunicorn = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        wait_ready(port, gunicorn)
        meter = CpuMeter(gunicorn.pid, pg)
        visitors = [Visitor(port, paths, timeout=30) for _ in range(args.clients)]
        # warm-up: every worker renders (and caches) the page
        run_phase(visitors, "ok", 3, 300)
        run_phase(visitors, "cached", 3, 300)
        rows = [
            run_phase(visitors, "ok", args.ok, 300, meter),
            run_phase(visitors, "cached", args.cached, 300, meter),
            run_phase(visitors, "uncached", args.uncached, 300, meter),
        ]
        base = rows[0]["p95"]
        print(f"\n{args.clients} khách đồng thời, không nghỉ; gunicorn {command[-6:]}")
        print(f"{'trang':<10}{'yêu cầu':>9}{'lỗi':>6}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}"
              f"{'p95/bare':>10}{'CPU web ms':>12}{'CPU db ms':>11}")  # fmt: skip
        for r in rows:
            print(f"{r['kind']:<10}{r['requests']:>9}{r['errors']:>6}{r['p50']:>9.1f}"
                  f"{r['p95']:>9.1f}{r['rps']:>9.0f}{r['p95'] / base:>10.1f}"
                  f"{r['web_cpu']:>12.2f}{r['db_cpu']:>11.2f}")  # fmt: skip
        cached = rows[1]["p95"]
        verdict = "ĐẠT" if cached < GOAL_MS else "CHƯA ĐẠT"
        print(f"\nTrang xếp hạng công khai (có cache) p95 {cached:.1f} ms — mục tiêu < "
              f"{GOAL_MS:.0f} ms: {verdict}.")  # fmt: skip
        return 0 if all(r["errors"] == 0 for r in rows) else 1
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            os.killpg(gunicorn.pid, 15)
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, 9)
        pg.stop()
        time.sleep(0.2)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
