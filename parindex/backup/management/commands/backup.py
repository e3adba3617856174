"""``parindex backup DIR [--manifest-only]``: the database and every stored file, with a
manifest of checksums (``parindex/backup/services.py``). Exit status 2 with a Vietnamese
message when the folder is not empty or the database is not migrated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parindex.backup.services import backup_create
from parindex.common.errors import DomainError


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ cơ sở dữ liệu (dạng JSON dùng được cho cả SQLite và PostgreSQL) và "
        "mọi tệp trong kho tệp vào thư mục DIR, kèm manifest.json có SHA-256 của từng tệp."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("dir", help="Thư mục mới (hoặc trống) để ghi bản sao lưu.")
        parser.add_argument(
            "--manifest-only",
            action="store_true",
            help=(
                "Không chép các tệp, chỉ ghi danh mục (tên, kích thước) — khi kho tệp S3 được "
                "sao lưu riêng."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_create(
                folder=Path(options["dir"]), manifest_only=options["manifest_only"]
            )
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from None
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Đã sao lưu vào {report.folder}: {report.tables} bảng, {report.rows} dòng, "
                f"{report.files} tệp ({report.bytes} byte)."
            )
            for note in report.notes:
                self.stdout.write(note)
