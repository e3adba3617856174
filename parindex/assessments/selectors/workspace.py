"""The self-assessment workspace: its leaves by domain, the table panes, one leaf's form, an
entry's history, the user's list of assessments. A fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator, slugify

from parindex.accounts.models import Membership
from parindex.assessments import scoring
from parindex.assessments.access import actor_kinds, can_declare
from parindex.assessments.completeness import Missing, domain_of, leaf_missing
from parindex.assessments.models import Assessment, Entry, StatusChange
from parindex.assessments.selectors.detail import _entry_data
from parindex.assessments.selectors.evidence import evidence_for_assessment
from parindex.audit.models import AuditEvent
from parindex.common import dates
from parindex.common.numbers import vn_input_text, vn_points
from parindex.engine import NO_WORDS, YES_WORDS, InvalidInput, boolean_word
from parindex.engine import Framework as EngineFramework
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.rules import describe_rule
from parindex.frameworks.selectors import engine_from_nodes
from parindex.periods.access import user_roles
from parindex.periods.calendar import (
    current_phase,
    self_assessment_deadline,
)
from parindex.periods.models import Period

ZERO = Decimal(0)


#: Leaves answered with a word (a choice key, có/không), not a number.
WORD_RULES = {FrameworkNode.RuleType.CHOICE, FrameworkNode.RuleType.BOOLEAN}


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
    """A criterion (inner node below a domain) with its subtotal. ``max`` is the framework's;
    ``self_max`` the part the unit scores itself (the bridge's self-stage max: without the
    survey leaves, the Không áp dụng leaves and the pending relative ones), the same measure
    as the header's total."""

    node: FrameworkNode
    max: Decimal | None
    self_sum: Decimal | None = None
    self_max: Decimal | None = None


@dataclass
class Domain:
    """A domain (lĩnh vực) with its items; ``max`` and ``self_max`` as for :class:`Heading`."""

    node: FrameworkNode
    max: Decimal | None
    items: list[Heading | Leaf]
    self_sum: Decimal | None = None
    self_max: Decimal | None = None

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


def entry_scores(assessment: Assessment) -> dict[str, Any]:
    """What an autosave answers besides the entry: every inner node's self-stage points, the
    total and the self-assessed max, from the bridge (the scores the save just computed, else
    1 query)."""
    scores: scoring.Scores | None = getattr(assessment, "scores", None)
    if scores is None:
        scores = scoring.assessment_scores(assessment, scoring.SELF)
    inner = [(code, node) for code, node in scores.nodes.items() if code not in scores.leaves]
    return {
        "subtotals": {code: node.points for code, node in inner},
        "submax": {code: node.max for code, node in inner},
        "total": scores.points,
        "max": scores.max,
        "scores": scores,
    }


def workspace(assessment: Assessment, user: Any) -> dict[str, Any]:
    """Everything the workspace pages show, in a fixed number of queries (nodes, entries,
    evidence files, status changes) whatever the number of leaves."""
    kinds = actor_kinds(user, assessment)
    contributing: set[int] = getattr(assessment, "contributor_unit_ids", set())
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

    scores = scoring.score_with(
        engine,
        [_entry_data(e, by_pk[nid].code) for nid, e in entries.items() if nid in by_pk],
        scoring.SELF,
    )
    sums = {n.pk: scores.node(n.code).points for n in nodes if not n.rule_type}
    self_max = {n.pk: scores.node(n.code).max for n in nodes if not n.rule_type}
    domains: list[Domain] = []
    current: Domain | None = None
    for n in nodes:
        if n.parent_id is None:
            current = Domain(
                node=n,
                max=max_of(n),
                items=[],
                self_sum=sums.get(n.pk),
                self_max=self_max.get(n.pk),
            )
            domains.append(current)
            if not n.rule_type:
                continue
        assert current is not None  # noqa: S101 - narrows the type for mypy: an invariant, not a check
        if not n.rule_type:
            current.items.append(
                Heading(node=n, max=max_of(n), self_sum=sums.get(n.pk), self_max=self_max.get(n.pk))
            )
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
            domain=domain_of(by_pk, n),
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
    total, max_total = scores.points, scores.max
    if contributing:  # a contributor's totals are those of its own leaves
        counted = [leaf for leaf in leaves if scores.leaves.get(leaf.node.code) is not None]
        total = sum((scores.leaves[leaf.node.code] or ZERO for leaf in counted), ZERO)
        max_total = sum(
            (leaf.max or ZERO for leaf in counted if not leaf.node.bonus and not leaf.is_survey),
            ZERO,
        )
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
        "total": total,
        "max_total": max_total,
        "scores": scores,
        "pending": [leaf for leaf in leaves if leaf.node.code in scores.pending],
        "pending_note": scoring.PENDING_NOTE if scores.pending else "",
        "boolean_words": {"yes": list(YES_WORDS), "no": list(NO_WORDS)},
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


def _max_texts(item: Domain | Heading) -> dict[str, str]:
    """``max``: the self-assessed max the subtotal is measured against (updated by the
    autosave); ``framework_max``: the framework's, shown beside it where they differ."""
    own = item.self_max if item.self_max is not None else item.max
    framework = vn_points(item.max)
    return {
        "max": vn_points(own),
        "framework_max": framework if own != item.max else "",
    }


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
                        **_max_texts(item),
                    }
                )
        panes.append(
            {
                "code": d.node.code,
                "slug": slugify(d.node.code),
                "title": d.node.title,
                "short_title": Truncator(d.node.title).chars(34),
                "sum": vn_points(d.self_sum if d.self_sum is not None else ZERO),
                **_max_texts(d),
                "n_self": len(self_leaves),
                "complete": d.complete,
                "rows": rows,
            }
        )
    return panes


NUMBER_LABELS = {"count": "Số lượng", "deduction": "Số trường hợp vi phạm"}


def _option_points(value: Any) -> str:
    try:
        return vn_points(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def leaf_view(leaf: Leaf, *, editable: bool) -> dict[str, Any]:
    """One leaf of the table as text and flags (see ``table_panes``)."""
    node, entry = leaf.node, leaf.entry
    rt = node.rule_type
    survey = leaf.is_survey
    is_na = leaf.is_na
    value = entry.value
    if survey:
        score = ""
    elif rt == FrameworkNode.RuleType.RELATIVE and not is_na:
        score = scoring.PENDING_TEXT
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
    word = boolean_word(value) if rt == FrameworkNode.RuleType.BOOLEAN and not is_na else None
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
        "value": "" if is_na else (value if rt in WORD_RULES else vn_input_text(value)),
        "value2": vn_input_text(entry.value2),
        "na": is_na,
        "allow_na": node.allow_na,
        "yes": word is True,
        "no": word is False,
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
    return list(
        AuditEvent.objects.filter(object_type=Entry._meta.label_lower, object_id=str(entry.pk))
        .select_related("actor")
        .order_by("-at", "-id")
    )


def workspace_list(user: Any) -> list[Assessment]:
    """The assessments of the user's units (officer, leader) and those it contributes to,
    newest period first (2 queries with the roles)."""
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


def days_left(deadline: dt.datetime | None, now: dt.datetime | None = None) -> int | None:
    """Whole local days from today to the deadline's day (0 = today is the last day)."""
    today = timezone.localtime(now).date() if now else None
    return dates.days_left(deadline, today)


def is_province_self(assessment: Assessment) -> bool:
    return assessment.period.kind == Period.Kind.PROVINCE_SELF
