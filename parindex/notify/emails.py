"""The e-mails parindex sends, one small function per kind of message.

Each kind ``<kind>`` has three templates under templates/emails/: ``<kind>-subject.txt``
(one line), ``<kind>-body.txt`` (plain text) and ``<kind>-body.html``. The functions build
the message; the services decide whom to send it to and when.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from parindex.assessments.models import Assessment
from parindex.periods.calendar import self_assessment_deadline

# The unit's workspace, by URL name; the first that exists wins (the read-only assessment
# page until the workspace is there).
WORKSPACE_URL_NAMES = ("assessments:workspace", "assessments:dashboard", "assessments:detail")


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def workspace_url(assessment: Assessment) -> str:
    for name in WORKSPACE_URL_NAMES:
        try:
            return absolute(reverse(name, args=[assessment.pk]))
        except NoReverseMatch:
            continue
    return absolute("/")


def fmt_datetime(moment: dt.datetime | None) -> str:
    """``15/11/2026 23:59`` in local time (empty for None)."""
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def render_mail(kind: str, context: dict[str, Any], to: list[str]) -> EmailMultiAlternatives:
    """The e-mail ``kind`` from its three templates under templates/emails/:
    ``<kind>-subject.txt`` (made one line), ``<kind>-body.txt`` and ``<kind>-body.html``. Every
    app's e-mails are built here (notify, appraisal ``appraisal_*``, appeals ``appeal_*``)."""
    subject = render_to_string(f"emails/{kind}-subject.txt", context)
    subject = " ".join(subject.split())  # one line, whatever the template's whitespace
    text = render_to_string(f"emails/{kind}-body.txt", context)
    html = render_to_string(f"emails/{kind}-body.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    message.attach_alternative(html, "text/html")
    return message


_render = render_mail


def deadline_reminder(
    *,
    assessment: Assessment,
    to: list[str],
    deadline: dt.datetime | None,
    days_left: int | None,
    progress: Any,
    manual: bool = False,
    requested_by: Any = None,
) -> EmailMultiAlternatives:
    """Nhắc hạn tự đánh giá: to the unit's officers and leaders (``progress`` is a
    assessments.period_selectors.Progress)."""
    period = assessment.period
    return _render(
        "deadline-reminder",
        {
            "assessment": assessment,
            "unit": assessment.unit,
            "period": period,
            "organizer": period.organizer,
            "deadline": fmt_datetime(deadline),
            "extended": assessment.deadline_override is not None,
            "days_left": days_left,
            "days_overdue": -days_left if days_left is not None and days_left < 0 else None,
            "progress": progress,
            "manual": manual,
            "requested_by": requested_by,
            "url": workspace_url(assessment),
        },
        to,
    )


def submitted_notice(*, assessment: Assessment, to: list[str]) -> EmailMultiAlternatives:
    """Đơn vị X đã gửi kết quả tự đánh giá: to the organizer's admins."""
    return _render(
        "submitted",
        {
            "assessment": assessment,
            "unit": assessment.unit,
            "period": assessment.period,
            "organizer": assessment.period.organizer,
            "submitted_at": fmt_datetime(assessment.submitted_at),
            "url": absolute(reverse("assessments:detail", args=[assessment.pk])),
            "progress_url": absolute(reverse("periods:progress", args=[assessment.period_id])),
        },
        to,
    )


def _unit_step_context(
    assessment: Assessment, *, sender: str, note: str, at: dt.datetime | None
) -> dict[str, Any]:
    return {
        "assessment": assessment,
        "unit": assessment.unit,
        "period": assessment.period,
        "sender": sender,
        "note": note,
        "at": fmt_datetime(at or timezone.now()),
        "deadline": fmt_datetime(self_assessment_deadline(assessment.period, assessment)),
        "url": workspace_url(assessment),
    }


def approval_request(
    *, assessment: Assessment, to: list[str], sender: str, note: str, at: dt.datetime | None
) -> EmailMultiAlternatives:
    """Đề nghị phê duyệt: the officer sent the self-assessment to the unit's leaders."""
    return _render(
        "approval-request", _unit_step_context(assessment, sender=sender, note=note, at=at), to
    )


def returned_notice(
    *, assessment: Assessment, to: list[str], sender: str, note: str, at: dt.datetime | None
) -> EmailMultiAlternatives:
    """Lãnh đạo trả lại: the leader returned the self-assessment to the unit's officers."""
    return _render("returned", _unit_step_context(assessment, sender=sender, note=note, at=at), to)
