"""Writes on a framework's nodes: update, add, delete, move (the tree re-validated each time)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from parindex.audit.services import audit_record, snapshot
from parindex.common.errors import DomainError
from parindex.frameworks.models import Framework, FrameworkNode
from parindex.frameworks.rules import params_to_stored, to_decimal
from parindex.frameworks.selectors import (
    framework_nodes,
)
from parindex.frameworks.services.tree import (
    EDITABLE_NODE_FIELDS,
    LEAF_ONLY_FIELDS,
    NODE_FIELDS,
    _finish,
    _renumber,
    ensure_editable,
)

# -- nodes ----------------------------------------------------------------------------------


def _has_children(node: FrameworkNode) -> bool:
    return FrameworkNode.objects.filter(parent=node).exists()


def _apply_node_fields(node: FrameworkNode, fields: dict[str, Any]) -> None:
    unknown = set(fields) - EDITABLE_NODE_FIELDS
    if unknown:
        raise DomainError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        if name in {"code", "title", "evidence", "guide"}:
            value = (value or "").strip()
        if name == "max" and value is not None:
            dec = to_decimal(value)
            if dec is None:
                raise DomainError(f"Điểm tối đa phải là một số, không phải {value!r}.")
            value = dec
        if name == "rule_params":
            value = value or {}
        setattr(node, name, value)
    if "rule_type" in fields or "rule_params" in fields:
        node.rule_params = params_to_stored(node.rule_type, node.rule_params or {})


def _field_label(node: FrameworkNode, name: str) -> str:
    return str(getattr(node._meta.get_field(name), "verbose_name", name))


def _node_clean(node: FrameworkNode) -> None:
    try:
        node.full_clean(exclude=["framework", "parent"], validate_constraints=False)
    except ValidationError as exc:
        problems = [
            f"{_field_label(node, k) if k != '__all__' else ''}: {' '.join(v)}"
            for k, v in exc.message_dict.items()
        ]
        raise DomainError("Tiêu chí không hợp lệ.", problems=problems) from None


@transaction.atomic
def node_update(
    *, actor: Any, node: FrameworkNode, reason: str = "", **fields: Any
) -> FrameworkNode:
    """Change a node's fields (title, max, rule_type, rule_params, source, allow_na, bonus,
    evidence, guide, code); refused if the framework would become invalid."""
    framework = node.framework
    ensure_editable(framework)
    if _has_children(node):
        bad = {k for k in LEAF_ONLY_FIELDS & set(fields) if fields[k]}
        if bad:
            raise DomainError(
                f"Tiêu chí {node.code} có tiêu chí con nên không có cách tính điểm, nguồn điểm "
                "hay «không áp dụng» riêng."
            )
    old = snapshot(node, NODE_FIELDS)
    _apply_node_fields(node, fields)
    if (
        node.code != old["code"]
        and FrameworkNode.objects.filter(framework=framework, code=node.code)
        .exclude(pk=node.pk)
        .exists()
    ):
        raise DomainError(f"Mã {node.code} đã có trong bộ tiêu chí.")
    _node_clean(node)
    node.save()
    synced = _finish(framework, framework_nodes(framework))
    new = snapshot(node, NODE_FIELDS)
    if synced:
        new["tổng điểm cấp trên"] = synced
    audit_record(actor=actor, verb="node.update", obj=node, old=old, new=new, reason=reason)
    return node


@transaction.atomic
def node_add(
    *,
    actor: Any,
    framework: Framework,
    parent: FrameworkNode | None,
    code: str,
    title: str,
    max: Decimal | None = None,  # noqa: A002 - the spec's key
    rule_type: str = "",
    rule_params: dict[str, Any] | None = None,
    source: str = FrameworkNode.Source.SELF,
    allow_na: bool = False,
    bonus: bool = False,
    evidence: str = "",
    guide: str = "",
    reason: str = "",
) -> FrameworkNode:
    """Add a node as the last child of ``parent`` (a domain when ``parent`` is None).

    A leaf ``parent`` becomes an inner node (its rule and max are dropped)."""
    ensure_editable(framework)
    if parent is not None and parent.framework_id != framework.pk:
        raise DomainError("Tiêu chí cấp trên không thuộc bộ tiêu chí này.")
    code = (code or "").strip()
    if FrameworkNode.objects.filter(framework=framework, code=code).exists():
        raise DomainError(f"Mã {code} đã có trong bộ tiêu chí.")
    converted: dict[str, Any] | None = None
    if parent is not None and not _has_children(parent):
        converted = snapshot(parent, NODE_FIELDS)
        parent.rule_type = ""
        parent.rule_params = {}
        parent.source = FrameworkNode.Source.SELF
        parent.allow_na = False
        parent.max = None
        parent.save()
    node = FrameworkNode(
        framework=framework,
        parent=parent,
        code=code,
        position=10**9,
        depth=(parent.depth + 1) if parent is not None else 0,
    )
    _apply_node_fields(
        node,
        {
            "title": title,
            "max": max,
            "rule_type": rule_type,
            "rule_params": rule_params or {},
            "source": source,
            "allow_na": allow_na,
            "bonus": bonus,
            "evidence": evidence,
            "guide": guide,
        },
    )
    _node_clean(node)
    node.save()
    synced = _finish(framework, _renumber(framework))
    node.refresh_from_db()
    new = snapshot(node, NODE_FIELDS)
    if converted is not None and parent is not None:
        new["cấp trên thành tiêu chí có tiêu chí con"] = {
            "mã": parent.code,
            "cách tính điểm cũ": converted["rule_type"],
            "điểm tối đa cũ": converted["max"],
        }
    if synced:
        new["tổng điểm cấp trên"] = synced
    audit_record(actor=actor, verb="node.add", obj=node, new=new, reason=reason)
    return node


@transaction.atomic
def node_delete(*, actor: Any, node: FrameworkNode, reason: str = "") -> None:
    """Delete a node and its subtree. The only child of a node, or the only domain, cannot
    be deleted (its parent would be left without a rule)."""
    framework = node.framework
    ensure_editable(framework)
    siblings = FrameworkNode.objects.filter(framework=framework, parent=node.parent_id)
    if siblings.count() <= 1:
        if node.parent_id is None:
            raise DomainError("Không xóa được lĩnh vực duy nhất của bộ tiêu chí.")
        raise DomainError(
            f"{node.code} là tiêu chí con duy nhất của {node.parent.code if node.parent else ''}: "
            "hãy xóa tiêu chí cấp trên, hoặc thêm tiêu chí con khác trước khi xóa."
        )
    nodes = framework_nodes(framework)
    codes: list[str] = []
    subtree = {node.pk}
    for n in nodes:  # preorder: a descendant comes after its parent
        if n.pk in subtree or n.parent_id in subtree:
            subtree.add(n.pk)
            codes.append(n.code)
    old = {**snapshot(node, NODE_FIELDS), "subtree": codes}
    audit_obj = FrameworkNode(pk=node.pk, code=node.code, title=node.title)
    node.delete()
    synced = _finish(framework, _renumber(framework))
    audit_record(
        actor=actor,
        verb="node.delete",
        obj=audit_obj,
        old=old,
        new={"tổng điểm cấp trên": synced} if synced else None,
        reason=reason,
    )


@transaction.atomic
def node_move(*, actor: Any, node: FrameworkNode, direction: str, reason: str = "") -> None:
    """Move a node one place up or down among its siblings (with its subtree)."""
    if direction not in ("up", "down"):
        raise DomainError("Hướng di chuyển phải là lên hoặc xuống.")
    framework = node.framework
    ensure_editable(framework)
    siblings = list(
        FrameworkNode.objects.filter(framework=framework, parent=node.parent_id).order_by(
            "position", "pk"
        )
    )
    i = next(k for k, s in enumerate(siblings) if s.pk == node.pk)
    j = i - 1 if direction == "up" else i + 1
    if j < 0 or j >= len(siblings):
        raise DomainError(
            f"Tiêu chí {node.code} đã ở vị trí {'đầu tiên' if direction == 'up' else 'cuối cùng'}."
        )
    old_order = [s.code for s in siblings]
    siblings[i], siblings[j] = siblings[j], siblings[i]
    _finish(framework, _renumber(framework, {node.parent_id: siblings}))
    audit_record(
        actor=actor,
        verb="node.move",
        obj=node,
        old={"order": old_order},
        new={"order": [s.code for s in siblings]},
        reason=reason,
    )
