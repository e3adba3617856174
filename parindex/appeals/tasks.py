"""Background tasks (django-tasks) of the appeals' e-mails, queued after commit by the
services: each calls a sender of ``emails.py``."""

from __future__ import annotations

from django_tasks import task

from parindex.appeals import emails


@task()
def send_appeal_filed(appeal_id: int) -> int:
    """Tell the organizer's admins of a new appeal; confirm it to the unit."""
    return len(emails.filed_send(appeal_id=appeal_id))


@task()
def send_appeal_decided(appeal_id: int) -> int:
    """Tell the unit the organizer's answer."""
    return len(emails.decided_send(appeal_id=appeal_id))
