"""Every rule type of spec section 1, through ``evaluate_leaf`` (what the web app calls)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex.engine import BadValue, Node, evaluate_leaf

from .conftest import leaf, make_fw

D = Decimal


def node(rule: dict, max: float = 2, **extra) -> Node:  # type: ignore[type-arg,no-untyped-def]
    return make_fw(leaf("1", rule, max=max, **extra)).node("1")


STEPS = {
    "type": "ratio",
    "mode": "steps",
    "steps": [{"min_percent": 100, "points": 2}, {"min_percent": 80, "points": 1}],
}


def test_missing_row_scores_zero():
    assert evaluate_leaf(node({"type": "boolean"}), None) == 0


def test_choice_gives_the_options_points_including_negative_ones():
    n = node(
        {
            "type": "choice",
            "options": [
                {"key": "a", "label": "A", "points": 2},
                {"key": "b", "label": "B", "points": -0.5},
            ],
        }
    )
    assert evaluate_leaf(n, "a") == 2
    assert evaluate_leaf(n, "B") == D("-0.5")


def test_choice_rejects_an_unknown_option():
    n = node({"type": "choice", "options": [{"key": "a", "label": "A", "points": 1}]})
    with pytest.raises(BadValue, match="unknown option 'z'") as info:
        evaluate_leaf(n, "z")
    assert "phương án" in info.value.message_vi


@pytest.mark.parametrize("text", ["yes", "YES", "có", "Có", "CÓ", "1", "true", "True"])
def test_boolean_yes_spellings_give_max(text):
    assert evaluate_leaf(node({"type": "boolean"}, max=1.5), text) == D("1.5")


@pytest.mark.parametrize("text", ["no", "No", "không", "Không", "0", "false", "FALSE"])
def test_boolean_no_spellings_give_zero(text):
    assert evaluate_leaf(node({"type": "boolean"}), text) == 0


def test_boolean_accepts_decomposed_vietnamese():
    assert evaluate_leaf(node({"type": "boolean"}), "co\u0301") == 2


def test_boolean_rejects_other_words():
    with pytest.raises(BadValue, match="not yes or no"):
        evaluate_leaf(node({"type": "boolean"}), "maybe")


def test_number_accepts_its_bounds():
    n = node({"type": "number", "min": -1}, max=2)
    assert evaluate_leaf(n, "-1") == -1
    assert evaluate_leaf(n, "2") == 2
    assert evaluate_leaf(n, "1.25") == D("1.25")


@pytest.mark.parametrize("text", ["2.01", "-0.01"])
def test_number_outside_min_max_is_an_error(text):
    with pytest.raises(BadValue, match=r"outside \[0, 2\]"):
        evaluate_leaf(node({"type": "number"}), text)


@pytest.mark.parametrize("text", ["abc", "1e3", "NaN", "1,5", "Infinity"])
def test_number_must_be_plain_decimal_text(text):
    with pytest.raises(BadValue, match="not a number"):
        evaluate_leaf(node({"type": "number"}), text)


def test_step_exactly_on_threshold_gets_that_step():
    assert evaluate_leaf(node(STEPS), "80", "100") == 1
    assert evaluate_leaf(node(STEPS), "80.000", "100") == 1
    assert evaluate_leaf(node(STEPS), "4", "5") == 1


def test_step_just_below_threshold_falls_to_the_next_step():
    assert evaluate_leaf(node(STEPS), "79.999999", "100") == 0
    assert evaluate_leaf(node(STEPS), "99.99", "100") == 1


def test_step_threshold_with_repeating_percentage_is_exact():
    steps = {"type": "ratio", "mode": "steps", "steps": [{"min_percent": 75, "points": 2}]}
    assert evaluate_leaf(node(steps), "3", "4") == 2
    steps = {"type": "ratio", "mode": "steps", "steps": [{"min_percent": 66.67, "points": 2}]}
    assert evaluate_leaf(node(steps), "2", "3") == 0


def test_proportional_ratio_is_max_times_fraction():
    n = node({"type": "ratio", "mode": "proportional"}, max=3)
    assert evaluate_leaf(n, "1", "4") == D("0.75")
    assert abs(evaluate_leaf(n, "10", "12") - D("2.5")) == 0  # type: ignore[operator]


@pytest.mark.parametrize(
    ("when_zero", "expected"), [("na", None), ("full", D(2)), ("zero", D(0)), (None, D(0))]
)
def test_zero_denominator_follows_when_zero(when_zero, expected):
    rule = {"type": "ratio", "mode": "proportional"}
    if when_zero:
        rule["when_zero"] = when_zero
    assert evaluate_leaf(node(rule), "0", "0") == expected


def test_ratio_numerator_larger_than_denominator_is_an_error():
    with pytest.raises(BadValue) as info:
        evaluate_leaf(node(STEPS), "120", "100")
    assert info.value.message == "numerator 120 is larger than denominator 100"
    assert info.value.message_vi == "tử số 120 lớn hơn mẫu số 100"


@pytest.mark.parametrize(
    ("num", "den", "message"),
    [
        ("-1", "5", "numerator -1 is negative"),
        ("0", "-5", "denominator -5 is negative"),
        ("3", None, "denominator (value2) is missing"),
        ("x", "5", "not a number"),
    ],
)
def test_ratio_rejects_bad_pairs(num, den, message):
    with pytest.raises(BadValue, match=message.replace("(", r"\(").replace(")", r"\)")):
        evaluate_leaf(node(STEPS), num, den)


def test_count_is_capped_at_max():
    n = node({"type": "count", "per": 0.5}, max=1)
    assert evaluate_leaf(n, "1") == D("0.5")
    assert evaluate_leaf(n, "7") == 1
    assert evaluate_leaf(n, "2.0") == 1


@pytest.mark.parametrize(("text", "message"), [("1.5", "not a whole number"), ("-1", "negative")])
def test_count_must_be_a_non_negative_whole_number(text, message):
    with pytest.raises(BadValue, match=message):
        evaluate_leaf(node({"type": "count", "per": 1}), text)


def test_deduction_subtracts_down_to_a_negative_floor():
    n = node({"type": "deduction", "per": 0.5, "floor": -0.5}, max=1)
    assert evaluate_leaf(n, "0") == 1
    assert evaluate_leaf(n, "3") == D("-0.5")
    assert evaluate_leaf(n, "10") == D("-0.5")


def test_deduction_floor_defaults_to_zero():
    assert evaluate_leaf(node({"type": "deduction", "per": 1}), "5") == 0


def test_relative_is_proportional_to_the_best_value():
    n = node({"type": "relative"}, max=2)
    assert evaluate_leaf(n, "2.5", best=D(8)) == D("0.625")
    assert evaluate_leaf(n, "0", best=D(0)) == 0


def test_relative_rejects_negative_values():
    with pytest.raises(BadValue, match="negative"):
        evaluate_leaf(node({"type": "relative"}), "-3")


def test_survey_is_max_times_fraction():
    n = node({"type": "survey"}, max=4, source="survey")
    assert evaluate_leaf(n, "0.9137") == D("3.6548")
    with pytest.raises(BadValue, match="fraction between 0 and 1"):
        evaluate_leaf(n, "1.2")


def test_na_is_accepted_only_where_allowed():
    assert evaluate_leaf(node({"type": "boolean"}, allow_na=True), "na") is None
    with pytest.raises(BadValue, match="NA is not allowed"):
        evaluate_leaf(node({"type": "boolean"}), "NA")


def test_na_on_ratio_with_when_zero_na_still_needs_allow_na():
    rule = {"type": "ratio", "mode": "proportional", "when_zero": "na"}
    with pytest.raises(BadValue, match="NA is not allowed"):
        evaluate_leaf(node(rule), "NA", "")


def test_empty_value_is_an_error():
    with pytest.raises(BadValue, match="missing"):
        evaluate_leaf(node({"type": "number"}), "")
