"""The survey's exports: the raw responses (spec §6, anonymous), the results JSON
(``parindex.survey-results/v1``) and the summary XLSX — and ``parindex survey`` on the
exported definition and responses gives exactly the exported JSON and the stored points."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
import yaml
from django.urls import reverse
from openpyxl import load_workbook

from parindex import engine
from parindex.cli import main as parindex_main
from parindex.survey.definition import engine_survey
from parindex.survey.models import Response, UnitVoid
from parindex.survey.services.points import survey_points_refresh
from tests.survey.test_points_world import load_world, survey_maxima, survey_scores

pytestmark = pytest.mark.django_db


def url(name, surveyed):
    return reverse(f"survey:{name}", kwargs={"survey_pk": surveyed.survey.pk})


def get_csv(client, surveyed) -> str:
    response = client.get(url("points_export_responses", surveyed))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content).decode("utf-8")


def test_the_responses_export_is_anonymous_and_in_the_spec_format(surveyed, login):
    world = load_world(surveyed)
    flagged = world["STP"][1]
    Response.objects.filter(pk=flagged.pk).update(status=Response.Status.FLAGGED, phone="0912")
    text = get_csv(login(surveyed.province.admin), surveyed)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(engine.RESPONSE_COLUMNS)
    codes = list(dict.fromkeys(r[0] for r in rows[1:]))
    assert codes == [f"P{i:06d}" for i in range(1, len(codes) + 1)]
    assert len(codes) == Response.objects.count()
    ids = {str(pk) for pk in Response.objects.values_list("pk", flat=True)}
    assert not ids & set(codes)
    assert "0912" not in text and "serial" not in text
    # responses in stored order: the flagged one is the second of STP's, exported as void
    order = list(Response.objects.order_by("pk").values_list("pk", flat=True))
    code = f"P{order.index(flagged.pk) + 1:06d}"
    assert {r[5] for r in rows[1:] if r[0] == code} == {"void"}
    voids = set(Response.objects.filter(status="void").values_list("pk", flat=True))
    exported_void = {r[0] for r in rows[1:] if r[5] == "void"}
    assert exported_void == {f"P{order.index(pk) + 1:06d}" for pk in voids | {flagged.pk}}
    assert text.endswith("\r\n")


def test_a_voided_units_responses_export_as_void(surveyed, login):
    load_world(surveyed)
    UnitVoid.objects.create(survey=surveyed.survey, unit=surveyed.province.syt, reason="Can thiệp")
    rows = list(csv.DictReader(io.StringIO(get_csv(login(surveyed.province.admin), surveyed))))
    assert {r["status"] for r in rows if r["unit"] == "SYT"} == {"void"}
    assert "valid" in {r["status"] for r in rows if r["unit"] == "STP"}


def test_the_engine_cli_on_the_exports_gives_the_exported_json_and_the_points(
    surveyed, login, tmp_path, capsys
):
    world = load_world(surveyed)
    Response.objects.filter(pk=world["SYT"][0].pk).update(status=Response.Status.FLAGGED)
    survey_points_refresh(actor=surveyed.province.admin, survey=surveyed.survey)
    client = login(surveyed.province.admin)
    (tmp_path / "survey.yaml").write_text(
        yaml.safe_dump(surveyed.survey.definition, allow_unicode=True), encoding="utf-8"
    )
    exported_yaml = client.get(url("points_export_definition", surveyed)).content
    assert yaml.safe_load(exported_yaml) == surveyed.survey.definition
    (tmp_path / "responses.csv").write_text(get_csv(client, surveyed), encoding="utf-8")
    response = client.get(url("points_export_results", surveyed))
    assert response.status_code == 200
    exported = json.loads(response.content)
    assert exported["format"] == "parindex.survey-results/v1"

    args = ["survey", str(tmp_path / "survey.yaml"), str(tmp_path / "responses.csv")]
    assert parindex_main([*args, "-o", str(tmp_path / "out.json")]) == 0
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == exported
    # and the stored points are the CLI's values × max
    assert parindex_main([*args, "--format", "values", "-o", str(tmp_path / "v.csv")]) == 0
    values = {
        (r["unit"], r["criterion"]): Decimal(r["value"])
        for r in csv.DictReader((tmp_path / "v.csv").open(encoding="utf-8"))
    }
    for assessment, code in ((surveyed.stp, "STP"), (surveyed.syt, "SYT")):
        maxima = survey_maxima(assessment)
        for leaf, points in survey_scores(assessment).items():
            value = values.get((code, leaf))
            assert points == (None if value is None else value * maxima[leaf])
            if points is not None:
                assert points / maxima[leaf] == value
    # the exported JSON is the engine's document on the exported rows
    assert exported["responses"]["void"] == Response.objects.exclude(status="valid").count()
    es = engine_survey(surveyed.survey)
    assert {u["unit"] for u in exported["units"]} == {"STP", "SYT"}
    assert es.code == exported["survey"]["code"]


def test_the_summary_xlsx_has_a_row_per_unit(surveyed, login):
    load_world(surveyed)
    survey_points_refresh(actor=surveyed.province.admin, survey=surveyed.survey)
    response = login(surveyed.province.admin).get(url("points_export_summary", surveyed))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    headers = rows[3]
    assert headers[:4] == ("STT", "Mã đơn vị", "Đơn vị", "Số phiếu hợp lệ")
    assert "Chỉ số SIPAS" in headers
    body = {r[1]: r for r in rows[4:]}
    assert set(body) == {"STP", "SYT"}
    stp = body["STP"]
    assert stp[3] == 35
    col = headers.index("1.7: điểm (tối đa 4)")
    assert Decimal(str(stp[col])) == survey_scores(surveyed.stp)["1.7"]
    sipas = headers.index("Chỉ số SIPAS")
    assert Decimal(str(stp[sipas])) == Decimal("83.00")  # so-demo-survey-results.json
    assert Decimal(str(body["SYT"][sipas])) == Decimal("82.61")
