"""Background tasks (django-tasks) of the survey. Queued after commit by ``receivers.py``."""

from __future__ import annotations

from django_tasks import task

from parindex.survey import emails
from parindex.survey.services.invitations import unseal


@task()
def send_invitations(kind: str, batch: list[list[object]]) -> int:
    """Send a batch of invitations or reminders: ``batch`` is ``[[respondent_id, sealed
    token], …]`` (the token sealed so the queue never holds a usable link)."""
    items: list[tuple[int, str]] = []
    for rid, sealed in batch:
        token = unseal(str(sealed))
        if token is not None and isinstance(rid, int):
            items.append((rid, token))
    return len(emails.invitations_deliver(kind=kind, items=items))
