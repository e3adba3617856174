"""What the survey does when ``signals.survey_changed`` is sent (after commit). One receiver
per concern, each connected in ``apps.SurveyConfig.ready`` through ``RECEIVERS`` (add yours
there with its own dispatch uid); each ignores the events that are not its own.

- ``event="invitations"`` (``kind``, ``batch``): queue the invitation/reminder mails.
- every other event (responses arrive, reviews, voids): recompute the survey points
  (``tasks_points.refresh_points``, debounced); and ``appraisal.signals.appraisal_changed``
  with ``event="submitted"`` (the consolidation goes to the chair): freeze the period's
  surveys (``tasks_points.freeze_period``; connected in ``apps.py`` beside ``RECEIVERS``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from parindex.survey import tasks, tasks_points


def on_invitations(
    sender: Any,
    *,
    survey_id: int,
    event: str,
    kind: str = "",
    batch: list[list[object]] | None = None,
    **kwargs: Any,
) -> None:
    if event == "invitations" and batch:
        tasks.send_invitations.enqueue(kind, batch)


#: survey_changed events that change no response (the points ignore them)
NOT_POINTS = frozenset({"invitations"})
FREEZE_DISPATCH_UID = "survey.points_freeze"


def on_survey_changed_points(sender: Any, *, survey_id: int, event: str, **kwargs: Any) -> None:
    if event not in NOT_POINTS:
        tasks_points.refresh_points.enqueue(survey_id, timezone.now().isoformat())


def on_appraisal_changed_freeze(sender: Any, *, period_id: int, event: str, **kwargs: Any) -> None:
    if event == "submitted":
        tasks_points.freeze_period.enqueue(period_id)


# (dispatch uid, receiver of survey_changed)
RECEIVERS: list[tuple[str, Callable[..., None]]] = [
    ("survey.invitations", on_invitations),
    ("survey.points", on_survey_changed_points),
]
