"""Checking an uploaded file by its content: is it a PDF, how many pages, which digital signatures.

Pure functions over a binary stream (no database). Signatures are checked OFFLINE with pyHanko:
no revocation fetching, and trust roots only from ``settings.EVIDENCE_TRUST_ROOTS`` (a list of
PEM/DER certificate file paths; empty by default, so the chain is normally reported as not
verifiable — the Vietnamese government CA roots can be configured later).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings

log = logging.getLogger(__name__)

# The PDF spec lets readers accept the header anywhere in the first 1024 bytes.
HEADER_WINDOW = 1024
PDF_MAGIC = b"%PDF-"
# ... and the end-of-file marker in the last 1024 bytes. A file without it is truncated (or
# not a PDF): refused before parsing, because the parser's recovery scan of such a file takes
# about 3 s per MB.
TRAILER_WINDOW = 1024
PDF_EOF = b"%%EOF"
MISSING_EOF = "tệp PDF không đầy đủ: thiếu dấu kết thúc %%EOF ở cuối tệp"


class Status:
    """Summary of the signatures of one file (stored on EvidenceFile.signature_status)."""

    UNSIGNED = "unsigned"
    SIGNED_INTACT = "signed_intact"
    SIGNED_MODIFIED = "signed_modified"
    SIGNATURE_ERROR = "signature_error"


class NotPdfError(Exception):
    """The content is not a usable PDF; ``what`` names what it looks like (Vietnamese)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@dataclass
class SignatureInfo:
    signer: str = ""
    organization: str = ""
    signed_at: dt.datetime | None = None
    intact: bool = False
    valid: bool = False
    covers_whole_file: bool = False
    modified: bool = False
    modification: str = ""
    trusted: bool = False
    trust_note: str = ""
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "signer": self.signer,
            "organization": self.organization,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "intact": self.intact,
            "valid": self.valid,
            "covers_whole_file": self.covers_whole_file,
            "modified": self.modified,
            "modification": self.modification,
            "trusted": self.trusted,
            "trust_note": self.trust_note,
            "error": self.error,
        }


@dataclass
class PdfReport:
    pages: int
    signatures: list[SignatureInfo] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.signatures:
            return Status.UNSIGNED
        if any(s.error or not s.intact or not s.valid for s in self.signatures):
            return Status.SIGNATURE_ERROR
        if any(s.modified for s in self.signatures):
            return Status.SIGNED_MODIFIED
        return Status.SIGNED_INTACT


def sniff_kind(head: bytes) -> str | None:
    """What a non-PDF file looks like, in Vietnamese, from its first bytes (None if unknown)."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if b"word/" in head:
            return "tài liệu Word (.docx)"
        if b"xl/" in head:
            return "bảng tính Excel (.xlsx)"
        return "tệp nén ZIP hoặc tài liệu Office"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "tài liệu Office đời cũ (.doc/.xls)"
    if head.startswith(b"{\\rtf"):
        return "tài liệu RTF"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "ảnh PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "ảnh JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "ảnh GIF"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "ảnh TIFF"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "ảnh WEBP"
    if head.startswith(b"Rar!"):
        return "tệp nén RAR"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "tệp nén 7z"
    if head.startswith(b"\x1f\x8b"):
        return "tệp nén GZIP"
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return "HTML"
    if stripped.startswith(b"<?xml") or stripped.startswith(b"<svg"):
        return "XML/SVG"
    if head.startswith(b"MZ"):
        return "chương trình chạy được (.exe)"
    return None


def _read_head(stream: IO[bytes]) -> bytes:
    stream.seek(0)
    head = stream.read(HEADER_WINDOW + 8)
    stream.seek(0)
    return head


def _read_tail(stream: IO[bytes]) -> bytes:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(max(0, size - TRAILER_WINDOW))
    tail = stream.read(TRAILER_WINDOW)
    stream.seek(0)
    return tail


def trust_root_paths() -> list[str]:
    return [str(p) for p in getattr(settings, "EVIDENCE_TRUST_ROOTS", []) or []]


def _trust_roots(paths: list[str] | None = None) -> list[Any]:
    from asn1crypto import pem, x509

    roots = []
    for path in trust_root_paths() if paths is None else paths:
        data = Path(path).read_bytes()
        if pem.detect(data):
            for _, _, der in pem.unarmor(data, multiple=True):
                roots.append(x509.Certificate.load(der))
        else:
            roots.append(x509.Certificate.load(data))
    return roots


def _validation_context(paths: list[str] | None = None) -> Any:
    from pyhanko_certvalidator import ValidationContext

    # trust_roots=[] (never None): None would fall back to the OS list. No fetching: offline.
    return ValidationContext(
        trust_roots=_trust_roots(paths), allow_fetching=False, revocation_mode="soft-fail"
    )


def _signature_info(embedded: Any, context: Any) -> SignatureInfo:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    info = SignatureInfo()
    try:
        cert = embedded.signer_cert
        subject = cert.subject.native
        info.signer = str(subject.get("common_name", "") or "")
        info.organization = str(subject.get("organization_name", "") or "")
    except Exception:  # noqa: BLE001 - a broken CMS blob must not stop the upload
        log.info("evidence: cannot read the signer certificate", exc_info=True)
    try:
        status = validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception as exc:  # noqa: BLE001
        log.info("evidence: signature validation failed", exc_info=True)
        info.error = f"Không kiểm tra được chữ ký: {type(exc).__name__}"
        try:
            info.signed_at = embedded.self_reported_timestamp
        except Exception:  # noqa: BLE001
            log.info("evidence: no signing time in the signature", exc_info=True)
        return info
    info.intact = bool(status.intact)
    info.valid = bool(status.valid)
    info.signed_at = status.signer_reported_dt
    info.covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    level = status.modification_level
    if info.covers_whole_file:
        info.modified = False
        info.modification = "Chữ ký bao phủ toàn bộ tài liệu."
    elif status.docmdp_ok and level in (
        ModificationLevel.LTA_UPDATES,
        ModificationLevel.FORM_FILLING,
    ):
        info.modified = False
        info.modification = (
            "Sau khi ký chỉ có bổ sung được phép (chữ ký khác, điền biểu mẫu, dấu thời gian)."
        )
    else:
        info.modified = True
        info.modification = "Tài liệu có sửa đổi sau khi ký."
    info.trusted = bool(status.trusted)
    if info.trusted:
        info.trust_note = "Chuỗi chứng thư số đã được xác minh."
    else:
        info.trust_note = (
            "Không xác minh được chuỗi chứng thư số (hệ thống kiểm tra ngoại tuyến, "
            "chưa cấu hình chứng thư gốc tin cậy)."
        )
    if not info.intact:
        info.error = "Nội dung đã ký bị thay đổi: chữ ký không còn khớp với tài liệu."
    elif not info.valid:
        info.error = "Chữ ký số không hợp lệ về mặt mật mã."
    return info


def _from_offset(stream: IO[bytes], offset: int) -> IO[bytes]:
    copy = tempfile.SpooledTemporaryFile(max_size=2 * 1024 * 1024)  # noqa: SIM115
    stream.seek(offset)
    shutil.copyfileobj(stream, copy)
    copy.seek(0)
    stream.seek(0)
    return copy  # type: ignore[return-value]


def inspect_pdf(stream: IO[bytes], *, trust_roots: list[str] | None = None) -> PdfReport:
    """Pages and signatures of a PDF; raises NotPdfError when the content is not a PDF.

    ``trust_roots``: certificate file paths (default ``settings.EVIDENCE_TRUST_ROOTS``; given
    explicitly in the inspection child process, which has no Django settings).
    Runs in the calling process with no time bound: uploads go through ``inspect_pdf_bounded``.
    """
    head = _read_head(stream)
    if not head:
        raise NotPdfError("tệp rỗng")
    offset = head.find(PDF_MAGIC, 0, HEADER_WINDOW + len(PDF_MAGIC))
    if offset < 0:
        kind = sniff_kind(head)
        raise NotPdfError(f"nội dung là {kind}" if kind else "nội dung không bắt đầu như tệp PDF")
    if PDF_EOF not in _read_tail(stream):
        raise NotPdfError(MISSING_EOF)
    if offset > 0:
        # Junk before the header (allowed by the spec): offsets count from the header, so
        # read from there on (copied to a spooled file: memory stays bounded).
        stream = _from_offset(stream, offset)

    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(stream, strict=False)
        pages_obj = reader.root["/Pages"]
        pages = int(pages_obj["/Count"])
        if pages < 1:
            raise ValueError("no pages")
    except Exception as exc:  # noqa: BLE001 - any parser failure means "not a usable PDF"
        log.info("evidence: PDF does not parse", exc_info=True)
        raise NotPdfError("tệp PDF bị hỏng hoặc không đầy đủ") from exc

    try:
        embedded = list(reader.embedded_regular_signatures)
    except Exception:  # noqa: BLE001
        log.info("evidence: cannot list signatures", exc_info=True)
        return PdfReport(
            pages=pages, signatures=[SignatureInfo(error="Không đọc được chữ ký số trong tệp.")]
        )
    if not embedded:
        return PdfReport(pages=pages)
    context = _validation_context(trust_roots)
    return PdfReport(pages=pages, signatures=[_signature_info(e, context) for e in embedded])


# --- Inspection with a time bound ------------------------------------------------------------
# The parser is pure Python: a thread cannot be interrupted and SIGALRM only works in the main
# thread (not under gunicorn's gthread workers), and limits on pages or objects do not bound a
# recovery scan or a pathological object graph. A child process can always be killed, and its
# memory is returned when it ends. It is forked from a forkserver that has already imported
# pyHanko (started once per web process, single-threaded, so forking it is safe): about 15 ms
# per upload after the first.


class InspectionTimeout(Exception):
    """The inspection did not finish within ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


FORKSERVER_PRELOAD = [
    "parindex.evidence.pdf",
    "pyhanko.pdf_utils.reader",
    "pyhanko.sign.validation",
    "pyhanko.sign.diff_analysis",
    "pyhanko_certvalidator",
]
_mp_context: Any = None


def inspect_path(path: str, trust_roots: list[str] | None = None) -> PdfReport:
    with open(path, "rb") as handle:
        return inspect_pdf(handle, trust_roots=trust_roots)


# What the child runs; a module attribute so that a test can put a slow inspector in its place.
CHILD_TARGET = inspect_path


TOO_BIG = "tệp PDF quá phức tạp để kiểm tra (vượt giới hạn bộ nhớ khi đọc)"


def _child_main(
    conn: Any, target: Any, path: str, trust_roots: list[str], memory_mb: int = 0
) -> None:
    if memory_mb > 0:  # bound the heap this child may add (a bomb of objects or streams)
        import resource

        limit = _address_space() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result: tuple[str, Any] = ("ok", target(path, trust_roots))
    except MemoryError:
        result = ("not_pdf", TOO_BIG)
    except NotPdfError as exc:
        result = ("not_pdf", exc.what)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as a broken file
        result = ("error", f"{type(exc).__name__}: {exc}")
    conn.send(result)
    conn.close()


def _address_space() -> int:
    """This process's virtual size in bytes (Linux ``/proc``; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            import os

            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _context() -> Any:
    global _mp_context
    if _mp_context is None:
        import multiprocessing

        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(FORKSERVER_PRELOAD)
        _mp_context = ctx
    return _mp_context


def inspect_pdf_bounded(path: str, *, timeout: float, memory_mb: int | None = None) -> PdfReport:
    """``inspect_pdf`` of the file at ``path`` in a child process killed after ``timeout``
    seconds (raises InspectionTimeout) and allowed ``memory_mb`` of memory beyond what it
    starts with (default ``settings.EVIDENCE_INSPECT_MEMORY_MB``; beyond it the file is
    refused as too complex). ``timeout <= 0``: in this process, unbounded (only for files the
    program made itself, e.g. the demo build)."""
    roots = trust_root_paths()
    if timeout <= 0:
        return inspect_path(path, roots)
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    if memory_mb is None:
        from django.conf import settings

        memory_mb = int(getattr(settings, "EVIDENCE_INSPECT_MEMORY_MB", 512))
    proc = ctx.Process(
        target=_child_main, args=(sender, CHILD_TARGET, path, roots, memory_mb), daemon=True
    )
    proc.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise InspectionTimeout(timeout)
        try:
            kind, value = receiver.recv()
        except EOFError:  # the child died without answering (killed, out of memory)
            log.warning("evidence: the inspection process ended with code %s", proc.exitcode)
            raise NotPdfError("tệp PDF bị hỏng hoặc không đầy đủ") from None
    finally:
        receiver.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if kind == "ok":
        return value  # type: ignore[no-any-return]
    if kind == "not_pdf":
        raise NotPdfError(value)
    log.warning("evidence: the inspection failed: %s", value)
    raise NotPdfError("tệp PDF bị hỏng hoặc không đầy đủ")
