"""What queues notices for the worker (parindex/notify/tasks.py), after commit. Atomic, audited.

The organizer's "Gửi nhắc nhở" (kind ``manual``) is at most once a day per unit; units already
reminded today, already submitted or without an address are skipped and listed in the answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from parindex.assessments.models import Assessment
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.notify.models import ReminderLog
from parindex.notify.selectors import REMINDABLE, unit_contacts
from parindex.notify.tasks import send_reminder, send_submitted_notice
from parindex.periods.models import Period
from parindex.periods.services import require_period_admin


@transaction.atomic
def reminders_request(
    *, actor: Any, period: Period, assessments: list[Assessment]
) -> tuple[list[Assessment], list[str]]:
    """The organizer asks for a reminder to the chosen units now ("Gửi nhắc nhở").

    One audit row per unit reminded; the e-mails go through the worker after commit.
    Returns the units queued and, in Vietnamese, why the others were skipped."""
    require_period_admin(actor, period)
    if period.closed:
        raise DomainError(f"Đợt đánh giá “{period.name}” đã đóng (chỉ đọc).")
    if not assessments:
        raise DomainError("Chọn ít nhất một đơn vị để gửi nhắc nhở.")
    if any(a.period_id != period.pk for a in assessments):
        raise DomainError("Có đơn vị không tham gia đợt đánh giá này.")
    today = timezone.localdate()
    reminded = set(
        ReminderLog.objects.filter(
            kind=ReminderLog.Kind.MANUAL, for_date=today, assessment__in=assessments
        ).values_list("assessment_id", flat=True)
    )
    contacts = unit_contacts(a.unit_id for a in assessments)
    queued: list[Assessment] = []
    skipped: list[str] = []
    for a in assessments:
        name = a.unit.name
        if a.status not in REMINDABLE:
            skipped.append(f"{name}: đã gửi kết quả tự đánh giá.")
        elif a.pk in reminded:
            skipped.append(f"{name}: đã được nhắc hôm nay.")
        elif not contacts.get(a.unit_id):
            skipped.append(
                f"{name}: chưa có địa chỉ thư điện tử của chuyên viên đầu mối hoặc lãnh đạo."
            )
        else:
            queued.append(a)
    for a in queued:
        audit_record(
            actor=actor,
            verb="reminder.request",
            obj=a,
            new={"kind": ReminderLog.Kind.MANUAL, "for_date": today, "to": contacts[a.unit_id]},
        )
        transaction.on_commit(_enqueue_reminder(a.pk, ReminderLog.Kind.MANUAL, today, actor))
    return queued, skipped


def _enqueue_reminder(assessment_id: int, kind: str, for_date: dt.date, actor: Any) -> Any:
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None

    def enqueue() -> None:
        send_reminder.enqueue(assessment_id, str(kind), for_date.isoformat(), actor_id)

    return enqueue


def notify_submitted(assessment: Assessment) -> None:
    """Queue “Đơn vị X đã gửi kết quả tự đánh giá” for the organizer's admins after commit.
    A submission through ``assessment_transition`` does this through the status signal
    (``notify.receivers``); this is for callers outside the workflow."""
    pk = assessment.pk
    transaction.on_commit(lambda: send_submitted_notice.enqueue(pk))
