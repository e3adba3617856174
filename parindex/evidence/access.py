"""Who may see and change evidence.

Reading (list, download, preview) follows the assessment: whoever may read the assessment
(``assessments.access.get_assessment_for_user``) may read its evidence. Attaching and removing is
the unit's own work: the assessed unit's officer or leader (actor kinds ``officer``/``leader``,
as for declaring values in ``assessments.services.entry_record``) may do it — others who can
read get 403, everyone else 404. Whether the assessment
is still open for changes (status, deadline) is a domain rule checked by the services.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from parindex.assessments.access import actor_kinds, get_assessment_for_user
from parindex.assessments.models import Assessment, Entry
from parindex.evidence.models import EvidenceFile

WRITE_KINDS = frozenset({"officer", "leader"})
WRITE_DENIED = (
    "Chỉ chuyên viên đầu mối hoặc lãnh đạo đơn vị mới được đính kèm hoặc xoá tài liệu kiểm chứng."
)


def can_write(user: Any, assessment: Assessment, *, fresh: bool = False) -> bool:
    return bool(actor_kinds(user, assessment, fresh=fresh) & WRITE_KINDS)


def _check(user: Any, assessment_id: int, *, write: bool) -> Assessment:
    assessment = get_assessment_for_user(user, assessment_id)
    if write and not can_write(user, assessment):
        raise PermissionDenied(WRITE_DENIED)
    return assessment


def get_entry_for_user(user: Any, pk: int, *, write: bool = False) -> Entry:
    """The entry (with node and assessment loaded); 404 for outsiders, 403 for read-only users."""
    entry = Entry.objects.select_related("node").filter(pk=pk).first()
    if entry is None:
        raise Http404("Không tìm thấy tiêu chí thành phần.")
    entry.assessment = _check(user, entry.assessment_id, write=write)
    return entry


def get_evidence_for_user(user: Any, pk: int, *, write: bool = False) -> EvidenceFile:
    """The evidence file (with entry, node and assessment loaded); 404 / 403 as above."""
    evidence = EvidenceFile.objects.select_related("entry", "entry__node").filter(pk=pk).first()
    if evidence is None:
        raise Http404("Không tìm thấy tài liệu kiểm chứng.")
    assessment = _check(user, evidence.assessment_id, write=write)
    evidence.assessment = assessment
    evidence.entry.assessment = assessment
    return evidence
