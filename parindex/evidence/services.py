"""Attaching and removing evidence files. Atomic, audited on the entry (the leaf's history).

Decisions where the brief was silent:
- Only PDF, judged by content (``evidence.pdf``); the browser's name and content type are
  ignored. Unsigned scans are accepted; a file whose signature is broken or whose content was
  changed after signing is accepted too but marked, so the appraisers see it (the organizer
  decides what it is worth — refusing it would leave the unit with no way to show it).
- The same content (SHA-256) twice on one leaf is refused. The same content on another leaf of
  the same assessment is accepted (one annual report often proves several criteria) and keeps a
  link to the first copy (``duplicate_of``) so the screen can say where else it is. Each upload
  is its own stored copy, so removing one never touches the other.
- Changes are allowed while the assessment's status is in ``workflow.UNIT_EDITABLE`` and the
  unit's window is open (``assessments.services.require_unit_window``: period not closed,
  Tự đánh giá started, deadline — with the unit's extension — not passed), by whoever may
  declare the entry's values (``evidence.access.can_write`` = ``assessments.access.
  can_declare``: the unit's officer or leader, the entry's contributor officer, the organizer
  of a province self-assessment; ``actor=None`` is the system).
- The stored file is written before the row; if the row cannot be written the stored file is
  deleted at once. On removal the stored file is deleted only after the commit.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from parindex.assessments.models import Assessment, Entry
from parindex.assessments.services import require_unit_window
from parindex.assessments.workflow import UNIT_EDITABLE
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.evidence.access import WRITE_DENIED, can_write
from parindex.evidence.formatting import file_size_vi
from parindex.evidence.models import EvidenceFile
from parindex.evidence.pdf import NotPdfError, inspect_pdf

log = logging.getLogger(__name__)

MAX_NAME = 200
DEFAULT_NAME = "tai-lieu-kiem-chung.pdf"


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_MB", 20)) * 1024 * 1024


def clean_filename(name: str | None) -> str:
    """A safe display name: last path part, no control characters, NFC, ≤ 200 chars, ``.pdf``."""
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(" " if ch.isspace() else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split()).strip(" .")
    stem, ext = os.path.splitext(text)
    if ext.lower() != ".pdf":
        stem, ext = text, ".pdf"
    stem = stem.strip(" .")
    if not stem:
        return DEFAULT_NAME
    return stem[: MAX_NAME - len(ext)].rstrip(" .") + ext


def _fmt_time(value: Any) -> str:
    return timezone.localtime(value).strftime("%H:%M ngày %d/%m/%Y")


def check_editable(assessment: Assessment, *, now: Any = None) -> None:
    """Raise DomainError unless the unit may still change its evidence.

    Needs ``assessment.period`` (with ``phases`` prefetched to save a query).
    """
    if assessment.status not in UNIT_EDITABLE:
        raise DomainError(
            f"Bản tự đánh giá đang ở trạng thái “{assessment.get_status_display()}”: "
            "không thể thay đổi tài liệu kiểm chứng."
        )
    require_unit_window(assessment, now)


def _require_writer(actor: Any, assessment: Assessment, entry: Entry) -> None:
    if actor is not None and not can_write(actor, assessment, entry, fresh=True):
        raise DomainError(WRITE_DENIED)


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _delete_stored(name: str) -> None:
    try:
        default_storage.delete(name)
    except Exception:  # noqa: BLE001 - a storage hiccup must not hide the real error
        log.exception("evidence: could not delete stored file %s", name)


@transaction.atomic
def evidence_upload(*, actor: Any, entry: Entry, upload: UploadedFile) -> EvidenceFile:
    """Attach one PDF to the entry. Raises DomainError (Vietnamese) when it is refused."""
    assessment = entry.assessment
    _require_writer(actor, assessment, entry)
    check_editable(assessment)
    name = clean_filename(upload.name)
    limit = max_upload_bytes()
    if getattr(upload, "too_large", False) or (upload.size or 0) > limit:
        raise DomainError(
            f"Tệp '{name}' có dung lượng {file_size_vi(upload.size or 0)}, vượt quá giới hạn "
            f"{settings.MAX_UPLOAD_MB} MB cho mỗi tệp."
        )
    if not upload.size:
        raise DomainError(f"Tệp '{name}' rỗng (0 byte): hãy chọn lại tệp PDF.")

    digest = _sha256(upload)
    same = EvidenceFile.objects.filter(entry=entry, sha256=digest).order_by("id").first()
    if same is not None:
        raise DomainError(
            f"Tệp '{name}' đã được đính kèm ở tiêu chí này lúc {_fmt_time(same.uploaded_at)}"
            f" (tên tệp '{same.original_name}')."
        )
    try:
        upload.seek(0)
        report = inspect_pdf(upload.file)
    except NotPdfError as exc:
        raise DomainError(
            f"Tệp '{name}' không phải là tệp PDF hợp lệ ({exc.what}). "
            "Chỉ chấp nhận bản chụp văn bản giấy hoặc văn bản điện tử có chữ ký số, "
            "định dạng PDF."
        ) from exc
    first = (
        EvidenceFile.objects.filter(assessment=assessment, sha256=digest)
        .select_related("entry__node")
        .order_by("uploaded_at", "id")
        .first()
    )

    upload.seek(0)
    stored = default_storage.save(f"evidence/{assessment.pk}/{uuid.uuid4().hex}.pdf", upload)
    try:
        with transaction.atomic():
            evidence = EvidenceFile(
                assessment=assessment,
                entry=entry,
                storage_name=stored,
                original_name=name,
                size=upload.size,
                sha256=digest,
                pages=report.pages,
                signature_status=report.status,
                signatures=[s.as_json() for s in report.signatures],
                duplicate_of=first,
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            evidence.full_clean()
            evidence.save()
            audit_record(
                actor=actor,
                verb="evidence.upload",
                obj=entry,
                new={**evidence.summary(), "id": evidence.pk},
            )
    except (IntegrityError, ValidationError) as exc:
        _delete_stored(stored)
        log.info("evidence: row refused: %s", exc)
        raise DomainError(f"Tệp '{name}' đã được đính kèm ở tiêu chí này.") from exc
    except BaseException:
        _delete_stored(stored)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, actor: Any, evidence: EvidenceFile, reason: str = "") -> None:
    """Remove the file: the row now, the stored bytes after the commit; the audit keeps the rest."""
    entry = evidence.entry
    _require_writer(actor, evidence.assessment, entry)
    check_editable(evidence.assessment)
    old = {**evidence.summary(), "id": evidence.pk}
    stored = evidence.storage_name
    evidence.delete()
    audit_record(actor=actor, verb="evidence.remove", obj=entry, old=old, reason=reason.strip())
    transaction.on_commit(lambda: _delete_stored(stored))
