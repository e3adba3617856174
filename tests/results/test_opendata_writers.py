"""The open data's writers, which stream for a national block (bench/national.py), give the
same bytes as the plain ways of writing them: results.json as ``json.dumps(indent=1,
ensure_ascii=False)`` of the document in the calculator's key order, values.csv as the
bridge's final rows of every entry read at once."""

from __future__ import annotations

import copy
import csv
import io
import json

import pytest

from parindex.assessments import scoring
from parindex.assessments.models import Assessment
from parindex.common.errors import DomainError
from parindex.frameworks.selectors import framework_to_engine
from parindex.results import opendata


def _reference_json(document, fw):
    codes = [n.code for n in fw.iter_nodes()]
    keys = ("unit", "name", "points", "max", "index", "band", "rank")
    ordered = {
        "format": document["format"],
        "framework": {k: document["framework"][k] for k in ("code", "title", "max")},
        "units": [
            {
                **{k: u[k] for k in keys},
                "nodes": {
                    c: {k: u["nodes"][c][k] for k in ("points", "max", "index")} for c in codes
                },
            }
            for u in document["units"]
        ],
        "summary": {
            k: document["summary"][k] for k in ("units", "mean_index", "min_index", "max_index")
        },
    }
    return json.dumps(ordered, indent=1, ensure_ascii=False) + "\n"


def _reference_csv(items):
    fw = framework_to_engine(items[0].framework)
    data = scoring.entry_data(a.pk for a in items)
    units = {a.unit.code: data.get(a.pk, []) for a in items}
    rows, _ = scoring.values_rows(fw, units, scoring.FINAL, period=True)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["unit", "criterion", "value", "value2", "points"])
    writer.writerows([(*r[:4], r[4] or "") for r in rows])
    return out.getvalue()


@pytest.fixture
def frozen(approved):
    document = approved.state.snapshot["blocks"]["so"]["results"]
    fw = framework_to_engine(approved.stp.framework)
    return document, fw


def test_results_json_is_json_dumps_of_the_ordered_document(frozen):
    document, fw = frozen
    assert opendata.results_json(document, fw) == _reference_json(document, fw)
    assert opendata.results_json_bytes(document, fw) == _reference_json(document, fw).encode()


def test_results_json_writes_any_value_as_json_dumps_does(frozen):
    document, fw = frozen
    odd = copy.deepcopy(document)
    # keys in another order (a PostgreSQL jsonb snapshot keeps none)
    odd["units"][0] = dict(reversed(list(odd["units"][0].items())))
    u = odd["units"][0]
    u["name"] = 'Sở "Tư pháp"\\ \n\t — ①'
    u["band"] = None
    u["index"] = None
    u["points"] = 3  # an int where the calculator writes a float
    u["rank"] = True
    first = next(iter(u["nodes"]))
    u["nodes"][first]["index"] = {"nested": [1, 2.5, None, "ê"], "empty": {}}
    u["nodes"][first]["max"] = float("inf")
    odd["summary"]["mean_index"] = -0.0
    odd["framework"]["title"] = "Bộ tiêu chí\n2026"
    assert opendata.results_json(odd, fw) == _reference_json(odd, fw)
    empty = {**odd, "units": [], "summary": {**odd["summary"], "units": 0}}
    assert opendata.results_json(empty, fw) == _reference_json(empty, fw)


def test_results_json_refuses_a_document_of_another_framework(frozen):
    document, fw = frozen
    odd = copy.deepcopy(document)
    odd["units"][1]["nodes"].pop(next(iter(odd["units"][1]["nodes"])))
    with pytest.raises(DomainError, match="không khớp bộ tiêu chí"):
        opendata.results_json(odd, fw)
    odd = copy.deepcopy(document)
    odd["units"][0]["nodes"]["9.9.9"] = {"points": 0.0, "max": 0.0, "index": None}
    with pytest.raises(DomainError, match="không khớp bộ tiêu chí"):
        opendata.results_json(odd, fw)


def test_values_csv_streamed_is_every_entry_read_at_once(approved):
    items = list(
        Assessment.objects.filter(period=approved.period)
        .select_related("unit", "framework")
        .order_by("unit__code")
    )
    expected = _reference_csv(items)
    assert "STP,1.6,9,10,0.500000" in expected.splitlines()
    assert scoring.values_csv(items, scoring.FINAL) == expected
    data = scoring.entry_data(a.pk for a in items)
    assert scoring.values_csv(items, scoring.FINAL, data=data) == expected
    # an assessment without any entry still gets the blank row the engine needs
    data.pop(items[0].pk)
    blank = scoring.values_csv(items, scoring.FINAL, data=data).splitlines()
    assert blank[1].startswith(f"{items[0].unit.code},")
    assert blank[1].endswith(",,,0")


def test_the_check_compares_the_whole_text():
    assert opendata._same_text(["ab", "ç"], "abç".encode())
    assert not opendata._same_text(["ab"], "abç".encode())
    assert not opendata._same_text(["ab", "çd"], "abç".encode())
    assert not opendata._same_text(["ax", "ç"], "abç".encode())
