"""Who may see and change evidence.

Reading (list, download, preview) follows the entry: whoever may read the entry
(``assessments.access.get_entry_for_user``: the assessment's readers; a contributor only the
entries assigned to its unit, 404 on the others) may read its evidence. Attaching and removing
follows the rule for declaring values (``assessments.access.can_declare``, also used by
``assessments.services.entry_record`` and the workspace): the assessed unit's officer or
leader; the officer of the unit an entry is assigned to (``Entry.contributor``), for that
entry; in a province self-assessment the organizer (Sở Nội vụ), for every entry. Other readers
get 403, everyone else 404. Whether the assessment is still open for changes (status,
deadline) is a domain rule checked by the services.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from parindex.assessments import access as assessment_access
from parindex.assessments.models import Assessment, Entry
from parindex.evidence.models import EvidenceFile

WRITE_DENIED = "Bạn không có quyền đính kèm hoặc xoá tài liệu kiểm chứng ở tiêu chí này."


def can_write(user: Any, assessment: Assessment, entry: Entry) -> bool:
    """May ``user`` attach or remove evidence on ``entry`` (of ``assessment``)?"""
    return assessment_access.can_declare(user, assessment, entry)


def get_entry_for_user(user: Any, pk: int, *, write: bool = False) -> Entry:
    """The entry (with node and assessment loaded); 404 for outsiders, 403 for read-only users."""
    entry = assessment_access.get_entry_for_user(user, pk)
    if write and not can_write(user, entry.assessment, entry):
        raise PermissionDenied(WRITE_DENIED)
    return entry


def get_evidence_for_user(user: Any, pk: int, *, write: bool = False) -> EvidenceFile:
    """The evidence file (with entry, node and assessment loaded); 404 / 403 as above."""
    evidence = EvidenceFile.objects.filter(pk=pk).first()
    if evidence is None:
        raise Http404("Không tìm thấy tài liệu kiểm chứng.")
    entry = get_entry_for_user(user, evidence.entry_id, write=write)
    evidence.entry = entry
    evidence.assessment = entry.assessment
    return evidence
