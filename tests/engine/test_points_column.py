"""The optional ``points`` column of a values file (spec §2, v1.1): appraised points replace
what the rule gives; their range is the engine's ``score_range``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex.engine import (
    NO_WORDS,
    YES_WORDS,
    InvalidInput,
    UnitValues,
    boolean_word,
    compute,
    load_values,
    score_range,
)

from .conftest import leaf, make_fw

D = Decimal
BOOL = {"type": "boolean"}
DEDUCT = {"type": "deduction", "per": 0.5, "floor": -1}
REL = {"type": "relative"}


def _points(fw, rows):  # type: ignore[no-untyped-def]
    values = UnitValues.from_rows(fw, rows)
    return {u.unit: u.points for u in compute(fw, values).units}


def test_appraised_points_replace_the_rules_points():
    fw = make_fw(leaf("1", BOOL, 2), leaf("2", DEDUCT, 2))
    rows = [("A", "1", "có", "", "1.5"), ("A", "2", "", "", "-0.75"), ("B", "1", "có", "")]
    assert _points(fw, rows) == {"A": D("0.75"), "B": D(2)}


def test_points_outside_the_leafs_range_or_with_na_are_errors():
    fw = make_fw(leaf("1", BOOL, 2, allow_na=True), leaf("2", DEDUCT, 2))
    with pytest.raises(InvalidInput) as info:
        UnitValues.from_rows(
            fw,
            [("A", "1", "", "", "2.5"), ("A", "2", "", "", "-1.5"), ("B", "1", "NA", "", "1")],
        )
    text = "\n".join(str(p) for p in info.value.problems)
    assert "points 2.5 are outside [0, 2]" in text
    assert "points -1.5 are outside [-1, 2]" in text
    assert "points cannot be given with the value NA" in text
    assert score_range(fw.node("2")) == (D(-1), D(2))


def test_a_relative_value_with_points_still_sets_the_best_value():
    fw = make_fw(leaf("1", REL, 4))
    rows = [("A", "1", "10", "", "1"), ("B", "1", "5", "")]
    assert _points(fw, rows) == {"A": D(1), "B": D(2)}  # B: 4 × 5 / 10


def test_a_values_file_may_carry_a_points_column(tmp_path):
    fw = make_fw(leaf("1", BOOL, 2))
    path = tmp_path / "v.csv"
    path.write_text("unit,criterion,value,value2,points\nA,1,có,,0.5\nB,1,có,,\n", "utf-8")
    values = load_values(path, fw)
    assert values.points == {"A": [D("0.5")], "B": [D(2)]}


def test_one_list_of_yes_and_no_words():
    assert all(boolean_word(w) is True for w in YES_WORDS)
    assert all(boolean_word(w) is False for w in NO_WORDS)
    assert boolean_word(" CÓ ") is True and boolean_word("co") is None
