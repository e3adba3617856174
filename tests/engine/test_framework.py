"""Framework validation (spec section 1): every problem is reported, with its node path."""

from __future__ import annotations

import json

import pytest
import yaml

from parindex.engine import (
    InvalidInput,
    framework_to_dict,
    load_framework,
    parse_framework,
)

from .conftest import fw_dict, group, leaf

BOOL = {"type": "boolean"}


def problems(data: object) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        parse_framework(data, source="fw.yaml")
    return [str(p) for p in info.value.problems]


def test_example_framework_loads_with_computed_maxima(examples):
    fw = load_framework(examples / "so-demo.yaml")
    assert fw.code == "SO-DEMO-2024" and fw.year == 2024 and len(fw.bands) == 5
    assert fw.max_total == 100
    assert fw.node("9").max is None and fw.node("9").total_max == 2 and fw.node("9.2").bonus
    assert fw.node("1.1").total_max == 3 and fw.node("1.1.2").parent == "1.1"
    assert fw.node("1.1.2").depth == 2 and fw.node("1.1.2").is_leaf
    assert [n.code for n in fw.iter_nodes()][:4] == ["1", "1.1", "1.1.1", "1.1.2"]
    assert len(fw.leaves()) == 53


def test_example_framework_round_trips_through_dict_json_and_yaml(examples):
    fw = load_framework(examples / "so-demo.yaml")
    data = framework_to_dict(fw)
    assert parse_framework(data, source="x") == fw
    assert parse_framework(json.loads(json.dumps(data)), source="x") == fw
    assert (
        parse_framework(yaml.safe_load(yaml.safe_dump(data, allow_unicode=True)), source="x") == fw
    )


def test_wrong_format_and_missing_header_keys_are_all_reported():
    data = fw_dict(leaf("1", BOOL))
    data["format"] = "parindex.framework/v2"
    del data["title"]
    data["year"] = "2024"
    assert problems(data) == [
        "fw.yaml:format: format must be parindex.framework/v1, not 'parindex.framework/v2'",
        "fw.yaml:title: title is missing",
        "fw.yaml:year: year must be a whole number, not '2024'",
    ]


def test_empty_nodes_is_an_error():
    assert problems(fw_dict()) == ["fw.yaml:nodes: nodes must be a non-empty list"]


def test_several_node_errors_are_reported_together_with_their_paths():
    data = fw_dict(
        group(
            "1",
            {"code": 1.1, "title": "float code", "max": 1, "rule": BOOL},
            leaf("1.2", BOOL, max=0),
            {"title": "no code", "max": 1, "rule": BOOL},
            {"code": "1.4", "title": "no rule", "max": 1},
            {"code": "1.5", "title": "no max", "rule": BOOL},
        )
    )
    assert problems(data) == [
        'fw.yaml:nodes[0].children[0]: code 1.1 was read as a number: quote it, e.g. code: "1.1"',
        "fw.yaml:node 1.2: max must be greater than 0, not 0",
        "fw.yaml:nodes[0].children[2]: code is missing",
        "fw.yaml:node 1.4: a leaf must have a rule",
        "fw.yaml:node 1.5: a leaf must have max (a number greater than 0)",
    ]


def test_duplicate_codes_are_reported_with_both_places():
    assert problems(fw_dict(leaf("1", BOOL), group("2", leaf("1", BOOL)))) == [
        "fw.yaml:nodes[1].children[0]: code 1 is used twice (first at nodes[0])"
    ]


def test_integer_codes_are_accepted_as_text():
    fw = parse_framework(fw_dict({"code": 7, "title": "t", "max": 1, "rule": BOOL}), source="f")
    assert fw.node("7").code == "7"


def test_option_points_above_max_and_duplicate_keys_are_errors():
    rule = {
        "type": "choice",
        "options": [
            {"key": "a", "label": "A", "points": 2},
            {"key": "A", "label": "B", "points": -1},
        ],
    }
    assert problems(fw_dict(leaf("1", rule, max=1))) == [
        "fw.yaml:node 1: rule: options[0]: points 2 are above the max 1",
        "fw.yaml:node 1: rule: options[1]: option key A is used twice",
    ]


def test_empty_choice_options_is_an_error():
    assert problems(fw_dict(leaf("1", {"type": "choice", "options": []}))) == [
        "fw.yaml:node 1: rule: options must be a non-empty list"
    ]


def test_unknown_rule_type_is_an_error():
    assert problems(fw_dict(leaf("1", {"type": "magic"}))) == [
        "fw.yaml:node 1: rule: unknown type 'magic' (expected one of choice, boolean, number, "
        "ratio, count, deduction, relative, survey)"
    ]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"type": "ratio"}, "rule: mode must be proportional or steps, not None"),
        ({"type": "ratio", "mode": "steps"}, "rule: steps must be a non-empty list"),
        (
            {"type": "ratio", "mode": "proportional", "when_zero": "maybe"},
            "rule: when_zero must be na, full or zero, not 'maybe'",
        ),
        (
            {"type": "ratio", "mode": "steps", "steps": [{"min_percent": 120, "points": 1}]},
            "rule: steps[0]: min_percent 120 must be between 0 and 100",
        ),
        (
            {"type": "ratio", "mode": "steps", "steps": [{"min_percent": 50, "points": 3}]},
            "rule: steps[0]: points 3 are above the max 2",
        ),
        (
            {
                "type": "ratio",
                "mode": "steps",
                "steps": [{"min_percent": 50, "points": 1}, {"min_percent": 80, "points": 2}],
            },
            "rule: steps[1]: steps must be listed highest first: min_percent 80 is not below 50",
        ),
        ({"type": "count"}, "rule: per is missing"),
        ({"type": "count", "per": 0}, "rule: per must be greater than 0, not 0"),
        ({"type": "deduction", "per": -1}, "rule: per must be greater than 0, not -1"),
        ({"type": "deduction", "per": 1, "floor": 3}, "rule: floor 3 must not be above max 2"),
        ({"type": "number", "min": 2}, "rule: min 2 must be below max 2"),
        ({"type": "number", "min": "low"}, "rule: min must be a number, not 'low'"),
        ({"type": "survey"}, "a survey rule needs source: survey"),
    ],
)
def test_bad_rule_parameters_are_reported(rule, message):
    assert problems(fw_dict(leaf("1", rule, max=2))) == [f"fw.yaml:node 1: {message}"]


def test_survey_source_needs_a_survey_rule_and_source_must_be_known():
    assert problems(fw_dict(leaf("1", BOOL, source="survey"), leaf("2", BOOL, source="web"))) == [
        "fw.yaml:node 1: source: survey needs a rule of type survey",
        "fw.yaml:node 2: source must be self or survey, not 'web'",
    ]


def test_flags_must_be_booleans():
    assert problems(fw_dict(leaf("1", BOOL, allow_na="yes", bonus=1))) == [
        "fw.yaml:node 1: bonus must be true or false, not 1",
        "fw.yaml:node 1: allow_na must be true or false, not 'yes'",
    ]


def test_inner_max_must_equal_the_sum_of_its_children():
    assert problems(fw_dict(group("1", leaf("1.1", BOOL, 1), leaf("1.2", BOOL, 2), max=4))) == [
        "fw.yaml:node 1: max 4 is not the sum of its children's max 3"
    ]


def test_bonus_children_do_not_count_in_their_parents_max():
    data = fw_dict(group("1", leaf("1.1", BOOL, 1), leaf("1.2", BOOL, 2, bonus=True), max=1))
    assert parse_framework(data, source="f").node("1").total_max == 1


def test_inner_node_must_not_have_a_rule_and_needs_children():
    data = fw_dict(
        group("1", leaf("1.1", BOOL), rule=BOOL), {"code": "2", "title": "t", "children": []}
    )
    assert problems(data) == [
        "fw.yaml:node 1: a node with children must not have rule (only leaves are scored)",
        "fw.yaml:node 2: children must be a non-empty list",
    ]


def test_bands_must_be_highest_first_with_labels():
    data = fw_dict(
        leaf("1", BOOL), bands=[{"min": 50, "label": "A"}, {"min": 60, "label": "B"}, {"min": 0}]
    )
    assert problems(data) == [
        "fw.yaml:bands[1]: bands must be listed highest first: min 60 is not below 50",
        "fw.yaml:bands[2]: label is missing",
    ]


def test_yaml_syntax_error_reports_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("format: parindex.framework/v1\ncode: [unclosed\ntitle: x\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_framework(path)
    (problem,) = info.value.problems
    assert problem.source == "bad.yaml" and problem.where == "3"
    assert problem.message.startswith("invalid YAML")


def test_json_framework_with_bom_loads(tmp_path, examples):
    data = framework_to_dict(load_framework(examples / "so-demo.yaml"))
    path = tmp_path / "fw.json"
    path.write_text("\ufeff" + json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_framework(path).code == "SO-DEMO-2024"


def test_unreadable_framework_is_a_problem(tmp_path):
    with pytest.raises(InvalidInput) as info:
        load_framework(tmp_path / "missing.yaml")
    assert str(info.value.problems[0]).startswith("missing.yaml: cannot read file: No such file")


def test_engine_does_not_import_django():
    import subprocess
    import sys

    code = "import sys, parindex.engine, parindex.engine.cli; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
