"""The archive of a finished period (``documents/archive.py``): one zip built by the worker
for the organizer admin, with the documents, the signed decision, the open data, each unit's
self-assessment report and evidence in folders by unit with Vietnamese names, and a manifest
whose SHA-256 match every file; nobody else gets it."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from parindex.appraisal.models import PeriodAppraisal
from parindex.assessments.models import Entry
from parindex.documents.archive import safe_name
from parindex.documents.models import ExportJob
from parindex.evidence.models import EvidenceFile

pytestmark = pytest.mark.django_db
S = ExportJob.Status
EVIDENCE = b"%PDF-1.7 Ke hoach CCHC 2026"
DECISION = b"%PDF-1.7 Quyet dinh 345 (da ky)"


@pytest.fixture
def finished(approved, memory_storage):
    ns = approved
    name = default_storage.save("evidence/stp/kh.pdf", ContentFile(EVIDENCE))
    entry = Entry.objects.filter(assessment=ns.stp, node__code="1.2").get()
    EvidenceFile.objects.create(
        assessment=ns.stp,
        entry=entry,
        storage_name=name,
        original_name="Kế hoạch: CCHC năm 2026.pdf",
        size=len(EVIDENCE),
        sha256=hashlib.sha256(EVIDENCE).hexdigest(),
        signature_status=EvidenceFile.SignatureStatus.values[0],
    )
    signed = default_storage.save("decisions/345.pdf", ContentFile(DECISION))
    PeriodAppraisal.objects.filter(period=ns.period).update(
        decision_file=signed, decision_file_name="QĐ 345-QĐ-UBND (đã ký).pdf"
    )
    return ns


def _ask(client, ns, capture):
    with capture(execute=True):
        response = client.post(
            reverse("documents:export", args=[ns.period.pk]), {"kind": "archive", "fmt": "zip"}
        )
    assert response.status_code == 302
    return ExportJob.objects.filter(kind="archive").order_by("-pk").first()


def test_the_organizer_admin_downloads_the_whole_period_as_one_zip(
    finished, login, django_capture_on_commit_callbacks
):
    ns = finished
    client = login(ns.province.admin)
    page = client.get(reverse("documents:page", args=[ns.period.pk])).content.decode()
    assert 'data-doc="archive"' in page
    job = _ask(client, ns, django_capture_on_commit_callbacks)
    assert (job.status, job.error) == (S.DONE, "")
    assert job.file_name.startswith("Hồ sơ lưu trữ Chỉ số CCHC 2026") and job.fmt == "zip"
    response = client.get(reverse("documents:job_file", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    assert {f["path"] for f in manifest["files"]} | {"manifest.json"} == names
    for item in manifest["files"]:
        assert hashlib.sha256(archive.read(item["path"])).hexdigest() == item["sha256"]
    assert "00 Văn bản/QĐ 345-QĐ-UBND (đã ký).pdf" in names
    assert archive.read("00 Văn bản/QĐ 345-QĐ-UBND (đã ký).pdf") == DECISION
    assert sum(n.startswith("00 Văn bản/") and n.endswith(".pdf") for n in names) == 3
    assert "01 Dữ liệu mở/so/framework.yaml" in names
    assert "01 Dữ liệu mở/so/results.json" in names
    stp = "02 Đơn vị/so/STP - Sở Tư pháp"
    assert archive.read(f"{stp}/Tài liệu kiểm chứng/1.2 - Kế hoạch - CCHC năm 2026.pdf") == EVIDENCE
    assert any(n.startswith(f"{stp}/") and "tự đánh giá" in n.lower() for n in names), names
    assert any(n.startswith("02 Đơn vị/so/SYT - Sở Y tế/") for n in names)
    assert manifest["period"]["decision"] == "345/QĐ-UBND"


def test_only_the_organizer_admin_gets_it(finished, login, django_capture_on_commit_callbacks):
    ns = finished
    url = reverse("documents:export", args=[ns.period.pk])
    outsider = login(ns.province.outsider)
    assert outsider.get(reverse("documents:page", args=[ns.period.pk])).status_code == 404
    assert outsider.post(url, {"kind": "archive", "fmt": "zip"}).status_code == 404
    chair = login(ns.province.chair)  # reads the documents, not the archive
    page = chair.get(reverse("documents:page", args=[ns.period.pk])).content.decode()
    assert 'data-doc="archive"' not in page
    response = chair.post(url, {"kind": "archive", "fmt": "zip"}, follow=True)
    assert "Chỉ cán bộ quản trị của Sở Nội vụ tải được hồ sơ lưu trữ" in response.content.decode()
    assert not ExportJob.objects.filter(kind="archive").exists()
    job = _ask(login(ns.province.admin), ns, django_capture_on_commit_callbacks)
    for other in (ns.province.chair, ns.province.outsider):
        assert login(other).get(reverse("documents:job_file", args=[job.pk])).status_code == 404


def test_a_period_not_approved_has_no_archive_yet(appraisal, login, memory_storage):
    ns = appraisal
    client = login(ns.province.admin)
    response = client.post(
        reverse("documents:export", args=[ns.period.pk]),
        {"kind": "archive", "fmt": "zip"},
        follow=True,
    )
    assert "chưa lập được hồ sơ lưu trữ" in response.content.decode()
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("Báo cáo: quý III/2026.pdf", "Báo cáo - quý III-2026.pdf"),
        ("Ke\u0302\u0301 hoạch?.pdf", "Kế hoạch-.pdf"),  # decomposed letters to NFC
        ("  . ", "tep"),
    ],
)
def test_file_names_keep_their_vietnamese_letters(raw, safe):
    assert safe_name(raw) == safe
