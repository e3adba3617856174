"""Reads of evidence files, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from parindex.assessments.models import Assessment, Entry
from parindex.evidence.models import EvidenceFile


def _base():
    return EvidenceFile.objects.select_related(
        "uploaded_by", "duplicate_of", "duplicate_of__entry", "duplicate_of__entry__node"
    ).order_by("uploaded_at", "id")


def evidence_for_assessment(assessment: Assessment) -> dict[int, list[EvidenceFile]]:
    """The files of every entry of the assessment, by entry id (one query)."""
    out: dict[int, list[EvidenceFile]] = defaultdict(list)
    for evidence in _base().filter(assessment=assessment):
        out[evidence.entry_id].append(evidence)
    return dict(out)


def evidence_for_entry(entry: Entry) -> list[EvidenceFile]:
    """The files of one entry, oldest first (one query)."""
    return list(_base().filter(entry=entry))


def evidence_counts(assessment: Assessment) -> dict[int, int]:
    """How many files each entry has, by entry id (one query; entries without files absent)."""
    rows = (
        EvidenceFile.objects.filter(assessment=assessment)
        .order_by()
        .values("entry_id")
        .annotate(n=Count("id"))
    )
    return {row["entry_id"]: row["n"] for row in rows}
