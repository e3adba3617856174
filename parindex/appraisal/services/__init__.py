"""Writes of the appraisal. Atomic, audited, take the acting user; the assessments' statuses
change only through ``assessments.services.assessment_transition(..., by_appraisal=True)``
and the round scores only through ``entry_set_appraisal``.

Decisions where the issue was silent (see also selectors/assignment.py):
- A round is open between the organizer's "Mở" and "Kết thúc"; those steps follow the
  period's calendar (the workflow table's windows). Appraisers decide only while their round
  is open, only the leaves assigned to them, never their own unit's.
- Đồng ý leaves the round's score empty: the round agrees with the declared values (round 1)
  or with round 1 (round 2); the bridge then scores the declared values. Điều chỉnh stores
  the points the engine gives the appraiser's values (or, for choice and number rules, the
  points chosen); a reason is required. Yêu cầu giải trình needs what is missing and may
  carry a score meanwhile; it exists in round 1 only (round 2 settles).
- A relative leaf (scored against the best unit) is adjusted by nothing but Đồng ý or a
  request: its points exist only in the period's computation. An appraiser cannot turn a
  leaf into Không áp dụng (a points column has no NA); overruling NA is allowed.
- Round 1 closes when every non-survey leaf of every assessment in it has a decision;
  round 2 when every leaf with a round-1 request or adjustment has one (the others carry
  round 1 forward). The unit's corrected values (Giải trình) never overwrite its declaration:
  round 2 adopts them by an adjustment with those values.
"""

from parindex.appraisal.services.approval import (
    chair_approve,
    chair_return,
    consolidation_submit,
    publication_decision_record,
)
from parindex.appraisal.services.council import (
    assignment_copy,
    assignment_remove,
    assignment_set,
    council_copy,
    council_for,
    council_update,
    member_add,
    member_remove,
)
from parindex.appraisal.services.rounds import (
    decision_record,
    decisions_accept_rest,
    round_close,
    round_open,
)
from parindex.appraisal.services.supplement import (
    answer_save,
    answer_upload,
    answers_send,
    supplement_deadline,
    supplement_extend,
)

__all__ = [
    "answer_save",
    "answer_upload",
    "answers_send",
    "assignment_copy",
    "assignment_remove",
    "assignment_set",
    "chair_approve",
    "chair_return",
    "consolidation_submit",
    "council_copy",
    "council_for",
    "council_update",
    "decision_record",
    "decisions_accept_rest",
    "member_add",
    "member_remove",
    "publication_decision_record",
    "round_close",
    "round_open",
    "supplement_deadline",
    "supplement_extend",
]
