"""What the home page's "Việc đang chờ bạn" shows a council seat holder: per period, the
leaves still to decide in the open round (with its deadline) and, for the chair, the
consolidated results waiting for approval."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from parindex.appraisal.models import PeriodAppraisal
from parindex.appraisal.selectors.queue import queue
from parindex.common.dates import days_left_text
from parindex.notify.selectors import Waiting
from parindex.periods.access import council_seats


def council_waiting(user: Any) -> list[Waiting]:
    seats = council_seats(user)
    if not seats:
        return []
    out: list[Waiting] = []
    queue_url = reverse("appraisal:queue")
    for qp in queue(user):
        for rnd in (1, 2):
            units = [u for u in qp.units if u.round == rnd and u.started]
            if not units:
                continue
            done = sum(u.progress.done for u in units)
            total = sum(u.progress.total for u in units)
            if total == 0 or done >= total:
                continue
            deadline = qp.deadlines.get(rnd)
            when = (
                f", hạn {deadline:%d/%m/%Y} ({days_left_text(qp.days_left.get(rnd))})"
                if deadline
                else ""
            )
            out.append(
                Waiting(
                    f"Thẩm định lần {rnd} ({qp.period.name}): còn {total - done}/{total} tiêu "
                    f"chí chưa kết luận ở {len(units)} đơn vị{when}.",
                    queue_url,
                    urgent=qp.days_left.get(rnd) is not None and (qp.days_left[rnd] or 0) <= 3,
                )
            )
    chair_periods = [pk for pk, positions in seats.items() if "chair" in positions]
    if chair_periods:
        for state in PeriodAppraisal.objects.filter(
            period_id__in=chair_periods, review=PeriodAppraisal.Review.SUBMITTED
        ).select_related("period"):
            out.append(
                Waiting(
                    f"Kết quả thẩm định ({state.period.name}) đã trình, chờ Chủ tịch Hội đồng "
                    "xem xét, phê duyệt.",
                    reverse("appraisal:consolidation", args=[state.period_id]),
                    urgent=True,
                )
            )
    return out
