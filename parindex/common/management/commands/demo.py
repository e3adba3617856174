"""``parindex demo``: build the demo province (once) and serve it on http://127.0.0.1:8000.

    parindex demo               migrate, build the demo if it is not there, serve (Ctrl-C stops)
    parindex demo --no-serve    build only (tests, scripts)
    parindex demo --reset       delete the embedded database under the data dir, then rebuild

Serving starts gunicorn (the web app) and the ``db_worker`` of django-tasks-db (background
tasks) as child processes, and stops both on Ctrl-C. It runs ``send_reminders`` (deadline
reminders) once at start and then every 24 hours, as the systemd timer or cron does in
production. The demo's accounts have addresses under bacgiang.gov.vn, so its processes always
use the file e-mail backend: mails are written under <data dir>/mail, never sent.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from parindex.demo import data
from parindex.demo.build import build_demo, demo_exists, personas

REMINDERS_EVERY = 24 * 3600  # seconds
FILE_MAIL = "django.core.mail.backends.filebased.EmailBackend"


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (một tỉnh minh họa) và chạy ứng dụng tại http://127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="xóa CSDL SQLite trong thư mục dữ liệu rồi tạo lại"
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="chỉ tạo dữ liệu, không chạy máy chủ"
        )
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="địa chỉ:cổng (mặc định 127.0.0.1:8000)"
        )
        parser.add_argument("--web-workers", type=int, default=2, help="số tiến trình gunicorn")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            self.reset()
        self.migrate()
        if demo_exists():
            self.stdout.write("Dữ liệu mẫu đã có: bỏ qua bước tạo (dùng --reset để tạo lại).")
        else:
            started = time.monotonic()
            self.stdout.write("Đang tạo dữ liệu mẫu (tỉnh Bắc Giang minh họa)…")
            summary = build_demo(log=lambda msg: self.stdout.write("  " + msg))
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã tạo {summary.units} đơn vị, {summary.users} tài khoản, "
                    f"{len(summary.frameworks)} bộ tiêu chí, {len(summary.periods)} đợt đánh giá, "
                    f"{summary.entries} tiêu chí đã kê khai, {summary.files} tệp tài liệu kiểm chứng "
                    f"({summary.documents} văn bản, {summary.signed} tệp có chữ ký số) "
                    f"trong {time.monotonic() - started:.1f} giây."
                )
            )
        if options["no_serve"]:
            self.print_accounts(None)
            return
        self.serve(options["addr"], options["web_workers"])

    # ------------------------------------------------------------------------------------

    def reset(self) -> None:
        db = settings.DATABASES[DEFAULT_DB_ALIAS]
        if db["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError(
                "--reset chỉ dùng với CSDL SQLite mặc định trong thư mục dữ liệu "
                "(PARINDEX_DATA_DIR); với PostgreSQL hãy tự xóa và tạo lại cơ sở dữ liệu."
            )
        connections.close_all()
        path = Path(db["NAME"])
        for suffix in ("", "-wal", "-shm"):
            target = Path(f"{path}{suffix}")
            if target.exists():
                target.unlink()
        self.stdout.write(f"Đã xóa {path}.")
        # The evidence files of the deleted database (only the embedded storage in the data dir).
        media = Path(settings.MEDIA_ROOT).resolve()
        evidence = media / "evidence"
        if media.is_relative_to(Path(settings.DATA_DIR).resolve()) and evidence.is_dir():
            shutil.rmtree(evidence)
            self.stdout.write(f"Đã xóa các tệp tài liệu kiểm chứng trong {evidence}.")

    def migrate(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("Cập nhật cấu trúc cơ sở dữ liệu (migrate)…")
            call_command("migrate", interactive=False, verbosity=0)

    def print_accounts(self, url: str | None) -> None:
        out = self.stdout
        rows = personas()
        w_role = max(len(r[0]) for r in rows)
        w_user = max(len(r[1]) for r in rows)
        out.write("")
        if url:
            out.write(self.style.SUCCESS(f"parindex đang chạy tại {url}  (Ctrl-C để dừng)"))
        out.write(f"Tài khoản mẫu — mật khẩu chung: {data.DEMO_PASSWORD}")
        out.write(f"  {'Vai trò'.ljust(w_role)}  {'Tài khoản'.ljust(w_user)}  Họ và tên")
        for role, username, name in rows:
            out.write(f"  {role.ljust(w_role)}  {username.ljust(w_user)}  {name}")
        out.write(
            "  Mỗi đơn vị còn có chuyên viên cv.<mã> và lãnh đạo ld.<mã> "
            "(ví dụ cv.syt, ld.tpbg, cv.nhambien), cùng mật khẩu."
        )
        if url:
            out.write(
                f"Thư điện tử (nhắc hạn, thông báo) không gửi ra ngoài: được ghi vào {self.mail_dir()}"
            )
        out.write("")

    def send_reminders(self) -> None:
        """Queue today's deadline reminders (the worker sends them; idempotent per day). A
        failure is reported and retried on the next day's run; it never stops the server."""
        self.stdout.write("Nhắc hạn tự đánh giá (mỗi ngày một lần):")
        try:
            call_command("send_reminders", stdout=self.stdout, stderr=self.stderr)
        except Exception as exc:  # noqa: BLE001 - keep serving whatever happens
            self.stderr.write(f"  Không xếp hàng được thư nhắc: {exc}")
        finally:
            connections.close_all()

    def mail_dir(self) -> Path:
        return Path(settings.EMAIL_FILE_PATH)

    def serve(self, addr: str, workers: int) -> None:
        host, _, port = addr.rpartition(":")
        host = host or "127.0.0.1"
        with socket.socket() as probe:
            try:
                probe.bind((host, int(port)))
            except OSError as exc:
                raise CommandError(
                    f"Cổng {port} trên {host} đang được dùng ({exc.strerror}). "
                    "Dừng chương trình đang dùng cổng đó hoặc chạy với --addr 127.0.0.1:8001."
                ) from None
        connections.close_all()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "parindex.settings"),
            "EMAIL_BACKEND": FILE_MAIL,
            "EMAIL_FILE_PATH": str(self.mail_dir()),
        }
        env.setdefault("SITE_URL", f"http://{host}:{port}")  # links in the printed mails
        web = [
            sys.executable, "-m", "gunicorn", "parindex.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4",
            "--timeout", "120", "--graceful-timeout", "5", "--log-level", "warning",
        ]  # fmt: skip
        worker = [
            sys.executable,
            "-m",
            "parindex.cli",
            "db_worker",
            "--no-reload",
            "--verbosity",
            "0",
        ]
        # Own process groups: Ctrl-C reaches only this command, which then stops both in order
        # (otherwise a child that exits first on SIGINT would look like a crash).
        children = [
            ("web", subprocess.Popen(web, env=env, process_group=0)),
            ("worker", subprocess.Popen(worker, env=env, process_group=0)),
        ]
        url = f"http://{host}:{port}/"
        previous = signal.signal(
            signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt())
        )
        # Ctrl-C stops everything, even when started from a shell that ignores SIGINT.
        previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
        failed: str | None = None
        try:
            time.sleep(1.5)
            self.print_accounts(url)
            next_reminders = time.monotonic()
            while failed is None:
                if time.monotonic() >= next_reminders:
                    self.send_reminders()
                    next_reminders = time.monotonic() + REMINDERS_EVERY
                for name, proc in children:
                    if proc.poll() is not None:
                        failed = f"{name} đã dừng (mã {proc.returncode})"
                time.sleep(0.5)
        except KeyboardInterrupt:
            self.stdout.write("\nĐang dừng máy chủ và tiến trình nền…")
        finally:
            signal.signal(signal.SIGTERM, previous)
            signal.signal(signal.SIGINT, previous_int)
            for _name, proc in children:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            for _name, proc in children:
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        if failed:
            raise CommandError(failed)
        self.stdout.write("Đã dừng.")
