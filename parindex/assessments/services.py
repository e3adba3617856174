"""Writes on assessments and their entries. Atomic, audited, take the acting user.

``assessment_transition`` is the only code that changes ``Assessment.status``.

Decisions where the brief was silent:
- ``actor=None`` is the system (commands, seed data): it may do everything.
- Unit-side work (declaring values, the officer's and leader's transitions) is open from the
  first day of Tự đánh giá to the self-assessment deadline (the end of its last day, or the
  assessment's later deadline_override) and only while the status is in
  ``workflow.UNIT_EDITABLE`` (declaring) — after that the unit's work is locked. Why it is
  locked is ``workflow.lock_reason`` (the same answer on every screen and in every service).
- ``entry_record`` may be called by whoever ``access.can_declare`` allows (the unit's officer
  or leader, the officer of the unit the entry is assigned to — ``contributor`` — and, in a
  province self-assessment, the organizer). An empty value clears the declaration
  (self score None: counts 0). ``NA`` (and a ratio whose denominator is 0 with
  ``when_zero: na``) makes the entry not applicable. A ``relative`` leaf's points depend on
  the best value of all units of the block, so its self score is left None here and is
  computed when the block's results are consolidated; the value is still checked.
- Totals: ``self_points`` and ``final_points`` are the points of the self and final stages
  of ``scoring`` (the bridge to the engine: round 2, else round 1, else the declared value;
  survey leaves by their survey score). Every score write locks the assessment row first
  (before its entry: the same order as the other writers), so two autosaves of one
  assessment never store a total missing one of them. They are derived values, so they are
  not audited separately.
- Appraisal scores: round 1 while the assessment is in Thẩm định lần 1, round 2 in Thẩm
  định lần 2; by an appraiser or the organizer; from the lowest points the rule can give
  (a deduction floor, a negative option or step; never above 0) up to the leaf's max; a note
  is required when the score differs from the self score (or there is no self score).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import Unit
from parindex.assessments import scoring, signals, workflow
from parindex.assessments.access import actor_kinds, can_declare
from parindex.assessments.models import Assessment, Entry, Status, StatusChange
from parindex.audit.services import audit_record, snapshot
from parindex.common.errors import DomainError
from parindex.common.numbers import vn_points
from parindex.engine import BadValue, evaluate_leaf, score_range
from parindex.engine import Node as EngineNode
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.calendar import end_of_day, period_calendar, self_assessment_deadline
from parindex.periods.models import Period, Phase

ZERO = Decimal(0)
# Entry scores are stored with 6 decimal places (models.SCORE); the engine's exact result is
# rounded half up to that precision when saved (2/3 of a point -> 0.666667).
STORED = Decimal("0.000001")


def _stored(points: Decimal | None) -> Decimal | None:
    if points is None:
        return None
    rounded = points.quantize(STORED, rounding=ROUND_HALF_UP)
    return points if rounded == points else rounded


ENTRY_FIELDS = ["value", "value2", "explanation", "self_score", "not_applicable"]
RELATIONS = ["assessment", "node", "contributor", "updated_by"]


class EntryConflict(DomainError):
    """The entry changed since the version the caller read (someone else saved first)."""


class EntryLocked(DomainError):
    """The unit may no longer change its self-assessment (status, deadline, closed period)."""


# ---------------------------------------------------------------- helpers


def _engine_node(entry: Entry) -> EngineNode:
    """The entry's leaf as the scoring engine sees it."""
    return framework_to_engine(entry.assessment.framework).node(entry.node.code)


def _require_kind(actor: Any, assessment: Assessment, allowed: set[str], what: str) -> None:
    if actor is None:
        return
    kinds = actor_kinds(actor, assessment)
    if not kinds & allowed:
        who = " hoặc ".join(workflow.ACTOR_LABELS[k] for k in sorted(allowed))
        raise DomainError(f"Chỉ {who} mới được {what}.")


LOCK_RELATED = (
    "node",
    "assessment",
    "assessment__framework",
    "assessment__unit",
    "assessment__period",
    "assessment__period__organizer",
    "assessment__period__organizer__admin_root",
)


def _lock_entry(entry: Entry) -> Entry:
    """The entry locked for update, with its node and a fresh assessment row (status, totals,
    deadline), its period (organizer, calendar), unit and framework.

    When the caller's entry comes from the access helper of this request, the node, period,
    unit and framework it loaded are reused: the locking query then joins 2 tables instead of
    8, whose planning alone costs PostgreSQL a few milliseconds on every autosave."""
    # The assessment row first: its totals are rewritten after the entry (see the notes).
    list(
        Assessment.objects.select_for_update(of=("self",))
        .filter(pk=entry.assessment_id)
        .values_list("pk", flat=True)
    )
    rows = Entry.objects.select_for_update(of=("self",))
    full = rows.select_related(*LOCK_RELATED).prefetch_related("assessment__period__phases")
    known = _loaded_assessment(entry)
    if known is None:
        return full.get(pk=entry.pk)
    node = entry.node if Entry.node.is_cached(entry) else None
    locked = rows.select_related("assessment", *(() if node else ("node",))).get(pk=entry.pk)
    assessment = locked.assessment
    if assessment.pk != known.pk or assessment.period_id != known.period_id:
        return full.get(pk=entry.pk)
    if node is not None:  # a leaf's node does not change under an assessment
        if locked.node_id != node.pk:
            return full.get(pk=entry.pk)
        locked.node = node
    assessment.period = known.period
    assessment.unit = known.unit
    assessment.framework = known.framework
    return locked


def _loaded_assessment(entry: Entry) -> Assessment | None:
    """The entry's assessment if it was loaded with its period (organizer and its area root,
    calendar), unit and framework, as ``access.get_entry_for_user`` does; else None."""
    if not Entry.assessment.is_cached(entry):
        return None
    assessment = entry.assessment
    if not all(
        getattr(Assessment, name).is_cached(assessment) for name in ("period", "unit", "framework")
    ):
        return None
    period = assessment.period
    if not Period.organizer.is_cached(period) or not Unit.admin_root.is_cached(period.organizer):
        return None
    if "phases" not in getattr(period, "_prefetched_objects_cache", {}):
        return None
    return assessment


def _lock_assessment(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related(
            "period", "period__organizer", "period__organizer__admin_root", "unit", "framework"
        )
        .get(pk=assessment.pk)
    )


# ---------------------------------------------------------------- assessments


@transaction.atomic
def assessment_create(*, actor: Any, period: Period, unit: Unit) -> Assessment:
    """The unit takes part in the period: one entry per leaf of its block's framework."""
    from parindex.periods.services import period_unit_problem, require_period_admin

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


#: A unit's extension may run at most to the end of this phase (its late submission can still
#: be appraised in round 1); without it in the calendar, to the end of the period's last phase.
EXTENSION_LIMIT_PHASE = Phase.APPRAISAL_1


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


def assessment_recompute_totals(assessment: Assessment) -> Assessment:
    """Refresh self_points and final_points through the bridge (see the module notes); the
    caller holds the assessment row's lock. The self-stage scores are kept on the object
    (``scores``) for the autosave's answer."""
    own, final = scoring.assessment_both(assessment)
    self_points = _stored(own.points) or ZERO
    final_points = _stored(final.points) or ZERO
    Assessment.objects.filter(pk=assessment.pk).update(
        self_points=self_points, final_points=final_points, updated_at=timezone.now()
    )
    assessment.self_points = self_points
    assessment.final_points = final_points
    assessment.scores = own  # type: ignore[attr-defined]
    return assessment


# ---------------------------------------------------------------- entries


@transaction.atomic
def entry_record(
    *,
    actor: Any,
    entry: Entry,
    value: str,
    value2: str = "",
    explanation: str | None = None,
    expected_version: int | None = None,
) -> Entry:
    """The unit declares the value(s) of one leaf; the self score is computed by the engine."""
    locked = _lock_entry(entry)
    assessment = locked.assessment
    if actor is not None and not can_declare(actor, assessment, locked):
        raise DomainError("Chỉ chuyên viên đầu mối hoặc lãnh đạo đơn vị mới được kê khai.")
    if locked.node.source == FrameworkNode.Source.SURVEY:
        raise DomainError(
            f"Tiêu chí {locked.node.code} chấm bằng điều tra xã hội học: đơn vị không tự chấm."
        )
    locked_why = workflow.lock_reason(assessment)
    if locked_why:
        raise EntryLocked(locked_why)
    value = (value or "").strip()
    value2 = (value2 or "").strip()
    if value2 and locked.node.rule_type != FrameworkNode.RuleType.RATIO:
        raise DomainError(
            f"Tiêu chí {locked.node.code} không có mẫu số: chỉ tiêu chí tính theo tỷ lệ "
            "mới nhập mẫu số."
        )
    new_explanation = locked.explanation if explanation is None else explanation.strip()
    unchanged = (
        value == locked.value and value2 == locked.value2 and new_explanation == locked.explanation
    )
    if unchanged:  # nothing to write (a repeated autosave, or the same value saved by both)
        return locked
    if expected_version is not None and expected_version != locked.version:
        raise EntryConflict(
            f"Tiêu chí {locked.node.code} vừa được người khác cập nhật. "
            "Tải lại trang để xem số liệu mới nhất rồi nhập lại."
        )
    old = snapshot(locked, ENTRY_FIELDS)
    if not value and not value2:
        points: Decimal | None = None
        not_applicable = False
    else:
        node = _engine_node(locked)
        try:
            points = evaluate_leaf(node, value, value2)
        except BadValue as exc:
            raise DomainError(f"Tiêu chí {locked.node.code}: {exc.message_vi}.") from None
        not_applicable = points is None
        if locked.node.rule_type == FrameworkNode.RuleType.RELATIVE:
            points = None  # needs the best value of all units: computed at consolidation
    locked.value = value
    locked.value2 = value2
    if explanation is not None:
        locked.explanation = explanation.strip()
    locked.self_score = _stored(points)
    locked.not_applicable = not_applicable
    locked.version += 1
    locked.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    # The relations were just read (or are the signed-in actor): no existence query for each.
    locked.full_clean(exclude=RELATIONS, validate_constraints=False)
    locked.save()
    assessment_recompute_totals(assessment)
    audit_record(
        actor=actor,
        verb="entry.record",
        obj=locked,
        old=old,
        new=snapshot(locked, ENTRY_FIELDS),
    )
    return locked


@transaction.atomic
def entry_set_appraisal(
    *, actor: Any, entry: Entry, round: int, score: Decimal, note: str
) -> Entry:
    """An appraiser (or the organizer) sets the round-1 or round-2 score of one leaf."""
    if round not in (1, 2):
        raise DomainError("Vòng thẩm định phải là 1 hoặc 2.")
    locked = _lock_entry(entry)
    assessment = locked.assessment
    _require_kind(actor, assessment, {"appraiser", "organizer"}, "chấm điểm thẩm định")
    if assessment.period.closed:
        raise DomainError(f"Đợt đánh giá “{assessment.period.name}” đã đóng (chỉ đọc).")
    expected = Status.APPRAISAL_1 if round == 1 else Status.APPRAISAL_2
    if assessment.status != expected:
        raise DomainError(
            f"Chỉ chấm điểm thẩm định lần {round} khi bản đánh giá đang "
            f"“{Status(expected).label}” (hiện: “{Status(assessment.status).label}”)."
        )
    if locked.node.source == FrameworkNode.Source.SURVEY:
        raise DomainError(
            f"Tiêu chí {locked.node.code} chấm bằng điều tra xã hội học, không thẩm định."
        )
    score = Decimal(score)
    if score != _stored(score):
        raise DomainError("Điểm thẩm định có tối đa 6 chữ số thập phân.")
    low, high = score_range(_engine_node(locked))
    if not low <= score <= high:
        raise DomainError(
            f"Tiêu chí {locked.node.code}: điểm thẩm định phải từ {vn_points(low)} "
            f"đến {vn_points(high)}."
        )
    note = note.strip()
    if (locked.self_score is None or score != locked.self_score) and not note:
        raise DomainError(
            f"Tiêu chí {locked.node.code}: ghi ý kiến thẩm định khi điểm khác điểm tự đánh giá."
        )
    fields = [f"round{round}_score", f"round{round}_note"]
    old = snapshot(locked, fields)
    setattr(locked, fields[0], score)
    setattr(locked, fields[1], note)
    locked.full_clean(validate_constraints=False)
    locked.save(update_fields=[*fields, "updated_at"])
    assessment_recompute_totals(assessment)
    audit_record(
        actor=actor,
        verb=f"entry.appraise{round}",
        obj=locked,
        old=old,
        new=snapshot(locked, fields),
        reason=note,
    )
    return locked


@transaction.atomic
def entry_set_survey_score(*, actor: Any, entry: Entry, score: Decimal) -> Entry:
    """The organizer stores the survey points of a survey leaf."""
    locked = _lock_entry(entry)
    assessment = locked.assessment
    _require_kind(actor, assessment, {"organizer"}, "nhập điểm điều tra xã hội học")
    if assessment.period.closed:
        raise DomainError(f"Đợt đánh giá “{assessment.period.name}” đã đóng (chỉ đọc).")
    if locked.node.source != FrameworkNode.Source.SURVEY:
        raise DomainError(f"Tiêu chí {locked.node.code} không chấm bằng điều tra xã hội học.")
    score = Decimal(score)
    high = locked.node.max if locked.node.max is not None else ZERO
    if not ZERO <= score <= high:
        raise DomainError(
            f"Tiêu chí {locked.node.code}: điểm điều tra phải từ 0 đến {vn_points(high)}."
        )
    old = snapshot(locked, ["survey_score"])
    locked.survey_score = score
    locked.full_clean(validate_constraints=False)
    locked.save(update_fields=["survey_score", "updated_at"])
    assessment_recompute_totals(assessment)
    audit_record(
        actor=actor,
        verb="entry.survey_score",
        obj=locked,
        old=old,
        new=snapshot(locked, ["survey_score"]),
    )
    return locked
