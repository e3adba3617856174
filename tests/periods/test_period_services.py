import datetime as dt

import pytest

from parindex.assessments.models import Assessment, Entry
from parindex.assessments.participation import period_add_units, period_remove_unit
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.frameworks.models import FrameworkNode
from parindex.periods.calendar import default_calendar
from parindex.periods.models import Period, Phase, PhaseDate
from parindex.periods.services import (
    period_add_block,
    period_close,
    period_create,
    period_set_calendar,
)
from tests.periods.factories import demo_leaf_count, make_framework

D = dt.date


def _create(province, **kw):
    args = {
        "actor": province.admin,
        "organizer": province.snv,
        "year": 2026,
        "name": "Xác định Chỉ số CCHC năm 2026",
        "blocks": [],
    }
    args.update(kw)
    return period_create(**args)


def test_it_creates_a_period_with_the_default_calendar_and_an_audit_row(province, so_framework):
    period = _create(province, blocks=[(province.so, so_framework)], plan_reference="123/KH-SNV")
    assert period.blocks.get().framework == so_framework
    phases = {p.phase: (p.starts_on, p.ends_on) for p in PhaseDate.objects.filter(period=period)}
    assert phases == {str(k): v for k, v in default_calendar(2026).items()}
    event = AuditEvent.objects.get(verb="period.create")
    assert event.actor == province.admin
    assert event.new["calendar"]["self_assessment"] == "15/10/2026–15/11/2026"


def test_it_takes_a_calendar_given_by_the_organizer(province, so_framework):
    cal = default_calendar(2026)
    cal[Phase.SELF_ASSESSMENT] = (D(2026, 10, 15), D(2026, 11, 10))
    period = _create(province, blocks=[(province.so, so_framework)], calendar=cal)
    assert period.phases.get(phase=Phase.SELF_ASSESSMENT).ends_on == D(2026, 11, 10)


def test_it_refuses_a_framework_of_another_organizer(province):
    other = make_framework(province.pnv, province.so, year=2026, code="SO-PNV")
    with pytest.raises(DomainError, match="không phải của Sở Nội vụ"):
        _create(province, blocks=[(province.so, other)])
    assert not Period.objects.exists()


def test_it_refuses_a_framework_of_another_block(province, so_framework):
    with pytest.raises(DomainError, match="dùng cho khối khác"):
        _create(province, blocks=[(province.huyen, so_framework)])


def test_it_refuses_a_framework_of_another_year(province):
    old = make_framework(province.snv, province.so, year=2025)
    with pytest.raises(DomainError, match="năm 2025, không dùng được cho đợt đánh giá năm 2026"):
        _create(province, blocks=[(province.so, old)])


def test_it_refuses_a_unit_that_does_not_organize(province, so_framework):
    with pytest.raises(DomainError, match="không phải cơ quan tổ chức đánh giá"):
        _create(province, organizer=province.stp, blocks=[(province.so, so_framework)])


def test_it_refuses_a_user_who_does_not_administer_the_organizer(province, so_framework):
    with pytest.raises(DomainError, match="không phải cán bộ quản trị"):
        _create(province, actor=province.district_admin, blocks=[(province.so, so_framework)])


def test_it_refuses_a_second_period_of_the_same_year(province, period, so_framework):
    with pytest.raises(DomainError, match="đã có đợt đánh giá năm 2026"):
        _create(province, blocks=[(province.so, so_framework)])


def test_it_refuses_overlapping_phases_and_saves_nothing(province, so_framework):
    cal = default_calendar(2026)
    cal[Phase.APPRAISAL_1] = (D(2026, 11, 10), D(2026, 11, 30))
    with pytest.raises(DomainError, match="chồng lấn"):
        _create(province, blocks=[(province.so, so_framework)], calendar=cal)
    assert not Period.objects.exists()


def test_the_organizer_changes_the_dates_with_a_reason_and_it_is_audited(province, period):
    cal = default_calendar(2026)
    cal[Phase.SELF_ASSESSMENT] = (D(2026, 10, 15), D(2026, 11, 12))
    cal[Phase.APPRAISAL_1] = (D(2026, 11, 13), D(2026, 11, 30))
    period_set_calendar(actor=province.admin, period=period, dates=cal, reason="Theo KH 45/KH-SNV")
    assert period.phases.get(phase=Phase.SELF_ASSESSMENT).ends_on == D(2026, 11, 12)
    event = AuditEvent.objects.get(verb="period.calendar")
    assert event.old == {
        "appraisal_1": "16/11/2026–30/11/2026",
        "self_assessment": "15/10/2026–15/11/2026",
    }
    assert event.new["self_assessment"] == "15/10/2026–12/11/2026"
    assert event.reason == "Theo KH 45/KH-SNV"


def test_changing_the_dates_needs_a_reason_and_a_valid_order(province, period):
    cal = default_calendar(2026)
    cal[Phase.SELF_ASSESSMENT] = (D(2026, 10, 15), D(2026, 11, 20))
    with pytest.raises(DomainError, match="lý do"):
        period_set_calendar(actor=province.admin, period=period, dates=cal, reason=" ")
    with pytest.raises(DomainError, match="chồng lấn"):
        period_set_calendar(actor=province.admin, period=period, dates=cal, reason="Lùi hạn")
    assert period.phases.get(phase=Phase.SELF_ASSESSMENT).ends_on == D(2026, 11, 15)


def test_adding_units_creates_one_entry_per_leaf_and_none_for_inner_nodes(province, period):
    stp, syt = period_add_units(
        actor=province.admin, period=period, units=[province.stp, province.syt]
    )
    leaves = demo_leaf_count()
    assert leaves == 53
    assert stp.entries.count() == leaves
    assert syt.entries.count() == leaves
    assert not Entry.objects.filter(node__rule_type="").exists()
    assert set(stp.entries.values_list("node__code", flat=True)) == set(
        FrameworkNode.objects.filter(framework=period.blocks.get().framework)
        .exclude(rule_type="")
        .values_list("code", flat=True)
    )
    assert AuditEvent.objects.filter(verb="assessment.create").count() == 2


def test_it_refuses_a_unit_outside_the_organizers_area(province, period):
    from parindex.accounts.services import unit_create

    other = unit_create(actor=None, code="HN-SNV", name="Sở Nội vụ Hà Nội", block=province.so)
    with pytest.raises(DomainError, match="không thuộc địa bàn"):
        period_add_units(actor=province.admin, period=period, units=[province.stp, other])
    assert not Assessment.objects.exists()


def test_it_refuses_a_unit_of_a_block_not_in_the_period(province, period):
    with pytest.raises(DomainError, match="không thuộc khối nào"):
        period_add_units(actor=province.admin, period=period, units=[province.district])


def test_it_refuses_a_unit_added_twice(province, period):
    period_add_units(actor=province.admin, period=period, units=[province.stp])
    with pytest.raises(DomainError, match="đã tham gia"):
        period_add_units(actor=province.admin, period=period, units=[province.stp])


def test_adding_a_block_lets_its_units_take_part(province, period):
    fw = make_framework(province.snv, province.huyen, year=2026)
    period_add_block(actor=province.admin, period=period, block=province.huyen, framework=fw)
    (a,) = period_add_units(actor=province.admin, period=period, units=[province.district])
    assert a.framework == fw


def test_a_unit_without_values_can_be_removed(province, period):
    (a,) = period_add_units(actor=province.admin, period=period, units=[province.stp])
    period_remove_unit(actor=province.admin, period=period, assessment=a)
    assert not Assessment.objects.exists()
    assert AuditEvent.objects.filter(verb="period.remove_unit").count() == 1


def test_a_unit_with_values_cannot_be_removed(province, period):
    (a,) = period_add_units(actor=province.admin, period=period, units=[province.stp])
    Entry.objects.filter(assessment=a, node__code="1.2").update(value="yes")
    with pytest.raises(DomainError, match="đã kê khai"):
        period_remove_unit(actor=province.admin, period=period, assessment=a)
    assert Assessment.objects.count() == 1


def test_a_closed_period_cannot_be_changed(province, period):
    period_close(actor=province.admin, period=period, reason="Đã công bố kết quả")
    with pytest.raises(DomainError, match="đã đóng"):
        period_add_units(actor=province.admin, period=period, units=[province.stp])
    assert AuditEvent.objects.get(verb="period.close").reason == "Đã công bố kết quả"
