"""The period page's score columns: the self score (without survey points), the total after
appraisal (with survey points) only once the appraisal has started, and the index (Chỉ số)
of finalized assessments = final points ÷ the max of the applicable, non-bonus leaves × 100."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from parindex.assessments.models import Assessment, Entry, Status
from parindex.frameworks.models import FrameworkNode
from parindex.periods.selectors import period_detail
from parindex.periods.services import period_add_units


@pytest.fixture
def two(province, period, so_framework):
    """Sở Tư pháp and Sở Y tế in the period; in the framework (max 100) leaf 1.4 (max 1) is a
    bonus leaf and 1.3 (two leaves of 1 point) a bonus criterion."""
    FrameworkNode.objects.filter(framework=so_framework, code__in=["1.3", "1.4"]).update(bonus=True)
    stp, syt = period_add_units(
        actor=province.admin, period=period, units=[province.stp, province.syt]
    )
    return stp, syt


def _set(assessment, **fields):
    Assessment.objects.filter(pk=assessment.pk).update(**fields)


def _row(html, unit_name):
    match = re.search(rf"<tr>\s*<td>\d+</td>\s*<td><a [^>]*>{unit_name}</a>.*?</tr>", html, re.S)
    assert match, unit_name
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def test_the_index_divides_by_the_applicable_non_bonus_max(province, period, two):
    stp, _ = two
    Entry.objects.filter(assessment=stp, node__code="2.4").update(not_applicable=True)
    _set(stp, status=Status.FINALIZED, self_points=Decimal("55.75"), final_points=Decimal("81.99"))
    rows = period_detail(period)["blocks"][0].assessments
    finalized = next(a for a in rows if a.pk == stp.pk)
    # 100 - 1 (bonus leaf 1.4) - 2 (bonus criterion 1.3) - 1 (2.4 not applicable) = 96
    assert finalized.applicable_max == Decimal("96")
    assert finalized.index == Decimal(100) * Decimal("81.99") / Decimal("96")
    other = next(a for a in rows if a.pk != stp.pk)
    assert other.index is None  # still a draft


def test_drafts_show_no_total_after_appraisal_and_no_index(login, province, period, two):
    stp, syt = two
    _set(stp, self_points=Decimal("42.5"), final_points=Decimal("42.5"))
    _set(syt, status=Status.APPRAISAL_1, self_points=Decimal("60"), final_points=Decimal("58.25"))
    html = login(province.admin).get(reverse("periods:detail", args=[period.pk])).content.decode()
    assert "Tự đánh giá" in html and "(không gồm điểm điều tra)" in html
    assert "Tổng điểm sau thẩm định" in html and "(gồm điểm điều tra XHH)" in html
    assert "Đang tự đánh giá — 42,50 — — " in _row(html, "Sở Tư pháp")
    assert " 60,00 58,25 — " in _row(html, "Sở Y tế")


def test_a_finalized_assessment_shows_its_index(login, province, period, two):
    stp, _ = two
    Entry.objects.filter(assessment=stp, node__code="2.4").update(not_applicable=True)
    _set(stp, status=Status.FINALIZED, self_points=Decimal("55.75"), final_points=Decimal("81.99"))
    html = login(province.admin).get(reverse("periods:detail", args=[period.pk])).content.decode()
    assert " 55,75 81,99 85,41 " in _row(html, "Sở Tư pháp")  # 81,99 / 96 × 100
