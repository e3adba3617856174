"""Writes on whole frameworks: import, copy to a new version, update, activate, archive."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from parindex import engine
from parindex.accounts.models import Block, Unit
from parindex.audit.services import audit_record, snapshot
from parindex.common.errors import DomainError
from parindex.frameworks.models import Framework, FrameworkNode
from parindex.frameworks.rules import dec_text, params_to_stored
from parindex.frameworks.selectors import (
    framework_nodes,
)
from parindex.frameworks.services.tree import (
    FRAMEWORK_FIELDS,
    ProblemText,
    _clean_errors,
    _finish,
    _next_version,
    _renumber,
    _stored_bands,
    ensure_editable,
)


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
            assert node.rule is not None  # noqa: S101 - narrows the type for mypy: an invariant, not a check
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
    for old in framework_nodes(framework):
        node_copy = FrameworkNode(
            framework=copy,
            parent=mapping[old.parent_id] if old.parent_id else None,
            code=old.code,
            title=old.title,
            position=old.position,
            depth=old.depth,
            max=old.max,
            rule_type=old.rule_type,
            rule_params=old.rule_params,
            source=old.source,
            allow_na=old.allow_na,
            bonus=old.bonus,
            evidence=old.evidence,
            guide=old.guide,
        )
        node_copy.save()
        mapping[old.pk] = node_copy
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
