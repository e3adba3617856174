"""What the assessed unit sees of the appraisal: its round results and its Giải trình, bổ sung
(a fixed number of queries, never one per leaf).

Decisions where the issue was silent:
- Nothing of the appraisal reaches the unit before round 1 is closed (status Giải trình, bổ
  sung or later): no decision, no score, no total after appraisal. Then it sees only the
  leaves whose current round-1 decision is Điều chỉnh or Yêu cầu giải trình, bổ sung.
- Round 2 likewise: its decisions and scores are shown once it is closed (Đã thẩm định,
  Đã công bố). While it runs (or runs again after the chair's return) the totals after
  appraisal are computed by the bridge on the entries without their round-2 scores.
- The decisions are the council's: the unit reads "Hội đồng thẩm định", never the
  appraiser's name.
- A leaf is *answered* when it has an answer or a file uploaded after round 1 closed
  (the same two things ``services.answers_send`` accepts); such files are "bổ sung".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from parindex.appraisal.models import Answer, AppraisalState, Decision, PeriodAppraisal
from parindex.assessments import scoring
from parindex.assessments.models import Assessment, Entry, Status
from parindex.assessments.selectors import NUMBER_LABELS, WORD_RULES
from parindex.assessments.templatetags.assessment_tags import declared
from parindex.common.numbers import vn_input_text, vn_points
from parindex.engine import boolean_word
from parindex.evidence.models import EvidenceFile
from parindex.frameworks.models import FrameworkNode

K = Decision.Kind
ASKED = (K.ADJUST, K.REQUEST)
# Round 1 is closed: its results are the unit's to read.
RESULTS_OUT = frozenset({Status.SUPPLEMENT, Status.APPRAISAL_2, Status.APPRAISED, Status.FINALIZED})
# Round 2 is closed (again, after a return of the chair).
ROUND2_OUT = frozenset({Status.APPRAISED, Status.FINALIZED})


@dataclass
class AskedLeaf:
    """One leaf the council adjusted or asked about in round 1, as the unit reads it."""

    entry: Entry
    decision: Decision
    answer: Answer | None
    files: list[EvidenceFile]
    declared: str
    appraised: str  # the council's values in words (an adjustment by values), else ""
    answer_values: str  # the unit's corrected values in words, else ""
    self_points: Decimal | None
    self_pending: bool
    round1_points: Decimal | None
    round1_pending: bool
    round1_kept: bool  # a request without points: the declared values count meanwhile
    round2: Decision | None = None
    round2_points: Decimal | None = None
    round2_pending: bool = False
    form: dict[str, Any] = field(default_factory=dict)  # what the answer inputs show

    @property
    def node(self) -> FrameworkNode:
        return self.entry.node

    @property
    def is_request(self) -> bool:
        return self.decision.kind == K.REQUEST

    @property
    def supplementary(self) -> list[EvidenceFile]:
        return [f for f in self.files if getattr(f, "supplementary", False)]

    @property
    def answered(self) -> bool:
        return self.answer is not None or bool(self.supplementary)


@dataclass
class SupplementPage:
    results_out: bool
    round2_out: bool = False
    leaves: list[AskedLeaf] = field(default_factory=list)
    self_scores: scoring.Scores | None = None
    round1_scores: scoring.Scores | None = None
    round2_scores: scoring.Scores | None = None
    state: AppraisalState | None = None
    round1_closed_at: dt.datetime | None = None

    @property
    def adjusted(self) -> int:
        return sum(1 for leaf in self.leaves if leaf.decision.kind == K.ADJUST)

    @property
    def requested(self) -> int:
        return sum(1 for leaf in self.leaves if leaf.decision.kind == K.REQUEST)

    @property
    def answered(self) -> int:
        return sum(1 for leaf in self.leaves if leaf.answered)

    @property
    def sent_at(self) -> dt.datetime | None:
        return self.state.answers_sent_at if self.state else None


def _words(node: FrameworkNode, value: str, value2: str) -> str:
    return declared(SimpleNamespace(node=node, value=value, value2=value2))


def _option_points(value: Any) -> str:
    try:
        return vn_points(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def _form(node: FrameworkNode, answer: Answer | None) -> dict[str, Any]:
    """The answer inputs of a leaf (the corrected values only for a request)."""
    rt = node.rule_type
    value = answer.value if answer else ""
    value2 = answer.value2 if answer else ""
    params = node.rule_params or {}
    if rt == FrameworkNode.RuleType.NUMBER:
        low = params.get("min") or 0
        label = f"Điểm đề nghị (từ {_option_points(low)} đến {vn_points(node.max)})"
    else:
        label = NUMBER_LABELS.get(rt, "Giá trị của đơn vị")
    return {
        "rt": rt,
        "text": answer.text if answer else "",
        "value": value if rt in WORD_RULES else vn_input_text(value),
        "value2": vn_input_text(value2),
        "options": [
            {
                "key": str(o.get("key", "")),
                "label": str(o.get("label", "")),
                "points": _option_points(o.get("points")),
                "checked": str(o.get("key", "")).casefold() == value.casefold() and bool(value),
            }
            for o in params.get("options", [])
        ],
        "yes": bool(value) and boolean_word(value) is True,
        "no": bool(value) and boolean_word(value) is False,
        "number_label": label,
        "inputmode": "numeric" if rt in NUMBER_LABELS else "decimal",
    }


def _files(
    assessment: Assessment, entry_ids: list[int], since: dt.datetime | None
) -> dict[int, list[EvidenceFile]]:
    out: dict[int, list[EvidenceFile]] = defaultdict(list)
    if not entry_ids:
        return out
    rows = (
        EvidenceFile.objects.filter(assessment=assessment, entry_id__in=entry_ids)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "id")
    )
    for f in rows:
        f.supplementary = since is not None and f.uploaded_at >= since  # type: ignore[attr-defined]
        out[f.entry_id].append(f)
    return out


def supplement_page(assessment: Assessment) -> SupplementPage:
    """The unit's page of round results and answers (at most 7 queries once the results are out, none
    before: nothing of round 1 is read while it runs)."""
    if assessment.status not in RESULTS_OUT:
        return SupplementPage(results_out=False)
    round2_out = assessment.status in ROUND2_OUT
    decisions = list(
        Decision.objects.filter(entry__assessment=assessment, round=1, current=True, kind__in=ASKED)
        .select_related("entry", "entry__node")
        .order_by("entry__node__position", "id")
    )
    entry_ids = [d.entry_id for d in decisions]
    answers = {
        a.entry_id: a
        for a in Answer.objects.filter(entry_id__in=entry_ids).select_related("updated_by")
    }
    round2 = (
        {
            d.entry_id: d
            for d in Decision.objects.filter(entry_id__in=entry_ids, round=2, current=True)
        }
        if round2_out and entry_ids
        else {}
    )
    closed = (
        PeriodAppraisal.objects.filter(period_id=assessment.period_id)
        .values_list("round1_closed_at", flat=True)
        .first()
    )
    files = _files(assessment, entry_ids, closed)
    state = (
        AppraisalState.objects.filter(assessment=assessment)
        .select_related("answers_sent_by")
        .first()
    )

    # Every number comes from the bridge: the self stage, the final stage on round 1 only
    # (round-2 scores left out while round 2 is not closed) and, once closed, with round 2.
    entries = scoring.entry_data([assessment.pk]).get(assessment.pk, [])
    framework = assessment.framework
    own = scoring.score_entries(framework, entries, scoring.SELF)
    first = scoring.score_entries(
        framework, [e._replace(round2_score=None) for e in entries], scoring.FINAL
    )
    second = scoring.score_entries(framework, entries, scoring.FINAL) if round2_out else None

    leaves = []
    for d in decisions:
        entry, node = d.entry, d.entry.node
        answer = answers.get(entry.pk)
        leaf = AskedLeaf(
            entry=entry,
            decision=d,
            answer=answer,
            files=files.get(entry.pk, []),
            declared=_words(node, entry.value, entry.value2) or "(chưa kê khai)",
            appraised=_words(node, d.value, d.value2) if d.kind == K.ADJUST else "",
            answer_values=_words(node, answer.value, answer.value2) if answer else "",
            self_points=own.leaves.get(node.code),
            self_pending=node.code in own.pending,
            round1_points=first.leaves.get(node.code),
            round1_pending=node.code in first.pending,
            round1_kept=entry.round1_score is None,
            form=_form(node, answer),
        )
        if second is not None:
            leaf.round2 = round2.get(entry.pk)
            leaf.round2_points = second.leaves.get(node.code)
            leaf.round2_pending = node.code in second.pending
        leaves.append(leaf)
    return SupplementPage(
        results_out=True,
        round2_out=round2_out,
        leaves=leaves,
        self_scores=own,
        round1_scores=first,
        round2_scores=second,
        state=state,
        round1_closed_at=closed,
    )
