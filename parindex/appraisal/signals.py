"""``appraisal_changed``: sent after commit when a round opens or closes, the answers are sent,
the consolidation goes to the chair, the chair returns or approves it. The e-mails listen
(``receivers.py``); tests and the demo builder may mute it like the assessments' signal."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

from parindex.assessments import signals as assessment_signals
from parindex.periods.models import Period

appraisal_changed = Signal()  # kwargs: period_id, event, actor_id, assessment_id, note


def appraisal_event(
    period: Period, event: str, actor: Any, *, assessment_id: int | None = None, note: str = ""
) -> None:
    if assessment_signals.is_muted():
        return
    kwargs = {
        "period_id": period.pk,
        "event": event,
        "actor_id": actor.pk if getattr(actor, "is_authenticated", False) else None,
        "assessment_id": assessment_id,
        "note": note,
    }
    transaction.on_commit(lambda: appraisal_changed.send(sender=Period, **kwargs))
