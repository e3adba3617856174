"""Background tasks (django-tasks) of the appraisal's e-mails: each loads its rows and calls
a sender of ``emails.py``. Queued after commit by ``receivers.py`` (the events) and by the
daily ``appraisal_reminders`` command."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from parindex.accounts.models import User
from parindex.appraisal import emails
from parindex.assessments.models import Assessment
from parindex.periods.models import CouncilMember, Period


def _user(actor_id: int | None) -> User | None:
    return User.objects.filter(pk=actor_id).first() if actor_id else None


@task()
def send_round_opened(period_id: int, round: int) -> int:
    """Tell each appraiser that the round has opened, with their units and leaves."""
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        return 0
    return len(emails.round_opened_send(period=period, round=round))


@task()
def send_round_reminder(member_id: int, round: int, for_date: str) -> bool:
    """Remind one appraiser of what is left before the round ends (once a day)."""
    member = CouncilMember.objects.filter(pk=member_id).first()
    if member is None:
        return False
    sent = emails.round_reminder_send(
        member=member, round=round, for_date=dt.date.fromisoformat(for_date)
    )
    return sent is not None


@task()
def send_round1_results(period_id: int) -> int:
    """Tell each unit its round-1 result and what to answer by when."""
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        return 0
    return len(emails.round1_results_send(period=period))


@task()
def send_supplement_reminder(assessment_id: int, for_date: str) -> bool:
    """Remind a unit that has not sent its answers before its deadline (once a day)."""
    assessment = Assessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        return False
    sent = emails.supplement_reminder_send(
        assessment=assessment, for_date=dt.date.fromisoformat(for_date)
    )
    return sent is not None


@task()
def send_answers_sent(assessment_id: int, actor_id: int | None = None) -> int:
    """Tell the organizer's admins that a unit has sent its answers."""
    assessment = Assessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        return 0
    return len(emails.answers_sent_send(assessment=assessment, actor=_user(actor_id)))


@task()
def send_submitted(period_id: int, actor_id: int | None = None, note: str = "") -> int:
    """Tell the chair that the consolidated results wait for approval."""
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        return 0
    return len(emails.submitted_send(period=period, actor=_user(actor_id), note=note))


@task()
def send_review(period_id: int, approved: bool, actor_id: int | None = None, note: str = "") -> int:
    """Tell the organizer's admins that the chair returned or approved the results."""
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        return 0
    return len(
        emails.review_send(period=period, approved=approved, actor=_user(actor_id), note=note)
    )
