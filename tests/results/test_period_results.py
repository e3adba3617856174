"""The organizer's results of a period: the ranking with bands, shared ranks, points vs max,
component indices, self vs final and survey points are the engine's (the bridge's live
document before the approval, labelled as a preview; the frozen snapshot after, with the
decision); the XLSX keeps typed text as text; fixed query counts; outsiders 404."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from parindex.accounts.services import unit_update
from parindex.assessments import scoring
from parindex.assessments.models import Entry
from parindex.common.numbers import round2, vn_number
from tests.results.conftest import approve, through_round_two


def _url(ns, name="period"):
    return reverse(f"results:{name}", kwargs={"period_pk": ns.period.pk})


def _ranked(response):
    (block,) = response.context["data"].blocks
    return block, {u.unit: u for u in block.units}


def test_before_approval_it_is_a_labelled_preview_of_the_engines_results(appraisal, login):
    ns = appraisal
    through_round_two(ns)
    response = login(ns.province.admin).get(_url(ns))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tạm tính — chưa phê duyệt" in html
    assert "Dữ liệu mở" not in html  # only approved results are published
    block, units = _ranked(response)
    assert not block.frozen
    document = scoring.results_document([ns.stp, ns.syt])
    scores = scoring.period_scores([ns.stp, ns.syt])
    for u in document["units"]:
        row = units[u["unit"]]
        assert (row.rank, row.band, row.index, row.points, row.max) == (
            u["rank"],
            u["band"],
            Decimal(str(u["index"])),
            Decimal(str(u["points"])),
            Decimal(str(u["max"])),
        )
        assert [c.index for c in row.domains] == [
            None
            if u["nodes"][d.code]["index"] is None
            else Decimal(str(u["nodes"][d.code]["index"]))
            for d in block.domains
        ]
        own = scores[row.assessment.pk][scoring.SELF]
        assert row.self_index == own.index
        assert row.gap == round2(row.index) - round2(own.index)
    # survey points: 1.7 (max 4) scored 3 for Sở Tư pháp, 2 for Sở Y tế; survey max 4+… of
    # the framework's survey leaves
    assert units["STP"].survey.points == Decimal("3")
    assert units["SYT"].survey.points == Decimal("2")
    stp = next(u for u in document["units"] if u["unit"] == "STP")
    assert f">{vn_number(stp['index'])}<" in html  # decimal comma
    assert 'data-col="band"' in html


def test_units_with_equal_indices_share_a_rank(appraisal, login):
    ns = appraisal  # both units sent the same declared values
    response = login(ns.province.admin).get(_url(ns))
    _block, units = _ranked(response)
    assert units["STP"].rank == units["SYT"].rank == 1
    assert units["STP"].index == units["SYT"].index


def test_after_approval_it_shows_the_frozen_snapshot_and_the_decision(approved, login):
    ns = approved
    frozen = ns.state.snapshot["blocks"]["so"]["results"]
    # a change forced past the services does not move the approved numbers
    Entry.objects.filter(assessment=ns.stp, node__code="1.6").update(round2_score=Decimal("0"))
    assert scoring.results_document([ns.stp, ns.syt]) != frozen
    response = login(ns.province.admin).get(_url(ns))
    html = response.content.decode()
    assert "Tạm tính" not in html
    assert "phê duyệt ngày 27/12/2026" in html
    assert "Quyết định công bố số <strong>345/QĐ-UBND</strong> ngày 29/12/2026" in html
    block, units = _ranked(response)
    assert block.frozen
    assert [(u.unit, u.rank, u.index, u.band) for u in block.units] == [
        (u["unit"], u["rank"], Decimal(str(u["index"])), u["band"]) for u in frozen["units"]
    ]
    assert {units["STP"].rank, units["SYT"].rank} == {1, 2}
    assert reverse("results:open_data", args=[ns.period.pk, "so"]) in html


def test_the_xlsx_has_the_ranking_as_numbers_and_typed_text_as_text(approved, login):
    ns = approved
    unit_update(actor=None, unit=ns.province.syt, name="=HYPERLINK(1)")
    ns.period.refresh_from_db()
    response = login(ns.province.admin).get(_url(ns, "period_xlsx"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["Khối sở, ban, ngành"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Xếp hạng")
    assert rows[3][0].startswith("Đã phê duyệt ngày 27/12/2026; Quyết định số 345/QĐ-UBND")
    data = {r[1]: r for r in rows[header + 1 :]}
    frozen = {u["unit"]: u for u in ns.state.snapshot["blocks"]["so"]["results"]["units"]}
    for code in ("STP", "SYT"):
        assert data[code][0] == frozen[code]["rank"]
        assert data[code][6] == frozen[code]["index"]
        assert isinstance(data[code][6], float)
    # the name in the snapshot is the approved one; a typed name is text, never a formula
    assert data["SYT"][2] == "Sở Y tế"
    ns.state.snapshot["blocks"]["so"]["results"]["units"][0]["name"] = "=HYPERLINK(1)"
    ns.state.save(update_fields=["snapshot"])
    response = login(ns.province.admin).get(_url(ns, "period_xlsx"))
    wb = load_workbook(io.BytesIO(response.content))
    cells = [c for row in wb.active.iter_rows() for c in row if c.value == "=HYPERLINK(1)"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_page_runs_a_fixed_number_of_queries(approved, login, django_assert_num_queries):
    """Session, user, period (+ calendar), roles, state, blocks, assessments, entries, the
    units not sent, the menu's council seat — whatever the number of units; once approved the
    publication panel adds its two (the appraisal state, the publications)."""
    ns = approved
    client = login(ns.province.admin)
    client.get(_url(ns))  # warm the framework cache
    with django_assert_num_queries(13):
        assert client.get(_url(ns)).status_code == 200
    with django_assert_num_queries(10):  # no menu
        assert client.get(_url(ns, "period_xlsx")).status_code == 200


def test_before_approval_one_more_query_per_block(appraisal, login, django_assert_num_queries):
    ns = appraisal
    client = login(ns.province.admin)
    client.get(_url(ns))
    with django_assert_num_queries(12):  # the live results document reads its entries
        assert client.get(_url(ns)).status_code == 200


def test_units_and_the_council_do_not_reach_a_periods_results(approved, login):
    ns = approved
    for user in (ns.province.officer, ns.province.leader, ns.province.appraiser, ns.province.chair):
        client = login(user)
        for name in ("period", "period_xlsx"):
            assert client.get(_url(ns, name)).status_code == 404, (user, name)
        url = reverse("results:open_data", args=[ns.period.pk, "so"])
        assert client.get(url).status_code == 404
    # the district's admin does not read the province's period
    assert login(ns.province.district_admin).get(_url(ns)).status_code == 404


def test_the_open_data_zip_is_offered_only_once_approved(appraisal, login):
    ns = appraisal
    through_round_two(ns)
    client = login(ns.province.admin)
    url = reverse("results:open_data", args=[ns.period.pk, "so"])
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == _url(ns)
    assert "chưa được Chủ tịch Hội đồng phê duyệt" in response.content.decode()
    approve(ns)
    response = login(ns.province.admin).get(url)  # the clock moved past the session
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    folder = "du-lieu-mo-SNV-2026-so/"
    assert sorted(n.removeprefix(folder) for n in names) == sorted(
        ["framework.yaml", "units.csv", "values.csv", "results.json", "manifest.json"]
    )
