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
  is required when the score differs from the self score (or there is no self score)."""

from parindex.assessments.services.assessment import (
    EXTENSION_LIMIT_PHASE,
    assessment_create,
    assessment_extend_deadline,
    assessment_recompute_totals,
    assessment_transition,
    extension_limit,
    totals_deferred,
)
from parindex.assessments.services.entries import (
    entry_correct,
    entry_record,
    entry_set_appraisal,
    entry_set_survey_score,
)
from parindex.assessments.services.locking import (
    ENTRY_FIELDS,
    LOCK_RELATED,
    RELATIONS,
    STORED,
    ZERO,
    EntryConflict,
    EntryLocked,
)

__all__ = [
    "ENTRY_FIELDS",
    "EXTENSION_LIMIT_PHASE",
    "EntryConflict",
    "EntryLocked",
    "LOCK_RELATED",
    "RELATIONS",
    "STORED",
    "ZERO",
    "assessment_create",
    "assessment_extend_deadline",
    "assessment_recompute_totals",
    "totals_deferred",
    "assessment_transition",
    "entry_correct",
    "entry_record",
    "entry_set_appraisal",
    "entry_set_survey_score",
    "extension_limit",
]
