"""The province's own self-assessment (Hưng Yên plan, seed 003): the organizer assigns each
leaf — or a whole domain or criterion at once, applied to its leaves — to a contributing
department (``Entry.contributor``); contributors then see and fill only their leaves.

Decisions where the brief was silent:
- only in a period of kind PROVINCE_SELF, by the organizer's admins (or a system admin;
  ``actor=None`` is the system), while the period is open and the assessment not yet sent;
- the contributor is an active unit in the organizer's area (its ``admin_root`` subtree)
  other than the assessed unit itself; ``unit=None`` takes the assignment back;
- survey leaves are scored by the survey, not by a contributor: they are skipped when a
  domain or criterion is assigned and refused when named alone;
- only entries whose contributor changes are written, each with its own audit row
  (old → new unit code); assigning is not the unit's activity, so ``updated_at`` and the
  entry's ``version`` are left alone (``bulk_update`` of the one field, validated here).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from parindex.accounts.access import area_contains
from parindex.accounts.models import Unit
from parindex.assessments.models import Assessment, Entry, Status
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.frameworks.models import FrameworkNode
from parindex.periods.models import Period
from parindex.periods.services import require_period_admin

ASSIGNABLE = (Status.DRAFT, Status.PENDING_APPROVAL)


def shown_node_ids(
    assessment: Assessment, nodes: list[FrameworkNode], entries: dict[int, Entry]
) -> set[int] | None:
    """The nodes a contributor may see of ``assessment`` — its own leaves (``Entry.contributor``
    in ``assessment.contributor_unit_ids``, set by the access helper) and their ancestors — or
    None for a reader who sees everything. The workspace, the detail page and the reports all
    filter with it, so a contributor never reads another department's values, notes or files."""
    contributing = getattr(assessment, "contributor_unit_ids", None)
    if not contributing:
        return None
    parent_of = {n.pk: n.parent_id for n in nodes}
    shown: set[int] = set()
    for node_id, entry in entries.items():
        if entry.contributor_id not in contributing or node_id not in parent_of:
            continue
        nid: int | None = node_id
        while nid is not None and nid not in shown:
            shown.add(nid)
            nid = parent_of.get(nid)
    return shown


def contributor_problem(assessment: Assessment, unit: Unit) -> str | None:
    """Why ``unit`` cannot contribute to ``assessment`` (None when it can)."""
    if not area_contains(assessment.period.organizer, unit):
        return (
            f"{unit.name} không thuộc địa bàn do {assessment.period.organizer.name} "
            "tổ chức đánh giá."
        )
    if not unit.is_active:
        return f"{unit.name} đã ngừng hoạt động."
    if unit.pk == assessment.unit_id:
        return (
            f"{unit.name} là đơn vị được đánh giá: chọn “Chưa phân công” để bỏ phân công tiêu chí."
        )
    return None


def _leaf_codes(nodes: list[FrameworkNode], codes: list[str]) -> list[int]:
    """The node ids of the self-scored leaves under (or equal to) the given codes."""
    by_code = {n.code: n for n in nodes}
    unknown = [c for c in codes if c not in by_code]
    if unknown:
        raise DomainError("Không có tiêu chí mã: " + ", ".join(unknown) + ".")
    children: dict[int | None, list[FrameworkNode]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    out: list[int] = []
    seen: set[int] = set()
    for code in codes:
        start = by_code[code]
        if start.is_leaf and start.source == FrameworkNode.Source.SURVEY:
            raise DomainError(
                f"Tiêu chí {code} chấm bằng điều tra xã hội học: không phân công cho đơn vị."
            )
        stack = [start]
        while stack:
            node = stack.pop()
            if node.is_leaf:
                if node.source == FrameworkNode.Source.SELF and node.pk not in seen:
                    seen.add(node.pk)
                    out.append(node.pk)
            else:
                stack.extend(children.get(node.pk, []))
    return out


@transaction.atomic
def entries_assign_contributor(
    *,
    actor: Any,
    assessment: Assessment,
    node_codes: list[str],
    unit: Unit | None,
    reason: str = "",
) -> list[Entry]:
    """Assign the leaves under ``node_codes`` to ``unit`` (None: back to no one).

    Returns the entries that changed (one audit row each)."""
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("period", "period__organizer", "period__organizer__admin_root", "unit")
        .get(pk=assessment.pk)
    )
    period = locked.period
    require_period_admin(actor, period)
    if period.kind != Period.Kind.PROVINCE_SELF:
        raise DomainError(
            "Chỉ phân công tiêu chí cho sở, ngành trong đợt tỉnh tự đánh giá "
            f"(“{Period.Kind.PROVINCE_SELF.label}”)."
        )
    if period.closed:
        raise DomainError(f"Đợt đánh giá “{period.name}” đã đóng (chỉ đọc).")
    if locked.status not in ASSIGNABLE:
        raise DomainError(
            f"Bản đánh giá đang ở trạng thái “{Status(locked.status).label}”: "
            "không phân công lại tiêu chí được nữa."
        )
    codes = [c.strip() for c in node_codes if c and c.strip()]
    if not codes:
        raise DomainError("Chọn ít nhất một lĩnh vực, tiêu chí hoặc tiêu chí thành phần.")
    if unit is not None:
        problem = contributor_problem(locked, unit)
        if problem:
            raise DomainError(problem)
    nodes = list(FrameworkNode.objects.filter(framework_id=locked.framework_id))
    node_ids = _leaf_codes(nodes, codes)
    if not node_ids:
        raise DomainError("Không có tiêu chí thành phần nào do đơn vị tự chấm để phân công.")
    entries = list(
        Entry.objects.select_for_update(of=("self",))
        .filter(assessment=locked, node_id__in=node_ids)
        .select_related("node", "contributor")
        .order_by("node__position")
    )
    new_id = unit.pk if unit is not None else None
    changed = [e for e in entries if e.contributor_id != new_id]
    reason = reason.strip()
    for entry in changed:
        entry.assessment = locked  # loaded: str(entry) in the audit row needs no query
        old_code = entry.contributor.code if entry.contributor is not None else None
        entry.contributor = unit
        audit_record(
            actor=actor,
            verb="entry.assign_contributor",
            obj=entry,
            old={"contributor": old_code},
            new={"contributor": unit.code if unit is not None else None},
            reason=reason,
        )
    Entry.objects.bulk_update(changed, ["contributor"])
    return changed


@dataclass
class ContributorLine:
    unit: Unit | None  # None: leaves nobody is assigned to (the organizer fills them)
    leaves: int
    answered: int

    @property
    def missing(self) -> int:
        return self.leaves - self.answered


def contributor_summary(assessment: Assessment) -> list[ContributorLine]:
    """Per contributor: the self-scored leaves assigned and how many are answered (a value
    or “Không áp dụng”); unassigned leaves last (2 queries)."""
    rows = list(
        Entry.objects.filter(assessment=assessment, node__source=FrameworkNode.Source.SELF)
        .order_by()
        .values("contributor_id")
        .annotate(
            leaves=Count("pk"),
            answered=Count("pk", filter=~Q(value="") | Q(not_applicable=True)),
        )
    )
    ids = [r["contributor_id"] for r in rows if r["contributor_id"] is not None]
    units = Unit.objects.in_bulk(ids) if ids else {}
    lines = [
        ContributorLine(
            unit=units.get(r["contributor_id"]) if r["contributor_id"] else None,
            leaves=r["leaves"],
            answered=r["answered"],
        )
        for r in rows
    ]
    lines.sort(key=lambda line: (line.unit is None, line.unit.name if line.unit else ""))
    return lines
