"""evidence_upload: content checks, random storage names, duplicates, limits, audit, no orphans."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from parindex.assessments.models import Assessment, Status
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.evidence import pdf, services
from parindex.evidence.models import EvidenceFile
from parindex.evidence.services import evidence_upload
from tests.evidence import pdfs
from tests.evidence.conftest import load_entry, stored_files, upload

pytestmark = pytest.mark.django_db


def test_it_stores_an_unsigned_scan_under_a_random_name(ev, media):
    data = pdfs.make_pdf(pages=3)
    evidence = evidence_upload(
        actor=ev.officer, entry=load_entry(ev.entry), upload=upload("Kế hoạch CCHC.pdf", data)
    )
    assert evidence.original_name == "Kế hoạch CCHC.pdf"
    assert re.fullmatch(rf"evidence/{ev.assessment.pk}/[0-9a-f]{{32}}\.pdf", evidence.storage_name)
    [path] = stored_files(media)
    assert path.read_bytes() == data
    assert "Kế hoạch" not in str(path)
    assert evidence.pages == 3
    assert evidence.size == len(data)
    assert evidence.signature_status == EvidenceFile.SignatureStatus.UNSIGNED
    assert evidence.get_signature_status_display() == "Bản quét, không có chữ ký số"
    assert evidence.uploaded_by == ev.officer
    assert evidence.assessment_id == ev.assessment.pk


def test_it_records_the_signature_of_a_signed_pdf(ev, signed_pdf):
    evidence = evidence_upload(
        actor=ev.officer, entry=load_entry(ev.entry), upload=upload("ky-so.pdf", signed_pdf)
    )
    assert evidence.signature_status == EvidenceFile.SignatureStatus.SIGNED_INTACT
    [sig] = evidence.signature_list
    assert sig["signer"] == "Nguyễn Văn A"
    assert sig["intact"] is True and sig["modified"] is False
    assert abs(sig["signed_at"] - timezone.now()) < dt.timedelta(hours=1)


def test_it_marks_a_pdf_changed_after_signing(ev, signed_pdf):
    evidence = evidence_upload(
        actor=ev.officer,
        entry=load_entry(ev.entry),
        upload=upload("da-sua.pdf", pdfs.tamper(signed_pdf)),
    )
    assert evidence.signature_status == EvidenceFile.SignatureStatus.SIGNED_MODIFIED


def test_it_writes_an_audit_row_on_the_entry(ev):
    data = pdfs.make_pdf()
    evidence = evidence_upload(
        actor=ev.officer, entry=load_entry(ev.entry), upload=upload("a.pdf", data)
    )
    event = AuditEvent.objects.get(verb="evidence.upload")
    assert event.object_type == "assessments.entry"
    assert event.object_id == str(ev.entry.pk)
    assert event.actor == ev.officer
    assert event.new == {
        "name": "a.pdf",
        "sha256": evidence.sha256,
        "size": len(data),
        "signature_status": "unsigned",
        "id": evidence.pk,
    }


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("x.txt", "x")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<!doctype html><html><body>Bao cao</body></html>", "(nội dung là HTML)"),
        (_zip(), "(nội dung là tệp nén ZIP hoặc tài liệu Office)"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "(nội dung là ảnh PNG)"),
        (pdfs.make_pdf()[:200], "(tệp PDF không đầy đủ: thiếu dấu kết thúc %%EOF ở cuối tệp)"),
        (pdfs.make_pdf()[:200] + b"\n%%EOF\n", "(tệp PDF bị hỏng hoặc không đầy đủ)"),
    ],
)
def test_it_refuses_content_that_is_not_a_pdf_whatever_its_name(ev, media, data, expected):
    with pytest.raises(DomainError) as info:
        evidence_upload(
            actor=ev.officer, entry=load_entry(ev.entry), upload=upload("bao-cao.pdf", data)
        )
    assert info.value.message.startswith(
        f"Tệp 'bao-cao.pdf' không phải là tệp PDF hợp lệ {expected}."
    )
    assert not EvidenceFile.objects.exists()
    assert stored_files(media) == []
    assert not AuditEvent.objects.filter(verb="evidence.upload").exists()


def test_it_refuses_an_empty_file(ev, media):
    with pytest.raises(DomainError) as info:
        evidence_upload(
            actor=ev.officer, entry=load_entry(ev.entry), upload=upload("rong.pdf", b"")
        )
    assert info.value.message == "Tệp 'rong.pdf' rỗng (0 byte): hãy chọn lại tệp PDF."
    assert stored_files(media) == []


def test_it_refuses_a_file_over_the_size_limit(ev, media, settings):
    settings.MAX_UPLOAD_MB = 1
    data = pdfs.make_pdf(padding=1_500_000)
    assert len(data) > 1.4 * 1024 * 1024
    with pytest.raises(DomainError) as info:
        evidence_upload(
            actor=ev.officer, entry=load_entry(ev.entry), upload=upload("lon.pdf", data)
        )
    assert info.value.message == (
        "Tệp 'lon.pdf' có dung lượng 1,4 MB, vượt quá giới hạn 1 MB cho mỗi tệp."
    )
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\tmp\\a.pdf", "a.pdf"),
        ("bao\x00cao\x1f.pdf", "baocao.pdf"),
        ("Quyết định.PDF", "Quyết định.PDF"),
        ("khong-co-duoi", "khong-co-duoi.pdf"),
    ],
)
def test_it_keeps_a_safe_original_name(ev, media, given, kept):
    evidence = evidence_upload(
        actor=ev.officer, entry=load_entry(ev.entry), upload=upload(given, pdfs.make_pdf(given))
    )
    assert evidence.original_name == kept
    [path] = stored_files(media)
    assert path.is_relative_to(media / "evidence")


def test_it_cuts_a_long_vietnamese_name_to_200_characters_keeping_pdf():
    long = "Báo cáo kết quả thực hiện công tác cải cách hành chính " * 6 + "năm 2026.pdf"
    # decomposed (NFD) input, as some Mac browsers send it
    import unicodedata

    name = services.clean_filename(unicodedata.normalize("NFD", long))
    assert len(name) <= 200
    assert name.endswith(".pdf")
    assert name.startswith("Báo cáo kết quả thực hiện công tác cải cách hành chính")
    assert unicodedata.is_normalized("NFC", name)


def test_it_refuses_the_same_file_twice_on_one_entry(ev, media):
    data = pdfs.make_pdf()
    entry = load_entry(ev.entry)
    first = evidence_upload(actor=ev.officer, entry=entry, upload=upload("ke-hoach.pdf", data))
    with pytest.raises(DomainError) as info:
        evidence_upload(actor=ev.officer, entry=entry, upload=upload("ban-sao.pdf", data))
    when = timezone.localtime(first.uploaded_at).strftime("%H:%M ngày %d/%m/%Y")
    assert info.value.message == (
        f"Tệp 'ban-sao.pdf' đã được đính kèm ở tiêu chí này lúc {when} (tên tệp 'ke-hoach.pdf')."
    )
    assert EvidenceFile.objects.count() == 1
    assert len(stored_files(media)) == 1


def test_it_accepts_the_same_file_on_another_entry_and_links_the_first(ev, media):
    data = pdfs.make_pdf()
    first = evidence_upload(
        actor=ev.officer, entry=load_entry(ev.entry), upload=upload("a.pdf", data)
    )
    second = evidence_upload(
        actor=ev.officer, entry=load_entry(ev.entry2), upload=upload("b.pdf", data)
    )
    assert second.duplicate_of == first
    assert second.duplicate_of.entry.node.code == "1.1"
    assert second.storage_name != first.storage_name
    assert len(stored_files(media)) == 2


def test_the_same_file_in_another_units_assessment_is_not_a_duplicate(ev):
    data = pdfs.make_pdf()
    evidence_upload(actor=ev.officer, entry=load_entry(ev.entry), upload=upload("a.pdf", data))
    other = evidence_upload(
        actor=ev.outsider, entry=load_entry(ev.other_entry), upload=upload("a.pdf", data)
    )
    assert other.duplicate_of is None


def test_no_file_is_left_behind_when_the_database_write_fails(ev, media, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("db down")

    monkeypatch.setattr(services, "audit_record", boom)
    with pytest.raises(RuntimeError):
        evidence_upload(
            actor=ev.officer, entry=load_entry(ev.entry), upload=upload("a.pdf", pdfs.make_pdf())
        )
    assert stored_files(media) == []
    assert not EvidenceFile.objects.exists()


def test_it_refuses_after_the_self_assessment_deadline(ev, media):
    late = timezone.make_aware(
        dt.datetime.combine(ev.deadline_day + dt.timedelta(days=1), dt.time(8))
    )
    with time_machine.travel(late, tick=False):
        with pytest.raises(DomainError) as info:
            evidence_upload(
                actor=ev.officer,
                entry=load_entry(ev.entry),
                upload=upload("a.pdf", pdfs.make_pdf()),
            )
    assert "Đã hết hạn tự đánh giá" in info.value.message
    assert stored_files(media) == []


def test_an_extension_lets_the_unit_attach_after_the_common_deadline(ev):
    late = timezone.make_aware(
        dt.datetime.combine(ev.deadline_day + dt.timedelta(days=1), dt.time(8))
    )
    ev.assessment.deadline_override = late + dt.timedelta(days=2)
    ev.assessment.save()
    with time_machine.travel(late, tick=False):
        evidence = evidence_upload(
            actor=ev.officer, entry=load_entry(ev.entry), upload=upload("a.pdf", pdfs.make_pdf())
        )
    assert evidence.pk


def test_it_refuses_once_the_assessment_is_submitted(ev):
    ev.assessment.status = Status.SUBMITTED
    ev.assessment.save()
    with pytest.raises(DomainError) as info:
        evidence_upload(
            actor=ev.officer, entry=load_entry(ev.entry), upload=upload("a.pdf", pdfs.make_pdf())
        )
    assert info.value.message == (
        "Bản tự đánh giá đang ở trạng thái “Đã gửi”: "
        "số liệu, giải trình và tài liệu kiểm chứng không sửa được."
    )


def test_it_refuses_a_user_who_is_not_the_units_officer_or_leader(ev):
    with pytest.raises(DomainError):
        evidence_upload(
            actor=ev.outsider, entry=load_entry(ev.entry), upload=upload("a.pdf", pdfs.make_pdf())
        )
    with pytest.raises(DomainError):
        evidence_upload(
            actor=ev.admin, entry=load_entry(ev.entry), upload=upload("a.pdf", pdfs.make_pdf())
        )


def test_the_units_leader_may_attach(ev):
    evidence = evidence_upload(
        actor=ev.leader, entry=load_entry(ev.entry), upload=upload("a.pdf", pdfs.make_pdf())
    )
    assert evidence.uploaded_by == ev.leader


# --- Issue 6: the check runs outside the transaction, bounded; names as the user chose them ---


def _eight_mb_without_eof() -> bytes:
    return pdfs.make_pdf()[:-7] + b"1 0 obj\n(" + b"x" * (8 * 1024 * 1024) + b")\n"


def test_an_8_mb_file_without_eof_is_refused_quickly_naming_it(ev, media):
    # Before: the parser's recovery scan of this file ran ~3 s per MB inside the transaction.
    started = time.monotonic()
    with pytest.raises(DomainError) as info:
        evidence_upload(
            actor=ev.officer,
            entry=load_entry(ev.entry),
            upload=upload("Báo cáo quý III.pdf", _eight_mb_without_eof()),
        )
    assert time.monotonic() - started < 3
    assert info.value.message.startswith(
        "Tệp 'Báo cáo quý III.pdf' không phải là tệp PDF hợp lệ "
        "(tệp PDF không đầy đủ: thiếu dấu kết thúc %%EOF ở cuối tệp)."
    )
    assert stored_files(media) == []
    assert not EvidenceFile.objects.exists()


def test_an_inspection_that_runs_too_long_is_stopped_and_refused(ev, media, monkeypatch):
    monkeypatch.setattr(pdf, "CHILD_TARGET", pdfs.sleeping_inspector)
    started = time.monotonic()
    with pytest.raises(DomainError) as info:
        evidence_upload(
            actor=ev.officer,
            entry=load_entry(ev.entry),
            upload=upload("cham.pdf", pdfs.make_pdf()),
            inspect_timeout=1,
        )
    assert time.monotonic() - started < 8
    assert info.value.message.startswith(
        "Tệp 'cham.pdf' không kiểm tra được trong 1 giây: tệp PDF có thể bị hỏng"
    )
    assert stored_files(media) == []
    assert not EvidenceFile.objects.exists()


def test_no_transaction_is_open_while_the_file_is_inspected(ev, monkeypatch):
    seen = []
    outer = len(connection.atomic_blocks)  # the test's own transaction

    def inspect(path, *, timeout):
        seen.append(len(connection.atomic_blocks) - outer)
        return pdf.inspect_path(path)

    monkeypatch.setattr(services, "inspect_pdf_bounded", inspect)
    evidence_upload(
        actor=ev.officer, entry=load_entry(ev.entry), upload=upload("a.pdf", pdfs.make_pdf())
    )
    assert seen == [0]


def test_a_submission_during_the_inspection_is_seen_by_the_insert(ev, media, monkeypatch):
    """Sent for approval while the file was being checked: the short transaction re-checks."""

    def inspect(path, *, timeout):
        Assessment.objects.filter(pk=ev.assessment.pk).update(status=Status.SUBMITTED)
        return pdf.inspect_path(path)

    monkeypatch.setattr(services, "inspect_pdf_bounded", inspect)
    with pytest.raises(DomainError) as info:
        evidence_upload(
            actor=ev.officer, entry=load_entry(ev.entry), upload=upload("a.pdf", pdfs.make_pdf())
        )
    assert "“Đã gửi”" in info.value.message
    assert stored_files(media) == []
    assert not EvidenceFile.objects.exists()


def test_the_same_file_attached_meanwhile_is_refused_by_the_insert(ev, media, monkeypatch):
    data = pdfs.make_pdf()
    entry = load_entry(ev.entry)

    def inspect(path, *, timeout):
        monkeypatch.setattr(services, "inspect_pdf_bounded", pdf.inspect_pdf_bounded)
        evidence_upload(actor=ev.officer, entry=entry, upload=upload("lan-1.pdf", data))
        return pdf.inspect_path(path)

    monkeypatch.setattr(services, "inspect_pdf_bounded", inspect)
    with pytest.raises(DomainError) as info:
        evidence_upload(actor=ev.officer, entry=entry, upload=upload("lan-2.pdf", data))
    assert info.value.message.startswith("Tệp 'lan-2.pdf' đã được đính kèm ở tiêu chí này lúc")
    assert EvidenceFile.objects.get().original_name == "lan-1.pdf"
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("note.txt", "note.txt"),
        ("C:\\Users\\an\\Ảnh chụp.png", "Ảnh chụp.png"),
        ("khong-co-duoi", "khong-co-duoi"),
    ],
)
def test_errors_name_the_file_the_user_chose(ev, media, given, shown):
    with pytest.raises(DomainError) as info:
        evidence_upload(
            actor=ev.officer, entry=load_entry(ev.entry), upload=upload(given, b"xin chao")
        )
    assert info.value.message.startswith(f"Tệp '{shown}' không phải là tệp PDF hợp lệ")
    assert ".pdf" not in info.value.message.split("'")[1]


def test_a_survey_leaf_takes_no_evidence(ev, media):
    from parindex.frameworks.models import FrameworkNode

    FrameworkNode.objects.filter(pk=ev.entry.node_id).update(
        source=FrameworkNode.Source.SURVEY, evidence=""
    )
    with pytest.raises(DomainError, match="điều tra xã hội học"):
        evidence_upload(
            actor=ev.officer,
            entry=load_entry(ev.entry),
            upload=upload("Kế hoạch CCHC.pdf", pdfs.make_pdf()),
        )
    assert not EvidenceFile.objects.exists()
    assert stored_files(media) == []


def test_a_file_store_that_is_down_or_full_refuses_the_upload_clearly(ev, media, monkeypatch):
    """The S3 store stopped (bench/load.py) or the data disk full: a Vietnamese message that
    names the file, no row, no audit row, nothing stored."""

    class Full:
        def save(self, *args, **kwargs):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(services, "default_storage", Full())
    audits = AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        evidence_upload(
            actor=ev.officer,
            entry=load_entry(ev.entry),
            upload=upload("ke-hoach.pdf", pdfs.make_pdf()),
        )
    assert "Kho lưu trữ tệp đang không hoạt động" in caught.value.message
    assert "'ke-hoach.pdf'" in caught.value.message
    assert not EvidenceFile.objects.exists()
    assert AuditEvent.objects.count() == audits
    assert stored_files(media) == []
