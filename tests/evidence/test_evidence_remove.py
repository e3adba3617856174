"""evidence_remove: while editable; deletes the row and (after commit) the stored file; audited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from parindex.assessments.models import Status
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.evidence.access import get_evidence_for_user
from parindex.evidence.models import EvidenceFile
from parindex.evidence.services import evidence_remove, evidence_upload
from tests.evidence import pdfs
from tests.evidence.conftest import load_entry, stored_files, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def attached(ev):
    return evidence_upload(
        actor=ev.officer, entry=load_entry(ev.entry), upload=upload("Kế hoạch.pdf", pdfs.make_pdf())
    )


def test_it_deletes_the_row_and_the_stored_file(
    ev, media, attached, django_capture_on_commit_callbacks
):
    evidence = get_evidence_for_user(ev.officer, attached.pk, write=True)
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(actor=ev.officer, evidence=evidence, reason="Nhầm tệp")
    assert not EvidenceFile.objects.exists()
    assert stored_files(media) == []
    event = AuditEvent.objects.get(verb="evidence.remove")
    assert event.object_type == "assessments.entry"
    assert event.object_id == str(ev.entry.pk)
    assert event.actor == ev.officer
    assert event.reason == "Nhầm tệp"
    assert event.old == {
        "name": "Kế hoạch.pdf",
        "sha256": attached.sha256,
        "size": attached.size,
        "signature_status": "unsigned",
        "id": attached.pk,
    }


def test_the_stored_file_stays_until_the_commit(
    ev, media, attached, django_capture_on_commit_callbacks
):
    evidence = get_evidence_for_user(ev.officer, attached.pk, write=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence_remove(actor=ev.officer, evidence=evidence)
    assert len(stored_files(media)) == 1
    assert len(callbacks) == 1


def test_it_refuses_after_submission(ev, media, attached):
    ev.assessment.status = Status.PENDING_APPROVAL
    ev.assessment.save()
    evidence = get_evidence_for_user(ev.officer, attached.pk, write=True)
    with pytest.raises(DomainError) as info:
        evidence_remove(actor=ev.officer, evidence=evidence)
    assert "Chờ lãnh đạo duyệt" in info.value.message
    assert EvidenceFile.objects.count() == 1
    assert len(stored_files(media)) == 1


def test_it_refuses_after_the_deadline(ev, media, attached):
    late = timezone.make_aware(
        dt.datetime.combine(ev.deadline_day + dt.timedelta(days=1), dt.time(0, 5))
    )
    evidence = get_evidence_for_user(ev.officer, attached.pk, write=True)
    with time_machine.travel(late, tick=False), pytest.raises(DomainError) as info:
        evidence_remove(actor=ev.officer, evidence=evidence)
    assert "Đã hết hạn tự đánh giá" in info.value.message
    assert EvidenceFile.objects.count() == 1


def test_a_duplicate_keeps_working_when_the_first_copy_is_removed(
    ev, media, attached, django_capture_on_commit_callbacks
):
    data = pdfs.make_pdf()
    second = evidence_upload(
        actor=ev.officer, entry=load_entry(ev.entry2), upload=upload("b.pdf", data)
    )
    assert second.duplicate_of_id == attached.pk
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(actor=ev.officer, evidence=get_evidence_for_user(ev.officer, attached.pk))
    second.refresh_from_db()
    assert second.duplicate_of is None
    [path] = stored_files(media)
    assert path.read_bytes() == data
