import datetime as dt
from decimal import Decimal

import pytest
import time_machine
import yaml

from parindex.accounts.models import Membership
from parindex.accounts.services import membership_grant, user_create
from parindex.assessments.models import Assessment, Entry, Status
from parindex.assessments.participation import period_add_units
from parindex.assessments.scoring import PENDING_NOTE
from parindex.common.numbers import round2 as round_cent
from parindex.frameworks.services import framework_import
from parindex.periods.models import Period
from parindex.periods.services import period_add_block
from parindex.reports import selectors
from parindex.reports.evidence import EvidenceLine
from parindex.reports.renderers.common import detail_points
from parindex.reports.selectors import self_assessment_report_data

from .conftest import EXAMPLES, YEAR


def _row(data, code):
    return next(r for r in data.details if r.code == code)


def _summary(data, kind, stt=""):
    return next(r for r in data.summary if r.kind == kind and r.stt == stt)


@pytest.fixture
def no_evidence_app(monkeypatch):
    monkeypatch.setattr(selectors, "evidence_lines", lambda assessment: {})


def test_it_builds_the_national_header_and_the_signature_block(report_case):
    # 18:00 UTC on 21/11 is already 01:00 on 22/11 in Việt Nam: the report uses the local date.
    with time_machine.travel(dt.datetime(2026, 11, 21, 18, 0, tzinfo=dt.UTC), tick=False):
        data = self_assessment_report_data(report_case.assessment)
    assert data.header_parent == "UBND TỈNH BẮC GIANG"
    assert data.header_unit == ["SỞ TƯ PHÁP"]
    assert data.number.startswith("Số:") and data.number.endswith("/BC-STP")
    assert data.place_date == "Bắc Giang, ngày 22 tháng 11 năm 2026"
    assert data.title == "BÁO CÁO"
    assert data.subtitle == ("Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2026")
    assert data.addressee == "Sở Nội vụ"
    assert "Kế hoạch số 215/KH-UBND" in data.intro
    assert (data.signer_prefix, data.signer_title) == ("", "GIÁM ĐỐC")
    assert data.signer_name == "Lê Quang Huy"
    assert data.difficulties == [
        "Hạ tầng công nghệ thông tin chưa đồng bộ.",
        "Kiến nghị Sở Nội vụ tổ chức tập huấn về phần mềm chấm điểm.",
    ]
    assert data.filename_ascii == "bao-cao-tu-danh-gia-STP-2026"


def test_the_summary_keeps_survey_points_out_of_the_self_assessed_total(report_case):
    data = self_assessment_report_data(report_case.assessment)
    domain1 = _summary(data, "domain", "1")
    # Domain 1 has max 13, of which 4 come from the survey (1.7).
    assert domain1.max == Decimal(9)
    # exact, from the declared values (not the 6-decimal stored scores)
    assert abs(domain1.points - Decimal(47) / 6) < Decimal("1e-20")
    survey_17 = next(r for r in data.summary if r.kind == "survey" and r.title.startswith("1.7."))
    assert survey_17.max == Decimal(4)
    assert survey_17.points is None and survey_17.points_text == "Đánh giá qua điều tra XHH"
    survey_only = _summary(data, "domain", "8")
    assert survey_only.max == Decimal(7) and survey_only.points is None
    bonus = _summary(data, "bonus", "9")
    assert bonus.points == Decimal(2) and bonus.max is None
    total = _summary(data, "total")
    # 65 self-scored points, less the relative leaf 7.5 (max 2): "tính khi tổng hợp"
    assert total.max == Decimal(63) == data.self_max
    stored = Entry.objects.filter(assessment=report_case.assessment).exclude(node__code="7.5")
    assert total.points == data.self_points
    assert round_cent(total.points) == round_cent(
        sum((e.self_score or 0 for e in stored), Decimal(0))
    )
    assert _summary(data, "survey_total").max == Decimal(35) == data.survey_max
    assert _summary(data, "grand").max == Decimal(100)
    assert "không cộng vào tổng điểm tự đánh giá" in data.summary_note


def test_a_not_applicable_leaf_leaves_the_max(report_case):
    Entry.objects.filter(assessment=report_case.assessment, node__code="2.4").update(
        value="NA", self_score=None, not_applicable=True
    )
    data = self_assessment_report_data(report_case.assessment)
    assert _row(data, "2.4").value_text == "Không áp dụng"
    assert _row(data, "2.4").points is None
    assert _summary(data, "domain", "2").max == Decimal(6)
    assert data.self_max == Decimal(62)


def test_a_relative_leaf_is_computed_at_consolidation_and_leaves_the_self_assessed_max(
    report_case,
):
    """Its stored score (here as the consolidation would give it) is not a self score: the
    report shows "tính khi tổng hợp", leaves it out of the points and the max, and says so."""
    data = self_assessment_report_data(report_case.assessment)
    row = _row(data, "7.5")
    assert row.pending and row.points is None
    domain7 = _summary(data, "domain", "7")
    assert domain7.max == Decimal(13)  # 15 with 7.5 (max 2)
    assert PENDING_NOTE in data.summary_note
    assert detail_points(row) == "tính khi tổng hợp"


def test_the_detail_lists_every_node_in_tree_order_with_readable_values(report_case):
    data = self_assessment_report_data(report_case.assessment)
    codes = [r.code for r in data.details]
    assert codes[:5] == ["1", "1.1", "1.1.1", "1.1.2", "1.2"]
    assert len(codes) == report_case.framework.nodes.count()
    assert _row(data, "1.1.1").value_text == "Ban hành đúng thời hạn"
    assert _row(data, "1.2").value_text == "Có"
    assert _row(data, "3.2").value_text == "1.068/1.200 (89,00%)"
    assert _row(data, "3.2").points == Decimal("4.45")
    assert _row(data, "3.2").explanation.startswith("Có 132 hồ sơ trễ hạn")
    assert _row(data, "7.4").value_text == "2 trường hợp"
    assert _row(data, "1.7").value_text == "Đánh giá qua điều tra XHH"
    # Inner nodes show the framework max and the points of their self-scored leaves.
    assert _row(data, "1.1").max == Decimal(3) and _row(data, "1.1").points == Decimal(3)
    assert _row(data, "1").max == Decimal(13)


def test_it_lists_the_evidence_files_of_each_entry(report_case, monkeypatch):
    entry = Entry.objects.get(assessment=report_case.assessment, node__code="1.1.1")
    line = EvidenceLine("QĐ 12-QĐ-STP kế hoạch CCHC.pdf", "Lê Quang Huy", dt.date(2026, 1, 5))
    monkeypatch.setattr(selectors, "evidence_lines", lambda assessment: {entry.pk: [line]})
    data = self_assessment_report_data(report_case.assessment)
    assert _row(data, "1.1.1").evidence == [line]
    assert line.text == "QĐ 12-QĐ-STP kế hoạch CCHC.pdf (ký số: Lê Quang Huy, 05/01/2026)"


def test_it_reads_in_a_fixed_number_of_queries(
    report_case, no_evidence_app, django_assert_num_queries
):
    with django_assert_num_queries(5):
        self_assessment_report_data(report_case.assessment)
    # Half the entries gone: still the same number of queries.
    half = list(
        Entry.objects.filter(assessment=report_case.assessment).values_list("pk", flat=True)
    )[::2]
    Entry.objects.filter(pk__in=half).delete()
    with django_assert_num_queries(5):
        self_assessment_report_data(report_case.assessment)


def test_a_district_report_is_signed_for_the_peoples_committee(report_case):
    p = report_case.province
    data = yaml.safe_load((EXAMPLES / "so-demo.yaml").read_text(encoding="utf-8"))
    data.update(year=YEAR, code=f"HUYEN-{YEAR}", block="huyen")
    framework = framework_import(actor=None, owner=p.snv, data=data, source="huyen.yaml")
    period_add_block(actor=None, period=report_case.period, block=p.huyen, framework=framework)
    period = Period.objects.get(pk=report_case.period.pk)  # blocks not prefetched yet
    [assessment] = period_add_units(actor=None, period=period, units=[p.district])
    chairman = user_create(
        actor=None, username="ct.yd", password=p.password, full_name="Đào Văn Sơn"
    )
    membership_grant(actor=None, user=chairman, unit=p.district, role=Membership.Role.UNIT_LEADER)

    report = self_assessment_report_data(assessment)

    assert report.header_parent == ""
    assert report.header_unit == ["ỦY BAN NHÂN DÂN", "HUYỆN YÊN DŨNG"]
    assert report.number.endswith("/BC-UBND")
    assert report.place_date.startswith("Yên Dũng, ngày ")
    assert (report.signer_prefix, report.signer_title) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert report.signer_name == "Đào Văn Sơn"
    assert "Ủy ban nhân dân huyện Yên Dũng báo cáo kết quả" in report.intro
    assert _row(report, "1.1.1").value_text == "Chưa kê khai"
    assert report.self_points == 0


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("số 203/KH-UBND ngày 15/01/2026 của UBND tỉnh", "Thực hiện Kế hoạch số 203/KH-UBND ngày"),
        ("Số 203/KH-UBND", "Thực hiện Kế hoạch số 203/KH-UBND,"),
        ("203/KH-UBND ngày 15/01/2026", "Thực hiện Kế hoạch số 203/KH-UBND ngày"),
        ("Quyết định số 12/QĐ-UBND", "Thực hiện Quyết định số 12/QĐ-UBND,"),
        ("Thông báo số 5/TB-SNV", "Thực hiện Thông báo số 5/TB-SNV,"),
    ],
)
def test_the_intro_names_the_plan_once(report_case, reference, expected):
    Period.objects.filter(pk=report_case.period.pk).update(plan_reference=reference)
    report_case.assessment.refresh_from_db()
    data = self_assessment_report_data(report_case.assessment)
    assert expected in data.intro
    assert "số số" not in data.intro.lower()


def test_a_sent_report_carries_the_day_it_was_sent_not_today(report_case):
    sent = dt.datetime(2026, 11, 20, 17, 30, tzinfo=dt.UTC)  # 00:30 on 21/11 in Việt Nam
    Assessment.objects.filter(pk=report_case.assessment.pk).update(
        status=Status.SUBMITTED, submitted_at=sent
    )
    report_case.assessment.refresh_from_db()
    with time_machine.travel(dt.datetime(2027, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        data = self_assessment_report_data(report_case.assessment)
    assert data.date == dt.date(2026, 11, 21)
    assert data.place_date == "Bắc Giang, ngày 21 tháng 11 năm 2026"


def test_a_report_sent_back_to_draft_is_dated_today(report_case):
    sent = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)
    Assessment.objects.filter(pk=report_case.assessment.pk).update(
        status=Status.DRAFT, submitted_at=sent
    )
    report_case.assessment.refresh_from_db()
    with time_machine.travel(dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC), tick=False):
        data = self_assessment_report_data(report_case.assessment)
    assert data.date == dt.date(2026, 11, 25)
