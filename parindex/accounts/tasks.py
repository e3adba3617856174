"""Background tasks (django-tasks) of the accounts app."""

from __future__ import annotations

from django_tasks import task

from parindex.accounts.services.password_reset import password_reset_mail_send


@task()
def send_password_reset(email: str) -> int:
    """Mail the reset link to the accounts of ``email`` (if any): run by the worker, so the
    page's answer takes the same time whether the address exists."""
    return password_reset_mail_send(email=email)
