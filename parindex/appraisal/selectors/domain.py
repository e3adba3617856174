"""One unit × one domain as the appraiser sees it: per leaf the declaration, the evidence,
the scores side by side (tự chấm, lần 1, lần 2, điều tra XHH, and the result the bridge
gives now), the decisions of each round with their history, the unit's answer, and whether
this user decides it now.

A fixed number of queries whatever the number of leaves: the plan (``assignment.plan``: the
council, the framework's nodes, the assignment), the assessment's entries, its decisions
(with their appraisers), its answers, its evidence files, the period's and the unit's
appraisal rows. The domain's and the leaves' points come from the scoring bridge.

Decisions where the issue was silent:
- the unit's answer (Giải trình, bổ sung) shows once the unit has sent it or round 2 is open;
  files uploaded after round 1 closed are marked "Mới bổ sung";
- in round 2 the appraiser may still decide any leaf assigned to them (the chair may have
  returned one accepted in round 1); the leaves waiting for round 2 are marked and counted,
  the others carry round 1 forward;
- a relative leaf (scored against the best unit) offers no Điều chỉnh: the service refuses
  it, its points exist only in the period's computation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.utils.text import Truncator

from parindex.appraisal.models import Answer, AppraisalState, Decision, PeriodAppraisal
from parindex.appraisal.selectors.assignment import Plan, plan
from parindex.appraisal.selectors.queue import (
    ASKED,
    Current,
    Progress,
    domain_id,
    domains_of,
    leaves_by_domain,
    progress,
    round_deadline,
    round_of,
    round_start,
    shown_round,
    waiting_in_round,
)
from parindex.appraisal.services.rounds import DIRECT_RULES
from parindex.assessments import scoring
from parindex.assessments.models import Assessment, Entry, Status
from parindex.assessments.selectors import WORD_RULES, evidence_for_assessment
from parindex.assessments.templatetags.assessment_tags import declared
from parindex.common.dates import days_left
from parindex.common.numbers import vn_input_text, vn_points
from parindex.engine import InvalidInput, score_range
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.rules import describe_rule
from parindex.frameworks.selectors import engine_from_nodes
from parindex.periods.calendar import end_of_day, period_calendar
from parindex.periods.models import CouncilMember, Phase

K = Decision.Kind
RT = FrameworkNode.RuleType
#: Once round 2 is open (or over), the unit's answers are the appraiser's to read.
ANSWERS_SHOWN = frozenset({Status.APPRAISAL_2, Status.APPRAISED, Status.FINALIZED})
#: Where round 2 has started: a leaf without a round-2 decision carries round 1 forward.
ROUND2_STARTED = ANSWERS_SHOWN


def values_text(node: FrameworkNode, value: str, value2: str) -> str:
    """Values as officers read them (17/20, Có, an option's label)."""
    return declared(SimpleNamespace(node=node, value=value, value2=value2))


@dataclass
class FileRow:
    file: Any  # an EvidenceFile
    new: bool


@dataclass
class ScoreCell:
    label: str
    text: str
    note: str = ""
    muted: bool = False


@dataclass
class Heading:
    node: FrameworkNode
    self_points: Decimal | None = None
    final_points: Decimal | None = None
    leaf: bool = False


@dataclass
class Leaf:
    node: FrameworkNode
    entry: Entry
    files: list[FileRow]
    appraisers: list[CouncilMember]
    current: dict[int, Decision | None]
    history: list[Decision]
    answer: Answer | None
    cells: list[ScoreCell]
    rule_text: str
    assigned: bool  # the user appraises this leaf of this unit
    may_decide: bool  # … and may decide it now (its round is open)
    waiting: bool  # it waits for a decision of the open round
    asked: Decision | None  # the round-1 request or adjustment the unit answered
    decided: bool = False  # it has a current decision of the open round
    low: Decimal | None = None  # the points an adjustment may give (choice, number)
    high: Decimal | None = None
    form: dict[str, str] = field(default_factory=dict)
    error: str = ""
    message: str = ""
    leaf: bool = True

    @property
    def code(self) -> str:
        return self.node.code

    @property
    def eid(self) -> int:
        return self.entry.pk

    @property
    def anchor(self) -> str:
        return f"leaf-{self.entry.pk}"

    @property
    def is_survey(self) -> bool:
        return self.node.source == FrameworkNode.Source.SURVEY

    @property
    def is_relative(self) -> bool:
        return bool(self.node.rule_type == RT.RELATIVE)

    @property
    def is_ratio(self) -> bool:
        return bool(self.node.rule_type == RT.RATIO)

    @property
    def is_boolean(self) -> bool:
        return bool(self.node.rule_type == RT.BOOLEAN)

    @property
    def direct(self) -> bool:
        """Điều chỉnh gives the points (choice, number rules), not values."""
        return self.node.rule_type in DIRECT_RULES

    @property
    def declared(self) -> str:
        return values_text(self.node, self.entry.value, self.entry.value2)

    @property
    def is_na(self) -> bool:
        return self.entry.value.upper() == "NA"

    @property
    def appraiser_names(self) -> str:
        return ", ".join(m.display_name for m in self.appraisers)

    @property
    def value_label(self) -> str:
        return {
            RT.RATIO: "Tử số thẩm định",
            RT.COUNT: "Số lượng thẩm định",
            RT.DEDUCTION: "Số trường hợp vi phạm (thẩm định)",
            RT.BOOLEAN: "Kết quả thẩm định",
        }.get(self.node.rule_type, "Số liệu thẩm định")

    @property
    def answer_values(self) -> str:
        if self.answer is None or not (self.answer.value or self.answer.value2):
            return ""
        return values_text(self.node, self.answer.value, self.answer.value2)


@dataclass
class DomainTab:
    node: FrameworkNode
    progress: Progress | None  # None: the user appraises nothing there
    short_title: str = ""


@dataclass
class DomainPage:
    assessment: Assessment
    domain: FrameworkNode
    round: int | None  # the round open for the assessment
    shown_round: int
    items: list[Heading | Leaf]
    tabs: list[DomainTab]
    progress: Progress
    remaining: int  # leaves "Đồng ý tất cả tiêu chí còn lại" would accept
    deadline: dt.datetime | None
    days_left: int | None
    round_starts: dt.date | None
    supplement_until: dt.datetime | None
    answers_sent_at: dt.datetime | None
    round1_closed_at: dt.datetime | None
    self_points: Decimal | None
    self_max: Decimal | None
    final_points: Decimal | None
    final_max: Decimal | None
    pending: bool
    assigned_any: bool

    @property
    def leaves(self) -> list[Leaf]:
        return [i for i in self.items if isinstance(i, Leaf)]

    def leaf(self, entry_id: int) -> Leaf | None:
        return next((leaf for leaf in self.leaves if leaf.eid == entry_id), None)

    @property
    def started(self) -> bool:
        return self.assessment.status != Status.SUBMITTED


def domain_of_node(the_plan: Plan, node: FrameworkNode) -> FrameworkNode:
    return the_plan.nodes[domain_id(the_plan, node)]


def _score_cells(
    leaf_node: FrameworkNode,
    entry: Entry,
    current: dict[int, Decision | None],
    status: str,
    final: str,
) -> list[ScoreCell]:
    """Tự chấm, Lần 1, Lần 2 (or Điều tra XHH for a survey leaf) and the result now."""
    rt = leaf_node.rule_type
    is_na = entry.value.upper() == "NA"
    if leaf_node.source == FrameworkNode.Source.SURVEY:
        survey = entry.survey_score
        return [
            ScoreCell("Tự chấm", "—", "đơn vị không tự chấm", muted=True),
            ScoreCell(
                "Điều tra XHH",
                vn_points(survey) if survey is not None else "chưa có kết quả",
                muted=survey is None,
            ),
            ScoreCell("Kết quả", final),
        ]
    if is_na:
        own = ScoreCell("Tự chấm", "Không áp dụng")
    elif rt == RT.RELATIVE:
        own = ScoreCell("Tự chấm", scoring.PENDING_TEXT, muted=True)
    else:
        own = ScoreCell("Tự chấm", vn_points(entry.self_score))
    started1 = status != Status.SUBMITTED
    cells = [own]
    for rnd, score in ((1, entry.round1_score), (2, entry.round2_score)):
        decision = current.get(rnd)
        label = f"Lần {rnd}"
        if score is not None:
            note = "kèm yêu cầu giải trình" if decision and decision.kind == K.REQUEST else ""
            cells.append(ScoreCell(label, vn_points(score), note))
        elif decision is not None and decision.kind == K.ACCEPT:
            note = "giữ điểm tự chấm" if rnd == 1 else "giữ kết quả lần 1"
            cells.append(ScoreCell(label, "Đồng ý", note))
        elif decision is not None and decision.kind == K.REQUEST:
            cells.append(ScoreCell(label, "Yêu cầu giải trình", "chưa điều chỉnh điểm"))
        elif rnd == 1:
            cells.append(ScoreCell(label, "chưa thẩm định" if started1 else "—", muted=True))
        else:
            first = current.get(1)
            asked = first is not None and first.kind in ASKED
            if status in ROUND2_STARTED and not asked:
                cells.append(ScoreCell(label, "giữ kết quả lần 1", muted=True))
            elif status in ROUND2_STARTED:
                cells.append(ScoreCell(label, "chưa thẩm định", muted=True))
            else:
                cells.append(ScoreCell(label, "—", muted=True))
    cells.append(ScoreCell("Kết quả", final))
    return cells


def _form_values(leaf: Leaf, round: int | None) -> dict[str, str]:
    """The decision form's initial values: the round's current decision, else (round 2)
    the values the unit sent with its answer."""
    decision = leaf.current.get(round) if round else None
    if decision is not None:
        return {
            "kind": decision.kind,
            "value": decision.value
            if leaf.node.rule_type in WORD_RULES
            else vn_input_text(decision.value),
            "value2": vn_input_text(decision.value2),
            "score": vn_points(decision.score) if decision.score is not None else "",
            "reason": decision.reason,
            "request": decision.request,
        }
    if round == 2 and leaf.answer is not None and (leaf.answer.value or leaf.answer.value2):
        return {
            "kind": "",
            "value": leaf.answer.value,
            "value2": vn_input_text(leaf.answer.value2),
            "score": "",
            "reason": "",
            "request": "",
        }
    return {"kind": "", "value": "", "value2": "", "score": "", "reason": "", "request": ""}


def domain_page(
    assessment: Assessment,
    domain: FrameworkNode,
    user: Any,
    *,
    the_plan: Plan | None = None,
    errors: dict[int, str] | None = None,
    posted: dict[int, dict[str, str]] | None = None,
    only: int | None = None,
) -> DomainPage:
    """Everything the unit × domain page shows (see the module's notes). ``errors`` and
    ``posted`` (by entry id) put a refused decision's message and values back on its leaf.
    ``only`` (an entry id): the answer to one decision — the page's figures (progress,
    subtotals, tabs) in full, but only that leaf built (its files and answer read alone)."""
    errors, posted = errors or {}, posted or {}
    period = assessment.period
    the_plan = the_plan or plan(period)
    rnd = round_of(assessment)
    shown = shown_round(assessment)
    status = assessment.status
    nodes = sorted(
        (n for n in the_plan.nodes.values() if n.framework_id == assessment.framework_id),
        key=lambda n: n.position,
    )
    by_domain = leaves_by_domain(the_plan, assessment.framework_id)
    entries = {e.node_id: e for e in Entry.objects.filter(assessment=assessment).order_by()}
    decisions: dict[int, list[Decision]] = {}
    current_all: Current = {}
    node_of_entry = {e.pk: nid for nid, e in entries.items()}
    for d in (
        Decision.objects.filter(entry__assessment=assessment)
        .select_related("appraiser")
        .order_by("round", "at", "id")
    ):
        decisions.setdefault(d.entry_id, []).append(d)
        if d.current:
            current_all.setdefault(node_of_entry.get(d.entry_id, 0), {})[d.round] = d.kind
    domain_leaf_ids = {n.pk for n in by_domain.get(domain.pk, [])}
    domain_entry_ids = [e.pk for nid, e in entries.items() if nid in domain_leaf_ids]
    built_ids = [only] if only is not None else domain_entry_ids
    answers = {a.entry_id: a for a in Answer.objects.filter(entry_id__in=built_ids).order_by()}
    files = evidence_for_assessment(assessment, built_ids)
    closed_at = (
        PeriodAppraisal.objects.filter(period_id=period.pk)
        .order_by()
        .values_list("round1_closed_at", flat=True)
        .first()
    )
    state = AppraisalState.objects.filter(assessment=assessment).order_by().first()
    answers_sent_at = state.answers_sent_at if state else None
    show_answers = status in ANSWERS_SHOWN or answers_sent_at is not None

    try:
        engine_fw = engine_from_nodes(assessment.framework, nodes)
    except InvalidInput:  # the frameworks pages report it; nothing is scored
        engine_fw = None
    data = [
        scoring.EntryData(
            assessment.pk,
            n.code,
            e.value,
            e.value2,
            e.round1_score,
            e.round2_score,
            e.survey_score,
        )  # fmt: skip
        for n in nodes
        if (e := entries.get(n.pk)) is not None
    ]
    own_scores = scoring.score_with(engine_fw, data, scoring.SELF)
    final_scores = scoring.score_with(engine_fw, data, scoring.FINAL)

    def final_text(code: str) -> str:
        if code in final_scores.pending:
            return scoring.PENDING_TEXT
        points = final_scores.leaves.get(code)
        return "Không áp dụng" if points is None else vn_points(points)

    user_id = user.pk
    items: list[Heading | Leaf] = []
    mine: list[FrameworkNode] = []
    open_now = rnd is not None and not period.closed
    in_domain = [n for n in nodes if n.pk != domain.pk and domain_id(the_plan, n) == domain.pk]
    for n in in_domain:
        if not n.rule_type:
            items.append(
                Heading(
                    node=n,
                    self_points=own_scores.node(n.code).points,
                    final_points=final_scores.node(n.code).points,
                )
            )
            continue
        entry = entries.get(n.pk)
        if entry is None:
            continue
        entry.node = n
        entry_decisions = decisions.get(entry.pk, [])
        current: dict[int, Decision | None] = {1: None, 2: None}
        for d in entry_decisions:
            d.values_text = values_text(n, d.value, d.value2)  # type: ignore[attr-defined]
            if d.current:
                current[d.round] = d
        history = [d for d in reversed(entry_decisions) if not d.current]
        appraisers = the_plan.appraisers(assessment.unit_id, n)
        assigned = any(m.user_id == user_id for m in appraisers)
        if assigned:
            mine.append(n)
        if only is not None and entry.pk != only:
            continue  # counted above; not shown in a one-leaf answer
        survey = n.source == FrameworkNode.Source.SURVEY
        first = current.get(1)
        waiting = bool(
            rnd is not None and waiting_in_round(n, current_all, rnd) and current.get(rnd) is None
        )
        leaf = Leaf(
            node=n,
            entry=entry,
            files=[
                FileRow(f, bool(closed_at and f.uploaded_at > closed_at))
                for f in files.get(entry.pk, [])
            ],
            appraisers=appraisers,
            current=current,
            history=history,
            answer=answers.get(entry.pk) if show_answers else None,
            cells=_score_cells(n, entry, current, status, final_text(n.code)),
            rule_text=describe_rule(n.rule_type, n.rule_params, n.max) if not survey else "",
            assigned=assigned,
            may_decide=assigned and open_now and not survey,
            waiting=waiting,
            asked=first if first is not None and first.kind in ASKED else None,
            decided=rnd is not None and current.get(rnd) is not None,
        )
        if leaf.direct and engine_fw is not None and (eng := engine_fw.get(n.code)) is not None:
            leaf.low, leaf.high = score_range(eng)
        leaf.form = posted.get(entry.pk) or _form_values(leaf, rnd)
        leaf.error = errors.get(entry.pk, "")
        items.append(leaf)

    mine_progress = progress(mine, current_all, shown)
    remaining = (
        sum(
            1
            for n in mine
            if waiting_in_round(n, current_all, rnd) and rnd not in current_all.get(n.pk, {})
        )
        if open_now and rnd is not None
        else 0
    )
    tabs = []
    for dom in domains_of(the_plan, assessment.framework_id):
        own = [
            leaf
            for leaf in by_domain.get(dom.pk, [])
            if the_plan.may_decide(user_id, assessment.unit_id, leaf)
        ]
        tabs.append(
            DomainTab(
                node=dom,
                progress=progress(own, current_all, shown) if own else None,
                short_title=Truncator(dom.title).chars(30),
            )
        )
    if status == Status.SUPPLEMENT:
        dates = period_calendar(period).get(Phase.SUPPLEMENT)
        supplement_until = (state.supplement_until if state else None) or (
            end_of_day(dates[1]) if dates else None
        )
    else:
        supplement_until = None
    deadline = round_deadline(period, shown)
    domain_score = own_scores.node(domain.code)
    domain_final = final_scores.node(domain.code)
    return DomainPage(
        assessment=assessment,
        domain=domain,
        round=rnd,
        shown_round=shown,
        items=items,
        tabs=tabs,
        progress=mine_progress,
        remaining=remaining,
        deadline=deadline,
        days_left=days_left(deadline),
        round_starts=round_start(period, shown),
        supplement_until=supplement_until,
        answers_sent_at=answers_sent_at,
        round1_closed_at=closed_at,
        self_points=domain_score.points,
        self_max=domain_score.max,
        final_points=domain_final.points,
        final_max=domain_final.max,
        pending=any(n.rule_type and n.code in final_scores.pending for n in in_domain),
        assigned_any=bool(mine),
    )
