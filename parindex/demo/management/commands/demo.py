"""``parindex demo``: build the demo province (once) and serve it on http://127.0.0.1:8000.

    parindex demo               migrate, build the demo if it is not there, serve (Ctrl-C stops)
    parindex demo --no-serve    build only (tests, scripts)
    parindex demo --reset       delete the embedded database under the data dir, then rebuild

Serving starts gunicorn (the web app) and the ``db_worker`` of django-tasks-db (background
tasks) as child processes (``Supervisor``), and stops both on Ctrl-C. A worker that dies is
started again after a growing pause (1, 2, 5, 10, 30 s; the count starts over once it has run
a minute); after a sixth quick death in a row the demo stops with a clear message; if gunicorn
dies the demo stops the worker and exits with its code. The port check before the start uses
SO_REUSEADDR, as gunicorn does, so a restart right after Ctrl-C is not refused because of the
previous run's connections in TIME_WAIT. It runs ``send_reminders`` (deadline
reminders) and ``appraisal_reminders`` (the appraisers' rounds, the units' Giải trình, bổ
sung) once at start and then every 24 hours, as the systemd timer or cron does in
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from parindex.accounts.services.twofactor import totp_code
from parindex.demo import data
from parindex.demo.build import build_demo, demo_exists, personas

REMINDERS_EVERY = 24 * 3600  # seconds
FILE_MAIL = "django.core.mail.backends.filebased.EmailBackend"


def port_is_free(host: str, port: int) -> str | None:
    """None when ``host:port`` can be listened on, else why not (the OS's words).

    SO_REUSEADDR as gunicorn sets it: connections of a run stopped a moment ago (TIME_WAIT)
    do not hold the port, a program listening on it does."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
            probe.listen(1)
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


@dataclass
class Child:
    """One supervised process: ``restart`` True for the worker, False for the web server."""

    name: str
    label: str  # in messages: "máy chủ web", "tiến trình nền"
    argv: Sequence[str]
    restart: bool
    proc: Any = None
    started_at: float = 0.0
    quick_deaths: int = 0
    restart_at: float | None = None


@dataclass
class Supervisor:
    """Starts the children, restarts those that may be restarted, stops them all.

    ``poll()`` is called in the serve loop; it returns a message when the demo must stop.
    ``popen``, ``clock`` and ``log`` are parameters so the tests drive it with dummy processes.
    """

    children: list[Child]
    env: dict[str, str]
    log: Callable[[str], None]
    popen: Callable[..., Any] = subprocess.Popen
    clock: Callable[[], float] = time.monotonic
    backoff: Sequence[float] = (1, 2, 5, 10, 30)
    stable_after: float = 60.0  # seconds alive after which a death is not "quick"
    max_quick_deaths: int = 5  # restarts after quick deaths; the next one stops the demo

    def start(self, child: Child) -> None:
        # Own process group: Ctrl-C reaches only the demo command, which then stops the
        # children in order (otherwise a child that exits first on SIGINT looks like a crash).
        child.proc = self.popen(list(child.argv), env=self.env, process_group=0)
        child.started_at = self.clock()
        child.restart_at = None

    def start_all(self) -> None:
        for child in self.children:
            self.start(child)

    def poll(self) -> str | None:
        now = self.clock()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    self.start(child)
                    self.log(f"Đã khởi động lại {child.label} ({child.name}).")
                continue
            code = child.proc.poll()
            if code is None:
                continue
            if not child.restart:
                return f"{child.label.capitalize()} ({child.name}) đã dừng (mã {code})."
            if now - child.started_at >= self.stable_after:
                child.quick_deaths = 0
            child.quick_deaths += 1
            if child.quick_deaths > self.max_quick_deaths:
                return (
                    f"{child.label.capitalize()} ({child.name}) dừng {child.quick_deaths} lần "
                    f"liên tiếp (lần cuối mã {code}): xem lỗi ở trên."
                )
            delay = self.backoff[min(child.quick_deaths, len(self.backoff)) - 1]
            child.restart_at = now + delay
            self.log(
                f"{child.label.capitalize()} ({child.name}) đã dừng (mã {code}): "
                f"khởi động lại sau {f'{delay:g}'.replace('.', ',')} giây "
                f"(lần {child.quick_deaths})."
            )
        return None

    def stop(self, timeout: float = 10.0) -> None:
        running = [c.proc for c in self.children if c.proc is not None and c.restart_at is None]
        for proc in running:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = self.clock() + timeout
        for proc in running:
            try:
                proc.wait(timeout=max(0.1, deadline - self.clock()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


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
        parser.add_argument(
            "--code",
            action="store_true",
            help="in mã xác thực hai bước hiện tại của các tài khoản quản trị mẫu rồi thoát",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["code"]:
            self.stdout.write(totp_code(data.DEMO_TOTP_SECRET))
            return
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
        out.write(
            "Xác thực hai bước (bắt buộc với quản trị: hethong, quantri, quantri.ydu…): khóa bí "
            f"mật chung {data.DEMO_TOTP_SECRET} — thêm vào ứng dụng xác thực (Google "
            "Authenticator, FreeOTP…), hoặc xem mã hiện tại: parindex demo --code"
        )
        if url:
            out.write(
                f"Thư điện tử (nhắc hạn, thông báo) không gửi ra ngoài: được ghi vào {self.mail_dir()}"
            )
        out.write("")

    def send_reminders(self) -> None:
        """Queue today's reminders — the self-assessment deadline (``send_reminders``), the
        appraisal's rounds and Giải trình, bổ sung (``appraisal_reminders``) — as the daily
        timer does in production (the worker sends them; idempotent per day). A failure is
        reported and retried on the next day's run; it never stops the server."""
        runs = (
            ("send_reminders", "Nhắc hạn tự đánh giá (mỗi ngày một lần):", "thư nhắc"),
            (
                "appraisal_reminders",
                "Nhắc hạn thẩm định và giải trình, bổ sung (mỗi ngày một lần):",
                "thư nhắc thẩm định",
            ),
        )
        try:
            for command, title, what in runs:
                self.stdout.write(title)
                try:
                    call_command(command, stdout=self.stdout, stderr=self.stderr)
                except Exception as exc:  # noqa: BLE001 - keep serving whatever happens
                    self.stderr.write(f"  Không xếp hàng được {what}: {exc}")
        finally:
            connections.close_all()

    def mail_dir(self) -> Path:
        return Path(settings.EMAIL_FILE_PATH)

    def serve(self, addr: str, workers: int) -> None:
        host, _, port = addr.rpartition(":")
        host = host or "127.0.0.1"
        busy = port_is_free(host, int(port))
        if busy:
            raise CommandError(
                f"Cổng {port} trên {host} đang được dùng ({busy}). "
                "Dừng chương trình đang dùng cổng đó hoặc chạy với --addr 127.0.0.1:8001."
            )
        connections.close_all()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "parindex.settings"),
            "EMAIL_BACKEND": FILE_MAIL,
            "EMAIL_FILE_PATH": str(self.mail_dir()),
        }
        env.setdefault("SITE_URL", f"http://{host}:{port}")  # links in the printed mails
        # DEBUG is off in the demo: the host it serves on must be an allowed one.
        env.setdefault("ALLOWED_HOSTS", ",".join(dict.fromkeys([*settings.ALLOWED_HOSTS, host])))
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
        supervisor = Supervisor(
            children=[
                Child("gunicorn", "máy chủ web", web, restart=False),
                Child("db_worker", "tiến trình nền", worker, restart=True),
            ],
            env=env,
            log=lambda msg: self.stderr.write(msg),
        )
        supervisor.start_all()
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
                failed = supervisor.poll()
                time.sleep(0.5)
        except KeyboardInterrupt:
            self.stdout.write("\nĐang dừng máy chủ và tiến trình nền…")
        finally:
            signal.signal(signal.SIGTERM, previous)
            signal.signal(signal.SIGINT, previous_int)
            supervisor.stop()
        if failed:
            raise CommandError(failed)
        self.stdout.write("Đã dừng.")
