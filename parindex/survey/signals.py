"""``survey_changed``: sent after commit when responses arrive or change status (review,
void) so the survey points are recomputed; the demo builder and tests may mute it like the
assessments' signal."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

from parindex.assessments import signals as assessment_signals

survey_changed = Signal()  # kwargs: survey_id, event


def survey_event(survey_id: int, event: str) -> None:
    if assessment_signals.is_muted():
        return
    transaction.on_commit(
        lambda: survey_changed.send(sender=None, survey_id=survey_id, event=event)
    )
