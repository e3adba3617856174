"""The appeals' e-mails (issue 9 §6): what each says and whom it goes to, as the appraisal's
(``parindex.appraisal.emails``). The worker's tasks (``tasks.py``) call the ``*_send``
functions; the services queue them after commit (``services._after_commit``), so a refused or
rolled-back appeal sends nothing.

Each kind ``<kind>`` has three templates under templates/emails/: ``appeal_<kind>-subject.txt``
(one line), ``appeal_<kind>-body.txt`` and ``appeal_<kind>-body.html``.

Who hears what:
- a unit files: the organizer's admins (the criteria with the unit's reasons, a link to the
  appeal's page) and, as a confirmation, the unit's officers and leaders;
- the organizer answers: the unit's officers and leaders (each criterion's answer with the
  corrected score, the note, the new published version if any, a link to the unit's results).
Nobody with an address: nothing is sent, nothing fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from parindex.appeals.models import Appeal
from parindex.appraisal.emails import fmt_moment
from parindex.common.numbers import vn_number
from parindex.notify.emails import absolute, render_mail
from parindex.notify.selectors import organizer_contacts, unit_contacts


@dataclass
class Line:
    code: str
    name: str
    reason: str
    before: str
    accepted: bool | None
    after: str

    @property
    def answer(self) -> str:
        if self.accepted is None:
            return "Chờ trả lời"
        return "Chấp nhận" if self.accepted else "Không chấp nhận"


def _lines(appeal: Appeal) -> list[Line]:
    return [
        Line(
            code=i.entry.node.code,
            name=i.entry.node.title,
            reason=i.reason,
            before=vn_number(i.score_before),
            accepted=i.accepted,
            after=vn_number(i.score_after) if i.score_after is not None else "",
        )
        for i in appeal.items.select_related("entry__node").order_by("entry__node__position", "id")
    ]


def _load(appeal_id: int) -> Appeal | None:
    return (
        Appeal.objects.select_related(
            "period__organizer", "assessment__unit", "filed_by", "decided_by", "publication"
        )
        .filter(pk=appeal_id)
        .first()
    )


def _render(kind: str, context: dict[str, Any], to: list[str]) -> EmailMultiAlternatives:
    return render_mail(f"appeal_{kind}", context, to)


def _context(appeal: Appeal) -> dict[str, Any]:
    period = appeal.period
    return {
        "appeal": appeal,
        "period": period,
        "year": period.year,
        "organizer": period.organizer,
        "unit": appeal.assessment.unit,
        "lines": _lines(appeal),
        "filed_at": fmt_moment(appeal.filed_at),
        "sender": getattr(appeal.filed_by, "display_name", "") or "Lãnh đạo đơn vị",
        "url": absolute(reverse("appeals:detail", args=[appeal.pk])),
    }


def filed_send(*, appeal_id: int) -> list[str]:
    """E-mail the organizer's admins the new appeal and confirm it to the unit. Returns the
    addresses written to."""
    appeal = _load(appeal_id)
    if appeal is None:
        return []
    context = _context(appeal)
    sent: list[str] = []
    admins = organizer_contacts(appeal.period.organizer)
    if admins:
        _render("filed", context, admins).send()
        sent += admins
    unit = unit_contacts([appeal.assessment.unit_id]).get(appeal.assessment.unit_id, [])
    if unit:
        _render("filed_confirm", context, unit).send()
        sent += unit
    return sent


def decided_send(*, appeal_id: int) -> list[str]:
    """E-mail the unit's officers and leaders the organizer's answer."""
    appeal = _load(appeal_id)
    if appeal is None or appeal.status == Appeal.Status.SUBMITTED:
        return []
    to = unit_contacts([appeal.assessment.unit_id]).get(appeal.assessment.unit_id, [])
    if not to:
        return []
    context = {
        **_context(appeal),
        "status": appeal.get_status_display(),
        "decided_at": fmt_moment(appeal.decided_at),
        "decider": getattr(appeal.decided_by, "display_name", "") or appeal.period.organizer.name,
        "note": appeal.decision_note,
        "version": appeal.publication.version if appeal.publication else None,
        "results_url": absolute(reverse("results:unit", args=[appeal.assessment_id])),
    }
    _render("decided", context, to).send()
    return to
