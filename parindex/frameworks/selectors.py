"""Reads on frameworks. Every function runs a fixed number of queries (nodes: one query).

``framework_to_engine`` and ``framework_to_spec_dict`` are what other apps call: the first
gives the validated :class:`parindex.engine.Framework` (cached per content version), the
second the framework in the public format (spec/formats.md §1).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from threading import Lock
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from parindex import engine
from parindex.accounts.access import roles_for
from parindex.frameworks.models import Framework, FrameworkNode
from parindex.frameworks.rules import (
    describe_rule,
    number_out,
    params_for_engine,
    params_for_export,
    pts,
)

FORMAT = "parindex.framework/v1"

# -- the tree -----------------------------------------------------------------------------


@dataclass
class TreeNode:
    """A stored node with its children, in order (built in Python from one query)."""

    node: FrameworkNode
    children: list[TreeNode] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children


def framework_nodes(framework: Framework) -> list[FrameworkNode]:
    """All nodes of the framework in tree (preorder) order: one query."""
    return list(FrameworkNode.objects.filter(framework=framework).order_by("position", "pk"))


def build_tree(nodes: list[FrameworkNode]) -> list[TreeNode]:
    """The roots, each with its subtree; siblings keep the order of ``nodes``."""
    by_pk = {n.pk: TreeNode(n) for n in nodes}
    roots: list[TreeNode] = []
    for n in nodes:
        item = by_pk[n.pk]
        if n.parent_id is None or n.parent_id not in by_pk:
            roots.append(item)
        else:
            by_pk[n.parent_id].children.append(item)
    return roots


def _node_spec(item: TreeNode, *, exact: bool) -> dict[str, Any]:
    n = item.node
    out: dict[str, Any] = {"code": n.code, "title": n.title}
    if n.max is not None:
        out["max"] = n.max.normalize() if exact else _num(n.max)
    if n.bonus:
        out["bonus"] = True
    if not item.children:
        if n.source and n.source != FrameworkNode.Source.SELF:
            out["source"] = n.source
        if n.allow_na:
            out["allow_na"] = True
    if n.evidence:
        out["evidence"] = n.evidence
    if n.guide:
        out["guide"] = n.guide
    if item.children:
        out["children"] = [_node_spec(c, exact=exact) for c in item.children]
    elif n.rule_type:
        params = params_for_engine(n.rule_params) if exact else params_for_export(n.rule_params)
        out["rule"] = {"type": n.rule_type, **params}
    return out


def _num(value: Decimal) -> int | float:
    return number_out(value.normalize())


def spec_dict_from_nodes(
    framework: Framework, nodes: list[FrameworkNode], *, exact: bool = False
) -> dict[str, Any]:
    """The spec mapping built from already-loaded nodes.

    ``exact=True`` keeps numbers as Decimal (for the engine); otherwise numbers are
    int/float as in a YAML or JSON file.
    """
    out: dict[str, Any] = {
        "format": FORMAT,
        "code": framework.code,
        "title": framework.title,
        "year": framework.year,
        "block": framework.block.code,
    }
    if framework.bands:
        bands = []
        for band in framework.bands:
            low = params_for_engine({"min": band.get("min")})["min"]
            if not exact and isinstance(low, Decimal):
                low = _num(low)
            bands.append({"min": low, "label": band.get("label")})
        out["bands"] = bands
    out["nodes"] = [_node_spec(r, exact=exact) for r in build_tree(nodes)]
    return out


def framework_to_spec_dict(framework: Framework) -> dict[str, Any]:
    """The framework in the public format, ready for ``yaml.safe_dump``/``json.dumps``."""
    return spec_dict_from_nodes(framework, framework_nodes(framework))


# -- the engine framework, cached per content version --------------------------------------

_CACHE_SIZE = 64
_cache: OrderedDict[tuple[int, str], engine.Framework] = OrderedDict()
_cache_lock = Lock()


def engine_from_nodes(framework: Framework, nodes: list[FrameworkNode]) -> engine.Framework:
    """The engine framework for already-loaded nodes (raises ``engine.InvalidInput``)."""
    key = (framework.pk, str(framework.etag))
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    data = spec_dict_from_nodes(framework, nodes, exact=True)
    result = engine.parse_framework(data, source=framework.code)
    if framework.pk is not None:
        with _cache_lock:
            _cache[key] = result
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return result


def framework_to_engine(framework: Framework) -> engine.Framework:
    """The validated engine framework; cheap when called again for the same content.

    The cache key is (pk, etag): the services give the framework a new ``etag`` with every
    change, so a stale tree is never returned.
    """
    key = (framework.pk, str(framework.etag))
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    return engine_from_nodes(framework, framework_nodes(framework))


# -- lists and pages ------------------------------------------------------------------------


def framework_is_locked(framework: Framework) -> bool:
    """Self-assessment has started on it (assessments exist): it may no longer be edited."""
    return framework.assessments.exists()


def framework_list_for_user(user: Any) -> QuerySet[Framework]:
    """Frameworks the user may see: their organizers' own (and, read-only, those of the
    organizers inside their scope); a system admin sees all. Annotated with ``locked``."""
    roles = roles_for(user)
    qs = Framework.objects.select_related("owner", "block").annotate(
        # the assessments through their reverse relation (that app sits above this one)
        locked=Exists(Framework.objects.filter(pk=OuterRef("pk"), assessments__isnull=False))
    )
    if roles.is_system_admin:
        return qs.order_by("-year", "block__position", "owner__name", "-version")
    if not roles.is_organizer_admin:
        return qs.none()
    return qs.filter(roles.admin_scope_q("owner__")).order_by(
        "-year", "block__position", "owner__name", "-version"
    )


@dataclass
class TreeRow:
    """One row of the tree page."""

    node: FrameworkNode
    depth: int
    is_leaf: bool
    total: Decimal
    bonus: bool
    rule_text: str
    declared_ok: bool
    first: bool
    last: bool
    child_sum: Decimal | None = None


@dataclass
class TreePage:
    rows: list[TreeRow]
    domains: list[TreeRow]
    total: Decimal
    leaf_count: int
    all_ok: bool
    problems: list[str]


def framework_tree(framework: Framework) -> TreePage:
    """The rows of the tree page, with totals computed by the engine (one query)."""
    nodes = framework_nodes(framework)
    problems: list[str] = []
    fw: engine.Framework | None
    try:
        fw = engine_from_nodes(framework, nodes)
    except engine.InvalidInput as exc:
        fw = None
        problems = [p.vi() for p in exc.problems]
    rows: list[TreeRow] = []

    def walk(items: list[TreeNode], bonus_above: bool) -> None:
        for i, item in enumerate(items):
            n = item.node
            en = fw.get(n.code) if fw is not None else None
            total = en.total_max if en is not None else (n.max or Decimal(0))
            bonus = bonus_above or n.bonus
            child_sum = None
            declared_ok = True
            if item.children:
                child_sum = total
                declared_ok = n.max is None or n.max == total
            rows.append(
                TreeRow(
                    node=n,
                    depth=n.depth,
                    is_leaf=not item.children,
                    total=total,
                    bonus=bonus,
                    rule_text=describe_rule(n.rule_type, n.rule_params, n.max)
                    if not item.children
                    else "",
                    declared_ok=declared_ok,
                    first=i == 0,
                    last=i == len(items) - 1,
                    child_sum=child_sum,
                )
            )
            walk(item.children, bonus)

    walk(build_tree(nodes), False)
    domains = [r for r in rows if r.depth == 0]
    total = fw.max_total if fw is not None else Decimal(0)
    leaf_count = len(fw.leaves()) if fw is not None else 0
    all_ok = fw is not None and all(r.declared_ok for r in rows)
    return TreePage(
        rows=rows,
        domains=domains,
        total=total,
        leaf_count=leaf_count,
        all_ok=all_ok,
        problems=problems,
    )


# -- diff -------------------------------------------------------------------------------

DIFF_FIELDS: list[tuple[str, str]] = [
    ("title", "Nội dung"),
    ("parent", "Mã cấp trên"),
    ("max", "Điểm tối đa"),
    ("rule", "Cách tính điểm"),
    ("source", "Nguồn điểm"),
    ("allow_na", "Cho phép KAD"),
    ("bonus", "Điểm thưởng"),
    ("evidence", "Tài liệu kiểm chứng"),
    ("guide", "Hướng dẫn"),
]


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class NodeDiff:
    code: str
    title: str
    kind: str  # added | removed | changed
    changes: list[FieldChange] = field(default_factory=list)
    max: Decimal | None = None


@dataclass
class FrameworkDiff:
    a: Framework
    b: Framework
    header: list[FieldChange]
    nodes: list[NodeDiff]

    @property
    def added(self) -> list[NodeDiff]:
        return [d for d in self.nodes if d.kind == "added"]

    @property
    def removed(self) -> list[NodeDiff]:
        return [d for d in self.nodes if d.kind == "removed"]

    @property
    def changed(self) -> list[NodeDiff]:
        return [d for d in self.nodes if d.kind == "changed"]


def _yes(value: bool) -> str:
    return "Có" if value else "Không"


def _node_fields(n: FrameworkNode, codes: dict[int, str], is_leaf: bool) -> dict[str, str]:
    return {
        "title": n.title,
        "parent": codes.get(n.parent_id, "—") if n.parent_id else "—",
        "max": pts(n.max) if n.max is not None else "—",
        "rule": (
            f"{FrameworkNode.RuleType(n.rule_type).label}: "
            f"{describe_rule(n.rule_type, n.rule_params, n.max)}"
            if is_leaf and n.rule_type
            else "—"
        ),
        "source": FrameworkNode.Source(n.source).label if is_leaf else "—",
        "allow_na": _yes(n.allow_na),
        "bonus": _yes(n.bonus),
        "evidence": n.evidence or "—",
        "guide": n.guide or "—",
    }


def _bands_text(bands: list[dict[str, Any]]) -> str:
    return "; ".join(f"từ {pts(b.get('min'))}: {b.get('label')}" for b in bands) or "—"


def framework_diff(a: Framework, b: Framework) -> FrameworkDiff:
    """Nodes added, removed and changed (field by field) from ``a`` to ``b``, by code."""
    nodes = list(
        FrameworkNode.objects.filter(framework__in=[a.pk, b.pk]).order_by(
            "framework_id", "position"
        )
    )
    a_nodes = [n for n in nodes if n.framework_id == a.pk]
    b_nodes = [n for n in nodes if n.framework_id == b.pk]

    def index(items: list[FrameworkNode]) -> dict[str, dict[str, str]]:
        codes = {n.pk: n.code for n in items}
        parents = {n.parent_id for n in items}
        return {n.code: _node_fields(n, codes, n.pk not in parents) for n in items}

    fa, fb = index(a_nodes), index(b_nodes)
    header: list[FieldChange] = []
    for label, old, new in [
        ("Tên bộ tiêu chí", a.title, b.title),
        ("Tổng điểm tối đa", pts(a.max_total), pts(b.max_total)),
        ("Xếp loại", _bands_text(a.bands), _bands_text(b.bands)),
    ]:
        if old != new:
            header.append(FieldChange(label, old, new))
    diffs: list[NodeDiff] = []
    b_by_code = {n.code: n for n in b_nodes}
    for n in b_nodes:
        if n.code not in fa:
            diffs.append(NodeDiff(n.code, n.title, "added", max=n.max))
        else:
            changes = [
                FieldChange(label, fa[n.code][key], fb[n.code][key])
                for key, label in DIFF_FIELDS
                if fa[n.code][key] != fb[n.code][key]
            ]
            if changes:
                diffs.append(NodeDiff(n.code, n.title, "changed", changes, max=n.max))
    for n in a_nodes:
        if n.code not in b_by_code:
            diffs.append(NodeDiff(n.code, n.title, "removed", max=n.max))
    return FrameworkDiff(a=a, b=b, header=header, nodes=diffs)
