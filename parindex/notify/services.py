"""Sending reminders and notices. Atomic, audited.

Decisions where the brief was silent:
- ``reminder_send`` first inserts the ReminderLog row (unique per assessment, kind and day:
  the compare-and-set), then sends, inside one transaction: when sending fails the row is
  rolled back, so the next run (or the worker's retry) sends it; when two workers race, the
  second waits on the unique index and then skips. The mail is therefore sent inside the
  transaction on purpose (it is the task's whole job), not on commit.
- A unit that has sent its self-assessment in the meantime, or a closed period, gets
  nothing; a unit without any officer or leader e-mail address gets a log row with no
  recipient (so the cron does not retry all day) and the organizer sees it on the page.
- The organizer's "Gửi nhắc nhở" (kind ``manual``) is also at most once a day per unit;
  units already reminded today, already submitted or without an address are skipped and
  listed in the answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from parindex.accounts.models import Membership
from parindex.assessments.models import Assessment
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.notify import emails
from parindex.notify.models import ReminderLog
from parindex.notify.selectors import (
    REMINDABLE,
    days_left,
    organizer_contacts,
    unit_contacts,
)
from parindex.periods.calendar import self_assessment_deadline
from parindex.periods.models import Period
from parindex.periods.selectors import assessment_progress
from parindex.periods.services import require_period_admin


@transaction.atomic
def reminder_send(
    *, actor: Any, assessment: Assessment, kind: str, for_date: dt.date
) -> ReminderLog | None:
    """Send one reminder to the unit's officers and leaders, at most once per kind and day.

    Returns the log row, or None when nothing was sent (already sent, submitted, closed)."""
    if kind not in ReminderLog.Kind.values:
        raise DomainError(f"Loại thư nhắc “{kind}” không hợp lệ.")
    assessment = (
        Assessment.objects.select_related("period", "period__organizer", "unit")
        .prefetch_related("period__phases")
        .get(pk=assessment.pk)
    )
    if assessment.status not in REMINDABLE or assessment.period.closed:
        return None
    deadline = self_assessment_deadline(assessment.period, assessment)
    left = days_left(deadline, for_date)
    requested_by = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            log = ReminderLog.objects.create(
                assessment=assessment,
                kind=kind,
                for_date=for_date,
                days_left=left,
                requested_by=requested_by,
            )
    except IntegrityError:
        return None  # already sent today (or being sent by another worker)
    to = unit_contacts([assessment.unit_id]).get(assessment.unit_id, [])
    if to:
        message = emails.deadline_reminder(
            assessment=assessment,
            to=to,
            deadline=deadline,
            days_left=left,
            progress=assessment_progress(assessment),
            manual=kind == ReminderLog.Kind.MANUAL,
            requested_by=requested_by,
        )
        message.send()
    log.recipients = to
    log.save(update_fields=["recipients"])
    audit_record(
        actor=actor,
        verb="reminder.sent",
        obj=assessment,
        new={"kind": kind, "for_date": for_date, "days_left": left, "to": to},
    )
    return log


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
    from parindex.notify.tasks import send_reminder

    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None

    def enqueue() -> None:
        send_reminder.enqueue(assessment_id, str(kind), for_date.isoformat(), actor_id)

    return enqueue


def submitted_notice_send(*, assessment: Assessment) -> list[str]:
    """E-mail the organizer's admins that the unit has submitted (returns the addresses)."""
    assessment = Assessment.objects.select_related("period", "period__organizer", "unit").get(
        pk=assessment.pk
    )
    to = organizer_contacts(assessment.period.organizer)
    if to:
        emails.submitted_notice(assessment=assessment, to=to).send()
    return to


def notify_submitted(assessment: Assessment) -> None:
    """Queue “Đơn vị X đã gửi kết quả tự đánh giá” for the organizer's admins after commit.
    A submission through ``assessment_transition`` does this through the status signal
    (``notify.receivers``); this is for callers outside the workflow."""
    from parindex.notify.tasks import send_submitted_notice

    pk = assessment.pk
    transaction.on_commit(lambda: send_submitted_notice.enqueue(pk))


def _unit_step_send(
    *, assessment: Assessment, role: str, actor: Any, note: str, build: Any
) -> list[str]:
    assessment = (
        Assessment.objects.select_related("period", "period__organizer", "unit")
        .prefetch_related("period__phases")
        .get(pk=assessment.pk)
    )
    to = unit_contacts([assessment.unit_id], roles=[role]).get(assessment.unit_id, [])
    if to:
        sender = actor.display_name if actor is not None else "Phần mềm"
        change = assessment.status_changes.order_by("-at", "-id").first()
        build(
            assessment=assessment,
            to=to,
            sender=sender,
            note=note,
            at=change.at if change else None,
        ).send()
    return to


def approval_request_send(*, assessment: Assessment, actor: Any, note: str = "") -> list[str]:
    """E-mail the unit's leaders that the officer asks for approval (returns the addresses)."""
    return _unit_step_send(
        assessment=assessment,
        role=Membership.Role.UNIT_LEADER,
        actor=actor,
        note=note,
        build=emails.approval_request,
    )


def returned_notice_send(*, assessment: Assessment, actor: Any, note: str = "") -> list[str]:
    """E-mail the unit's officers that the leader returned it, with the comment."""
    return _unit_step_send(
        assessment=assessment,
        role=Membership.Role.UNIT_OFFICER,
        actor=actor,
        note=note,
        build=emails.returned_notice,
    )
