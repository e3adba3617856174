"""``parindex publish-data --year Y --block B [--organizer CODE] --out DIR``: the open data
of an approved period's block (``results/opendata.py``), from which ``parindex score
framework.yaml values.csv --units units.csv`` recomputes ``results.json`` exactly.

Exit status 2, with a Vietnamese message, when there is no such period, several organizers
have one (give ``--organizer``), its results are not approved, or the files would not
recompute the approved results (nothing is written then)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parindex.common.errors import DomainError
from parindex.results.opendata import RECOMPUTE, build_bundle, find_period, write_bundle


class Command(BaseCommand):
    help = (
        "Xuất dữ liệu mở của kết quả đã phê duyệt (bộ tiêu chí, đơn vị, số liệu, kết quả, "
        "điều tra xã hội học, manifest.json) để ai cũng tính lại được bằng parindex score."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, required=True, help="Năm đánh giá, ví dụ 2025.")
        parser.add_argument("--block", required=True, help="Mã khối: so, huyen, xa…")
        parser.add_argument(
            "--organizer", help="Mã cơ quan tổ chức (SNV, YDU-PNV…), khi nhiều cơ quan có đợt."
        )
        parser.add_argument("--out", required=True, help="Thư mục ghi các tệp.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = find_period(
                year=options["year"], block=options["block"], organizer=options["organizer"]
            )
            bundle = build_bundle(period, options["block"])
        except DomainError as exc:
            raise CommandError(str(exc), returncode=2) from None
        folder = Path(options["out"])
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} không phải là thư mục.", returncode=2)
        paths = write_bundle(bundle, folder)
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Đã ghi dữ liệu mở của {period.name} — {period.organizer.name}, khối "
                f"{options['block']} vào {folder}:"
            )
            for path in paths:
                self.stdout.write(f"  {path.name} ({path.stat().st_size} byte)")
            self.stdout.write(f"Tính lại: cd {folder} && {RECOMPUTE}")
