"""What every write on a framework shares: the fields audited, the edit lock, renumbering,
inner maxima following their children, the engine's validation of the whole tree."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from parindex import engine
from parindex.accounts.models import Block, Unit
from parindex.common.errors import DomainError
from parindex.frameworks.models import Framework, FrameworkNode
from parindex.frameworks.rules import dec_text, pts, to_decimal
from parindex.frameworks.selectors import (
    build_tree,
    framework_is_locked,
    framework_nodes,
    spec_dict_from_nodes,
)

FRAMEWORK_FIELDS = ["code", "title", "year", "version", "status", "bands", "owner", "block"]


NODE_FIELDS = [
    "code",
    "title",
    "max",
    "rule_type",
    "rule_params",
    "source",
    "allow_na",
    "bonus",
    "evidence",
    "guide",
    "parent",
]


EDITABLE_NODE_FIELDS = set(NODE_FIELDS) - {"parent"}


LEAF_ONLY_FIELDS = {"rule_type", "rule_params", "source", "allow_na"}


ProblemText = Callable[[engine.Problem], str]


# -- helpers ------------------------------------------------------------------------------


def edit_problem_text(problem: engine.Problem) -> str:
    """An engine problem about a stored framework, in words an officer reads."""
    where = problem.where
    if where.startswith("node "):
        return f"Tiêu chí {where[5:]}: {problem.message_vi}"
    if where.startswith("bands"):
        return f"Xếp loại: {problem.message_vi}"
    if where in ("", "nodes"):
        return problem.message_vi
    return f"{where}: {problem.message_vi}"


def ensure_editable(framework: Framework) -> None:
    if framework.status == Framework.Status.ARCHIVED:
        raise DomainError(
            "Bộ tiêu chí đã lưu trữ nên không sửa được. Hãy kích hoạt lại hoặc sao chép "
            "sang phiên bản mới."
        )
    if framework_is_locked(framework):
        raise DomainError(
            "Bộ tiêu chí đang được dùng trong đợt đánh giá đã có đơn vị tự đánh giá nên không "
            "sửa được. Hãy sao chép sang phiên bản mới để chỉnh sửa."
        )


def _next_version(owner: Unit, block: Block, year: int) -> int:
    last = (
        Framework.objects.filter(owner=owner, block=block, year=year)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return (last or 0) + 1


def _renumber(
    framework: Framework, order: dict[int | None, list[FrameworkNode]] | None = None
) -> list[FrameworkNode]:
    """Give every node its preorder position and depth; returns the nodes in that order."""
    nodes = framework_nodes(framework)
    children: dict[int | None, list[FrameworkNode]] = defaultdict(list)
    for n in sorted(nodes, key=lambda n: (n.position, n.pk)):
        children[n.parent_id].append(n)
    if order:
        children.update(order)
    out: list[FrameworkNode] = []
    changed: list[FrameworkNode] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for n in children.get(parent_id, []):
            if (n.position, n.depth) != (len(out), depth):
                n.position, n.depth = len(out), depth
                changed.append(n)
            out.append(n)
            walk(n.pk, depth + 1)

    walk(None, 0)
    if changed:
        FrameworkNode.objects.bulk_update(changed, ["position", "depth"])
    return out


def _sync_inner_max(nodes: list[FrameworkNode]) -> dict[str, str]:
    """Set each declared inner max to its children's sum (engine rule for bonus children).

    Returns ``{code: "old → new"}`` for the nodes changed.
    """
    changed: dict[str, str] = {}
    to_save: list[FrameworkNode] = []

    def total(item: Any, bonus_above: bool) -> Decimal:
        n = item.node
        bonus = bonus_above or n.bonus
        if not item.children:
            return n.max or Decimal(0)
        s = Decimal(0)
        for child in item.children:
            child_total = total(child, bonus)
            if bonus or not child.node.bonus:
                s += child_total
        if n.max is not None and n.max != s and s > 0:
            changed[n.code] = f"{pts(n.max)} → {pts(s)}"
            n.max = s
            to_save.append(n)
        return s

    for root in build_tree(nodes):
        total(root, False)
    if to_save:
        FrameworkNode.objects.bulk_update(to_save, ["max"])
    return changed


def _validate(
    framework: Framework, nodes: list[FrameworkNode], describe: ProblemText = edit_problem_text
) -> engine.Framework:
    data = spec_dict_from_nodes(framework, nodes, exact=True)
    try:
        return engine.parse_framework(data, source=framework.code)
    except engine.InvalidInput as exc:
        problems = [describe(p) for p in exc.problems]
        raise DomainError(
            "Không lưu thay đổi vì bộ tiêu chí sẽ không hợp lệ:", problems=problems
        ) from None


def _finish(framework: Framework, nodes: list[FrameworkNode]) -> dict[str, str]:
    """Sync inner maxima, validate the whole tree, store totals and a new content etag."""
    synced = _sync_inner_max(nodes)
    fw = _validate(framework, nodes)
    framework.max_total = fw.max_total
    framework.leaf_count = len(fw.leaves())
    framework.etag = uuid.uuid4()
    framework.save(update_fields=["max_total", "leaf_count", "etag", "updated_at"])
    return synced


def _stored_bands(bands: Sequence[Any]) -> list[dict[str, Any]]:
    out = []
    for band in bands:
        low = to_decimal(band.get("min")) if isinstance(band, dict) else None
        out.append(
            {
                "min": dec_text(low) if low is not None else band.get("min"),
                "label": str(band.get("label", "")).strip(),
            }
        )
    return out


def _clean_errors(obj: Any, where: str, **kwargs: Any) -> list[str]:
    """``full_clean`` problems as ``where: field: message`` lines (none when valid)."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        out = []
        for name, messages in exc.message_dict.items():
            label = "" if name == "__all__" else f"{obj._meta.get_field(name).verbose_name}: "
            out.append(f"{where}: {label}{' '.join(messages)}")
        return out
    return []
