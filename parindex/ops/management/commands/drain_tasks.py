"""``manage.py drain_tasks``: hand to the queue the tasks kept while Redis was down
(``ops.PendingTask``). The web and the worker do it by themselves once Redis answers; this is
for cron (e.g. every 5 minutes) and for an operator after an outage. Exit code 1 when tasks
are still kept (Redis still down)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parindex.ops import services


class Command(BaseCommand):
    help = "Đưa vào hàng đợi các tác vụ được giữ lại khi Redis không trả lời."

    def handle(self, *args: Any, **options: Any) -> None:
        sent, left = services.pending_tasks_drain(limit=100_000)
        self.stdout.write(f"Đã đưa {sent} tác vụ vào hàng đợi; còn {left} tác vụ chờ.")
        if left:
            raise CommandError(
                f"Còn {left} tác vụ chưa đưa được vào hàng đợi (Redis chưa trả lời?)."
            )
