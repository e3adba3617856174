"""Background tasks (django-tasks): each loads its rows and calls a service."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from parindex.accounts.models import User
from parindex.assessments.models import Assessment
from parindex.notify import services


@task()
def send_reminder(
    assessment_id: int, kind: str, for_date: str, actor_id: int | None = None
) -> bool:
    """Send one reminder e-mail (at most once per unit, kind and day)."""
    assessment = Assessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        return False
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    log = services.reminder_send(
        actor=actor, assessment=assessment, kind=kind, for_date=dt.date.fromisoformat(for_date)
    )
    return log is not None


@task()
def send_submitted_notice(assessment_id: int) -> int:
    """Tell the organizer's admins that a unit has submitted its self-assessment."""
    assessment = Assessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        return 0
    return len(services.submitted_notice_send(assessment=assessment))


@task()
def send_approval_request(assessment_id: int, actor_id: int | None = None, note: str = "") -> int:
    """Tell the unit's leaders that the officer sent the self-assessment for approval."""
    assessment = Assessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        return 0
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return len(services.approval_request_send(assessment=assessment, actor=actor, note=note))


@task()
def send_returned_notice(assessment_id: int, actor_id: int | None = None, note: str = "") -> int:
    """Tell the unit's officers that the leader returned the self-assessment (with why)."""
    assessment = Assessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        return 0
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return len(services.returned_notice_send(assessment=assessment, actor=actor, note=note))
