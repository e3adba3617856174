"""Sending reminders and notices (what the worker's tasks call). Atomic, audited. What queues
them (the organizer's "Gửi nhắc nhở", ``notify_submitted``) is in parindex/notify/dispatch.py.

Decisions where the brief was silent:
- ``reminder_send`` first inserts the ReminderLog row (unique per assessment, kind and day:
  the compare-and-set), then sends, inside one transaction: when sending fails the row is
  rolled back, so the next run (or the worker's retry) sends it; when two workers race, the
  second waits on the unique index and then skips. The mail is therefore sent inside the
  transaction on purpose (it is the task's whole job), not on commit.
- A unit that has sent its self-assessment in the meantime, or a closed period, gets
  nothing; a unit without any officer or leader e-mail address gets a log row with no
  recipient (so the cron does not retry all day) and the organizer sees it on the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from parindex.accounts.models import Membership
from parindex.assessments.models import Assessment
from parindex.assessments.period_selectors import assessment_progress
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


def submitted_notice_send(*, assessment: Assessment) -> list[str]:
    """E-mail the organizer's admins that the unit has submitted (returns the addresses)."""
    assessment = Assessment.objects.select_related("period", "period__organizer", "unit").get(
        pk=assessment.pk
    )
    to = organizer_contacts(assessment.period.organizer)
    if to:
        emails.submitted_notice(assessment=assessment, to=to).send()
    return to


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
