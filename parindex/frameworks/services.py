"""Writes on frameworks and their nodes. Atomic, audited, take the acting user.

The stored tree is always valid: every change is applied inside a transaction, then the whole
framework is re-validated by the engine; if it would be invalid the change is refused with a
``DomainError`` listing every problem, and nothing is saved.

Decisions:
- One framework per owner/block/year may be ACTIVE; activating one archives the one that was
  active. New imports and copies are DRAFT.
- A framework may be edited while it is not archived and no assessment uses it (once units
  have started their self-assessment on it, it is locked: copy it to a new version instead).
- An inner node's declared max follows its children: when a leaf's max changes, a node is
  added, removed, the declared max of every ancestor that declares one is updated to the new
  sum (recorded in the audit row). Adding a child to a leaf makes the leaf an inner node (its
  rule, max, source and "không áp dụng" flag are dropped).
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from parindex import engine
from parindex.accounts.models import Block, Unit
from parindex.audit.services import audit_record, snapshot
from parindex.common.errors import DomainError
from parindex.frameworks.models import Framework, FrameworkNode
from parindex.frameworks.rules import dec_text, params_to_stored, pts, to_decimal
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


# -- import ---------------------------------------------------------------------------------


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


@transaction.atomic
def framework_import(
    *,
    actor: Any,
    owner: Unit,
    data: dict[str, Any],
    source: str,
    describe_problem: ProblemText | None = None,
) -> Framework:
    """Validate a framework in the public format and store it as a new DRAFT version.

    Every problem is reported at once (``DomainError.problems``, Vietnamese); nothing is saved
    when there is one. ``describe_problem`` turns an engine problem into text (the XLSX reader
    names sheet rows); by default ``Problem.vi()``.
    """
    describe = describe_problem or (lambda p: p.vi())
    problems: list[str] = []
    fw: engine.Framework | None = None
    try:
        fw = engine.parse_framework(data, source=source)
    except engine.InvalidInput as exc:
        problems.extend(describe(p) for p in exc.problems)
    block: Block | None = None
    if isinstance(data, dict):
        block_code = data.get("block")
        if isinstance(block_code, str) and block_code.strip():
            block = Block.objects.filter(code=block_code.strip()).first()
            if block is None:
                known = (
                    ", ".join(Block.objects.values_list("code", flat=True)) or "chưa có khối nào"
                )
                problems.append(
                    describe(
                        engine.Problem(
                            source,
                            "block",
                            f"unknown block {block_code}",
                            f"khối {block_code!r} không có trong hệ thống (các khối: {known})",
                        )
                    )
                )
        code = data.get("code")
        if isinstance(code, str | int) and not isinstance(code, bool):
            existing = Framework.objects.filter(code=str(code).strip()).first()
            if existing is not None:
                problems.append(
                    describe(
                        engine.Problem(
                            source,
                            "code",
                            f"code {code} is already used",
                            f"mã bộ tiêu chí {code} đã được dùng cho «{existing.title}» "
                            f"(năm {existing.year}, phiên bản {existing.version}); hãy đặt mã khác",
                        )
                    )
                )
    if problems or fw is None or block is None:
        raise DomainError(
            f"Tệp {source} có {len(problems)} lỗi; chưa lưu gì.",
            problems=problems,
        )
    framework = Framework(
        owner=owner,
        block=block,
        year=fw.year,
        version=_next_version(owner, block, fw.year),
        code=fw.code,
        title=fw.title,
        status=Framework.Status.DRAFT,
        bands=[{"min": dec_text(b.min), "label": b.label} for b in fw.bands],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        max_total=fw.max_total,
        leaf_count=len(fw.leaves()),
    )
    problems.extend(_clean_errors(framework, f"{source}: bộ tiêu chí", exclude=["etag"]))
    if problems:
        raise DomainError(f"Tệp {source} có {len(problems)} lỗi; chưa lưu gì.", problems=problems)
    framework.save()
    counter = [0]

    def store(raw: dict[str, Any], node: engine.Node, parent: FrameworkNode | None) -> None:
        item = FrameworkNode(
            framework=framework,
            parent=parent,
            code=node.code,
            title=node.title,
            position=counter[0],
            depth=node.depth,
            max=node.max,
            bonus=node.own_bonus,
            evidence=node.evidence or "",
            guide=node.guide or "",
        )
        counter[0] += 1
        if node.is_leaf:
            assert node.rule is not None
            item.rule_type = node.rule.type
            item.rule_params = params_to_stored(node.rule.type, raw.get("rule") or {})
            item.source = node.source
            item.allow_na = node.allow_na
        problems.extend(
            _clean_errors(
                item,
                f"{source}: tiêu chí {node.code}",
                exclude=["framework", "parent"],
                validate_unique=False,
                validate_constraints=False,
            )
        )
        item.save()
        for raw_child, child in zip(raw.get("children") or [], node.children, strict=True):
            store(raw_child, child, item)

    for raw_root, root in zip(data["nodes"], fw.nodes, strict=True):
        store(raw_root, root, None)
    if problems:
        raise DomainError(f"Tệp {source} có {len(problems)} lỗi; chưa lưu gì.", problems=problems)
    audit_record(
        actor=actor,
        verb="framework.import",
        obj=framework,
        new={**snapshot(framework, FRAMEWORK_FIELDS), "nodes": counter[0], "file": source},
    )
    return framework


# -- copy, update, status ------------------------------------------------------------------


def _replace_year(text: str, old: int, new: int) -> str:
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), text)


@transaction.atomic
def framework_copy(
    *,
    actor: Any,
    framework: Framework,
    year: int,
    code: str | None = None,
    title: str | None = None,
) -> Framework:
    """Copy a framework (e.g. last year's) to ``year`` as a new DRAFT version.

    Without ``code``/``title`` the year in them is replaced (``SO-2025`` -> ``SO-2026``,
    ``năm 2025`` -> ``năm 2026``); a copy in the same year gets ``-v<version>``.
    """
    version = _next_version(framework.owner, framework.block, year)
    new_code = (code or "").strip() or _replace_year(framework.code, framework.year, year)
    if not code and (
        new_code == framework.code or Framework.objects.filter(code=new_code).exists()
    ):
        base = new_code
        new_code = f"{base}-v{version}"
        n = version
        while Framework.objects.filter(code=new_code).exists():
            n += 1
            new_code = f"{base}-v{n}"
    if Framework.objects.filter(code=new_code).exists():
        raise DomainError(f"Mã bộ tiêu chí {new_code} đã được dùng; hãy đặt mã khác.")
    new_title = (title or "").strip() or _replace_year(framework.title, framework.year, year)
    copy = Framework(
        owner=framework.owner,
        block=framework.block,
        year=year,
        version=version,
        code=new_code,
        title=new_title,
        status=Framework.Status.DRAFT,
        bands=list(framework.bands),
        based_on=framework,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        max_total=framework.max_total,
        leaf_count=framework.leaf_count,
    )
    try:
        copy.full_clean(exclude=["etag"])
    except ValidationError as exc:
        raise DomainError(
            "Không sao chép được bộ tiêu chí.",
            problems=[f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()],
        ) from None
    copy.save()
    mapping: dict[int, FrameworkNode] = {}
    for n in framework_nodes(framework):
        new = FrameworkNode(
            framework=copy,
            parent=mapping[n.parent_id] if n.parent_id else None,
            code=n.code,
            title=n.title,
            position=n.position,
            depth=n.depth,
            max=n.max,
            rule_type=n.rule_type,
            rule_params=n.rule_params,
            source=n.source,
            allow_na=n.allow_na,
            bonus=n.bonus,
            evidence=n.evidence,
            guide=n.guide,
        )
        new.save()
        mapping[n.pk] = new
    _finish(copy, _renumber(copy))
    audit_record(
        actor=actor,
        verb="framework.copy",
        obj=copy,
        new={**snapshot(copy, FRAMEWORK_FIELDS), "based_on": framework.code},
    )
    return copy


@transaction.atomic
def framework_update(
    *,
    actor: Any,
    framework: Framework,
    title: str,
    bands: Sequence[dict[str, Any]],
    reason: str = "",
) -> Framework:
    """Change the title and the rating bands (``[{min, label}]``, highest first)."""
    ensure_editable(framework)
    old = snapshot(framework, ["title", "bands"])
    framework.title = title.strip()
    framework.bands = _stored_bands(bands)
    try:
        framework.full_clean(exclude=["etag"])
    except ValidationError as exc:
        raise DomainError(
            "Thông tin bộ tiêu chí không hợp lệ.",
            problems=[f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()],
        ) from None
    framework.save(update_fields=["title", "bands", "updated_at"])
    _finish(framework, framework_nodes(framework))
    audit_record(
        actor=actor,
        verb="framework.update",
        obj=framework,
        old=old,
        new=snapshot(framework, ["title", "bands"]),
        reason=reason,
    )
    return framework


def _set_status(*, actor: Any, framework: Framework, status: str, verb: str, reason: str) -> None:
    """The one place a framework's status changes: save it and write the audit row."""
    old = framework.status
    framework.status = status
    framework.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, verb=verb, obj=framework, old={"status": old}, new={"status": status},
        reason=reason,
    )  # fmt: skip


@transaction.atomic
def framework_activate(*, actor: Any, framework: Framework, reason: str = "") -> Framework:
    """Make the framework the one in force for its owner, block and year (the one that was
    in force is archived)."""
    if framework.status == Framework.Status.ACTIVE:
        raise DomainError("Bộ tiêu chí đang được áp dụng.")
    others = Framework.objects.filter(
        owner=framework.owner,
        block=framework.block,
        year=framework.year,
        status=Framework.Status.ACTIVE,
    ).exclude(pk=framework.pk)
    for other in others:
        _set_status(
            actor=actor,
            framework=other,
            status=Framework.Status.ARCHIVED,
            verb="framework.archive",
            reason=f"Thay bằng {framework.code} (phiên bản {framework.version})",
        )
    _set_status(
        actor=actor,
        framework=framework,
        status=Framework.Status.ACTIVE,
        verb="framework.activate",
        reason=reason,
    )
    return framework


@transaction.atomic
def framework_archive(*, actor: Any, framework: Framework, reason: str = "") -> Framework:
    if framework.status == Framework.Status.ARCHIVED:
        raise DomainError("Bộ tiêu chí đã được lưu trữ.")
    _set_status(
        actor=actor,
        framework=framework,
        status=Framework.Status.ARCHIVED,
        verb="framework.archive",
        reason=reason,
    )
    return framework


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


def _node_clean(node: FrameworkNode) -> None:
    try:
        node.full_clean(exclude=["framework", "parent"], validate_constraints=False)
    except ValidationError as exc:
        problems = [
            f"{node._meta.get_field(k).verbose_name if k != '__all__' else ''}: {' '.join(v)}"
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
