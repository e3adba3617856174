"""``parindex appraisal_reminders [--date YYYY-MM-DD] [--dry-run]``: run once a day, beside
``send_reminders`` (the same timer or cron line; ``parindex demo`` runs both). Queues:

- to each appraiser with leaves left, ``ROUND_REMINDER_DAYS`` days before the last day of
  Thẩm định lần 1 / lần 2 (the period's calendar), while units are in that round;
- to each unit in Giải trình, bổ sung that has not sent its answers, ``SUPPLEMENT_REMINDER_DAYS``
  days before its deadline (its extension when it has one).

Idempotent: a seat (a unit) gets at most one of these a day however often the command runs
(see ``appraisal/emails.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from parindex.appraisal.emails import fmt_moment
from parindex.appraisal.selectors.reminders import round_reminders_due, supplement_reminders_due
from parindex.appraisal.tasks import send_round_reminder, send_supplement_reminder
from parindex.ops.services import records_job
from parindex.periods.calendar import fmt_date


class Command(BaseCommand):
    help = (
        "Nhắc hạn thẩm định (thẩm định viên) và hạn giải trình, bổ sung (đơn vị chưa gửi "
        "giải trình), chạy hằng ngày."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Ngày nhắc, dạng YYYY-MM-DD (mặc định: hôm nay).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không gửi thư.")

    @records_job("appraisal_reminders")
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
        dry = options["dry_run"]
        appraisers = units = 0
        for due in round_reminders_due(on):
            for load in due.loads:
                line = (
                    f"{load.member.display_name} — {due.period.name}: thẩm định lần {due.round} "
                    f"hết ngày {fmt_date(due.ends_on)}, còn {load.total} tiêu chí thành phần"
                )
                if load.member.pk in due.already_sent:
                    self.stdout.write(f"  bỏ qua (đã nhắc hôm nay) {line}")
                    continue
                appraisers += 1
                if dry:
                    self.stdout.write(f"  sẽ nhắc {line}")
                    continue
                send_round_reminder.enqueue(load.member.pk, due.round, on.isoformat())
                self.stdout.write(f"  đã xếp hàng gửi {line}")
        for item in supplement_reminders_due(on):
            a = item.assessment
            line = f"{a.unit.name} — {a.period.name}: hạn giải trình {fmt_moment(item.deadline)}"
            if item.already_sent:
                self.stdout.write(f"  bỏ qua (đã nhắc hôm nay) {line}")
                continue
            units += 1
            if dry:
                self.stdout.write(f"  sẽ nhắc {line}")
                continue
            send_supplement_reminder.enqueue(a.pk, on.isoformat())
            self.stdout.write(f"  đã xếp hàng gửi {line}")
        verb = "Sẽ nhắc" if dry else "Đã xếp hàng thư nhắc thẩm định cho"
        self.stdout.write(
            f"{verb} {appraisers} thẩm định viên và {units} đơn vị chưa gửi giải trình "
            f"(ngày {on:%d/%m/%Y})."
        )
