"""The unit's own results: only once approved for its officer and leader (a message before),
the organizer's preview before; final per leaf with self / round 1 / round 2 / survey side
by side, the council's reasons, rank and band from the snapshot; last year's figures matched
by criterion code; fixed query counts; another unit, the council and contributors 404."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from parindex.appraisal.models import PeriodAppraisal
from parindex.assessments import scoring
from parindex.assessments.models import Assessment, Status
from parindex.assessments.participation import period_add_units
from parindex.common.numbers import round2
from tests.periods.factories import make_framework, make_period
from tests.results.conftest import approve, through_round_two


def _url(assessment):
    return reverse("results:unit", kwargs={"assessment_pk": assessment.pk})


def _rows(response):
    return {r.code: r for r in response.context["data"].rows}


def test_before_approval_the_unit_reads_that_results_are_not_approved(appraisal, login):
    ns = appraisal
    through_round_two(ns)
    for user in (ns.province.officer, ns.province.leader):
        response = login(user).get(_url(ns.stp))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Kết quả Chỉ số CCHC của đơn vị chưa được phê duyệt" in html
        assert 'id="unit-index"' not in html and 'id="leaves"' not in html


def test_the_organizer_sees_a_labelled_preview_before_approval(appraisal, login):
    ns = appraisal
    through_round_two(ns)
    response = login(ns.province.admin).get(_url(ns.stp))
    html = response.content.decode()
    assert "Tạm tính — chưa phê duyệt" in html
    live = next(
        u for u in scoring.results_document([ns.stp, ns.syt])["units"] if u["unit"] == "STP"
    )
    assert response.context["data"].index == Decimal(str(live["index"]))


def test_after_approval_the_unit_sees_every_score_side_by_side(approved, login):
    ns = approved
    response = login(ns.province.officer).get(_url(ns.stp))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quyết định số <strong>345/QĐ-UBND</strong> ngày 29/12/2026" in html
    frozen = next(
        u for u in ns.state.snapshot["blocks"]["so"]["results"]["units"] if u["unit"] == "STP"
    )
    data = response.context["data"]
    assert (data.rank, data.band, data.index, data.units) == (
        frozen["rank"],
        frozen["band"],
        Decimal(str(frozen["index"])),
        2,
    )
    rows = _rows(response)
    # 1.6: declared 9/10 (max 1) → 0,9; round 1 adjusted to 1/2 with a reason; round 2 kept it
    r16 = rows["1.6"]
    assert (r16.self_points, r16.round1, r16.round2) == (
        Decimal("0.9"),
        Decimal("0.5"),
        Decimal("0.5"),
    )
    assert r16.final.points == Decimal(str(frozen["nodes"]["1.6"]["points"])) == Decimal("0.5")
    assert [(x.round, x.kind, x.text) for x in r16.reasons] == [
        (1, "Điều chỉnh", "Chỉ chứng minh 1/2")
    ]
    # 1.2: a request in round 1, accepted in round 2
    assert rows["1.2"].reasons[0].text == "Bổ sung quyết định ban hành kế hoạch"
    assert rows["1.2"].round2 == rows["1.2"].final.points
    # 1.7: a survey leaf — no self score, the survey points
    assert rows["1.7"].self_note == "điều tra XHH" and rows["1.7"].self_points is None
    assert rows["1.7"].survey_points == Decimal("3") == rows["1.7"].final.points
    # a leaf nobody adjusted: round 1 agreed, no round 2
    assert rows["1.4"].is_leaf and rows["1.4"].round2 is None
    assert rows["1.4"].round1 == rows["1.4"].self_points == rows["1.4"].final.points
    assert "Chỉ chứng minh 1/2" in html and "0,9" in html
    # no appraiser's name reaches the unit
    assert ns.appraiser2.full_name not in html
    assert response.context["data"].domains[0].final.index == Decimal(
        str(frozen["nodes"]["1"]["index"])
    )
    assert "Không có kết quả đã phê duyệt của năm trước" in html


def test_last_years_approved_figures_stand_beside_this_years(approved, login, province):
    ns = approved
    fw = make_framework(province.snv, province.so, year=2025)
    last = make_period(province, year=2025, frameworks={province.so: fw}, council=False)
    (prev,) = period_add_units(actor=province.admin, period=last, units=[province.stp])
    Assessment.objects.filter(pk=prev.pk).update(status=Status.FINALIZED)
    prev.refresh_from_db()
    document = scoring.results_document([prev])
    document["units"][0]["nodes"]["1.6"]["points"] = 0.25
    PeriodAppraisal.objects.create(
        period=last,
        review=PeriodAppraisal.Review.APPROVED,
        snapshot={"blocks": {"so": {"block": "Khối sở", "results": document}}},
    )
    response = login(ns.province.leader).get(_url(ns.stp))
    html = response.content.decode()
    data = response.context["data"]
    assert data.last.index == Decimal(str(document["units"][0]["index"]))
    assert data.last.rank == 1 and data.last.units == 1
    assert _rows(response)["1.6"].last.points == Decimal("0.25")
    assert "Năm 2025" in html


def test_another_unit_the_council_and_others_do_not_reach_it(approved, login):
    ns = approved
    for user in (ns.province.outsider, ns.province.appraiser, ns.appraiser2, ns.province.chair,
                 ns.province.district_admin, ns.province.commune_officer):  # fmt: skip
        assert login(user).get(_url(ns.stp)).status_code == 404, user
    assert login(ns.syt_leader).get(_url(ns.syt)).status_code == 200


def test_the_page_runs_a_fixed_number_of_queries(approved, login, django_assert_num_queries):
    """Session, user, assessment (+ calendar), roles, state, the block's assessments, their
    entries, the decisions, last year's assessment, the menu's council seat."""
    ns = approved
    client = login(ns.province.officer)
    client.get(_url(ns.stp))
    with django_assert_num_queries(11):
        assert client.get(_url(ns.stp)).status_code == 200


def test_the_list_links_the_units_results_only_once_approved(appraisal, login):
    ns = appraisal
    through_round_two(ns)
    client = login(ns.province.officer)
    assert "Kết quả Chỉ số CCHC" in client.get(reverse("home")).content.decode()
    html = client.get(reverse("results:mine")).content.decode()
    assert "Kết quả chưa được phê duyệt" in html and _url(ns.stp) not in html
    approve(ns)
    client = login(ns.province.officer)
    html = client.get(reverse("results:mine")).content.decode()
    assert _url(ns.stp) in html
    assert _url(ns.syt) not in html  # another unit's
    workspace = client.get(reverse("assessments:workspace", args=[ns.stp.pk])).content.decode()
    assert _url(ns.stp) in workspace
    admin = login(ns.province.admin).get(reverse("results:mine")).content.decode()
    assert reverse("results:period", args=[ns.period.pk]) in admin and "Đã phê duyệt" in admin


def test_each_domain_stands_beside_the_blocks_mean_and_best(approved, login):
    ns = approved
    response = login(ns.province.leader).get(_url(ns.stp))
    data = response.context["data"]
    frozen = ns.state.snapshot["blocks"]["so"]["results"]["units"]
    for row in data.domains:
        field = "points" if row.bonus else "index"
        values = [
            Decimal(str(u["nodes"][row.code][field]))
            for u in frozen
            if u["nodes"][row.code][field] is not None
        ]
        assert row.block_best == (max(values) if values else None)
        mean = sum(values, Decimal(0)) / len(values) if values else None
        assert row.block_mean == (round2(mean) if mean is not None else None)
    html = response.content.decode()
    assert "Bình quân khối" in html and "Cao nhất khối" in html
