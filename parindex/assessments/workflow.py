"""The assessment's state table: the only place that says which status may follow which.

``assessment_transition`` (services.py) is the only code that changes ``Assessment.status``.
Each transition names who may take it (a role in the assessed unit, or the organizer) — later
issues (appraisal, publication) fill in the screens that use the later transitions.

Change to the first table: the council chair may send an appraised assessment back for a
second look (APPRAISED -> APPRAISAL_2, with a reason) instead of having no way back.
"""

from __future__ import annotations

from dataclasses import dataclass

from parindex.assessments.models import Status


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str
    actor: str  # "officer", "leader", "organizer", "appraiser", "chair"
    needs_note: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.DRAFT, Status.PENDING_APPROVAL, "Trình lãnh đạo duyệt", "officer"),
    Transition(Status.PENDING_APPROVAL, Status.DRAFT, "Trả lại chuyên viên", "leader", True),
    Transition(Status.PENDING_APPROVAL, Status.SUBMITTED, "Phê duyệt và gửi đi", "leader"),
    Transition(Status.SUBMITTED, Status.DRAFT, "Mở lại để đơn vị sửa", "organizer", True),
    Transition(Status.SUBMITTED, Status.APPRAISAL_1, "Bắt đầu thẩm định lần 1", "organizer"),
    Transition(Status.APPRAISAL_1, Status.SUPPLEMENT, "Yêu cầu giải trình, bổ sung", "organizer"),
    Transition(Status.SUPPLEMENT, Status.APPRAISAL_2, "Bắt đầu thẩm định lần 2", "organizer"),
    Transition(Status.APPRAISAL_1, Status.APPRAISAL_2, "Chuyển thẩm định lần 2", "organizer"),
    Transition(Status.APPRAISAL_2, Status.APPRAISED, "Hoàn thành thẩm định", "organizer"),
    Transition(
        Status.APPRAISED, Status.APPRAISAL_2, "Trả lại để thẩm định lại", "chair", needs_note=True
    ),
    Transition(Status.APPRAISED, Status.FINALIZED, "Phê duyệt, công bố kết quả", "chair"),
)

# Who each actor kind is, for messages ("Chỉ … mới được …").
ACTOR_LABELS: dict[str, str] = {
    "officer": "chuyên viên đầu mối của đơn vị",
    "leader": "lãnh đạo đơn vị",
    "organizer": "cán bộ quản trị của cơ quan tổ chức đánh giá",
    "appraiser": "thẩm định viên",
    "chair": "Chủ tịch Hội đồng thẩm định",
}

# Transitions taken by the assessed unit itself: refused after the self-assessment deadline.
UNIT_ACTORS = frozenset({"officer", "leader"})

# Statuses counted as "đã gửi" (the unit has submitted its self-assessment).
SUBMITTED_OR_LATER = frozenset(
    {
        Status.SUBMITTED,
        Status.APPRAISAL_1,
        Status.SUPPLEMENT,
        Status.APPRAISAL_2,
        Status.APPRAISED,
        Status.FINALIZED,
    }
)

ALLOWED: dict[tuple[str, str], Transition] = {(t.source, t.target): t for t in TRANSITIONS}

# Statuses in which the unit's officer may still change declared values and evidence.
UNIT_EDITABLE = frozenset({Status.DRAFT})

# Statuses from which the appraisal has started: only then is the total after appraisal
# (``final_points``, which falls back to the self score) worth showing.
APPRAISAL_STARTED = SUBMITTED_OR_LATER - {Status.SUBMITTED}

# Statuses in which the organizer may give the unit more time (it has not sent its
# self-assessment yet: still working, or waiting for its leader's approval).
DEADLINE_EXTENDABLE = frozenset({Status.DRAFT, Status.PENDING_APPROVAL})


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == status]


def find_transition(source: str, target: str) -> Transition | None:
    return ALLOWED.get((source, target))
