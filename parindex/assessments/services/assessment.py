"""Writes on an assessment: create, the status transitions (the only code that changes
``Assessment.status``), deadline extensions, the stored totals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import Unit
from parindex.assessments import scoring, signals, workflow
from parindex.assessments.models import Assessment, Entry, Status, StatusChange
from parindex.assessments.services.locking import (
    ZERO,
    _lock_assessment,
    _require_kind,
    _stored,
)
from parindex.audit.services import audit_record, snapshot
from parindex.common.errors import DomainError
from parindex.frameworks.models import FrameworkNode
from parindex.periods.calendar import end_of_day, period_calendar, self_assessment_deadline
from parindex.periods.models import Period, Phase
from parindex.periods.services import period_unit_problem, require_period_admin

#: A unit's extension may run at most to the end of this phase (its late submission can still
#: be appraised in round 1); without it in the calendar, to the end of the period's last phase.
EXTENSION_LIMIT_PHASE = Phase.APPRAISAL_1


# ---------------------------------------------------------------- assessments


@transaction.atomic
def assessment_create(*, actor: Any, period: Period, unit: Unit) -> Assessment:
    """The unit takes part in the period: one entry per leaf of its block's framework."""
    require_period_admin(actor, period)
    problem = period_unit_problem(period, unit)
    if problem:
        raise DomainError(problem)
    if Assessment.objects.filter(period=period, unit=unit).exists():
        raise DomainError(f"{unit.name} đã tham gia đợt đánh giá này.")
    period_block = next(pb for pb in period.blocks.all() if pb.block_id == unit.block_id)
    framework = period_block.framework
    assessment = Assessment(period=period, unit=unit, framework=framework, status=Status.DRAFT)
    assessment.full_clean(validate_constraints=False)
    assessment.save()
    leaves = FrameworkNode.objects.filter(framework=framework).exclude(rule_type="")
    Entry.objects.bulk_create(
        [Entry(assessment=assessment, node=node) for node in leaves.only("pk")]
    )
    audit_record(
        actor=actor,
        verb="assessment.create",
        obj=assessment,
        new={"period": period.pk, "unit": unit.code, "framework": framework.code},
    )
    return assessment


@transaction.atomic
def assessment_transition(
    *, actor: Any, assessment: Assessment, to: str, note: str = "", by_appraisal: bool = False
) -> Assessment:
    """Move the assessment along the workflow table; the only status writer and the one entry
    point for every step (the unit's, the organizer's, the appraisal's).

    In order: the step exists from the current status; it is not an appraisal step asked by
    hand (``by_appraisal`` is for the appraisal module only: see workflow.py); the actor may
    take it; it is open now (period not closed, its phase or the unit's window); the note
    when required; its checks (completeness before sending). Nothing changes on a refusal.
    """
    locked = _lock_assessment(assessment)
    if to not in Status.values:
        raise DomainError(f"Trạng thái “{to}” không hợp lệ.")
    transition = workflow.find_transition(locked.status, to)
    if transition is None:
        raise DomainError(
            f"Không thể chuyển bản đánh giá từ “{Status(locked.status).label}” "
            f"sang “{Status(to).label}”."
        )
    if transition.by_appraisal and not by_appraisal:
        raise DomainError(workflow.when_reason(locked, transition) or "")
    _require_kind(actor, locked, {transition.actor}, f"“{transition.label}”")
    refused = workflow.when_reason(locked, transition, by_appraisal=by_appraisal)
    if refused:
        raise DomainError(refused)
    note = note.strip()
    if transition.needs_note and not note:
        raise DomainError(f"Ghi rõ lý do khi “{transition.label}”.")
    for check in transition.checks:
        check(locked)
    old = snapshot(locked, ["status", "submitted_at"])
    old_status = locked.status
    locked.status = to
    if to == Status.SUBMITTED:
        locked.submitted_at = timezone.now()
    locked.full_clean(validate_constraints=False)
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    StatusChange.objects.create(
        assessment=locked,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        old_status=old_status,
        new_status=to,
        note=note,
    )
    audit_record(
        actor=actor,
        verb="assessment.transition",
        obj=locked,
        old=old,
        new=snapshot(locked, ["status", "submitted_at"]),
        reason=note,
    )
    assessment.status = locked.status
    assessment.submitted_at = locked.submitted_at
    _after_transition(locked, transition, note, actor)
    return assessment


def _after_transition(
    assessment: Assessment, transition: workflow.Transition, note: str, actor: Any = None
) -> None:
    """Side effects of a step go out on commit, as ``signals.assessment_status_changed``
    (notify e-mails the leader, the officer or the organizer; see notify/receivers.py)."""
    if signals.is_muted():
        return
    kwargs = {
        "assessment_id": assessment.pk,
        "old_status": str(transition.source),
        "new_status": str(transition.target),
        "actor_id": actor.pk if getattr(actor, "is_authenticated", False) else None,
        "note": note,
    }
    transaction.on_commit(
        lambda: signals.assessment_status_changed.send(sender=Assessment, **kwargs)
    )


def extension_limit(period: Period) -> dt.datetime | None:
    """The latest moment a unit's self-assessment deadline may be extended to."""
    dates = period_calendar(period)
    if EXTENSION_LIMIT_PHASE in dates:
        return end_of_day(dates[EXTENSION_LIMIT_PHASE][1])
    ends = [end for _, end in dates.values()]
    return end_of_day(max(ends)) if ends else None


@transaction.atomic
def assessment_extend_deadline(
    *, actor: Any, assessment: Assessment, until: dt.datetime, reason: str
) -> Assessment:
    """Give one unit more time for its self-assessment (organizer, with a reason)."""
    locked = _lock_assessment(assessment)
    _require_kind(actor, locked, {"organizer"}, "gia hạn tự đánh giá")
    if locked.period.closed:
        raise DomainError(f"Đợt đánh giá “{locked.period.name}” đã đóng (chỉ đọc).")
    if locked.status not in workflow.DEADLINE_EXTENDABLE:
        raise DomainError(
            f"Bản đánh giá đang ở trạng thái “{Status(locked.status).label}”: "
            "chỉ gia hạn khi đơn vị chưa gửi bản tự đánh giá."
        )
    if not reason.strip():
        raise DomainError("Ghi lý do gia hạn.")
    if timezone.is_naive(until):
        raise DomainError("Thời hạn gia hạn phải có múi giờ.")
    regular = self_assessment_deadline(locked.period)
    if regular is not None and until <= regular:
        raise DomainError(
            "Thời hạn gia hạn phải sau hạn chung của đợt đánh giá "
            f"({workflow.fmt_deadline(regular)})."
        )
    if until <= timezone.now():
        raise DomainError("Thời hạn gia hạn phải ở tương lai.")
    latest = extension_limit(locked.period)
    if latest is not None and until > latest:
        raise DomainError(
            f"Không gia hạn được đến {workflow.fmt_deadline(until)}: chậm nhất là "
            f"{workflow.fmt_deadline(latest)}, ngày cuối của giai đoạn "
            f"“{Phase(EXTENSION_LIMIT_PHASE).label}” (đơn vị phải gửi kịp để được thẩm định)."
            if EXTENSION_LIMIT_PHASE in period_calendar(locked.period)
            else f"Không gia hạn được đến {workflow.fmt_deadline(until)}: chậm nhất là "
            f"{workflow.fmt_deadline(latest)}, ngày kết thúc của đợt đánh giá."
        )
    old = snapshot(locked, ["deadline_override"])
    locked.deadline_override = until
    locked.full_clean(validate_constraints=False)
    locked.save(update_fields=["deadline_override", "updated_at"])
    audit_record(
        actor=actor,
        verb="assessment.extend_deadline",
        obj=locked,
        old=old,
        new=snapshot(locked, ["deadline_override"]),
        reason=reason.strip(),
    )
    assessment.deadline_override = until
    return assessment


# Assessments whose totals a bulk writer will refresh once at the end (see totals_deferred).
_deferred: ContextVar[set[int] | None] = ContextVar("parindex_deferred_totals", default=None)


@contextmanager
def totals_deferred() -> Iterator[None]:
    """Bulk writers (the demo builder; later "Đồng ý tất cả tiêu chí còn lại") refresh each
    touched assessment's totals once, when the block ends without an error, instead of after
    every leaf: the same numbers (one bridge computation) at a fraction of the cost. Inside
    the block the stored totals lag; nothing reads them there."""
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    for pk in sorted(pending):
        with transaction.atomic():
            assessment_recompute_totals(Assessment.objects.select_for_update().get(pk=pk))


def assessment_recompute_totals(assessment: Assessment) -> Assessment:
    """Refresh self_points and final_points through the bridge (see the module notes); the
    caller holds the assessment row's lock. The self-stage scores are kept on the object
    (``scores``) for the autosave's answer. Inside ``totals_deferred`` only noted."""
    pending = _deferred.get()
    if pending is not None:
        pending.add(assessment.pk)
        return assessment
    own, final = scoring.assessment_points(assessment)
    self_points = _stored(own.points) or ZERO
    final_points = _stored(final) or ZERO
    Assessment.objects.filter(pk=assessment.pk).update(
        self_points=self_points, final_points=final_points, updated_at=timezone.now()
    )
    assessment.self_points = self_points
    assessment.final_points = final_points
    assessment.scores = own  # type: ignore[attr-defined]
    return assessment
