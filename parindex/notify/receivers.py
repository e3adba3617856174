"""What notify does when an assessment changes status (``assessments.signals``, sent after
commit): queue the e-mail for the worker.

- officer → leader (Trình lãnh đạo duyệt): the unit's leaders, with the officer's note;
- leader → officer (Trả lại): the unit's officers, with the leader's comment;
- sent (Đã gửi): the organizer's admins.
"""

from __future__ import annotations

from typing import Any

from parindex.assessments.models import Status
from parindex.notify import tasks

DISPATCH_UID = "notify.status"


def on_status_changed(
    sender: Any,
    *,
    assessment_id: int,
    old_status: str,
    new_status: str,
    actor_id: int | None = None,
    note: str = "",
    **kwargs: Any,
) -> None:
    if new_status == Status.PENDING_APPROVAL:
        tasks.send_approval_request.enqueue(assessment_id, actor_id, note)
    elif old_status == Status.PENDING_APPROVAL and new_status == Status.DRAFT:
        tasks.send_returned_notice.enqueue(assessment_id, actor_id, note)
    elif new_status == Status.SUBMITTED:
        tasks.send_submitted_notice.enqueue(assessment_id)
