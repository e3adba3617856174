"""An archived period (Lưu trữ, ``period.closed``) is read-only: closing waits for the
appeals' window to end and every appeal to be answered (an accepted appeal corrects the
published results, which the archive freezes) and for the survey to stop taking responses;
after it, every write on the period's records refuses with a Vietnamese message and
changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from parindex.appeals.models import Appeal
from parindex.appeals.services import appeal_days_set, appeal_decide, appeal_file, window
from parindex.appraisal.models import Decision
from parindex.appraisal.services import decision_record, member_add
from parindex.appraisal.services.council import council_for
from parindex.appraisal.services.supplement import answer_save
from parindex.assessments.models import Entry
from parindex.assessments.services import entry_correct, entry_record
from parindex.assessments.services.entries import entry_set_appraisal, entry_set_survey_score
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.evidence.models import EvidenceFile
from parindex.evidence.services import evidence_remove, evidence_upload
from parindex.periods.services import period_close
from parindex.publication.services import period_publish
from tests.appraisal.conftest import appraisal, clock  # noqa: F401 - fixtures
from tests.evidence.pdfs import make_pdf
from tests.results.conftest import approve, through_round_two

pytestmark = pytest.mark.django_db
REASON = "Đã công bố kết quả, hết thời hạn kiến nghị; lưu trữ hồ sơ."


@pytest.fixture
def published(appraisal):  # noqa: F811 - the imported fixture
    ns = appraisal
    through_round_two(ns)
    ns.state = approve(ns)
    ns.publication = period_publish(actor=ns.province.admin, period=ns.period)
    ns.stp.refresh_from_db()
    ns.leaf = Entry.objects.filter(assessment=ns.stp, node__code="1.6").select_related("node").get()
    return ns


def _after_window(ns):
    _, closes = window(ns.period)
    return time_machine.travel(
        dt.datetime.combine(closes + dt.timedelta(days=1), dt.time(9)), tick=False
    )


def _file(ns):
    return appeal_file(
        actor=ns.province.leader,
        assessment=ns.stp,
        items=[(ns.leaf.pk, "Đơn vị đã ban hành kế hoạch đúng hạn (Kế hoạch số 12/KH-STP).")],
    )


def test_closing_waits_for_the_appeal_window_and_every_answer(published):
    ns = published
    admin = ns.province.admin
    with pytest.raises(DomainError, match="Thời hạn kiến nghị về kết quả đến hết ngày"):
        period_close(actor=admin, period=ns.period, reason=REASON)
    appeal = _file(ns)
    with _after_window(ns):
        with pytest.raises(DomainError, match="Còn 1 kiến nghị chưa trả lời"):
            period_close(actor=admin, period=ns.period, reason=REASON)
        appeal_decide(actor=admin, appeal=appeal, scores={appeal.items.get().pk: None}, note="Giữ.")
        period_close(actor=admin, period=ns.period, reason=REASON)
    ns.period.refresh_from_db()
    assert ns.period.closed


@pytest.fixture
def archived(published):
    ns = published
    with _after_window(ns):
        period_close(actor=ns.province.admin, period=ns.period, reason=REASON)
    ns.period.refresh_from_db()
    for a in (ns.stp, ns.syt):
        a.refresh_from_db()
    return ns


def _writes(ns):
    """Every write a person could try on the archived period's records."""
    p = ns.province
    leaf = Entry.objects.select_related("node", "assessment__period").get(pk=ns.leaf.pk)
    survey_leaf = Entry.objects.select_related("node", "assessment__period").get(
        assessment=ns.stp, node__code="1.7"
    )
    pdf = make_pdf("Kế hoạch CCHC năm 2026")
    return {
        "kê khai số liệu": lambda: entry_record(actor=p.officer, entry=leaf, value="1"),
        "tải tài liệu kiểm chứng": lambda: evidence_upload(
            actor=p.officer,
            entry=leaf,
            upload=SimpleUploadedFile("KH.pdf", pdf, content_type="application/pdf"),
        ),
        "chấm điểm thẩm định": lambda: entry_set_appraisal(
            actor=p.admin, entry=leaf, round=2, score=Decimal("1"), note="x"
        ),
        "quyết định thẩm định": lambda: decision_record(
            actor=p.appraiser, entry=leaf, round=2, kind=Decision.Kind.ACCEPT
        ),
        "giải trình": lambda: answer_save(actor=p.officer, entry=leaf, text="Bổ sung."),
        "điểm điều tra": lambda: entry_set_survey_score(
            actor=p.admin, entry=survey_leaf, score=Decimal("1")
        ),
        "sửa điểm sau kiến nghị": lambda: entry_correct(
            actor=p.admin, entry=leaf, score=Decimal("1"), note="x"
        ),
        "gửi kiến nghị": lambda: _file(ns),
        "thời hạn kiến nghị": lambda: appeal_days_set(actor=p.admin, period=ns.period, days=15),
        "thành viên hội đồng": lambda: member_add(
            actor=p.admin,
            council=council_for(ns.period),
            user=p.outsider,
            unit=p.syt,
            position="member",
        ),
        "đóng lần nữa": lambda: period_close(actor=p.admin, period=ns.period, reason=REASON),
    }


WRITES = [
    "kê khai số liệu",
    "tải tài liệu kiểm chứng",
    "chấm điểm thẩm định",
    "quyết định thẩm định",
    "giải trình",
    "điểm điều tra",
    "sửa điểm sau kiến nghị",
    "gửi kiến nghị",
    "thời hạn kiến nghị",
    "thành viên hội đồng",
    "đóng lần nữa",
]


@pytest.mark.parametrize("write", WRITES)
def test_every_write_on_an_archived_period_is_refused_in_vietnamese(archived, write):
    ns = archived
    entries = list(Entry.objects.filter(assessment__period=ns.period).values().order_by("pk"))
    audit = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        _writes(ns)[write]()
    message = refused.value.message
    assert "đã đóng" in message or "đã lưu trữ" in message, message
    assert list(Entry.objects.filter(assessment__period=ns.period).values().order_by("pk")) == (
        entries
    )
    assert AuditEvent.objects.count() == audit
    assert not EvidenceFile.objects.filter(assessment__period=ns.period).exists()


def test_an_appeal_left_unanswered_cannot_be_answered_once_archived(archived):
    ns = archived
    from django.utils import timezone

    appeal = Appeal.objects.create(
        period=ns.period, assessment=ns.stp, filed_by=ns.province.leader, filed_at=timezone.now()
    )
    with pytest.raises(DomainError, match="đã lưu trữ"):
        appeal_decide(actor=ns.province.admin, appeal=appeal, scores={}, note="x")


def test_evidence_of_an_archived_period_cannot_be_removed(archived):
    ns = archived
    evidence = EvidenceFile.objects.create(
        assessment=ns.stp,
        entry=ns.leaf,
        storage_name="evidence/x.pdf",
        original_name="x.pdf",
        size=1,
        sha256="0" * 64,
        signature_status=EvidenceFile.SignatureStatus.values[0],
    )
    with pytest.raises(DomainError, match="đã đóng"):
        evidence_remove(actor=ns.province.officer, evidence=evidence)
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()
