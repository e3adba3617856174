"""``parindex restore DIR``: a backup of ``parindex backup`` into an empty database and an
empty storage. Everything is checked before anything is written; exit status 2 with a
Vietnamese message (each problem on its own line) on any mismatch. There is no ``--force``:
a restore never writes over data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parindex.backup.services import backup_restore
from parindex.common.errors import DomainError


class Command(BaseCommand):
    help = (
        "Phục hồi bản sao lưu của “parindex backup” vào một cơ sở dữ liệu và kho tệp trống: "
        "kiểm tra SHA-256 trước khi ghi, kiểm tra số dòng và nội dung sau khi nạp."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("dir", help="Thư mục bản sao lưu (có manifest.json).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(folder=Path(options["dir"]))
        except DomainError as exc:
            lines = [exc.message, *(f"  - {p}" for p in exc.problems)]
            raise CommandError("\n".join(lines), returncode=2) from None
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Đã phục hồi từ {report.folder}: {report.tables} bảng, {report.rows} dòng, "
                f"{report.files} tệp ({report.bytes} byte); số dòng, nội dung và SHA-256 khớp "
                "bản sao lưu."
            )
            for note in report.notes:
                self.stdout.write(note)
