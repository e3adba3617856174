"""The survey's e-mails: the invitation and the reminder, each with the respondent's personal
link (``tasks.send_invitations`` calls ``invitations_deliver``).

Templates: templates/survey/emails/<kind>-subject.txt (one line), <kind>-body.txt and
<kind>-body.html, ``kind`` in ``invitation`` / ``reminder`` (Vietnamese defaults).

A queued link is only sent while it is still the respondent's current one: if the
organizer re-sent in between, the older mail is dropped (its link no longer works)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from parindex.notify.emails import absolute
from parindex.periods.calendar import fmt_date
from parindex.survey.access import token_hash
from parindex.survey.models import Respondent

KINDS = ("invitation", "reminder")


def respond_url(token: str) -> str:
    return absolute(reverse("survey_public:respond_form", kwargs={"token": token}))


def invitation_message(*, respondent: Respondent, token: str, kind: str) -> EmailMultiAlternatives:
    survey = respondent.survey
    organizer = survey.period_block.period.organizer
    units = [ru.unit for ru in respondent.units.all()]
    context: dict[str, Any] = {
        "respondent": respondent,
        "survey": survey,
        "title": survey.definition.get("title") or str(survey),
        "organizer": organizer,
        "units": units,
        "closes_on": fmt_date(survey.closes_on) if survey.closes_on else "",
        "url": respond_url(token),
    }
    name = f"survey/emails/{kind}"
    subject = " ".join(render_to_string(f"{name}-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{name}-body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[respondent.email],
    )
    message.attach_alternative(render_to_string(f"{name}-body.html", context), "text/html")
    return message


def invitations_deliver(*, kind: str, items: list[tuple[int, str]]) -> list[str]:
    """Send one mail per (respondent id, raw token) whose token is still current; returns
    the addresses written to."""
    if kind not in KINDS:
        raise ValueError(kind)
    people = {
        p.pk: p
        for p in Respondent.objects.filter(pk__in=[rid for rid, _ in items])
        .select_related("survey__period_block__period__organizer")
        .prefetch_related("units__unit")
    }
    messages = []
    for rid, token in items:
        p = people.get(rid)
        if p is None or not p.email or p.token_hash != token_hash(token):
            continue
        messages.append(invitation_message(respondent=p, token=token, kind=kind))
    if messages:
        get_connection().send_messages(messages)
    return [m.to[0] for m in messages]
