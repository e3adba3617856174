"""Property-based checks on random frameworks and values."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.engine import (
    UnitValues,
    compute,
    framework_to_dict,
    parse_framework,
    results_to_dict,
    results_to_json,
)

from .conftest import fw_dict

MAXES = st.sampled_from([0.5, 1, 1.5, 2, 3, 4])


@st.composite
def leaf_and_value(draw: st.DrawFn, code: str) -> tuple[dict[str, Any], st.SearchStrategy[Any]]:
    mx = draw(MAXES)
    kind = draw(
        st.sampled_from(["choice", "boolean", "number", "ratio", "count", "relative", "survey"])
    )
    node: dict[str, Any] = {"code": code, "title": f"Tiêu chí {code}", "max": mx}
    if draw(st.booleans()):
        node["allow_na"] = True
    if kind == "choice":
        node["rule"] = {
            "type": "choice",
            "options": [
                {"key": "a", "label": "A", "points": mx},
                {"key": "b", "label": "B", "points": 0},
            ],
        }
    elif kind == "ratio":
        if draw(st.booleans()):
            node["rule"] = {"type": "ratio", "mode": "proportional"}
        else:
            node["rule"] = {
                "type": "ratio",
                "mode": "steps",
                "steps": [{"min_percent": 80, "points": mx}, {"min_percent": 33.33, "points": 0}],
                "when_zero": draw(st.sampled_from(["na", "full", "zero"])),
            }
    elif kind == "count":
        node["rule"] = {"type": "count", "per": draw(st.sampled_from([0.25, 0.5, 1]))}
    elif kind == "survey":
        node["rule"] = {"type": "survey"}
        node["source"] = "survey"
    else:
        node["rule"] = {"type": kind}
    return node, st.just(kind)


@st.composite
def frameworks(draw: st.DrawFn) -> dict[str, Any]:
    roots = []
    for d in range(draw(st.integers(1, 3))):
        children = []
        for c in range(draw(st.integers(1, 4))):
            if draw(st.booleans()):
                grand = [
                    draw(leaf_and_value(f"{d}.{c}.{g}"))[0] for g in range(draw(st.integers(1, 3)))
                ]
                children.append({"code": f"{d}.{c}", "title": "Nhóm", "children": grand})
            else:
                children.append(draw(leaf_and_value(f"{d}.{c}"))[0])
        root: dict[str, Any] = {"code": str(d), "title": f"Lĩnh vực {d}", "children": children}
        roots.append(root)
    data = fw_dict(*roots, bands=[{"min": 80, "label": "Tốt"}, {"min": 0, "label": "Khá"}])
    return data


def random_value(leaf: Any, rnd: random.Random) -> tuple[str, str | None]:
    if leaf.allow_na and rnd.random() < 0.1:
        return "NA", None
    kind = leaf.rule.type
    if kind == "choice":
        return rnd.choice(["a", "b"]), None
    if kind == "boolean":
        return rnd.choice(["có", "không", "yes", "0"]), None
    if kind == "number":
        return str(Decimal(rnd.randint(0, int(leaf.max * 100))) / 100), None
    if kind == "ratio":
        den = rnd.randint(0, 13)
        return str(rnd.randint(0, den)), str(den)
    if kind == "count":
        return str(rnd.randint(0, 9)), None
    if kind == "relative":
        return str(rnd.randint(0, 50)), None
    return str(Decimal(rnd.randint(0, 10000)) / 10000), None


def random_rows(fw: Any, seed: int) -> list[tuple[str, str, str | None, str | None]]:
    rnd = random.Random(seed)
    rows = []
    for u in range(rnd.randint(1, 6)):
        for leaf in fw.leaves():
            if rnd.random() < 0.85:
                value, value2 = random_value(leaf, rnd)
                rows.append((f"U{u}", leaf.code, value, value2))
    return rows


COMMON = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(frameworks())
def test_framework_survives_a_round_trip_through_its_dict(data):
    fw = parse_framework(data, source="fw.yaml")
    assert parse_framework(framework_to_dict(fw), source="again") == fw


@COMMON
@given(frameworks(), st.integers(0, 10**6))
def test_points_stay_between_zero_and_max_and_index_within_0_100(data, seed):
    fw = parse_framework(data, source="fw.yaml")
    out = results_to_dict(compute(fw, UnitValues.from_rows(fw, random_rows(fw, seed))))
    for unit in out["units"]:
        assert 0 <= unit["points"] <= unit["max"]
        assert unit["index"] is None or 0 <= unit["index"] <= 100
        for score in unit["nodes"].values():
            assert 0 <= score["points"] <= score["max"]
            assert score["index"] is None or 0 <= score["index"] <= 100


@COMMON
@given(frameworks(), st.integers(0, 10**6))
def test_rank_order_follows_index_order(data, seed):
    fw = parse_framework(data, source="fw.yaml")
    results = compute(fw, UnitValues.from_rows(fw, random_rows(fw, seed)))
    units = results.units
    for a, b in zip(units, units[1:], strict=False):
        assert a.rank <= b.rank
        if a.index is not None and b.index is not None:
            assert a.index >= b.index
            assert (a.rank == b.rank) == (a.index == b.index)
        else:
            assert b.index is None
    assert not units or units[0].rank == 1


@COMMON
@given(frameworks(), st.integers(0, 10**6), st.randoms(use_true_random=False))
def test_permuting_rows_does_not_change_results(data, seed, rnd):
    fw = parse_framework(data, source="fw.yaml")
    rows = random_rows(fw, seed)
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    first = results_to_dict(compute(fw, UnitValues.from_rows(fw, rows)))
    second = results_to_dict(compute(fw, UnitValues.from_rows(fw, shuffled)))
    assert first == second


@COMMON
@given(frameworks(), st.integers(0, 10**6))
def test_streamed_json_equals_json_dumps_of_the_results_dict(data, seed):
    fw = parse_framework(data, source="fw.yaml")
    results = compute(fw, UnitValues.from_rows(fw, random_rows(fw, seed)), {"U0": 'Sở "Một"'})
    expected = json.dumps(results_to_dict(results), indent=1, ensure_ascii=False) + "\n"
    assert results_to_json(results) == expected
