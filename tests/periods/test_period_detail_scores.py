"""The period page's score columns: the self score (without survey points), the total after
appraisal (with survey points) only once the appraisal has started, and the index (Chỉ số)
of finalized assessments = final points ÷ the max of the applicable, non-bonus leaves × 100."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from parindex.assessments import scoring
from parindex.assessments.models import Assessment, Entry, Status
from parindex.assessments.participation import period_add_units
from parindex.assessments.period_selectors import period_detail
from parindex.assessments.services import entry_record
from parindex.common.numbers import vn_number
from parindex.frameworks.models import Framework, FrameworkNode
from tests.assessments.test_entry_record import _entry
from tests.assessments.test_entry_record import at_work as at_work  # noqa: F401 - fixture


@pytest.fixture
def two(province, period, so_framework):
    """Sở Tư pháp and Sở Y tế in the period; in the framework (max 100) leaf 1.4 (max 1) is a
    bonus leaf and 1.3 (two leaves of 1 point) a bonus criterion."""
    FrameworkNode.objects.filter(framework=so_framework, code__in=["1.3", "1.4"]).update(bonus=True)
    # domain 1 no longer declares its max (13 with the bonus leaves); a new content version
    FrameworkNode.objects.filter(framework=so_framework, code="1").update(max=None)
    Framework.objects.filter(pk=so_framework.pk).update(etag=uuid.uuid4())
    so_framework.refresh_from_db()
    stp, syt = period_add_units(
        actor=province.admin, period=period, units=[province.stp, province.syt]
    )
    return stp, syt


def _set(assessment, **fields):
    Assessment.objects.filter(pk=assessment.pk).update(**fields)


def _appraise(assessment, *, half: bool = True) -> Decimal:
    """Round 2 gives every leaf half its max (survey leaves: their full max as survey points),
    2.4 is not applicable. Returns the final points (bonus points included)."""
    total = Decimal(0)
    for e in Entry.objects.filter(assessment=assessment).select_related("node"):
        if e.node.code == "2.4":
            e.value, e.not_applicable = "NA", True
        elif e.node.source == FrameworkNode.Source.SURVEY:
            e.survey_score = e.node.max
            total += e.node.max
        else:
            e.round2_score = e.node.max / 2
            total += e.node.max / 2
        e.save()
    return total


def _row(html, unit_name):
    match = re.search(rf"<tr>\s*<td>\d+</td>\s*<td><a [^>]*>{unit_name}</a>.*?</tr>", html, re.S)
    assert match, unit_name
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def test_the_index_divides_by_the_applicable_non_bonus_max(province, period, two):
    stp, _ = two
    final = _appraise(stp)
    _set(stp, status=Status.FINALIZED)
    rows = period_detail(period)["blocks"][0].assessments
    finalized = next(a for a in rows if a.pk == stp.pk)
    # 100 - 1 (bonus leaf 1.4) - 2 (bonus criterion 1.3) - 1 (2.4 not applicable) = 96
    scores = finalized.scores[scoring.FINAL]
    assert scores.max == Decimal("96")
    assert finalized.final_points == final  # the bonus points count, their max does not
    assert finalized.index == scores.index
    assert abs(scores.index - Decimal(100) * final / Decimal("96")) < Decimal("1e-19")
    other = next(a for a in rows if a.pk != stp.pk)
    assert other.index is None  # still a draft


def test_drafts_show_no_total_after_appraisal_and_no_index(login, province, period, two, at_work):
    stp, syt = two
    entry_record(actor=province.officer, entry=_entry(stp, "1.2"), value="có")
    entry_record(actor=province.officer, entry=_entry(stp, "1.6"), value="3", value2="4")
    own = _entry(stp, "1.2").node.max + _entry(stp, "1.6").node.max * 3 / 4
    Entry.objects.filter(assessment=syt, node__code="1.2").update(value="có", round1_score=0)
    _set(syt, status=Status.APPRAISAL_1)
    html = login(province.admin).get(reverse("periods:detail", args=[period.pk])).content.decode()
    assert "Tự đánh giá" in html and "(không gồm điểm điều tra)" in html
    assert "Tổng điểm sau thẩm định" in html and "(gồm điểm điều tra XHH)" in html
    assert f"Đang tự đánh giá — {vn_number(own)} — — " in _row(html, "Sở Tư pháp")
    syt_own = vn_number(_entry(syt, "1.2").node.max)
    assert f" {syt_own} 0,00 — " in _row(html, "Sở Y tế")


def test_a_finalized_assessment_shows_its_index(login, province, period, two):
    stp, _ = two
    final = _appraise(stp)
    _set(stp, status=Status.FINALIZED)
    html = login(province.admin).get(reverse("periods:detail", args=[period.pk])).content.decode()
    index = vn_number(Decimal(100) * final / Decimal("96"))
    assert f" {vn_number(final)} {index} " in _row(html, "Sở Tư pháp")
