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
- Changes are allowed while ``assessments.workflow.lock_reason`` finds no lock (period not
  closed, status in ``workflow.UNIT_EDITABLE``, Tự đánh giá started, deadline — with the
  unit's extension — not passed), by whoever may
  declare the entry's values (``evidence.access.can_write`` = ``assessments.access.
  can_declare``: the unit's officer or leader, the entry's contributor officer, the organizer
  of a province self-assessment; ``actor=None`` is the system).
- The file is copied, hashed and parsed with no transaction open (the parse in a child process
  with a time limit), then stored, then the row is written in one short transaction; if the
  row cannot be written the stored file is deleted at once. On removal the stored file is deleted only after the commit.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import unicodedata
import uuid
from collections.abc import Callable
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from parindex.assessments.models import Assessment, Entry
from parindex.assessments.workflow import lock_reason
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.common.uploads import max_upload_bytes
from parindex.evidence.access import WRITE_DENIED, can_write
from parindex.evidence.formatting import file_size_vi
from parindex.evidence.models import EvidenceFile
from parindex.evidence.pdf import InspectionTimeout, NotPdfError, PdfReport, inspect_pdf_bounded
from parindex.frameworks.models import FrameworkNode

log = logging.getLogger(__name__)

MAX_NAME = 200
DEFAULT_NAME = "tai-lieu-kiem-chung.pdf"


def _safe_name(name: str | None) -> str:
    """Last path part, NFC, no control characters, spaces collapsed."""
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(" " if ch.isspace() else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split()).strip(" .")


def shown_name(name: str | None) -> str:
    """The name the user chose, safe to show in a message: as ``clean_filename`` but without
    adding ``.pdf`` (the user chose ``note.txt``, not ``note.txt.pdf``)."""
    text = _safe_name(name)
    if len(text) > MAX_NAME:
        text = text[: MAX_NAME - 1].rstrip(" .") + "…"
    return text or "(tệp không tên)"


def clean_filename(name: str | None) -> str:
    """A safe display name: last path part, no control characters, NFC, ≤ 200 chars, ``.pdf``."""
    text = _safe_name(name)
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
    reason = lock_reason(assessment, now)
    if reason:
        raise DomainError(reason)


def _require_writer(actor: Any, assessment: Assessment, entry: Entry) -> None:
    if actor is not None and not can_write(actor, assessment, entry):
        raise DomainError(WRITE_DENIED)


def _delete_stored(name: str) -> None:
    try:
        default_storage.delete(name)
    except Exception:  # noqa: BLE001 - a storage hiccup must not hide the real error
        log.exception("evidence: could not delete stored file %s", name)


def _copy_to_temp(upload: UploadedFile) -> tuple[str, str]:
    """Stream the upload to a temporary file (memory stays bounded); its path and SHA-256."""
    digest = hashlib.sha256()
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - removed by the caller
        prefix="parindex-upload-",
        suffix=".pdf",
        dir=getattr(settings, "FILE_UPLOAD_TEMP_DIR", None),
        delete=False,
    )
    try:
        with handle:
            upload.seek(0)
            for chunk in upload.chunks():
                digest.update(chunk)
                handle.write(chunk)
        upload.seek(0)
    except BaseException:
        os.unlink(handle.name)
        raise
    return handle.name, digest.hexdigest()


def _refuse_duplicate(entry: Entry, digest: str, shown: str) -> None:
    same = EvidenceFile.objects.filter(entry=entry, sha256=digest).order_by("id").first()
    if same is not None:
        raise DomainError(
            f"Tệp '{shown}' đã được đính kèm ở tiêu chí này lúc {_fmt_time(same.uploaded_at)}"
            f" (tên tệp '{same.original_name}')."
        )


def _inspect(path: str, shown: str, timeout: float) -> PdfReport:
    try:
        return inspect_pdf_bounded(path, timeout=timeout)
    except NotPdfError as exc:
        raise DomainError(
            f"Tệp '{shown}' không phải là tệp PDF hợp lệ ({exc.what}). "
            "Chỉ chấp nhận bản chụp văn bản giấy hoặc văn bản điện tử có chữ ký số, "
            "định dạng PDF."
        ) from exc
    except InspectionTimeout as exc:
        log.warning("evidence: inspection of %r took more than %s s", shown, exc.seconds)
        raise DomainError(
            f"Tệp '{shown}' không kiểm tra được trong {exc.seconds:g} giây: tệp PDF có thể bị "
            "hỏng hoặc có cấu trúc quá phức tạp. Hãy mở tệp và lưu (hoặc in) lại thành PDF "
            "rồi tải lên."
        ) from exc


def evidence_upload(
    *,
    actor: Any,
    entry: Entry,
    upload: UploadedFile,
    inspect_timeout: float | None = None,
    editable: Callable[[Assessment], None] | None = None,
) -> EvidenceFile:
    """Attach one PDF to the entry. Raises DomainError (Vietnamese) when it is refused.

    No transaction is open while the file is copied, hashed and parsed (seconds for a large
    or broken file; on SQLite an open transaction holds the database's one write lock, so
    every other save would wait): the parse runs in a child process killed after
    ``inspect_timeout`` seconds (default ``settings.EVIDENCE_INSPECT_SECONDS``; ``0`` parses
    in this process without a bound — only for files the program made itself, the demo). Then
    the file is stored and one short transaction re-checks that the assessment may still
    change and that the file is not already on the leaf, and inserts the row and its audit
    event; if that fails the stored file is deleted.

    ``editable`` replaces the self-assessment's rule (``check_editable``) for a caller with its
    own window: the appraisal's Giải trình, bổ sung, where the unit adds evidence to the leaves
    the council asked about after its self-assessment is locked. It is called before the copy
    and again inside the insert transaction, on the locked assessment.
    """
    check = editable or check_editable
    assessment = entry.assessment
    shown = shown_name(upload.name)
    _require_writer(actor, assessment, entry)
    if entry.node.source == FrameworkNode.Source.SURVEY:
        raise DomainError(
            f"Tiêu chí {entry.node.code} đánh giá qua điều tra xã hội học: đơn vị không kê "
            "khai nên không đính kèm tài liệu kiểm chứng."
        )
    check(assessment)
    limit = max_upload_bytes()
    if getattr(upload, "too_large", False) or (upload.size or 0) > limit:
        raise DomainError(
            f"Tệp '{shown}' có dung lượng {file_size_vi(upload.size or 0)}, vượt quá giới hạn "
            f"{settings.MAX_UPLOAD_MB} MB cho mỗi tệp."
        )
    if not upload.size:
        raise DomainError(f"Tệp '{shown}' rỗng (0 byte): hãy chọn lại tệp PDF.")
    if inspect_timeout is None:
        inspect_timeout = float(getattr(settings, "EVIDENCE_INSPECT_SECONDS", 20))

    path, digest = _copy_to_temp(upload)
    try:
        _refuse_duplicate(entry, digest, shown)  # early: no parse for a file already there
        report = _inspect(path, shown, inspect_timeout)
        with open(path, "rb") as handle:
            try:
                stored = default_storage.save(
                    f"evidence/{assessment.pk}/{uuid.uuid4().hex}.pdf", File(handle)
                )
            except Exception as exc:  # the store is down or full: no row, nothing to undo
                # (boto3's connection errors, a full disk's OSError; bench/load.py stops S3)
                log.warning("evidence: the file store refused %s: %r", shown, exc)
                raise DomainError(
                    f"Kho lưu trữ tệp đang không hoạt động nên tệp '{shown}' chưa được lưu. "
                    "Vui lòng thử lại sau ít phút; nếu vẫn lỗi, báo cán bộ kỹ thuật."
                ) from None
    finally:
        os.unlink(path)

    try:
        with transaction.atomic():
            current = (
                Assessment.objects.select_for_update(of=("self",))
                .select_related("period")
                .prefetch_related("period__phases")
                .get(pk=assessment.pk)
            )
            check(current)
            _refuse_duplicate(entry, digest, shown)
            first = (
                EvidenceFile.objects.filter(assessment=assessment, sha256=digest)
                .select_related("entry__node")
                .order_by("uploaded_at", "id")
                .first()
            )
            evidence = EvidenceFile(
                assessment=assessment,
                entry=entry,
                storage_name=stored,
                original_name=clean_filename(upload.name),
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
        raise DomainError(f"Tệp '{shown}' đã được đính kèm ở tiêu chí này.") from exc
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


class StoredPdf(NamedTuple):
    storage_name: str
    original_name: str
    sha256: str
    signature_status: str


def official_pdf_store(*, upload: UploadedFile, folder: str) -> StoredPdf:
    """Check and store a signed official document (a council's or a publication decision):
    the evidence's rules — size, PDF by content, bounded parse outside any transaction, a
    random name. The caller saves the row in its own short transaction and deletes the stored
    file (``official_pdf_discard``) if that fails."""
    shown = shown_name(upload.name)
    limit = max_upload_bytes()
    if getattr(upload, "too_large", False) or (upload.size or 0) > limit:
        raise DomainError(
            f"Tệp '{shown}' có dung lượng {file_size_vi(upload.size or 0)}, vượt quá giới hạn "
            f"{settings.MAX_UPLOAD_MB} MB cho mỗi tệp."
        )
    if not upload.size:
        raise DomainError(f"Tệp '{shown}' rỗng (0 byte): hãy chọn lại tệp PDF.")
    timeout = float(getattr(settings, "EVIDENCE_INSPECT_SECONDS", 20))
    path, digest = _copy_to_temp(upload)
    try:
        report = _inspect(path, shown, timeout)
        with open(path, "rb") as handle:
            stored = default_storage.save(f"{folder}/{uuid.uuid4().hex}.pdf", File(handle))
    finally:
        os.unlink(path)
    return StoredPdf(stored, clean_filename(upload.name), digest, report.status)


def official_pdf_discard(name: str) -> None:
    _delete_stored(name)
