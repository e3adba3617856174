"""Values files, aggregation, ranking, bands, rounding (spec sections 2 and 3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex.engine import InvalidInput, UnitValues, compute, load_values, results_to_dict
from parindex.engine.results import round2

from .conftest import group, leaf, make_fw, score

D = Decimal
BOOL = {"type": "boolean"}
NUMBER = {"type": "number"}
PROP = {"type": "ratio", "mode": "proportional"}


def problems_of(fw, rows):  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as info:
        UnitValues.from_rows(fw, rows, source="values.csv", start=2)
    return [str(p) for p in info.value.problems]


def test_unit_index_is_points_over_max_with_every_node_listed():
    fw = make_fw(group("1", leaf("1.1", BOOL, 2), leaf("1.2", NUMBER, 2)), leaf("2", BOOL, 1))
    out = results_to_dict(score(fw, [("A", "1.1", "có", None), ("A", "1.2", "1", None)]))
    unit = out["units"][0]
    assert (unit["points"], unit["max"], unit["index"]) == (3.0, 5.0, 60.0)
    assert list(unit["nodes"]) == ["1", "1.1", "1.2", "2"]
    assert unit["nodes"]["1"] == {"points": 3.0, "max": 4.0, "index": 75.0}
    assert unit["nodes"]["2"] == {"points": 0.0, "max": 1.0, "index": 0.0}


def test_not_applicable_leaf_counts_neither_points_nor_max():
    fw = make_fw(leaf("1", BOOL, 2, allow_na=True), leaf("2", BOOL, 2))
    out = results_to_dict(score(fw, [("A", "1", "NA", None), ("A", "2", "yes", None)]))
    unit = out["units"][0]
    assert unit["nodes"]["1"] == {"points": 0.0, "max": 0.0, "index": None}
    assert (unit["max"], unit["index"]) == (2.0, 100.0)


def test_bonus_leaf_adds_points_but_no_max():
    fw = make_fw(leaf("1", BOOL, 4), leaf("2", {"type": "count", "per": 1}, 1, bonus=True))
    unit = results_to_dict(score(fw, [("A", "1", "no", None), ("A", "2", "1", None)]))["units"][0]
    assert (unit["points"], unit["max"], unit["index"]) == (1.0, 4.0, 25.0)
    assert unit["nodes"]["2"] == {"points": 1.0, "max": 0.0, "index": None}


def test_bonus_inner_node_makes_its_leaves_bonus():
    fw = make_fw(leaf("1", BOOL, 4), group("9", leaf("9.1", BOOL, 1), bonus=True))
    assert fw.node("9.1").bonus and fw.node("9").total_max == 1 and fw.max_total == 4
    unit = results_to_dict(score(fw, [("A", "1", "yes", None), ("A", "9.1", "yes", None)]))
    assert unit["units"][0]["nodes"]["9"] == {"points": 1.0, "max": 0.0, "index": None}
    assert unit["units"][0]["index"] == 125.0


def test_relative_best_is_taken_over_all_units():
    fw = make_fw(leaf("1", {"type": "relative"}, 2))
    r = score(fw, [("A", "1", "8", None), ("B", "1", "2", None)])
    assert r.unit("A").points == 2 and r.unit("B").points == D("0.5")


def test_relative_with_best_zero_scores_zero():
    fw = make_fw(leaf("1", {"type": "relative"}, 2))
    r = score(fw, [("A", "1", "0", None), ("B", "1", "0", None)])
    assert r.unit("A").points == 0 and r.unit("A").max == 2


def test_repeating_proportional_shares_sum_without_drift():
    fw = make_fw(*[leaf(str(i), PROP, 1) for i in range(1, 4)], bands=[{"min": 100, "label": "Đủ"}])
    rows = [("A", "1", "1", "3"), ("A", "2", "1", "3"), ("A", "3", "1", "3")]
    rows += [("B", "1", "10", "12"), ("B", "2", "10", "12"), ("B", "3", "4", "12")]
    r = score(fw, rows)
    assert r.unit("A").points == 1
    assert r.unit("B").points == D("2")  # 10/12 + 10/12 + 4/12 == 2 exactly
    fw2 = make_fw(leaf("1", PROP, 1), leaf("2", PROP, 2))
    r2 = score(fw2, [("A", "1", "1", "3"), ("A", "2", "1", "3")])
    assert r2.unit("A").index == 100 * D(1) / 3 or str(r2.unit("A").index).startswith("33.3333")
    r3 = score(
        make_fw(leaf("1", PROP, 1), leaf("2", PROP, 2)),
        [("A", "1", "2", "3"), ("A", "2", "2", "3")],
    )
    assert r3.unit("A").points == 2 and r3.unit("A").band is None


def test_missing_rows_score_zero_with_their_max_counted():
    fw = make_fw(leaf("1", BOOL, 1), leaf("2", BOOL, 3))
    r = score(fw, [("A", "1", "yes", None)])
    assert (r.unit("A").points, r.unit("A").max, r.unit("A").index) == (1, 4, 25)


def test_ties_share_a_rank_and_the_next_rank_skips():
    fw = make_fw(leaf("1", NUMBER, 4))
    rows = [
        ("D", "1", "1", None),
        ("B", "1", "3", None),
        ("A", "1", "4", None),
        ("C", "1", "3", None),
    ]
    out = results_to_dict(score(fw, rows))
    assert [(u["unit"], u["rank"]) for u in out["units"]] == [
        ("A", 1),
        ("B", 2),
        ("C", 2),
        ("D", 4),
    ]


def test_units_without_applicable_max_rank_last_without_band():
    fw = make_fw(leaf("1", BOOL, 1, allow_na=True), bands=[{"min": 0, "label": "Yếu"}])
    out = results_to_dict(score(fw, [("Z", "1", "NA", None), ("A", "1", "no", None)]))
    assert [(u["unit"], u["rank"], u["index"], u["band"]) for u in out["units"]] == [
        ("A", 1, 0.0, "Yếu"),
        ("Z", 2, None, None),
    ]
    assert out["summary"] == {"units": 2, "mean_index": 0.0, "min_index": 0.0, "max_index": 0.0}


def test_band_is_chosen_at_its_exact_boundary():
    bands = [{"min": 80, "label": "Tốt"}, {"min": 0, "label": "Khá"}]
    fw = make_fw(leaf("1", PROP, 1), leaf("2", PROP, 2), bands=bands)
    # A: 80 % of everything; C (below): 2/3 + 11/15 + 1 = 2.4 of 3, exactly 80
    r = score(
        fw,
        [
            ("A", "1", "4", "5"),
            ("A", "2", "4", "5"),
            ("B", "1", "7999", "10000"),
            ("B", "2", "4", "5"),
        ],
    )
    assert r.unit("A").index == 80 and r.unit("A").band == "Tốt"
    assert r.unit("B").band == "Khá"
    fw3 = make_fw(*[leaf(str(i), PROP, 1) for i in range(3)], bands=bands)
    r3 = score(fw3, [("C", "0", "2", "3"), ("C", "1", "11", "15"), ("C", "2", "1", "1")])
    assert r3.unit("C").index == 80 and r3.unit("C").band == "Tốt"


def test_no_bands_means_band_null():
    fw = make_fw(leaf("1", BOOL, 1))
    assert results_to_dict(score(fw, [("A", "1", "yes", None)]))["units"][0]["band"] is None


@pytest.mark.parametrize(
    ("exact", "rounded"),
    [
        ("0.125", 0.13),
        ("2.675", 2.68),
        ("2.665", 2.67),
        ("-0.125", -0.13),
        ("-0.001", 0.0),
        ("1.004999", 1.0),
    ],
)
def test_output_rounds_half_up_to_two_decimals(exact, rounded):
    value = round2(D(exact))
    assert value == rounded and str(value) != "-0.0"


def test_mean_index_is_the_rounded_mean_of_exact_indices():
    fw = make_fw(leaf("1", NUMBER, 3))
    out = results_to_dict(
        score(fw, [("A", "1", "1", None), ("B", "1", "1", None), ("C", "1", "0.0075", None)])
    )
    # exact indices 33.333…, 33.333…, 0.25 -> mean 22.30555… -> 22.31
    assert out["summary"]["mean_index"] == 22.31
    assert out["summary"]["min_index"] == 0.25 and out["summary"]["max_index"] == 33.33


def test_names_come_from_units_file_with_code_fallback():
    fw = make_fw(leaf("1", BOOL, 1))
    vals = UnitValues.from_rows(fw, [("A", "1", "yes", None), ("B", "1", "no", None)])
    out = results_to_dict(compute(fw, vals, {"A": "Sở A", "X": "Unused"}))
    assert [(u["unit"], u["name"]) for u in out["units"]] == [("A", "Sở A"), ("B", "B")]


def test_duplicate_rows_name_the_first_line():
    fw = make_fw(leaf("1", BOOL, 1))
    assert problems_of(fw, [("A", "1", "yes", None), ("A", "1", "no", None)]) == [
        "values.csv:3: unit A, criterion 1: duplicate row (first given on line 2)"
    ]


def test_every_bad_row_is_reported_with_its_line():
    fw = make_fw(group("3", leaf("3.1", PROP, 2), leaf("3.2", {"type": "count", "per": 1}, 1)))
    rows = [
        ("SYT", "3.1", "120", "100"),
        ("SYT", "9.9", "1", None),
        ("SYT", "3", "1", None),
        ("SYT", "3.2", "1.5", None),
        ("SYT", "3.2", "NA", None),
    ]
    assert problems_of(fw, rows) == [
        "values.csv:2: unit SYT, criterion 3.1: numerator 120 is larger than denominator 100",
        "values.csv:3: unit SYT, criterion 9.9: unknown criterion code",
        "values.csv:4: unit SYT, criterion 3: this is a group of criteria, not a leaf: give values for its sub-criteria",
        "values.csv:5: unit SYT, criterion 3.2: count 1.5 is not a whole number",
        "values.csv:6: unit SYT, criterion 3.2: duplicate row (first given on line 5)",
    ]


def test_problem_has_a_vietnamese_message():
    fw = make_fw(group("3", leaf("3.1", PROP, 2)))
    with pytest.raises(InvalidInput) as info:
        UnitValues.from_rows(fw, [("SYT", "3.1", "120", "100")], source="values.csv", start=14)
    assert (
        info.value.problems[0].vi()
        == "values.csv:14: đơn vị SYT, tiêu chí 3.1: tử số 120 lớn hơn mẫu số 100"
    )


def test_values_csv_tolerates_bom_blank_lines_spaces_and_missing_value2(tmp_path):
    fw = make_fw(leaf("1", BOOL, 1), leaf("2", NUMBER, 2))
    path = tmp_path / "v.csv"
    path.write_text(
        "\ufeffunit,criterion,value,note\n\n A , 1 , có ,x\nA,2,1.5,\n", encoding="utf-8"
    )
    values = load_values(path, fw)
    assert compute(fw, values).unit("A").points == D("2.5")


def test_values_csv_without_required_columns_is_an_error(tmp_path):
    fw = make_fw(leaf("1", BOOL, 1))
    path = tmp_path / "v.csv"
    path.write_text("unit,code,value\nA,1,yes\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_values(path, fw)
    assert str(info.value.problems[0]).startswith("v.csv:1: the header must have the columns")


def test_permuted_rows_give_the_same_results():
    fw = make_fw(leaf("1", {"type": "relative"}, 2), leaf("2", PROP, 1))
    rows = [
        ("A", "1", "3", None),
        ("B", "1", "5", None),
        ("A", "2", "1", "3"),
        ("B", "2", "0", "4"),
    ]
    assert results_to_dict(score(fw, rows)) == results_to_dict(score(fw, rows[::-1]))
