"""``parindex send_reminders [--date YYYY-MM-DD] [--dry-run]``: run once a day (cron or a
systemd timer, e.g. 07:00). Queues one reminder task per unit whose self-assessment deadline
is exactly N days away (N in the period's reminder days) and that has not sent its result.
Idempotent: a unit gets at most one reminder a day however often the command runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from parindex.notify.emails import fmt_datetime
from parindex.notify.models import ReminderLog
from parindex.notify.selectors import reminders_due
from parindex.notify.tasks import send_reminder
from parindex.ops.services import records_job


class Command(BaseCommand):
    help = "Gửi thư nhắc hạn tự đánh giá cho các đơn vị chưa gửi kết quả (chạy hằng ngày)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Ngày nhắc, dạng YYYY-MM-DD (mặc định: hôm nay).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không gửi thư.")

    @records_job("send_reminders")
    def handle(self, *args: Any, **options: Any) -> None:
        if options["date"]:
            try:
                on = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"Ngày “{options['date']}” không hợp lệ: dùng dạng YYYY-MM-DD."
                ) from None
        else:
            on = timezone.localdate()
        due = reminders_due(on)
        queued = 0
        for item in due:
            a = item.assessment
            line = (
                f"{a.unit.name} — {a.period.name}: hạn {fmt_datetime(item.deadline)}, "
                f"còn {item.days_left} ngày"
            )
            if item.already_sent:
                self.stdout.write(f"  bỏ qua (đã nhắc hôm nay) {line}")
                continue
            if options["dry_run"]:
                self.stdout.write(f"  sẽ nhắc {line}")
                continue
            send_reminder.enqueue(a.pk, ReminderLog.Kind.DEADLINE.value, on.isoformat(), None)
            queued += 1
            self.stdout.write(f"  đã xếp hàng gửi {line}")
        verb = "Sẽ nhắc" if options["dry_run"] else "Đã xếp hàng gửi thư nhắc cho"
        count = sum(1 for d in due if not d.already_sent) if options["dry_run"] else queued
        self.stdout.write(f"{verb} {count} đơn vị (ngày {on:%d/%m/%Y}).")
