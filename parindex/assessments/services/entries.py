"""Writes on entries: the unit's declaration (autosave), the appraisal scores, the survey score."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from parindex.assessments import workflow
from parindex.assessments.access import can_declare
from parindex.assessments.models import Entry, Status
from parindex.assessments.services.assessment import assessment_recompute_totals
from parindex.assessments.services.locking import (
    ENTRY_FIELDS,
    RELATIONS,
    ZERO,
    EntryConflict,
    EntryLocked,
    _engine_node,
    _lock_entry,
    _require_kind,
    _stored,
)
from parindex.audit.services import audit_record, snapshot
from parindex.common.errors import DomainError
from parindex.common.numbers import vn_points
from parindex.engine import BadValue, evaluate_leaf, score_range
from parindex.frameworks.models import FrameworkNode

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
    *, actor: Any, entry: Entry, round: int, score: Decimal | None, note: str
) -> Entry:
    """An appraiser (or the organizer) sets the round-1 or round-2 score of one leaf; ``None``
    clears it (the round agrees with the declared values, or with round 1 in round 2). The
    appraisal app's decisions (``appraisal.services``) call this after their own rules."""
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
    note = note.strip()
    if score is not None:
        score = Decimal(score)
        if score != _stored(score):
            raise DomainError("Điểm thẩm định có tối đa 6 chữ số thập phân.")
        low, high = score_range(_engine_node(locked))
        if not low <= score <= high:
            raise DomainError(
                f"Tiêu chí {locked.node.code}: điểm thẩm định phải từ {vn_points(low)} "
                f"đến {vn_points(high)}."
            )
    if score is not None and (locked.self_score is None or score != locked.self_score) and not note:
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
def entry_correct(*, actor: Any, entry: Entry, score: Decimal, note: str) -> Entry:
    """The organizer corrects the final score of one leaf of an approved assessment (Đã phê
    duyệt), for an accepted appeal (kiến nghị): the correction is the leaf's round-2 score
    (the final stage takes round 2 first) with its note; the same range as an appraisal
    score; a note is required. The appeals app calls this after its own rules."""
    locked = _lock_entry(entry)
    assessment = locked.assessment
    _require_kind(actor, assessment, {"organizer"}, "sửa điểm sau kiến nghị")
    if assessment.period.closed:
        raise DomainError(f"Đợt đánh giá “{assessment.period.name}” đã đóng (chỉ đọc).")
    if assessment.status != Status.FINALIZED:
        raise DomainError(
            "Chỉ sửa điểm theo kiến nghị khi kết quả đã được phê duyệt "
            f"(hiện: “{Status(assessment.status).label}”)."
        )
    if locked.node.source == FrameworkNode.Source.SURVEY:
        raise DomainError(
            f"Tiêu chí {locked.node.code} chấm bằng điều tra xã hội học: không sửa điểm theo "
            "kiến nghị ở đây."
        )
    note = note.strip()
    if not note:
        raise DomainError(f"Tiêu chí {locked.node.code}: ghi lý do sửa điểm.")
    score = Decimal(score)
    if score != _stored(score):
        raise DomainError("Điểm có tối đa 6 chữ số thập phân.")
    low, high = score_range(_engine_node(locked))
    if not low <= score <= high:
        raise DomainError(
            f"Tiêu chí {locked.node.code}: điểm phải từ {vn_points(low)} đến {vn_points(high)}."
        )
    fields = ["round2_score", "round2_note"]
    old = snapshot(locked, fields)
    locked.round2_score, locked.round2_note = score, note
    locked.full_clean(validate_constraints=False)
    locked.save(update_fields=[*fields, "updated_at"])
    assessment_recompute_totals(assessment)
    audit_record(
        actor=actor,
        verb="entry.correct",
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
