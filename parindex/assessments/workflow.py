"""The assessment's workflow rules, in one place: which status may follow which, who takes
each step, when (the period's phase, or the unit's self-assessment window), what must hold
(completeness), and why the unit's self-assessment is locked.

``services.assessment_transition`` is the only code that changes ``Assessment.status``; it
asks this module everything. Screens ask it too (``offered``, ``lock_reason``), so a button is
shown exactly when the service would accept the step.

Decisions:
- The unit's own steps (officer, leader) are open from the first day of Tự đánh giá to the
  self-assessment deadline (the end of its last day, or the unit's later extension) — not tied
  to the phase, so an extension outlives Tự đánh giá.
- The organizer's other steps, the chair's and the appraisal's follow the period's calendar:
  each names the phases in which it may be taken (``current_phase``: in a gap between two
  phases, the earlier one). The organizer may reopen a sent assessment (with a reason) while
  it waits for the appraisal: from Tự đánh giá to the end of Thẩm định lần 2.
- Steps of the appraisal (the rounds, the request for explanations, appraised, publication,
  the chair's return) are driven by the appraisal module (``by_appraisal``): they are never
  offered by hand and the service refuses them unless the caller says it is that module
  (``assessment_transition(..., by_appraisal=True)``): ``parindex.appraisal.services``
  (round_open / round_close for the whole period, chair_return, chair_approve).
- The chair may send an appraised assessment back for a second look (APPRAISED ->
  APPRAISAL_2, with a reason).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from parindex.assessments.completeness import assessment_missing
from parindex.assessments.models import Status
from parindex.common.errors import DomainError
from parindex.periods.calendar import (
    current_phase,
    fmt_date,
    self_assessment_deadline,
    self_assessment_start,
)
from parindex.periods.models import Phase

if TYPE_CHECKING:
    from parindex.assessments.models import Assessment

# A check takes the (locked) assessment and raises DomainError, in Vietnamese, when the step
# cannot be taken.
Check = Callable[["Assessment"], None]


def require_complete(assessment: Assessment) -> None:
    """Every self-scored leaf answered (a value or Không áp dụng) and every leaf whose
    framework names evidence has a file or an explanation."""
    missing = assessment_missing(assessment)
    if not missing:
        return
    codes = ", ".join(m.code for m in missing[:10])
    more = f" và {len(missing) - 10} tiêu chí khác" if len(missing) > 10 else ""
    raise DomainError(
        f"Chưa thể gửi: còn {len(missing)} tiêu chí thành phần chưa hoàn thành "
        f"({codes}{more}). Kê khai số liệu (hoặc chọn “Không áp dụng”) và đính kèm "
        "tài liệu kiểm chứng hoặc ghi giải trình cho các tiêu chí này.",
        problems=[f"{m.code}: {'; '.join(m.reasons)}" for m in missing],
    )


# ``window`` of a unit step: the self-assessment window rather than phases.
UNIT_WINDOW = "unit"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str
    actor: str  # "officer", "leader", "organizer", "appraiser", "chair"
    needs_note: bool = False
    # When: UNIT_WINDOW, or the period phases in which the step may be taken.
    window: str | tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    # Driven by the appraisal module: never offered by hand (see the module notes).
    by_appraisal: bool = False


P = Phase
REOPEN_PHASES = (P.SELF_ASSESSMENT, P.APPRAISAL_1, P.SUPPLEMENT, P.APPRAISAL_2)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        Status.DRAFT,
        Status.PENDING_APPROVAL,
        "Trình lãnh đạo duyệt",
        "officer",
        window=UNIT_WINDOW,
        checks=(require_complete,),
    ),
    Transition(
        Status.PENDING_APPROVAL,
        Status.DRAFT,
        "Trả lại chuyên viên",
        "leader",
        needs_note=True,
        window=UNIT_WINDOW,
    ),
    Transition(
        Status.PENDING_APPROVAL,
        Status.SUBMITTED,
        "Phê duyệt và gửi đi",
        "leader",
        window=UNIT_WINDOW,
        checks=(require_complete,),
    ),
    Transition(
        Status.SUBMITTED,
        Status.DRAFT,
        "Mở lại để đơn vị sửa",
        "organizer",
        needs_note=True,
        window=REOPEN_PHASES,
    ),
    Transition(
        Status.SUBMITTED,
        Status.APPRAISAL_1,
        "Bắt đầu thẩm định lần 1",
        "organizer",
        window=(P.APPRAISAL_1,),
        by_appraisal=True,
    ),
    Transition(
        Status.APPRAISAL_1,
        Status.SUPPLEMENT,
        "Yêu cầu giải trình, bổ sung",
        "organizer",
        window=(P.APPRAISAL_1, P.SUPPLEMENT),
        by_appraisal=True,
    ),
    Transition(
        Status.SUPPLEMENT,
        Status.APPRAISAL_2,
        "Bắt đầu thẩm định lần 2",
        "organizer",
        window=(P.APPRAISAL_2,),
        by_appraisal=True,
    ),
    Transition(
        Status.APPRAISAL_1,
        Status.APPRAISAL_2,
        "Chuyển thẩm định lần 2",
        "organizer",
        window=(P.APPRAISAL_2,),
        by_appraisal=True,
    ),
    Transition(
        Status.APPRAISAL_2,
        Status.APPRAISED,
        "Hoàn thành thẩm định",
        "organizer",
        # also in Phê duyệt: the chair may return the results then (APPRAISED -> APPRAISAL_2)
        # and the council settles them again before the chair approves
        window=(P.APPRAISAL_2, P.CONSOLIDATION, P.APPROVAL),
        by_appraisal=True,
    ),
    Transition(
        Status.APPRAISED,
        Status.APPRAISAL_2,
        "Trả lại để thẩm định lại",
        "chair",
        needs_note=True,
        window=(P.CONSOLIDATION, P.APPROVAL),
        by_appraisal=True,
    ),
    Transition(
        Status.APPRAISED,
        Status.FINALIZED,
        "Phê duyệt, công bố kết quả",
        "chair",
        window=(P.APPROVAL,),
        by_appraisal=True,
    ),
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


# ---------------------------------------------------------------- time and locks


def fmt_deadline(deadline: dt.datetime) -> str:
    """``15/11/2026`` for the end of a day, else ``17/11/2026 17:00`` (local time)."""
    local = timezone.localtime(deadline)
    if local.time() >= dt.time(23, 59, 59):
        return fmt_date(local.date())
    return local.strftime("%d/%m/%Y %H:%M")


def closed_reason(assessment: Assessment) -> str | None:
    period = assessment.period
    if period.closed:
        return f"Đợt đánh giá “{period.name}” đã đóng (chỉ đọc)."
    return None


def unit_window_reason(assessment: Assessment, now: dt.datetime | None = None) -> str | None:
    """Why the unit cannot work on its self-assessment at ``now`` whatever its status:
    before the first day of Tự đánh giá, or after its deadline (with its extension)."""
    period = assessment.period
    now = now or timezone.now()
    start = self_assessment_start(period)
    if start is not None and timezone.localtime(now).date() < start:
        return f"Chưa đến thời gian tự đánh giá (bắt đầu từ {fmt_date(start)})."
    deadline = self_assessment_deadline(period, assessment)
    if deadline is not None and now > deadline:
        return (
            f"Đã hết hạn tự đánh giá ({fmt_deadline(deadline)}). "
            f"Liên hệ {period.organizer.name} để được gia hạn."
        )
    return None


def lock_reason(assessment: Assessment, now: dt.datetime | None = None) -> str | None:
    """Why the unit cannot change its self-assessment (declared values, explanations,
    evidence) now, or None when it can. The one answer used by the services (entries,
    evidence upload and removal), the views and the templates.

    Needs ``assessment.period`` with its organizer (and ``phases`` prefetched to save a query).
    """
    reason = closed_reason(assessment)
    if reason:
        return reason
    if assessment.status not in UNIT_EDITABLE:
        return (
            f"Bản tự đánh giá đang ở trạng thái “{Status(assessment.status).label}”: "
            "số liệu, giải trình và tài liệu kiểm chứng không sửa được."
        )
    return unit_window_reason(assessment, now)


def _phase_list(phases: tuple[str, ...]) -> str:
    labels = [f"“{Phase(p).label}”" for p in phases]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " hoặc " + labels[-1]


def when_reason(
    assessment: Assessment,
    transition: Transition,
    *,
    by_appraisal: bool = False,
    now: dt.datetime | None = None,
) -> str | None:
    """Why ``transition`` cannot be taken now, whoever asks (None when it can): the period
    is closed, the step belongs to the appraisal module, or it is outside its window."""
    reason = closed_reason(assessment)
    if reason:
        return reason
    if transition.by_appraisal and not by_appraisal:
        return (
            f"“{transition.label}” do phân hệ thẩm định thực hiện khi Hội đồng thẩm định "
            "chấm điểm, không chuyển trạng thái bằng tay."
        )
    if isinstance(transition.window, str):  # UNIT_WINDOW
        return unit_window_reason(assessment, now)
    if transition.window:
        today = timezone.localtime(now or timezone.now()).date()
        phase = current_phase(assessment.period, today)
        if phase not in transition.window:
            shown = f"“{phase.label}”" if phase is not None else "chưa bắt đầu"
            return (
                f"Chỉ “{transition.label}” trong giai đoạn {_phase_list(transition.window)} "
                f"theo lịch thực hiện của đợt đánh giá (hiện: {shown})."
            )
    return None


def offered(
    assessment: Assessment, kinds: set[str], now: dt.datetime | None = None
) -> list[Transition]:
    """The steps to offer on screen to someone holding actor ``kinds``: from the current
    status, theirs, taken by hand and open now (completeness is shown separately)."""
    return [
        t
        for t in transitions_from(assessment.status)
        if t.actor in kinds and when_reason(assessment, t, now=now) is None
    ]
