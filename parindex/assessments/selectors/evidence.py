"""The evidence files of an assessment or an entry, through the reverse relations
``evidence_files`` (the evidence app, which defines them, sits above this one): one query each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from parindex.assessments.models import Assessment, Entry

# ---------------------------------------------------------------- evidence files


def _files(files: QuerySet[Any]) -> QuerySet[Any]:
    """Evidence files (the evidence app's model, reached through its reverse relations
    ``evidence_files``: that app sits above this one), oldest first, with what a file list
    shows."""
    return files.select_related(
        "uploaded_by", "duplicate_of", "duplicate_of__entry", "duplicate_of__entry__node"
    ).order_by("uploaded_at", "id")


def evidence_for_assessment(
    assessment: Assessment, entry_ids: Iterable[int] | None = None
) -> dict[int, list[Any]]:
    """The files of every entry of the assessment (or of ``entry_ids`` only), by entry id
    (one query)."""
    out: dict[int, list[Any]] = defaultdict(list)
    files = assessment.evidence_files.all()
    if entry_ids is not None:
        files = files.filter(entry_id__in=list(entry_ids))
    for evidence in _files(files):
        out[evidence.entry_id].append(evidence)
    return dict(out)


def evidence_for_entry(entry: Entry) -> list[Any]:
    """The files of one entry, oldest first (one query)."""
    return list(_files(entry.evidence_files.all()))
