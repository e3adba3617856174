"""Content checks of evidence/pdf.py: what is a PDF, its pages and its signatures (offline)."""

from __future__ import annotations

import io
import multiprocessing
import time
import zipfile

import pytest

from parindex.evidence import pdf
from parindex.evidence.pdf import (
    InspectionTimeout,
    NotPdfError,
    Status,
    inspect_pdf,
    inspect_pdf_bounded,
    sniff_kind,
)
from tests.evidence import pdfs


def inspect(data: bytes):
    return inspect_pdf(io.BytesIO(data))


def test_it_counts_the_pages_of_an_unsigned_pdf():
    report = inspect(pdfs.make_pdf(pages=3))
    assert report.pages == 3
    assert report.signatures == []
    assert report.status == Status.UNSIGNED


def test_it_accepts_a_header_after_up_to_1024_leading_bytes():
    assert inspect(b"\x00" * 1000 + pdfs.make_pdf()).pages == 1


def test_it_refuses_a_header_beyond_the_first_1024_bytes():
    with pytest.raises(NotPdfError):
        inspect(b" " * 1100 + pdfs.make_pdf())


def test_it_reads_signer_time_and_integrity_of_a_signed_pdf(signed_pdf):
    report = inspect(signed_pdf)
    assert report.pages == 2
    assert report.status == Status.SIGNED_INTACT
    [sig] = report.signatures
    assert sig.signer == "Nguyễn Văn A"
    assert sig.organization == "Sở Tư pháp tỉnh Bắc Giang"
    assert sig.signed_at is not None and sig.signed_at.tzinfo is not None
    assert sig.intact is True
    assert sig.valid is True
    assert sig.covers_whole_file is True
    assert sig.modified is False
    # Offline, with no trust roots configured, the chain cannot be verified: said plainly.
    assert sig.trusted is False
    assert "Không xác minh được chuỗi chứng thư số" in sig.trust_note


def test_it_reports_a_pdf_changed_after_signing_as_modified(signed_pdf):
    report = inspect(pdfs.tamper(signed_pdf))
    assert report.status == Status.SIGNED_MODIFIED
    [sig] = report.signatures
    assert sig.intact is True  # the signed revision itself is untouched
    assert sig.covers_whole_file is False
    assert sig.modified is True
    assert sig.modification == "Tài liệu có sửa đổi sau khi ký."


def test_it_reports_a_signature_whose_signed_bytes_were_changed_as_an_error(signed_pdf):
    report = inspect(pdfs.flip_signed_byte(signed_pdf))
    assert report.status == Status.SIGNATURE_ERROR
    assert report.signatures[0].intact is False
    assert report.signatures[0].error


def test_a_second_signature_is_not_a_modification(signed_pdf):
    second = pdfs.make_identity("Lê Quang Huy", "Sở Tư pháp tỉnh Bắc Giang")
    report = inspect(pdfs.sign(signed_pdf, second, field="Signature2"))
    assert [s.signer for s in report.signatures] == ["Nguyễn Văn A", "Lê Quang Huy"]
    assert report.status == Status.SIGNED_INTACT


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "xin chao")
    return buf.getvalue()


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"<!DOCTYPE html><html><body>%PDF-</body></html>"[:15] + b"<p>x</p>", "HTML"),
        (b"  <html><script>alert(1)</script></html>", "HTML"),
        (_zip(), "tệp nén ZIP"),
        (PNG, "ảnh PNG"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "ảnh JPEG"),
        (b"", "tệp rỗng"),
        (b"xin chao, day khong phai PDF", "không bắt đầu như tệp PDF"),
    ],
)
def test_it_names_what_a_non_pdf_is(data, what):
    with pytest.raises(NotPdfError) as info:
        inspect(data)
    assert what in info.value.what


def test_it_recognises_a_word_document():
    assert sniff_kind(_docx()) == "tài liệu Word (.docx)"


def test_it_refuses_a_truncated_pdf():
    data = pdfs.make_pdf(pages=2)
    with pytest.raises(NotPdfError) as info:
        inspect(data[: len(data) // 3])
    assert info.value.what == "tệp PDF không đầy đủ: thiếu dấu kết thúc %%EOF ở cuối tệp"


def test_it_accepts_trailing_bytes_after_eof_within_the_last_kilobyte():
    data = pdfs.make_pdf() + b"\x00" * 1000
    assert inspect(data).pages == 1


def test_it_refuses_an_eof_marker_further_than_1_kb_from_the_end():
    with pytest.raises(NotPdfError) as info:
        inspect(pdfs.make_pdf() + b"\x00" * 1100)
    assert info.value.what == "tệp PDF không đầy đủ: thiếu dấu kết thúc %%EOF ở cuối tệp"


def test_an_8_mb_file_without_eof_is_refused_before_parsing(monkeypatch):
    """The recovery scan of such a file took about 3 s per MB; now it is never started."""
    import pyhanko.pdf_utils.reader as reader

    def parse(*args, **kwargs):
        raise AssertionError("the parser must not run on a file without %%EOF")

    monkeypatch.setattr(reader, "PdfFileReader", parse)
    data = pdfs.make_pdf()[:-7] + b"1 0 obj\n(" + b"x" * (8 * 1024 * 1024) + b")\n"
    started = time.monotonic()
    with pytest.raises(NotPdfError) as info:
        inspect(data)
    assert time.monotonic() - started < 1
    assert "%%EOF" in info.value.what


def test_the_bounded_inspection_answers_like_the_plain_one(signed_pdf, tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(signed_pdf)
    report = inspect_pdf_bounded(str(path), timeout=30)
    assert report.pages == 2
    assert report.status == "signed_intact"
    assert report.signatures[0].signer == "Nguyễn Văn A"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(NotPdfError) as info:
        inspect_pdf_bounded(str(path), timeout=30)
    assert info.value.what == "nội dung là ảnh PNG"


def test_the_bounded_inspection_kills_a_child_that_runs_too_long(monkeypatch, tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(pdfs.make_pdf())
    monkeypatch.setattr(pdf, "CHILD_TARGET", pdfs.sleeping_inspector)
    started = time.monotonic()
    with pytest.raises(InspectionTimeout) as info:
        inspect_pdf_bounded(str(path), timeout=1)
    assert info.value.seconds == 1
    assert time.monotonic() - started < 8
    assert not [c for c in multiprocessing.active_children() if c.is_alive()]


def test_the_bounded_inspection_refuses_a_file_that_needs_too_much_memory(monkeypatch, tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(pdfs.make_pdf())
    monkeypatch.setattr(pdf, "CHILD_TARGET", pdfs.greedy_inspector)
    with pytest.raises(NotPdfError) as info:
        inspect_pdf_bounded(str(path), timeout=30, memory_mb=256)
    assert info.value.what == pdf.TOO_BIG
    assert not [c for c in multiprocessing.active_children() if c.is_alive()]


def test_a_real_pdf_passes_under_the_default_memory_limit(tmp_path, settings):
    settings.EVIDENCE_INSPECT_MEMORY_MB = 512
    path = tmp_path / "a.pdf"
    path.write_bytes(pdfs.make_pdf())
    assert inspect_pdf_bounded(str(path), timeout=30).pages >= 1


def test_it_refuses_a_pdf_header_followed_by_garbage():
    with pytest.raises(NotPdfError):
        inspect(b"%PDF-1.7\n" + b"\x13\x37" * 500)
