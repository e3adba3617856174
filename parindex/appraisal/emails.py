"""The appraisal's e-mails: what each says (one small builder per kind) and whom it goes to
(the ``*_send`` functions the worker's tasks call, ``tasks.py``).

Each kind ``<kind>`` has three templates under templates/emails/: ``appraisal_<kind>-subject.txt``
(one line), ``appraisal_<kind>-body.txt`` and ``appraisal_<kind>-body.html``.

Who hears what (issue 7 §7; ``receivers.py`` maps the events):
- a round opens: every council seat with an address and leaves left in it — its units and
  how many leaves of each (``selectors.reminders.workloads``); ``ROUND_REMINDER_DAYS`` before
  the round's last day, those who still have some (the daily ``appraisal_reminders``);
- round 1 closes: each unit (its officers' and leaders' addresses) — the adjusted leaves
  with the reasons, the requests, its Giải trình, bổ sung deadline and the page to answer;
  ``SUPPLEMENT_REMINDER_DAYS`` before that deadline, the units that have not sent;
- a unit sends its answers, the chair returns or approves: the organizer's admins; the
  consolidation is submitted: the chair.

Decisions where the issue was silent:
- round 2 closing sends nothing (the organizer closed it and submits next); a unit whose
  round 1 agreed with everything still hears that it has nothing to answer;
- the two reminders are sent at most once per seat (unit), round and day: the send takes a
  lock on the seat's (the assessment's) row, looks for its audit row of the day and writes
  it before sending, in one transaction, so a failed send leaves no mark (the next run
  retries) and a second worker waits and then skips — the rule of ``notify.services``
  without a row in notify's ReminderLog, which is per assessment only. A unit without any
  address still gets the mark (the organizer sees "gửi đến: —" in the log);
- links go to the appraisal's pages by URL name when they exist (``LINKS``), else to a page
  every recipient has (the home page lists what waits for them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from parindex.accounts.models import User
from parindex.appraisal.models import Answer, AppraisalState
from parindex.appraisal.selectors.assignment import UNDER_APPRAISAL
from parindex.appraisal.selectors.reminders import (
    ROUND_REMINDER_VERB,
    SUPPLEMENT_REMINDER_VERB,
    Workload,
    asked_assessments,
    chair_contacts,
    round1_result,
    round_end,
    workloads,
)
from parindex.appraisal.services.supplement import supplement_deadline
from parindex.assessments.models import Assessment, Status
from parindex.audit.models import AuditEvent
from parindex.audit.services import audit_record
from parindex.common.dates import days_left
from parindex.notify.emails import absolute, render_mail
from parindex.notify.selectors import organizer_contacts, unit_contacts
from parindex.periods.calendar import fmt_date
from parindex.periods.models import CouncilMember, Period

ROUND_LABEL = {1: "thẩm định lần 1", 2: "thẩm định lần 2"}
# The appraisal's pages by URL name (built by the views' engineers); the fallback is used
# while a name does not exist.
LINKS = {
    "queue": ("appraisal:queue", ()),
    "consolidation": ("appraisal:consolidation", ("period_pk",)),
    "supplement": ("appraisal:supplement", ("assessment_pk",)),
}


def _link(key: str, fallback: str, **kwargs: int) -> str:
    name, params = LINKS[key]
    try:
        return absolute(reverse(name, kwargs={p: kwargs[p] for p in params}))
    except NoReverseMatch:
        return absolute(fallback)


def queue_url() -> str:
    return _link("queue", reverse("home"))


def supplement_url(assessment: Assessment) -> str:
    return _link(
        "supplement",
        f"/tham-dinh/danh-gia/{assessment.pk}/giai-trinh/",
        assessment_pk=assessment.pk,
    )


def consolidation_url(period: Period) -> str:
    return _link("consolidation", reverse("periods:detail", args=[period.pk]), period_pk=period.pk)


def _render(kind: str, context: dict[str, Any], to: list[str]) -> EmailMultiAlternatives:
    return render_mail(f"appraisal_{kind}", context, to)


def fmt_moment(moment: dt.datetime | None) -> str:
    """``23:59 ngày 10/12/2026`` in local time (as the services' messages write it)."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def _name(user: Any, default: str) -> str:
    return getattr(user, "display_name", "") or default


def _period(period: Period) -> Period:
    return Period.objects.select_related("organizer").prefetch_related("phases").get(pk=period.pk)


# ---------------------------------------------------------------- builders


def round_notice(
    *,
    period: Period,
    round: int,
    load: Workload,
    ends_on: dt.date | None,
    reminder: bool = False,
    on: dt.date | None = None,
) -> EmailMultiAlternatives:
    """To one appraiser: a round has opened (or ends soon), their units and leaves left."""
    return _render(
        "round_reminder" if reminder else "round_opened",
        {
            "period": period,
            "organizer": period.organizer,
            "round": round,
            "round_label": ROUND_LABEL[round],
            "member": load.member,
            "name": _name(load.user, load.user.username),
            "units": load.units,
            "total": load.total,
            "ends_on": fmt_date(ends_on) if ends_on else "",
            "days_left": days_left(ends_on, on) if ends_on else None,
            "url": queue_url(),
        },
        [load.user.email],
    )


def round1_result_notice(
    *, assessment: Assessment, to: list[str], deadline: dt.datetime | None
) -> EmailMultiAlternatives:
    """To the unit: its round-1 result and what to answer by when."""
    result = round1_result(assessment)
    return _render(
        "round1_result",
        {
            "assessment": assessment,
            "unit": assessment.unit,
            "period": assessment.period,
            "organizer": assessment.period.organizer,
            "result": result,
            "deadline": fmt_moment(deadline),
            "url": supplement_url(assessment),
        },
        to,
    )


def supplement_reminder(
    *, assessment: Assessment, to: list[str], deadline: dt.datetime | None, on: dt.date
) -> EmailMultiAlternatives:
    """To a unit that has not sent its answers, before its deadline."""
    result = round1_result(assessment)
    answered = set(
        Answer.objects.filter(entry__assessment=assessment).values_list(
            "entry__node__code", flat=True
        )
    )
    waiting = [line for line in result.adjusted + result.requests if line.code not in answered]
    return _render(
        "supplement_reminder",
        {
            "assessment": assessment,
            "unit": assessment.unit,
            "period": assessment.period,
            "organizer": assessment.period.organizer,
            "asked": result.asked,
            "answered": result.asked - len(waiting),
            "waiting": waiting,
            "deadline": fmt_moment(deadline),
            "days_left": days_left(deadline, on),
            "url": supplement_url(assessment),
        },
        to,
    )


def answers_sent_notice(
    *, assessment: Assessment, to: list[str], sender: str, at: dt.datetime | None
) -> EmailMultiAlternatives:
    """To the organizer's admins: a unit has sent its Giải trình, bổ sung."""
    result = round1_result(assessment)
    answered = Answer.objects.filter(entry__assessment=assessment).count()
    return _render(
        "answers_sent",
        {
            "assessment": assessment,
            "unit": assessment.unit,
            "period": assessment.period,
            "organizer": assessment.period.organizer,
            "sender": sender,
            "at": fmt_moment(at),
            "asked": result.asked,
            "answered": answered,
            "url": absolute(reverse("assessments:detail", args=[assessment.pk])),
            "consolidation_url": consolidation_url(assessment.period),
        },
        to,
    )


def submitted_notice(
    *, period: Period, to: list[str], sender: str, note: str, units: int
) -> EmailMultiAlternatives:
    """To the chair: the consolidated results wait for their approval."""
    return _render(
        "submitted",
        {
            "period": period,
            "organizer": period.organizer,
            "sender": sender,
            "note": note,
            "units": units,
            "at": fmt_moment(getattr(period.appraisal, "submitted_at", None)),
            "url": consolidation_url(period),
        },
        to,
    )


def review_notice(
    *, period: Period, to: list[str], approved: bool, sender: str, note: str
) -> EmailMultiAlternatives:
    """To the organizer's admins: the chair returned the results, or approved them."""
    state = period.appraisal
    return _render(
        "approved" if approved else "returned",
        {
            "period": period,
            "organizer": period.organizer,
            "sender": sender,
            "note": note,
            "at": fmt_moment(state.approved_at if approved else state.updated_at),
            "url": consolidation_url(period),
        },
        to,
    )


# ---------------------------------------------------------------- senders (the tasks')


def round_opened_send(*, period: Period, round: int) -> list[str]:
    """E-mail every appraiser with leaves in the round just opened (returns the addresses)."""
    period = _period(period)
    ends = round_end(period, round)
    sent: list[str] = []
    for load in workloads(period, round):
        round_notice(period=period, round=round, load=load, ends_on=ends).send()
        sent.append(load.user.email)
    return sent


def _already(verb: str, obj: Any, on: dt.date) -> bool:
    return AuditEvent.objects.filter(
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        new__for_date=on.isoformat(),
    ).exists()


@transaction.atomic
def round_reminder_send(
    *, member: CouncilMember, round: int, for_date: dt.date
) -> list[str] | None:
    """Remind one appraiser of what they have left, ``ROUND_REMINDER_DAYS`` before the round
    ends; at most once per seat, round and day. None when nothing was sent (already sent,
    nothing left, the period closed)."""
    seat = (
        CouncilMember.objects.select_for_update(of=("self",))
        .select_related("user", "council__period")
        .get(pk=member.pk)
    )
    period = _period(seat.council.period)
    if period.closed or _already(ROUND_REMINDER_VERB, seat, for_date):
        return None
    load = next((w for w in workloads(period, round) if w.member.pk == seat.pk), None)
    if load is None:
        return None
    to = [load.user.email]
    audit_record(
        actor=None,
        verb=ROUND_REMINDER_VERB,
        obj=seat,
        new={"round": round, "for_date": for_date, "to": to, "remaining": load.total},
    )
    round_notice(
        period=period,
        round=round,
        load=load,
        ends_on=round_end(period, round),
        reminder=True,
        on=for_date,
    ).send()
    return to


def round1_results_send(*, period: Period) -> list[str]:
    """E-mail each unit in Giải trình, bổ sung its round-1 result (returns the addresses)."""
    items = list(
        Assessment.objects.filter(period=period, status=Status.SUPPLEMENT)
        .select_related("unit", "period__organizer")
        .prefetch_related("period__phases")
        .order_by("unit__position", "unit__name")
    )
    contacts = unit_contacts(a.unit_id for a in items)
    sent: list[str] = []
    for a in items:
        to = contacts.get(a.unit_id, [])
        if to:
            round1_result_notice(assessment=a, to=to, deadline=supplement_deadline(a)).send()
            sent.extend(to)
    return sent


@transaction.atomic
def supplement_reminder_send(*, assessment: Assessment, for_date: dt.date) -> list[str] | None:
    """Remind a unit that has not sent its answers, ``SUPPLEMENT_REMINDER_DAYS`` before its
    deadline; at most once a day. None when nothing was due (sent, closed, already)."""
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("unit", "period__organizer")
        .prefetch_related("period__phases")
        .get(pk=assessment.pk)
    )
    if locked.status != Status.SUPPLEMENT or locked.period.closed:
        return None
    if not asked_assessments().filter(entry__assessment_id=locked.pk).exists():
        return None
    state = AppraisalState.objects.filter(assessment=locked).first()
    if state is not None and state.answers_sent_at is not None:
        return None
    if _already(SUPPLEMENT_REMINDER_VERB, locked, for_date):
        return None
    deadline = supplement_deadline(locked)
    to = unit_contacts([locked.unit_id]).get(locked.unit_id, [])
    audit_record(
        actor=None,
        verb=SUPPLEMENT_REMINDER_VERB,
        obj=locked,
        new={"for_date": for_date, "deadline": deadline, "to": to},
    )
    if to:
        supplement_reminder(assessment=locked, to=to, deadline=deadline, on=for_date).send()
    return to


def answers_sent_send(*, assessment: Assessment, actor: User | None) -> list[str]:
    """E-mail the organizer's admins that the unit has sent its answers."""
    assessment = Assessment.objects.select_related("unit", "period__organizer").get(
        pk=assessment.pk
    )
    to = organizer_contacts(assessment.period.organizer)
    if to:
        state = AppraisalState.objects.filter(assessment=assessment).first()
        answers_sent_notice(
            assessment=assessment,
            to=to,
            sender=_name(actor, "Lãnh đạo đơn vị"),
            at=state.answers_sent_at if state else None,
        ).send()
    return to


def submitted_send(*, period: Period, actor: User | None, note: str = "") -> list[str]:
    """E-mail the chair that the consolidated results wait for approval."""
    period = Period.objects.select_related("organizer", "appraisal").get(pk=period.pk)
    to = chair_contacts(period)
    if to:
        units = Assessment.objects.filter(period=period, status__in=UNDER_APPRAISAL).count()
        submitted_notice(
            period=period,
            to=to,
            sender=_name(actor, period.organizer.name),
            note=note,
            units=units,
        ).send()
    return to


def review_send(*, period: Period, approved: bool, actor: User | None, note: str = "") -> list[str]:
    """E-mail the organizer's admins that the chair returned or approved the results."""
    period = Period.objects.select_related("organizer", "appraisal").get(pk=period.pk)
    to = organizer_contacts(period.organizer)
    if to:
        review_notice(
            period=period,
            to=to,
            approved=approved,
            sender=_name(actor, "Chủ tịch Hội đồng thẩm định"),
            note=note,
        ).send()
    return to
