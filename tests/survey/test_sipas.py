"""SIPAS per block (spec §7): each unit's factor indices and index from the engine, the
page (sortable, query count pinned) and its XLSX."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from parindex.survey.models import UnitVoid
from parindex.survey.selectors.sipas import sipas_table
from tests.survey.test_points_world import expected_units, load_world

pytestmark = pytest.mark.django_db


def url(name, surveyed):
    return reverse(f"survey:{name}", kwargs={"survey_pk": surveyed.survey.pk})


def test_factor_indices_and_sipas_are_the_examples(surveyed):
    load_world(surveyed)
    table = sipas_table(surveyed.survey)
    expected = expected_units()
    codes = [f.code for f in table.factors]
    assert codes == list(expected["STP"]["sipas"]["factors"])
    for row in table.rows:
        want = expected[row.assessment.unit.code]
        assert row.responses == want["responses"]
        assert row.sipas == Decimal(str(want["sipas"]["index"])).quantize(Decimal("0.01"))
        assert dict(zip(codes, row.factors, strict=True)) == {
            c: Decimal(str(v)).quantize(Decimal("0.01"))
            for c, v in want["sipas"]["factors"].items()
        }


def test_sorting_and_a_voided_unit(surveyed):
    load_world(surveyed)
    assert [r.assessment.unit.code for r in sipas_table(surveyed.survey, "-sipas").rows] == [
        "STP", "SYT"
    ]  # fmt: skip
    assert [r.assessment.unit.code for r in sipas_table(surveyed.survey, "sipas").rows] == [
        "SYT", "STP"
    ]  # fmt: skip
    assert sipas_table(surveyed.survey, "f:thu_tuc").rows[0].assessment.unit.code == "SYT"
    assert sipas_table(surveyed.survey, "bogus").sort == "unit"
    UnitVoid.objects.create(survey=surveyed.survey, unit=surveyed.province.stp, reason="Can thiệp")
    rows = sipas_table(surveyed.survey, "-sipas").rows
    assert [r.assessment.unit.code for r in rows] == ["SYT", "STP"]
    assert rows[1].voided and rows[1].sipas is None and rows[1].responses == 0


def test_the_page_and_its_xlsx(surveyed, login, django_assert_max_num_queries):
    load_world(surveyed)
    client = login(surveyed.province.admin)
    with django_assert_max_num_queries(11):
        response = client.get(url("points_sipas", surveyed), {"sort": "-sipas"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "83,00" in html and "82,61" in html and "84,21" in html
    assert html.index('data-unit="STP"') < html.index('data-unit="SYT"')
    assert "?sort=sipas" in html  # the active column sorts the other way next
    response = client.get(url("points_sipas_xlsx", surveyed), {"sort": "sipas"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[3][-1] == "Chỉ số SIPAS"
    assert [r[1] for r in rows[4:]] == ["SYT", "STP"]
    assert Decimal(str(rows[5][-1])) == Decimal("83.00")
