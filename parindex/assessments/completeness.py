"""Is a self-assessment ready to send: every self-scored leaf answered and, where the
framework names evidence, a file or an explanation. Read by the workflow's check and by the
workspace (3 queries)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from parindex.assessments.models import Assessment, Entry
from parindex.frameworks.models import FrameworkNode


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


def domain_of(nodes_by_pk: dict[int, FrameworkNode], node: FrameworkNode) -> FrameworkNode:
    while node.parent_id is not None and node.parent_id in nodes_by_pk:
        node = nodes_by_pk[node.parent_id]
    return node


def assessment_missing(assessment: Assessment) -> list[Missing]:
    """The leaves not ready for sending, in framework order (3 queries)."""
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
                Missing(entry.pk, node.code, node.title, domain_of(by_pk, node).code, reasons)
            )
    return out


def evidence_counts(assessment: Assessment) -> dict[int, int]:
    """How many files each entry has, by entry id (one query; entries without files absent)."""
    rows = assessment.evidence_files.order_by().values("entry_id").annotate(n=Count("id"))
    return {row["entry_id"]: row["n"] for row in rows}
