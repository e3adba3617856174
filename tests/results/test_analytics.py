"""The analytics of a period's results: the heat map, self vs appraised gaps (per unit and per
criterion), the weakest criteria, the trends over the earlier approved years (criteria
matched by code, a changed one marked) and the distribution — every figure the results
document's (the approved snapshot here) or the bridge's self stage; its XLSX keeps typed text
as text; fixed query counts; outsiders 404."""

from __future__ import annotations

import copy
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from parindex.accounts.services import unit_update
from parindex.appraisal.models import PeriodAppraisal
from parindex.assessments import scoring
from parindex.common.numbers import round2, vn_number
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.selectors import framework_to_engine
from parindex.results.selectors.analytics import period_analytics
from tests.periods.factories import make_period


def _url(ns, name="analytics"):
    return reverse(f"results:{name}", kwargs={"period_pk": ns.period.pk})


def _frozen(ns):
    return ns.state.snapshot["blocks"]["so"]["results"]


def _d(value):
    return None if value is None else Decimal(str(value))


def _leaf_shares(document, leaves):
    """Per leaf code, the mean share of the max (%) computed here by hand from the document."""
    shares: dict[str, list[Decimal]] = {}
    for u in document["units"]:
        for code, n in u["nodes"].items():
            if code in leaves and n["max"]:
                shares.setdefault(code, []).append(_d(n["points"]) / _d(n["max"]) * 100)
    return {c: round2(sum(v) / len(v)) for c, v in shares.items()}


def test_the_heat_map_and_the_domain_means_are_the_snapshots(approved, login):
    ns = approved
    response = login(ns.province.admin).get(_url(ns))
    assert response.status_code == 200
    (block,) = response.context["blocks"]
    frozen = _frozen(ns)
    by_unit = {u["unit"]: u for u in frozen["units"]}
    for row in block.heat:
        assert [c.index for c in row.domains] == [
            _d(by_unit[row.unit]["nodes"][d.code]["index"]) for d in block.domains
        ]
    for i, d in enumerate(block.domains):
        field = "points" if d.bonus else "index"  # a bonus domain shows its points
        values = [_d(u["nodes"][d.code][field]) for u in frozen["units"]]
        values = [v for v in values if v is not None]
        assert block.domain_means[i] == (round2(sum(values) / len(values)) if values else None)
    html = response.content.decode()
    first = block.heat[0].domains[0].index
    assert f">{vn_number(first)}<" in html and "pi-heat-" in html
    assert "Bản đồ nhiệt".lower() in html.lower()


def test_the_weakest_criteria_have_the_lowest_mean_share(approved):
    ns = approved
    (block,) = period_analytics(ns.period)
    leaves = {leaf.code for leaf in framework_to_engine(ns.stp.framework).leaves()}
    expected = _leaf_shares(_frozen(ns), leaves)
    by_code = {c.code: c for c in block.criteria}
    for code, share in expected.items():
        assert by_code[code].mean_share == share
    weakest = block.weakest
    assert weakest
    assert weakest[0].mean_share == min(expected.values())
    assert [c.mean_share for c in weakest] == sorted(c.mean_share for c in weakest)


def test_the_criterion_the_council_cut_shows_as_inflated(approved):
    """Sở Tư pháp self-scored 1.6 at 9/10 and the council adjusted it to 1/2."""
    ns = approved
    (block,) = period_analytics(ns.period)
    own = scoring.period_scores([ns.stp, ns.syt], (scoring.SELF,))
    frozen = {u["unit"]: u for u in _frozen(ns)["units"]}
    leaf = next(c for c in block.criteria if c.code.startswith("1.6"))
    gaps = []
    for a in (ns.stp, ns.syt):
        self_points = own[a.pk][scoring.SELF].leaves.get(leaf.code)
        final = _d(frozen[a.unit.code]["nodes"][leaf.code]["points"])
        if self_points is not None and final is not None:
            gaps.append(round2(self_points) - final)
    assert leaf.mean_gap == round2(sum(gaps) / len(gaps)) and leaf.mean_gap > 0
    assert leaf.code in [c.code for c in block.inflated]
    stp = next(g for g in block.unit_gaps if g.unit == "STP")
    assert stp.gap == round2(stp.self_index) - round2(stp.index)


def test_trends_match_criteria_by_code_and_mark_a_changed_one(approved, login):
    ns = approved
    p = ns.province
    earlier = make_period(p, year=2025, council=False, name="Xác định Chỉ số CCHC năm 2025")
    pb = earlier.blocks.select_related("framework").get()
    leaf = FrameworkNode.objects.filter(framework=pb.framework, code="1.1.1").get()
    FrameworkNode.objects.filter(pk=leaf.pk).update(title="Nội dung cũ của tiêu chí 1.1.1")
    old = copy.deepcopy(ns.state.snapshot)
    doc = old["blocks"]["so"]["results"]
    for u in doc["units"]:
        if u["unit"] == "STP":
            u["index"], u["rank"] = 71.25, 2
    PeriodAppraisal.objects.update_or_create(
        period=earlier, defaults={"review": PeriodAppraisal.Review.APPROVED, "snapshot": old}
    )
    (block,) = period_analytics(ns.period)
    assert block.years == [2025, 2026]
    stp = next(t for t in block.unit_trends if t.unit == "STP")
    assert stp.years[0].index == Decimal("71.25") and stp.years[0].rank == 2
    assert stp.years[1].index == _d(
        next(u for u in _frozen(ns)["units"] if u["unit"] == "STP")["index"]
    )
    trend = next(t for t in block.criterion_trends if t.code == "1.1.1")
    assert trend.changed == [True, False]
    unchanged = next(t for t in block.criterion_trends if t.code != "1.1.1")
    assert unchanged.changed == [False, False]
    html = login(p.admin).get(_url(ns)).content.decode()
    assert "Qua các năm" in html and 'id="trend-units-so"' in html
    assert "71,25" in html


def test_without_an_earlier_year_the_page_says_so(approved, login):
    html = login(approved.province.admin).get(_url(approved)).content.decode()
    assert "Chưa có kết quả năm trước" in html


def test_the_distribution_counts_every_ranked_unit(approved):
    (block,) = period_analytics(approved.period)
    assert sum(b.units for b in block.histogram) == len(block.heat) == 2
    assert [b.label for b in block.histogram][:2] == ["0–10", "10–20"]


def test_the_xlsx_has_the_tables_and_typed_text_as_text(approved, login):
    ns = approved
    unit_update(actor=None, unit=ns.province.syt, name="=HYPERLINK(1)")
    response = login(ns.province.admin).get(_url(ns, "analytics_xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    wb = load_workbook(io.BytesIO(response.content))
    names = wb.sheetnames
    assert names[0] == "Giới thiệu" and any("tiêu chí" in n for n in names)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert not any(c.data_type == "f" for c in cells)
    (block,) = period_analytics(ns.period)
    heat = next(wb[n] for n in names if "bản đồ" in n)
    values = [[c.value for c in row] for row in heat.iter_rows()]
    stp = next(r for r in values if r[1] == "STP")
    assert stp[3] == float(round2(next(u for u in block.heat if u.unit == "STP").index))


def test_the_page_runs_a_fixed_number_of_queries(approved, login, django_assert_num_queries):
    ns = approved
    client = login(ns.province.admin)
    client.get(_url(ns))  # warm the framework cache
    with django_assert_num_queries(14):
        assert client.get(_url(ns)).status_code == 200


def test_outsiders_get_404(approved, login):
    ns = approved
    for user in (ns.province.officer, ns.province.outsider, ns.province.district_admin):
        client = login(user)
        for name in ("analytics", "analytics_xlsx"):
            assert client.get(_url(ns, name)).status_code == 404, (user, name)
