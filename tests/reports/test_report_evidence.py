import datetime as dt
from types import SimpleNamespace

import pytest
from django.apps import apps

from parindex.assessments.models import Entry
from parindex.reports import evidence
from parindex.reports.evidence import EvidenceLine, evidence_lines
from parindex.reports.selectors import self_assessment_report_data


def test_a_file_signed_intact_names_its_signer_and_date():
    item = SimpleNamespace(
        original_name="QĐ 12 kế hoạch CCHC.pdf",
        signature_status="signed_intact",
        signatures=[
            {"signer": "Sở Tư pháp tỉnh Bắc Giang", "signed_at": "2026-01-05T16:30:00+00:00"}
        ],
    )
    line = evidence._line(item)
    assert line.text == "QĐ 12 kế hoạch CCHC.pdf (ký số: Sở Tư pháp tỉnh Bắc Giang, 05/01/2026)"


def test_a_signed_date_is_the_local_date():
    item = SimpleNamespace(
        original_name="a.pdf",
        signature_status="signed_intact",
        signatures=[{"signer": "X", "signed_at": "2026-01-05T18:30:00+00:00"}],
    )
    assert evidence._line(item).signed_on == dt.date(2026, 1, 6)  # 01:30 in Việt Nam


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("unsigned", "scan.pdf"),
        ("signed_modified", "scan.pdf (đã ký số, có sửa đổi sau khi ký)"),
        ("signature_error", "scan.pdf (chữ ký số không hợp lệ)"),
    ],
)
def test_a_file_without_a_sound_signature_says_so(status, expected):
    item = SimpleNamespace(
        original_name="scan.pdf", signature_status=status, signatures=[{"signer": "Y"}]
    )
    assert evidence._line(item).text == expected


def test_without_the_evidence_app_the_report_lists_no_files(report_case, monkeypatch):
    monkeypatch.setattr(apps, "is_installed", lambda name: False)
    assert evidence_lines(report_case.assessment) == {}


def test_the_report_lists_the_files_stored_by_the_evidence_app(report_case):
    from parindex.evidence.models import EvidenceFile

    entry = Entry.objects.get(assessment=report_case.assessment, node__code="1.1.1")
    EvidenceFile.objects.create(
        assessment=report_case.assessment,
        entry=entry,
        storage_name="evidence/x/abc.pdf",
        original_name="Kế hoạch CCHC năm 2026.pdf",
        size=1000,
        sha256="0" * 64,
        signature_status="signed_intact",
        signatures=[{"signer": "Lê Quang Huy", "signed_at": "2026-01-05T09:00:00+07:00"}],
    )
    data = self_assessment_report_data(report_case.assessment)
    row = next(r for r in data.details if r.code == "1.1.1")
    assert row.evidence == [
        EvidenceLine("Kế hoạch CCHC năm 2026.pdf", "Lê Quang Huy", dt.date(2026, 1, 5))
    ]


def test_the_evidence_costs_one_more_query(report_case, django_assert_num_queries):
    with django_assert_num_queries(6):
        self_assessment_report_data(report_case.assessment)
