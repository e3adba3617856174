"""Drive an assessment through the workflow in tests, through the one service entry point.

The appraisal steps (rounds, explanations, appraised, publication) are taken with
``by_appraisal=True``, the path reserved for the appraisal module; each step at a moment in its
window of the default 2026 calendar (Tự đánh giá 15/10–15/11, Thẩm định lần 1 16/11–30/11,
Giải trình 01/12–10/12, Thẩm định lần 2 11/12–20/12, Tổng hợp 21/12–25/12, Phê duyệt
26/12–31/12)."""

from __future__ import annotations

import time_machine

from parindex.assessments import workflow
from parindex.assessments.models import Assessment, Entry, Status
from parindex.assessments.services import assessment_transition
from tests.periods.factories import local

# A moment at which each step (by its source, target) is open in the 2026 default calendar.
MOMENTS = {
    (Status.DRAFT, Status.PENDING_APPROVAL): local(2026, 10, 20),
    (Status.PENDING_APPROVAL, Status.DRAFT): local(2026, 10, 20),
    (Status.PENDING_APPROVAL, Status.SUBMITTED): local(2026, 10, 21),
    (Status.SUBMITTED, Status.DRAFT): local(2026, 10, 22),
    (Status.SUBMITTED, Status.APPRAISAL_1): local(2026, 11, 20),
    (Status.APPRAISAL_1, Status.SUPPLEMENT): local(2026, 12, 2),
    (Status.SUPPLEMENT, Status.APPRAISAL_2): local(2026, 12, 12),
    (Status.APPRAISAL_1, Status.APPRAISAL_2): local(2026, 12, 12),
    (Status.APPRAISAL_2, Status.APPRAISED): local(2026, 12, 22),
    (Status.APPRAISED, Status.APPRAISAL_2): local(2026, 12, 23),
    (Status.APPRAISED, Status.FINALIZED): local(2026, 12, 27),
}

# The way forward from each status (the shortest path to publication).
FORWARD = {
    Status.DRAFT: Status.PENDING_APPROVAL,
    Status.PENDING_APPROVAL: Status.SUBMITTED,
    Status.SUBMITTED: Status.APPRAISAL_1,
    Status.APPRAISAL_1: Status.APPRAISAL_2,
    Status.SUPPLEMENT: Status.APPRAISAL_2,
    Status.APPRAISAL_2: Status.APPRAISED,
    Status.APPRAISED: Status.FINALIZED,
}


def actor_for(province, kind: str):
    return {
        "officer": province.officer,
        "leader": province.leader,
        "organizer": province.admin,
        "appraiser": province.appraiser,
        "chair": province.chair,
    }[kind]


def make_complete(assessment: Assessment) -> None:
    """Every self-scored leaf answered (Không áp dụng, with an explanation): ready to send."""
    Entry.objects.filter(assessment=assessment).exclude(node__source="survey").update(
        value="NA", not_applicable=True, explanation="Đơn vị không phát sinh nhiệm vụ này."
    )


def step(province, assessment: Assessment, to: str, note: str = "Lý do") -> Assessment:
    """Take one step by its actor, at a moment in its window."""
    assessment.refresh_from_db()
    transition = workflow.find_transition(assessment.status, to)
    assert transition is not None, (assessment.status, to)
    with time_machine.travel(MOMENTS[(transition.source, to)], tick=False):
        return assessment_transition(
            actor=actor_for(province, transition.actor),
            assessment=assessment,
            to=to,
            note=note,
            by_appraisal=transition.by_appraisal,
        )


def drive(province, assessment: Assessment, to: str) -> Assessment:
    """Walk the assessment forward to ``to`` (filling it first when it still has to be sent)."""
    assessment.refresh_from_db()
    if assessment.status in (Status.DRAFT, Status.PENDING_APPROVAL):
        make_complete(assessment)
    if to == Status.SUPPLEMENT:
        drive(province, assessment, Status.APPRAISAL_1)
        return step(province, assessment, Status.SUPPLEMENT)
    while assessment.status != to:
        step(province, assessment, FORWARD[Status(assessment.status)])
    return assessment
