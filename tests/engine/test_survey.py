"""The survey definition (spec §5), its responses (§6) and its scores (§7) in the engine."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from parindex.engine import (
    InvalidInput,
    Survey,
    UnitValues,
    compute,
    compute_survey,
    compute_survey_file,
    load_framework,
    load_survey,
    parse_survey,
    survey_results_to_dict,
    survey_results_to_json,
    survey_to_dict,
    survey_values_csv,
)
from parindex.engine.survey_scores import round_half_up

from .conftest import leaf, make_fw

D = Decimal
SCALE = [
    {"key": "A", "label": "Rất tốt", "weight": 100, "satisfied": True},
    {"key": "B", "label": "Tốt", "weight": 60, "satisfied": True},
    {"key": "C", "label": "Chưa tốt", "weight": 20},
    {"key": "D", "label": "Kém", "weight": 0},
    {"key": "E", "label": "Không đánh giá được"},
]


def survey_dict(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "parindex.survey/v1",
        "code": "XHH-T",
        "title": "Điều tra thử",
        "year": 2024,
        "block": "so",
        "scale": copy.deepcopy(SCALE),
        "groups": [
            {"code": "G1", "title": "Nhóm 1", "weight": 1},
            {"code": "G2", "title": "Nhóm 2", "weight": 3},
        ],
        "questions": [
            {"code": "Q1", "text": "Câu 1", "criterion": "1.1"},
            {"code": "Q2", "text": "Câu 2", "criterion": "1.1", "groups": ["G2"]},
            {
                "code": "Q3",
                "text": "Câu 3",
                "criterion": "1.2",
                "groups": ["G1"],
                "factor": "f1",
                "options": [
                    {"key": "1", "label": "Hài lòng", "weight": 100, "satisfied": True},
                    {"key": "2", "label": "Không", "weight": 0},
                ],
            },
        ],
    }
    data.update(extra)
    return data


def make_survey(**extra: Any) -> Survey:
    return parse_survey(survey_dict(**extra), source="survey.yaml")


def problems_of(data: Any, framework: Any = None) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        parse_survey(data, source="survey.yaml", framework=framework)
    return [str(p) for p in info.value.problems]


def response_problems(survey: Survey, rows: list[tuple[str, ...]]) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        compute_survey(survey, rows, source="responses.csv", start=2)  # type: ignore[arg-type]
    return [str(p) for p in info.value.problems]


SURVEY_FW = make_fw(
    {
        "code": "1",
        "title": "Lĩnh vực 1",
        "children": [
            leaf("1.1", {"type": "survey"}, 2, source="survey"),
            leaf("1.2", {"type": "survey"}, 1, source="survey"),
            leaf("1.3", {"type": "boolean"}, 1),
        ],
    }
)


# -- the public example -------------------------------------------------------------------


def test_the_example_survey_gives_the_published_results_byte_for_byte(examples: Path) -> None:
    fw = load_framework(examples / "so-demo.yaml")
    survey = load_survey(examples / "so-demo-survey.yaml", fw)
    results = compute_survey_file(survey, examples / "so-demo-responses.csv")
    expected = (examples / "so-demo-survey-results.json").read_text(encoding="utf-8")
    assert survey_results_to_json(results) == expected
    assert json.loads(expected) == survey_results_to_dict(results)
    values = (examples / "so-demo-survey-values.csv").read_bytes().decode("utf-8")
    assert survey_values_csv(results) == values
    assert results.warnings == ()
    assert (results.total, results.valid, results.void) == (175, 170, 5)
    bdt = results.unit("BDT")
    assert bdt.criterion("1.7") is not None and bdt.criterion("1.7").value == D("0.520000")  # type: ignore[union-attr]
    assert bdt.sipas == D("61.58")


def test_the_example_survey_values_score_as_the_published_results(examples: Path) -> None:
    fw = load_framework(examples / "so-demo.yaml")
    survey = load_survey(examples / "so-demo-survey.yaml", fw)
    results = compute_survey_file(survey, examples / "so-demo-responses.csv")
    values = UnitValues.from_rows(fw, results.values_rows())
    published = json.loads(
        (examples / "so-demo-results-with-survey.json").read_text(encoding="utf-8")
    )
    scored = compute(fw, values)
    for unit in published["units"]:
        for code in survey.criteria():
            node = scored.unit(unit["unit"]).node(code)
            assert float(node.points.quantize(D("0.01"))) == unit["nodes"][code]["points"]


def test_the_web_app_rows_give_the_same_results_as_the_file(examples: Path) -> None:
    import csv

    survey = load_survey(examples / "so-demo-survey.yaml")
    with open(examples / "so-demo-responses.csv", encoding="utf-8", newline="") as handle:
        rows = [tuple(r) for r in csv.reader(handle)][1:]
    from_rows = compute_survey(survey, rows)  # type: ignore[arg-type]
    assert from_rows == compute_survey_file(survey, examples / "so-demo-responses.csv")


def test_the_survey_survives_a_round_trip_through_its_dict(examples: Path) -> None:
    survey = load_survey(examples / "so-demo-survey.yaml")
    again = parse_survey(survey_to_dict(survey), source="again")
    assert again == survey
    assert parse_survey(json.loads(json.dumps(survey_to_dict(survey))), source="j") == survey


def test_a_json_survey_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "survey.json"
    path.write_text(json.dumps(survey_dict(), ensure_ascii=False), encoding="utf-8")
    assert load_survey(path) == make_survey()


# -- §5 the definition --------------------------------------------------------------------


def test_defaults_group_weight_one_every_group_asked_and_not_satisfied() -> None:
    data = survey_dict()
    del data["groups"][0]["weight"]
    assert "satisfied" not in data["scale"][2]
    survey = parse_survey(data, source="s.yaml")
    assert survey.group("G1").weight == 1
    assert survey.question("Q1").groups == ("G1", "G2")
    assert survey.question("Q1").options == survey.scale and not survey.question("Q1").own_options
    assert survey.scale[2].satisfied is False
    assert survey.scale[4].weight is None
    assert survey.criteria() == ["1.1", "1.2"] and survey.factors() == ["f1"]
    assert survey.framework is None


def test_the_format_and_the_header_keys_are_checked() -> None:
    data = survey_dict(format="parindex.framework/v1", year="2024", title="", code=None)
    del data["block"]
    assert problems_of(data) == [
        "survey.yaml:format: format must be parindex.survey/v1, not 'parindex.framework/v1'",
        "survey.yaml:code: code is missing",
        "survey.yaml:title: title must be non-empty text",
        "survey.yaml:year: year must be a whole number, not '2024'",
        "survey.yaml:block: block is missing",
    ]
    assert problems_of([1, 2])[0].startswith("survey.yaml: the survey must be a mapping")


def test_codes_are_unique_in_their_lists() -> None:
    data = survey_dict()
    data["groups"].append({"code": "G1", "title": "Lại nhóm 1"})
    data["questions"].append({"code": "Q2", "text": "Lại câu 2"})
    data["scale"].append({"key": "a", "label": "Lại A", "weight": 100})
    assert problems_of(data) == [
        "survey.yaml:scale[5]: option key a is used twice (first at scale[0])",
        "survey.yaml:groups[2]: group code G1 is used twice (first at groups[0])",
        "survey.yaml:questions[3]: question code Q2 is used twice (first at questions[1])",
    ]


def test_option_weights_are_from_0_to_100_and_group_weights_above_0() -> None:
    data = survey_dict()
    data["scale"][0]["weight"] = 100.5
    data["scale"][3]["weight"] = -1
    data["scale"][1]["weight"] = "60"
    data["questions"][2]["options"][1]["weight"] = 101
    data["groups"][0]["weight"] = 0
    data["groups"][1]["weight"] = -2
    assert problems_of(data) == [
        "survey.yaml:scale[0]: weight 100.5 must be between 0 and 100",
        "survey.yaml:scale[1]: weight must be a number, not '60'",
        "survey.yaml:scale[3]: weight -1 must be between 0 and 100",
        "survey.yaml:group G1: weight must be greater than 0, not 0",
        "survey.yaml:group G2: weight must be greater than 0, not -2",
        "survey.yaml:question Q3 options[1]: weight 101 must be between 0 and 100",
    ]


def test_bounds_are_allowed_weight_0_and_100_and_fractional_group_weights() -> None:
    data = survey_dict()
    data["groups"][0]["weight"] = 0.5
    data["scale"][2]["weight"] = 33.3
    survey = parse_survey(data, source="s")
    assert survey.group("G1").weight == D("0.5") and survey.scale[2].weight == D("33.3")


def test_options_labels_texts_and_groups_of_questions_are_checked() -> None:
    data = survey_dict()
    data["scale"][4] = {"label": "Không có khóa"}
    data["scale"][3]["satisfied"] = "yes"
    del data["scale"][2]["label"]
    data["questions"][0]["groups"] = ["G1", "G9", "G1"]
    data["questions"][1]["text"] = " "
    data["questions"][2]["options"] = []
    data["questions"].append({"code": "Q4", "text": "Câu 4", "criterion": 1.3})
    assert problems_of(data) == [
        "survey.yaml:scale[2]: label is missing",
        "survey.yaml:scale[3]: satisfied must be true or false, not 'yes'",
        "survey.yaml:scale[4]: key is missing",
        "survey.yaml:question Q1: groups: unknown group G9",
        "survey.yaml:question Q1: groups: group G1 is listed twice",
        "survey.yaml:question Q2: text must be non-empty text",
        "survey.yaml:question Q3: options must be a non-empty list",
        'survey.yaml:question Q4: criterion 1.3 was read as a number: quote it, e.g. criterion: "1.3"',
    ]


def test_a_question_without_options_needs_a_scale() -> None:
    data = survey_dict()
    del data["scale"]
    assert problems_of(data) == [
        "survey.yaml:question Q1: the question has no options and the survey has no scale",
        "survey.yaml:question Q2: the question has no options and the survey has no scale",
    ]
    data["questions"] = data["questions"][2:]
    assert parse_survey(data, source="s").scale == ()


def test_groups_and_questions_must_be_non_empty_lists() -> None:
    assert problems_of(survey_dict(groups=[], questions={"Q1": "x"})) == [
        "survey.yaml:groups: groups must be a non-empty list",
        "survey.yaml:questions: questions must be a non-empty list",
    ]


def test_with_a_framework_each_criterion_is_a_survey_leaf() -> None:
    data = survey_dict()
    data["questions"][0]["criterion"] = "1"
    data["questions"][1]["criterion"] = "1.3"
    data["questions"].append({"code": "Q4", "text": "Câu 4", "criterion": "9.9"})
    assert problems_of(data, SURVEY_FW) == [
        "survey.yaml:question Q1: criterion 1 is a group of criteria, not a leaf",
        "survey.yaml:question Q2: criterion 1.3 is not scored by the survey (it needs source: survey)",
        "survey.yaml:question Q4: criterion 9.9 is not in the framework T-2024",
    ]
    assert parse_survey(survey_dict(), source="s", framework=SURVEY_FW).criteria() == ["1.1", "1.2"]


def test_with_a_framework_block_year_and_code_must_match() -> None:
    data = survey_dict(block="huyen", year=2025, framework="SO-2024")
    assert problems_of(data, SURVEY_FW) == [
        "survey.yaml:block: block huyen does not match the framework's block so",
        "survey.yaml:year: year 2025 does not match the framework's year 2024",
        "survey.yaml:framework: framework SO-2024 does not match the framework given (T-2024)",
    ]
    ok = parse_survey(survey_dict(framework="T-2024"), source="s", framework=SURVEY_FW)
    assert ok.framework == "T-2024"
    # without a framework nothing is compared
    assert parse_survey(data, source="s").block == "huyen"


def test_survey_problems_in_vietnamese() -> None:
    data = survey_dict(block="huyen")
    data["groups"][0]["weight"] = 0
    with pytest.raises(InvalidInput) as info:
        parse_survey(data, source="survey.yaml", framework=SURVEY_FW)
    assert [p.vi() for p in info.value.problems] == [
        "survey.yaml:group G1: trọng số phải lớn hơn 0, không phải 0",
        "survey.yaml:block: khối huyen không khớp với khối của bộ tiêu chí (so)",
    ]


def test_invalid_yaml_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("format: parindex.survey/v1\ncode: [\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_survey(path)
    assert str(info.value.problems[0]).startswith("s.yaml:3: invalid YAML")


# -- §6 the responses ---------------------------------------------------------------------


def test_every_response_error_is_reported_with_its_line() -> None:
    survey = make_survey()
    rows = [
        ("R1", "G1", "U1", "Q1", "A", ""),  # 2
        ("", "G1", "U1", "Q1", "A", ""),  # 3 empty response
        ("R2", "G9", "U1", "Q1", "A", ""),  # 4 unknown group
        ("R3", "G1", "U1", "Q9", "A", ""),  # 5 unknown question
        ("R4", "G1", "U1", "Q1", "Z", ""),  # 6 unknown option key
        ("R5", "G1", "U1", "Q2", "A", ""),  # 7 not asked of G1
        ("R1", "G1", "U1", "Q1", "B", ""),  # 8 two rows for one response and question
        ("R1", "G2", "U1", "Q2", "A", ""),  # 9 disagree on group
        ("R1", "G1", "U2", "Q3", "1", ""),  # 10 disagree on unit
        ("R1", "G1", "U1", "Q3", "1", "void"),  # 11 disagree on status (and Q3 twice)
        ("R6", "G1", "U1", "Q1", "A", "ok"),  # 12 bad status
        ("R7", "G1", "", "Q1", "A", ""),  # 13 no unit
        ("R8", "G1", "U1", "Q1", "", ""),  # 14 no answer
    ]
    assert response_problems(survey, rows) == [
        "responses.csv:3: response code is missing",
        "responses.csv:4: response R2: unknown group G9 (expected one of G1, G2)",
        "responses.csv:5: response R3: unknown question Q9",
        "responses.csv:6: response R4: question Q1: unknown answer 'Z' (expected one of A, B, C, D, E)",
        "responses.csv:7: response R5: question Q2 is not asked of group G1",
        "responses.csv:8: response R1: question Q1 is answered twice (first on line 2)",
        "responses.csv:9: response R1: group G2 differs from its first row (line 2: G1)",
        "responses.csv:10: response R1: unit U2 differs from its first row (line 2: U1)",
        "responses.csv:11: response R1: status void differs from its first row (line 2: valid)",
        "responses.csv:11: response R1: question Q3 is answered twice (first on line 10)",
        "responses.csv:12: response R6: status must be empty, valid or void, not 'ok'",
        "responses.csv:13: response R7: unit code is missing",
        "responses.csv:14: response R8: question Q1: answer is missing (a question not answered has no row)",
    ]


def test_void_responses_are_checked_too() -> None:
    survey = make_survey()
    assert response_problems(survey, [("R1", "G1", "U1", "Q2", "A", "void")]) == [
        "responses.csv:2: response R1: question Q2 is not asked of group G1"
    ]


def test_response_problems_in_vietnamese() -> None:
    with pytest.raises(InvalidInput) as info:
        compute_survey(
            make_survey(),
            [("R1", "G1", "U1", "Q1", "A", ""), ("R1", "G1", "U1", "Q1", "X", "")],
            source="phieu.csv",
        )
    assert [p.vi() for p in info.value.problems] == [
        "phieu.csv:2: phiếu R1: câu hỏi Q1: phương án 'X' không có (phải là một trong A, B, C, D, E)",
        "phieu.csv:2: phiếu R1: câu hỏi Q1 được trả lời hai lần (lần đầu ở dòng 1)",
    ]


def test_status_and_option_keys_match_ignoring_case_and_spaces() -> None:
    survey = make_survey()
    results = compute_survey(
        survey,
        [
            (" R1 ", "G1", "U1", "Q1", "a", "VALID"),
            ("R1", " G1", "U1 ", "Q3", " 1", "valid"),
            ("R2", "G1", "U1", "Q1", "A", "Void"),
            ("R3", "G2", "U1", "Q1", "b", None),  # type: ignore[list-item]
        ],
    )
    assert (results.total, results.valid, results.void) == (3, 2, 1)
    assert results.unit("U1").responses == 2


def test_the_responses_file_is_read_by_header_name(tmp_path: Path) -> None:
    survey = make_survey()
    path = tmp_path / "r.csv"
    path.write_text(
        "\ufeffUnit,Question,Answer,Group,Response,note\n\nU1,Q1,A,G1,R1,x\nU1,Q3,2,G1,R1\n",
        encoding="utf-8",
    )
    results = compute_survey_file(survey, path)
    assert results.valid == 1 and results.unit("U1").criterion("1.1") is not None


def test_responses_file_header_empty_missing_unreadable_and_not_utf8(tmp_path: Path) -> None:
    survey = make_survey()
    cases = {
        "empty.csv": (b"\n", "empty.csv:1: the file is empty (expected a header "
                      "response,group,unit,question,answer,status)"),
        "header.csv": (b"response,unit,question\nR1,U1,Q1\n", "header.csv:1: the header must "
                       "have the columns response,group,unit,question,answer,status "
                       "(missing: group, answer)"),
        "latin.csv": (b"response,group,unit,question,answer\nR1,G1,S\xe9,Q1,A\n",
                      "latin.csv: the file is not UTF-8 text (byte 43)"),
    }  # fmt: skip
    for name, (content, message) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(InvalidInput) as info:
            compute_survey_file(survey, tmp_path / name)
        assert [str(p) for p in info.value.problems] == [message]
    with pytest.raises(InvalidInput) as info:
        compute_survey_file(survey, tmp_path / "none.csv")
    assert str(info.value) == "none.csv: cannot read file: No such file or directory"


# -- §7 the arithmetic --------------------------------------------------------------------


def test_means_per_question_then_per_group_then_weighted_over_groups() -> None:
    survey = make_survey()
    rows = [
        # G1 on Q1: A (100), C (20), E (no weight) -> m = 0.6; s(G1, 1.1) = 0.6
        ("R1", "G1", "U1", "Q1", "A", ""),
        ("R2", "G1", "U1", "Q1", "C", ""),
        ("R3", "G1", "U1", "Q1", "E", ""),
        # G2: Q1 B (60) -> 0.6; Q2 D (0), A (100) -> 0.5; s(G2, 1.1) = 0.55
        ("R4", "G2", "U1", "Q1", "B", ""),
        ("R4", "G2", "U1", "Q2", "D", ""),
        ("R5", "G2", "U1", "Q2", "A", ""),
        # void: counted nowhere
        ("R6", "G2", "U1", "Q1", "D", "void"),
    ]
    results = compute_survey(survey, rows)
    u1 = results.unit("U1")
    crit = u1.criterion("1.1")
    assert crit is not None
    # (1 × 0.6 + 3 × 0.55) / 4 = 0.5625
    assert crit.value == D("0.562500")
    assert [(g.group, g.answers, g.score) for g in crit.groups] == [
        ("G1", 2, D("0.600000")),
        ("G2", 3, D("0.550000")),
    ]
    assert u1.criterion("1.2") is None
    assert [(w.unit, w.criterion) for w in results.warnings] == [("U1", "1.2")]
    assert str(results.warnings[0]) == (
        "unit U1, criterion 1.2: no weighted answer, no value is written (the criterion scores 0)"
    )
    assert u1.sipas is None and u1.factors == ()
    assert (results.total, results.valid, results.void, u1.responses) == (6, 5, 1, 5)
    assert results.values_rows() == [("U1", "1.1", "0.562500", "")]


def test_value_and_group_score_round_half_up_to_6_decimals() -> None:
    survey = make_survey()
    # G1: one answer B on Q1 (0.6); G2: 2/3 ... construct s(G2) = 1/3 exactly: Q1 A, C, D -> 0.4;
    rows = [("R1", "G1", "U1", "Q1", "B", "")]
    rows += [(f"S{i}", "G2", "U1", "Q1", k, "") for i, k in enumerate("ACD")]
    rows += [(f"T{i}", "G2", "U1", "Q2", k, "") for i, k in enumerate("DDC")]
    # Q1 mean 0.4; Q2 mean 20/300 = 0.0666…; s(G2) = 0.2333…; value = (0.6 + 0.7)/4 = 0.325
    crit = compute_survey(survey, rows).unit("U1").criterion("1.1")
    assert crit is not None
    assert crit.groups[1].score == D("0.233333")
    assert crit.value == D("0.325000")
    assert round_half_up(Fraction(1, 8_000_000), 6) == D("0.000000")
    assert round_half_up(Fraction(5, 10_000_000), 6) == D("0.000001")
    assert round_half_up(Fraction(2, 3), 6) == D("0.666667")
    assert round_half_up(Fraction(-5, 10_000_000), 6) == D("-0.000001")
    assert round_half_up(Fraction(12345, 1000), 2) == D("12.35")


def test_the_rounded_value_not_the_exact_one_feeds_the_score() -> None:
    survey = make_survey()
    rows = [(f"R{i}", "G1", "U1", "Q1", k, "") for i, k in enumerate("AAD")]
    results = compute_survey(survey, rows)
    assert results.values_rows() == [("U1", "1.1", "0.666667", "")]
    values = UnitValues.from_rows(SURVEY_FW, results.values_rows())
    assert compute(SURVEY_FW, values).unit("U1").node("1.1").points == D("1.333334")


def test_sipas_pools_groups_and_averages_the_factor_indices() -> None:
    data = survey_dict()
    data["questions"].append(
        {"code": "Q4", "text": "Câu 4", "factor": "f2", "groups": ["G1", "G2"]}
    )
    data["questions"].append({"code": "Q5", "text": "Câu 5", "factor": "f2"})
    survey = parse_survey(data, source="s")
    rows = [
        ("R1", "G1", "U1", "Q3", "1", ""),  # f1: satisfied
        ("R2", "G1", "U1", "Q3", "2", ""),  # f1: not
        ("R3", "G1", "U1", "Q3", "2", ""),  # f1: 1/3 -> 33.33…
        ("R1", "G1", "U1", "Q4", "B", ""),  # f2: satisfied
        ("R4", "G2", "U1", "Q4", "C", ""),  # f2: not
        ("R4", "G2", "U1", "Q5", "E", ""),  # f2: no weight, not counted
        ("R5", "G2", "U1", "Q5", "A", ""),  # f2: satisfied -> 2/3 -> 66.66…
        ("R6", "G2", "U2", "Q5", "E", ""),  # U2: nothing defined
    ]
    results = compute_survey(survey, rows)
    u1 = results.unit("U1")
    assert u1.factors == (("f1", D("33.33")), ("f2", D("66.67")))
    assert u1.sipas == D("50.00")  # the mean of the exact indices, not of the rounded ones
    out = survey_results_to_dict(results)
    assert out["units"][0]["sipas"] == {"index": 50.0, "factors": {"f1": 33.33, "f2": 66.67}}
    assert out["units"][1] == {
        "unit": "U2",
        "responses": 1,
        "criteria": {},
        "sipas": {"index": None, "factors": {}},
    }


def test_every_unit_is_listed_by_code_even_without_a_valid_response() -> None:
    survey = make_survey()
    rows = [("R1", "G1", "ZZ", "Q1", "A", ""), ("R2", "G1", "AA", "Q1", "A", "void")]
    results = compute_survey(survey, rows)
    assert [(u.unit, u.responses) for u in results.units] == [("AA", 0), ("ZZ", 1)]
    assert [(w.unit, w.criterion) for w in results.warnings] == [
        ("AA", "1.1"),
        ("AA", "1.2"),
        ("ZZ", "1.2"),
    ]
    assert survey_values_csv(results) == "unit,criterion,value,value2\r\nZZ,1.1,1.000000,\r\n"


def test_no_response_at_all_gives_empty_results() -> None:
    results = compute_survey(make_survey(), [])
    assert (
        survey_results_to_json(results)
        == json.dumps(
            {
                "format": "parindex.survey-results/v1",
                "survey": {"code": "XHH-T", "title": "Điều tra thử"},
                "responses": {"total": 0, "valid": 0, "void": 0},
                "units": [],
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )


def test_a_criterion_fed_by_no_weighted_answer_in_one_group_lists_only_the_other() -> None:
    survey = make_survey()
    rows = [("R1", "G1", "U1", "Q1", "E", ""), ("R2", "G2", "U1", "Q2", "A", "")]
    crit = compute_survey(survey, rows).unit("U1").criterion("1.1")
    assert crit is not None and [g.group for g in crit.groups] == ["G2"]
    assert crit.value == D("1.000000")


def test_yaml_anchors_share_options_between_questions(examples: Path) -> None:
    data = yaml.safe_load((examples / "so-demo-survey.yaml").read_text(encoding="utf-8"))
    survey = parse_survey(data, source="s")
    assert survey.question("Q03").options == survey.question("Q11").options
    assert survey.question("Q01").groups == ("HDND", "LDSO", "LDHUYEN")
