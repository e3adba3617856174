"""Reads on assessments, with a fixed number of queries (never one per entry)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.text import Truncator, slugify

from parindex.assessments import workflow
from parindex.assessments.access import actor_kinds
from parindex.assessments.models import Assessment, Entry, StatusChange
from parindex.common.numbers import vn_points
from parindex.engine import Framework as EngineFramework
from parindex.engine import InvalidInput
from parindex.engine import Node as EngineNode
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.selectors import engine_from_nodes, framework_to_engine
from parindex.periods.calendar import (
    current_phase,
    self_assessment_deadline,
    self_assessment_start,
)
from parindex.periods.models import Period

ZERO = Decimal(0)


@dataclass
class Row:
    """One line of the entries table: an inner node (heading, with subtotals) or a leaf with
    its entry. ``final`` is round 2, else round 1, else the self score, else the survey score
    (the same rule as ``assessment_recompute_totals``)."""

    node: FrameworkNode
    entry: Entry | None
    max: Decimal | None = None
    self_sum: Decimal | None = None
    final: Decimal | None = None


def _final(entry: Entry) -> Decimal | None:
    for value in (entry.round2_score, entry.round1_score, entry.self_score, entry.survey_score):
        if value is not None:
            return value
    return None


def assessment_rows(assessment: Assessment) -> list[Row]:
    """The framework tree in order, each leaf with its entry, inner nodes with subtotals
    (2 queries: the nodes and the entries)."""
    nodes = list(FrameworkNode.objects.filter(framework_id=assessment.framework_id))
    entries = {
        e.node_id: e
        for e in Entry.objects.filter(assessment=assessment).select_related("node", "updated_by")
    }
    try:
        engine: EngineFramework | None = engine_from_nodes(assessment.framework, nodes)
    except InvalidInput:  # shown as stored; the frameworks pages report the problems
        engine = None
    rows = []
    by_pk: dict[int, Row] = {}
    for n in nodes:
        entry = entries.get(n.pk)
        eng = engine.get(n.code) if engine is not None else None
        row = Row(node=n, entry=entry, max=eng.total_max if eng is not None else n.max)
        if entry is not None:
            row.self_sum = entry.self_score
            row.final = _final(entry)
        rows.append(row)
        by_pk[n.pk] = row
    for row in reversed(rows):  # preorder reversed: children before their parent
        parent = by_pk.get(row.node.parent_id) if row.node.parent_id else None
        if parent is None:
            continue
        for name in ("self_sum", "final"):
            value = getattr(row, name)
            if value is not None:
                setattr(parent, name, (getattr(parent, name) or ZERO) + value)
    return rows


def assessment_detail(assessment: Assessment, user: Any) -> dict[str, Any]:
    """Everything the read-only assessment page shows (3 queries + the access helper's)."""
    kinds = actor_kinds(user, assessment)
    transitions = [t for t in workflow.transitions_from(assessment.status) if t.actor in kinds]
    history = list(
        StatusChange.objects.filter(assessment=assessment)
        .select_related("actor")
        .order_by("at", "id")
    )
    return {
        "rows": assessment_rows(assessment),
        "history": history,
        "transitions": transitions,
        "is_organizer": "organizer" in kinds,
        "deadline": self_assessment_deadline(assessment.period, assessment),
        "regular_deadline": self_assessment_deadline(assessment.period),
        "phase": current_phase(assessment.period),
    }


# ---------------------------------------------------------------- the unit's workspace

NA = "NA"


@dataclass
class Leaf:
    """One sub-criterion as the workspace shows it."""

    node: FrameworkNode
    entry: Entry
    domain: FrameworkNode
    max: Decimal | None
    files: list[Any]
    writable: bool = False

    @property
    def is_survey(self) -> bool:
        return self.node.source == FrameworkNode.Source.SURVEY

    @property
    def is_na(self) -> bool:
        return self.entry.value.upper() == NA

    @property
    def answered(self) -> bool:
        return bool(self.entry.value)

    @property
    def needs_evidence(self) -> bool:
        return bool(self.node.evidence.strip())

    @property
    def has_explanation(self) -> bool:
        return bool(self.entry.explanation.strip())

    @property
    def missing(self) -> list[str]:
        return leaf_missing(self.node, self.entry, len(self.files))

    @property
    def options(self) -> list[dict[str, Any]]:
        return list(self.node.rule_params.get("options", []))

    @property
    def anchor(self) -> str:
        return f"leaf-{self.entry.pk}"


@dataclass
class Heading:
    """A criterion (inner node below a domain) with its subtotal."""

    node: FrameworkNode
    max: Decimal | None
    self_sum: Decimal | None = None


@dataclass
class Domain:
    node: FrameworkNode
    max: Decimal | None
    items: list[Heading | Leaf]
    self_sum: Decimal | None = None

    @property
    def leaves(self) -> list[Leaf]:
        return [i for i in self.items if isinstance(i, Leaf)]

    @property
    def self_leaves(self) -> list[Leaf]:
        return [i for i in self.leaves if not i.is_survey]

    @property
    def answered(self) -> int:
        return sum(1 for i in self.self_leaves if i.answered)

    @property
    def complete(self) -> int:
        return sum(1 for i in self.self_leaves if not i.missing)


@dataclass
class Missing:
    entry_id: int
    code: str
    title: str
    domain_code: str
    reasons: list[str]

    @property
    def anchor(self) -> str:
        return f"leaf-{self.entry_id}"


def leaf_missing(node: FrameworkNode, entry: Entry, file_count: int) -> list[str]:
    """What the unit still has to do on a leaf before sending (empty when it is complete)."""
    if node.source == FrameworkNode.Source.SURVEY:
        return []
    reasons = []
    if not entry.value:
        reasons.append("chưa kê khai số liệu (hoặc chọn “Không áp dụng”)")
    if node.evidence.strip() and not file_count and not entry.explanation.strip():
        reasons.append("chưa có tài liệu kiểm chứng hoặc giải trình")
    return reasons


def _domain_of(nodes_by_pk: dict[int, FrameworkNode], node: FrameworkNode) -> FrameworkNode:
    while node.parent_id is not None and node.parent_id in nodes_by_pk:
        node = nodes_by_pk[node.parent_id]
    return node


def assessment_missing(assessment: Assessment) -> list[Missing]:
    """The leaves not ready for sending, in framework order (3 queries)."""
    from parindex.evidence.selectors import evidence_counts

    nodes = list(FrameworkNode.objects.filter(framework_id=assessment.framework_id))
    by_pk = {n.pk: n for n in nodes}
    counts = evidence_counts(assessment)
    out = []
    entries = Entry.objects.filter(assessment=assessment).order_by("node__position")
    for entry in entries:
        node = by_pk[entry.node_id]
        reasons = leaf_missing(node, entry, counts.get(entry.pk, 0))
        if reasons:
            out.append(
                Missing(entry.pk, node.code, node.title, _domain_of(by_pk, node).code, reasons)
            )
    return out


def subtotals(nodes: list[FrameworkNode], scores: dict[int, Decimal | None]) -> dict[int, Decimal]:
    """Self-score sums of every inner node (by node pk) from the leaves' scores."""
    by_pk = {n.pk: n for n in nodes}
    out: dict[int, Decimal] = {}
    for node_id, score in scores.items():
        if score is None:
            continue
        node = by_pk.get(node_id)
        while node is not None and node.parent_id is not None:
            out[node.parent_id] = out.get(node.parent_id, ZERO) + score
            node = by_pk.get(node.parent_id)
    return out


def entry_scores(assessment: Assessment) -> dict[str, Any]:
    """What an autosave answers besides the entry: every subtotal and the total (1 query, the
    leaves' scores; the tree is the cached engine framework — 2 queries if it does not load)."""
    scores = dict(
        Entry.objects.filter(assessment_id=assessment.pk)
        .order_by()
        .values_list("node__code", "self_score")
    )
    total = sum((s for s in scores.values() if s is not None), ZERO)
    try:
        tree = framework_to_engine(assessment.framework)
    except InvalidInput:  # stored nodes the engine refuses: walk them as stored
        nodes = list(
            FrameworkNode.objects.filter(framework_id=assessment.framework_id)
            .order_by()
            .only("pk", "parent_id", "code", "rule_type")
        )
        by_code = {n.code: n.pk for n in nodes}
        sums = subtotals(nodes, {by_code[c]: v for c, v in scores.items() if c in by_code})
        return {
            "subtotals": {n.code: sums.get(n.pk, ZERO) for n in nodes if not n.rule_type},
            "total": total,
        }
    out: dict[str, Decimal] = {}

    def walk(node: EngineNode) -> Decimal:
        if node.is_leaf:
            return scores.get(node.code) or ZERO
        out[node.code] = sum((walk(child) for child in node.children), ZERO)
        return out[node.code]

    for node in tree.nodes:
        walk(node)
    return {"subtotals": out, "total": total}


def workspace(assessment: Assessment, user: Any) -> dict[str, Any]:
    """Everything the workspace pages show, in a fixed number of queries (nodes, entries,
    evidence files, status changes) whatever the number of leaves."""
    from parindex.assessments.access import can_declare
    from parindex.evidence.selectors import evidence_for_assessment

    kinds = actor_kinds(user, assessment)
    contributing = getattr(assessment, "contributor_unit_ids", set())
    # The roles are checked once; only an entry assigned to a unit (Entry.contributor) is
    # checked on its own, when the user may not declare them all.
    declare_all = not contributing and can_declare(user, assessment)
    nodes = list(
        FrameworkNode.objects.filter(framework_id=assessment.framework_id).order_by("position")
    )
    by_pk = {n.pk: n for n in nodes}
    entries = {
        e.node_id: e
        for e in Entry.objects.filter(assessment=assessment).select_related(
            "updated_by", "contributor"
        )
    }
    files = evidence_for_assessment(assessment)
    try:
        engine: EngineFramework | None = engine_from_nodes(assessment.framework, nodes)
    except InvalidInput:
        engine = None

    def max_of(n: FrameworkNode) -> Decimal | None:
        eng = engine.get(n.code) if engine is not None else None
        return eng.total_max if eng is not None else n.max

    sums = subtotals(nodes, {e.node_id: e.self_score for e in entries.values()})
    domains: list[Domain] = []
    current: Domain | None = None
    for n in nodes:
        if n.parent_id is None:
            current = Domain(node=n, max=max_of(n), items=[], self_sum=sums.get(n.pk))
            domains.append(current)
            if not n.rule_type:
                continue
        assert current is not None
        if not n.rule_type:
            current.items.append(Heading(node=n, max=max_of(n), self_sum=sums.get(n.pk)))
            continue
        entry = entries.get(n.pk)
        if entry is None:
            continue
        if contributing and entry.contributor_id not in contributing:
            continue
        entry.node = n
        leaf = Leaf(
            node=n,
            entry=entry,
            domain=_domain_of(by_pk, n),
            max=max_of(n),
            files=files.get(entry.pk, []),
        )
        leaf.writable = not leaf.is_survey and (
            declare_all or entry.contributor_id is not None and can_declare(user, assessment, entry)
        )
        current.items.append(leaf)
    if contributing:  # only the domains with leaves of the contributor, no empty headings
        for d in domains:
            d.items = [
                i
                for k, i in enumerate(d.items)
                if isinstance(i, Leaf)
                or any(isinstance(j, Leaf) for j in d.items[k + 1 : k + 1 + _span(d.items, k)])
            ]
        domains = [d for d in domains if d.leaves]

    leaves = [leaf for d in domains for leaf in d.leaves]
    self_leaves = [leaf for leaf in leaves if not leaf.is_survey]
    missing = [
        Missing(leaf.entry.pk, leaf.node.code, leaf.node.title, leaf.domain.code, leaf.missing)
        for leaf in self_leaves
        if leaf.missing
    ]
    needing = [leaf for leaf in self_leaves if leaf.needs_evidence]
    history = list(
        StatusChange.objects.filter(assessment=assessment)
        .select_related("actor")
        .order_by("at", "id")
    )
    deadline = self_assessment_deadline(assessment.period, assessment)
    return {
        "kinds": kinds,
        "is_contributor": bool(contributing) and not kinds,
        "domains": domains,
        "leaves": leaves,
        "missing": missing,
        "history": history,
        "progress": {
            "total": len(self_leaves),
            "answered": sum(1 for leaf in self_leaves if leaf.answered),
            "needing_evidence": len(needing),
            "with_evidence": sum(1 for leaf in needing if leaf.files),
            "files": sum(len(leaf.files) for leaf in leaves),
            "explained": sum(1 for leaf in self_leaves if leaf.has_explanation),
            "survey": len(leaves) - len(self_leaves),
        },
        "total": sum((leaf.entry.self_score or ZERO for leaf in leaves), ZERO),
        "max_total": engine.max_total if engine is not None else assessment.framework.max_total,
        "deadline": deadline,
        "regular_deadline": self_assessment_deadline(assessment.period),
        "phase": current_phase(assessment.period),
    }


def _span(items: list[Any], k: int) -> int:
    """How many items after a heading belong to it (until the next heading of its depth)."""
    head = items[k]
    if isinstance(head, Leaf):
        return 0
    n = 0
    for item in items[k + 1 :]:
        if isinstance(item, Heading) and item.node.depth <= head.node.depth:
            break
        n += 1
    return n


def table_panes(domains: list[Domain], *, editable: bool) -> list[dict[str, Any]]:
    """The table page's domains (tabs) with their rows, every value the template prints
    computed here once as text or a flag: rendering 90 leaves then costs no filter, tag or
    attribute walk per cell (dict lookups are the template engine's fastest)."""
    panes = []
    for d in domains:
        self_leaves = d.self_leaves
        rows: list[dict[str, Any]] = []
        for item in d.items:
            if isinstance(item, Leaf):
                rows.append(leaf_view(item, editable=editable))
            else:
                rows.append(
                    {
                        "leaf": False,
                        "code": item.node.code,
                        "title": item.node.title,
                        "depth": str(item.node.depth),
                        "sum": vn_points(item.self_sum if item.self_sum is not None else ZERO),
                        "max": vn_points(item.max),
                    }
                )
        panes.append(
            {
                "code": d.node.code,
                "slug": slugify(d.node.code),
                "title": d.node.title,
                "short_title": Truncator(d.node.title).chars(34),
                "sum": vn_points(d.self_sum if d.self_sum is not None else ZERO),
                "max": vn_points(d.max),
                "n_self": len(self_leaves),
                "complete": d.complete,
                "rows": rows,
            }
        )
    return panes


BOOLEAN_YES = {"yes", "có", "1", "true"}
BOOLEAN_NO = {"no", "không", "0", "false"}
NUMBER_LABELS = {"count": "Số lượng", "deduction": "Số trường hợp vi phạm"}


def _option_points(value: Any) -> str:
    try:
        return vn_points(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def leaf_view(leaf: Leaf, *, editable: bool) -> dict[str, Any]:
    """One leaf of the table as text and flags (see ``table_panes``)."""
    from parindex.frameworks.rules import describe_rule

    node, entry = leaf.node, leaf.entry
    rt = node.rule_type
    survey = leaf.is_survey
    is_na = leaf.is_na
    value = entry.value
    if survey:
        score = ""
    elif rt == FrameworkNode.RuleType.RELATIVE and value and not is_na:
        score = "tính khi tổng hợp"
    elif is_na:
        score = "Không áp dụng"
    else:
        score = vn_points(entry.self_score)
    saved_at = saved_by = saved_time = saved_date = ""
    if entry.version and entry.updated_at is not None:
        at = timezone.localtime(entry.updated_at)
        saved_at = f"{at:%H:%M %d/%m/%Y}"
        saved_time, saved_date = f"{at:%H:%M}", f"{at:%d/%m/%Y}"
    if entry.updated_by_id and entry.updated_by is not None:
        saved_by = entry.updated_by.display_name
    folded = value.casefold()
    options = []
    if rt == FrameworkNode.RuleType.CHOICE:
        lowered = value.lower()
        options = [
            {
                "n": str(i),
                "key": str(o.get("key", "")),
                "label": str(o.get("label", "")),
                "points": _option_points(o.get("points")),
                "checked": str(o.get("key", "")).lower() == lowered,
            }
            for i, o in enumerate(leaf.options, start=1)
        ]
    if rt == FrameworkNode.RuleType.NUMBER:
        low = (node.rule_params or {}).get("min") or 0
        number_label = f"Điểm tự chấm (từ {_option_points(low)} đến {vn_points(leaf.max)})"
    else:
        number_label = NUMBER_LABELS.get(rt, "Giá trị của đơn vị")
    needs_evidence = leaf.needs_evidence
    return {
        "leaf": True,
        "eid": str(entry.pk),
        "code": node.code,
        "title": node.title,
        "domain": leaf.domain.code,
        "rt": rt,
        "survey": survey,
        "needs_evidence": needs_evidence,
        "max": vn_points(leaf.max),
        "bonus": node.bonus,
        "score": score,
        "guide": node.guide,
        "show_guide": bool(node.guide or rt),
        "rule_text": describe_rule(rt, node.rule_params, node.max) if rt and not survey else "",
        "version": str(entry.version),
        "saved_at": saved_at,
        "saved_time": saved_time,
        "saved_date": saved_date,
        "saved_by": saved_by,
        "disabled": not (editable and leaf.writable),
        "writable": leaf.writable,
        "value": "" if is_na else value,
        "value2": entry.value2,
        "na": is_na,
        "allow_na": node.allow_na,
        "yes": rt == FrameworkNode.RuleType.BOOLEAN and not is_na and folded in BOOLEAN_YES,
        "no": rt == FrameworkNode.RuleType.BOOLEAN and not is_na and folded in BOOLEAN_NO,
        "options": options,
        "number_label": number_label,
        "inputmode": "numeric" if rt in NUMBER_LABELS else "decimal",
        "explanation": entry.explanation,
        "evidence": node.evidence,
        "entry": entry,
        "files": leaf.files,
    }


def entry_history(entry: Entry) -> list[Any]:
    """The audit rows of one entry (values, explanation, files), newest first (1 query)."""
    from parindex.audit.models import AuditEvent

    return list(
        AuditEvent.objects.filter(object_type=Entry._meta.label_lower, object_id=str(entry.pk))
        .select_related("actor")
        .order_by("-at", "-id")
    )


def workspace_list(user: Any) -> list[Assessment]:
    """The assessments of the user's units (officer, leader) and those it contributes to,
    newest period first (2 queries with the roles)."""
    from django.db.models import Q

    from parindex.accounts.models import Membership
    from parindex.periods.access import user_roles

    roles = user_roles(user)
    own = [
        m.unit_id
        for m in roles.memberships
        if m.role in (Membership.Role.UNIT_OFFICER, Membership.Role.UNIT_LEADER)
    ]
    officer = [m.unit_id for m in roles.memberships if m.role == Membership.Role.UNIT_OFFICER]
    if not own:
        return []
    return list(
        Assessment.objects.filter(Q(unit_id__in=own) | Q(entries__contributor_id__in=officer))
        .distinct()
        .select_related("period", "unit", "framework")
        .prefetch_related("period__phases")
        .order_by("-period__year", "unit__name")
    )


def lock_reason(assessment: Assessment, now: dt.datetime | None = None) -> str:
    """Why the unit cannot change its self-assessment now ("" when it can)."""
    if assessment.period.closed:
        return f"Đợt đánh giá “{assessment.period.name}” đã đóng (chỉ đọc)."
    if assessment.status not in workflow.UNIT_EDITABLE:
        return (
            f"Bản tự đánh giá đang ở trạng thái “{assessment.get_status_display()}”: "
            "số liệu, giải trình và tài liệu kiểm chứng không sửa được."
        )
    now = now or timezone.now()
    start = self_assessment_start(assessment.period)
    if start is not None and timezone.localtime(now).date() < start:
        return f"Chưa đến thời gian tự đánh giá (bắt đầu từ ngày {start:%d/%m/%Y})."
    deadline = self_assessment_deadline(assessment.period, assessment)
    if deadline is not None and now > deadline:
        local = timezone.localtime(deadline)
        organizer = assessment.period.organizer.name
        return (
            f"Đã hết hạn tự đánh giá lúc {local:%H:%M} ngày {local:%d/%m/%Y}. "
            f"Liên hệ {organizer} để được gia hạn."
        )
    return ""


def days_left(deadline: dt.datetime | None, now: dt.datetime | None = None) -> int | None:
    """Whole local days from today to the deadline's day (0 = today is the last day)."""
    if deadline is None:
        return None
    today = timezone.localtime(now or timezone.now()).date()
    return (timezone.localtime(deadline).date() - today).days


def is_province_self(assessment: Assessment) -> bool:
    return assessment.period.kind == Period.Kind.PROVINCE_SELF
