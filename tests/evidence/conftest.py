"""Fixtures for the evidence tests: an assessment of Sở Tư pháp in the self-assessment phase,
another for Sở Y tế, files stored under a temporary directory, and ready-made PDFs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parindex.assessments.models import Assessment, Entry
from parindex.frameworks.models import Framework, FrameworkNode
from parindex.periods.models import Period, PeriodBlock, Phase, PhaseDate
from tests.evidence import pdfs


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": "/_unused_/"},
        },
    }
    settings.MAX_UPLOAD_MB = 20
    return root


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def ev(province):
    """The province plus a 2026 period, its calendar around today and two assessments."""
    ns = province
    today = timezone.localdate()
    ns.framework = Framework.objects.create(
        owner=ns.snv, block=ns.so, year=today.year, code="SO-TEST", title="Bộ tiêu chí khối sở"
    )
    domain = FrameworkNode.objects.create(
        framework=ns.framework, code="1", title="Công tác chỉ đạo, điều hành CCHC", position=1
    )
    leaves = []
    for i, title in enumerate(
        [
            "Ban hành kế hoạch CCHC năm",
            "Mức độ thực hiện kế hoạch CCHC",
            "Báo cáo CCHC định kỳ",
        ],
        start=1,
    ):
        leaves.append(
            FrameworkNode.objects.create(
                framework=ns.framework,
                parent=domain,
                code=f"1.{i}",
                title=title,
                position=1 + i,
                depth=1,
                max=Decimal("1"),
                rule_type=FrameworkNode.RuleType.BOOLEAN,
                evidence="Kế hoạch CCHC năm của cơ quan (bản PDF có chữ ký số).",
            )
        )
    ns.period = Period.objects.create(organizer=ns.snv, year=today.year, name="Chỉ số CCHC 2026")
    PeriodBlock.objects.create(period=ns.period, block=ns.so, framework=ns.framework)
    PhaseDate.objects.create(
        period=ns.period,
        phase=Phase.SELF_ASSESSMENT,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=10),
    )
    PhaseDate.objects.create(
        period=ns.period,
        phase=Phase.APPRAISAL_1,
        starts_on=today + dt.timedelta(days=11),
        ends_on=today + dt.timedelta(days=20),
    )
    ns.deadline_day = today + dt.timedelta(days=10)
    from tests.periods.factories import seat_council

    seat_council(ns, ns.period)  # the appraiser and the chair sit on its council
    ns.assessment = Assessment.objects.create(period=ns.period, unit=ns.stp, framework=ns.framework)
    ns.entries = [Entry.objects.create(assessment=ns.assessment, node=leaf) for leaf in leaves]
    ns.entry, ns.entry2, ns.entry3 = ns.entries
    ns.other_assessment = Assessment.objects.create(
        period=ns.period, unit=ns.syt, framework=ns.framework
    )
    ns.other_entry = Entry.objects.create(assessment=ns.other_assessment, node=leaves[0])
    return ns


@pytest.fixture(scope="session")
def identity():
    return pdfs.make_identity()


@pytest.fixture(scope="session")
def signed_pdf(identity):
    return pdfs.sign(pdfs.make_pdf("Ke hoach CCHC nam 2026", pages=2), identity)


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def load_entry(entry: Entry) -> Entry:
    """The entry as the access helper loads it (assessment with period, organizer, phases)."""
    fresh = Entry.objects.select_related("node").get(pk=entry.pk)
    fresh.assessment = (
        Assessment.objects.select_related(
            "period", "period__organizer", "period__organizer__admin_root", "unit"
        )
        .prefetch_related("period__phases")
        .get(pk=entry.assessment_id)
    )
    return fresh
