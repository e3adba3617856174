"""The demo's appeal (kiến nghị) on last year's provincial results: two days after the
publication a department's leader asks for a criterion the council cut in round 2 to be
reviewed, with its reason; three days later the Sở Nội vụ accepts it (the declared points
restored), the results are recomputed and version 2 is published with its change note.
Everything through ``parindex.appeals.services``, dated with the demo clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from parindex.appeals import services
from parindex.assessments.models import Entry
from parindex.demo.clock import at, local
from parindex.periods.models import Period
from parindex.publication.models import Publication

REASON = (
    "Đơn vị đã ban hành và tổ chức thực hiện đầy đủ nội dung của tiêu chí trong năm; tài liệu "
    "kiểm chứng bổ sung kèm theo văn bản kiến nghị (bản chụp văn bản đã ban hành)."
)
ANSWER = (
    "Hội đồng thẩm định đã xem xét tài liệu kiểm chứng bổ sung của đơn vị: chấp nhận kiến "
    "nghị, chấm lại đủ điểm tự đánh giá của tiêu chí."
)


def accepted_appeal(period: Period, admin: Any, leaders: dict[str, Any]) -> None:
    first = Publication.objects.get(period=period, version=1)
    day = timezone.localdate(first.published_at)
    cut = (
        Entry.objects.filter(
            assessment__period=period,
            round2_score__isnull=False,
            self_score__isnull=False,
            node__source="self",
        )
        .select_related("assessment__unit", "assessment__period__organizer", "node")
        .order_by("assessment__unit__position", "node__position")
    )
    entry = next(
        (
            e
            for e in cut
            if e.round2_score is not None
            and e.self_score is not None
            and e.round2_score < e.self_score
            and e.assessment.unit.code in leaders
        ),
        None,
    )
    if entry is None:
        return
    assessment = entry.assessment
    with at(local(day + dt.timedelta(days=2), 9)):
        appeal = services.appeal_file(
            actor=leaders[assessment.unit.code],
            assessment=assessment,
            items=[(entry.pk, REASON)],
            summary=f"{assessment.unit.name} kiến nghị xem xét lại điểm tiêu chí {entry.node.code}.",
        )
    with at(local(day + dt.timedelta(days=5), 10)):
        item = appeal.items.get()
        services.appeal_decide(
            actor=admin, appeal=appeal, scores={item.pk: entry.self_score}, note=ANSWER
        )
