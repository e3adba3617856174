"""What the appraisal's e-mails do when ``signals.appraisal_changed`` is sent (after commit):
queue the task for the worker (see ``emails.py`` for who hears what).

- round 1 or 2 opened: the appraisers, with their units and leaves left;
- round 1 closed: each unit, its round-1 result and its Giải trình, bổ sung deadline;
- answers sent: the organizer's admins;
- submitted to the chair: the chair; returned or approved by the chair: the organizer's admins.
Round 2 closing sends nothing.
"""

from __future__ import annotations

from typing import Any

from parindex.appraisal import tasks

DISPATCH_UID = "appraisal.emails"
OPENED = {"round1_opened": 1, "round2_opened": 2}


def on_appraisal_changed(
    sender: Any,
    *,
    period_id: int,
    event: str,
    actor_id: int | None = None,
    assessment_id: int | None = None,
    note: str = "",
    **kwargs: Any,
) -> None:
    if event in OPENED:
        tasks.send_round_opened.enqueue(period_id, OPENED[event])
    elif event == "round1_closed":
        tasks.send_round1_results.enqueue(period_id)
    elif event == "answers_sent" and assessment_id is not None:
        tasks.send_answers_sent.enqueue(assessment_id, actor_id)
    elif event == "submitted":
        tasks.send_submitted.enqueue(period_id, actor_id, note)
    elif event in ("returned", "approved"):
        tasks.send_review.enqueue(period_id, event == "approved", actor_id, note)
