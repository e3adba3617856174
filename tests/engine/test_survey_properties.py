"""Property-based checks of the survey scores (spec §7) on random surveys and responses."""

from __future__ import annotations

import copy
import csv
import random
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.engine import (
    Survey,
    compute_survey,
    compute_survey_file,
    parse_survey,
    survey_results_to_dict,
)
from parindex.engine.survey_scores import round_half_up

COMMON = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WEIGHTS = st.sampled_from([0, 10, 20, 25, 33.5, 50, 60, 75, 100, None])
GROUP_WEIGHTS = st.sampled_from([0.5, 1, 1.5, 2, 3, 7])

Rows = list[tuple[str, str, str, str, str, str]]


@st.composite
def option_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    options = []
    for i in range(draw(st.integers(1, 5))):
        option: dict[str, Any] = {"key": f"o{i}", "label": f"Phương án {i}"}
        weight = draw(WEIGHTS)
        if weight is not None:
            option["weight"] = weight
        if draw(st.booleans()):
            option["satisfied"] = True
        options.append(option)
    return options


@st.composite
def surveys(draw: st.DrawFn) -> dict[str, Any]:
    groups = [
        {"code": f"G{g}", "title": f"Nhóm {g}", "weight": draw(GROUP_WEIGHTS)}
        for g in range(draw(st.integers(1, 3)))
    ]
    codes = [g["code"] for g in groups]
    questions = []
    for q in range(draw(st.integers(1, 6))):
        question: dict[str, Any] = {"code": f"Q{q}", "text": f"Câu {q}"}
        criterion = draw(st.sampled_from(["1.1", "1.2", "2.1", None]))
        if criterion is not None:
            question["criterion"] = criterion
        if draw(st.booleans()):
            question["groups"] = draw(
                st.lists(st.sampled_from(codes), min_size=1, max_size=len(codes), unique=True)
            )
        factor = draw(st.sampled_from(["f1", "f2", None]))
        if factor is not None:
            question["factor"] = factor
        if draw(st.booleans()):
            question["options"] = draw(option_lists())
        questions.append(question)
    return {
        "format": "parindex.survey/v1",
        "code": "XHH",
        "title": "Điều tra",
        "year": 2024,
        "block": "so",
        "scale": draw(option_lists()),
        "groups": groups,
        "questions": questions,
    }


def random_rows(survey: Survey, seed: int, *, void_share: float = 0.1) -> Rows:
    rnd = random.Random(seed)
    rows: Rows = []
    for r in range(rnd.randint(0, 40)):
        group = rnd.choice(survey.groups).code
        unit = rnd.choice(["U1", "U2", "U3"])
        status = rnd.choice(["void"] if rnd.random() < void_share else ["", "valid"])
        for q in survey.questions:
            if group in q.groups and rnd.random() < 0.8:
                rows.append((f"R{r}", group, unit, q.code, rnd.choice(q.options).key, status))
    return rows


def reference(survey: Survey, rows: Rows) -> dict[tuple[str, str], Fraction]:
    """value(u, c) unrounded, straight from the words of spec §7 (one answer at a time)."""
    answers: dict[tuple[str, str, str], list[Fraction]] = {}  # (unit, group, question)
    for _r, group, unit, question, answer, status in rows:
        if status == "void":
            continue
        option = next(o for o in survey.question(question).options if o.key == answer)
        if option.weight is not None:
            answers.setdefault((unit, group, question), []).append(Fraction(option.weight))
    out: dict[tuple[str, str], Fraction] = {}
    for unit in {row[2] for row in rows}:
        for c in survey.criteria():
            top = bottom = Fraction(0)
            for g in survey.groups:
                means = []
                for q in survey.questions:
                    found = answers.get((unit, g.code, q.code))
                    if q.criterion == c and found:
                        means.append(sum(found) / len(found) / 100)
                if means:
                    top += Fraction(g.weight) * sum(means) / len(means)
                    bottom += Fraction(g.weight)
            if bottom:
                out[unit, c] = top / bottom
    return out


def values_of(results: Any) -> dict[tuple[str, str], Decimal]:
    return {(u.unit, c.criterion): c.value for u in results.units for c in u.criteria}


@COMMON
@given(surveys(), st.integers(0, 10**6))
def test_values_equal_the_spec_computed_answer_by_answer(data, seed):
    survey = parse_survey(data, source="s")
    rows = random_rows(survey, seed)
    results = compute_survey(survey, rows)
    expected = {key: round_half_up(v, 6) for key, v in reference(survey, rows).items()}
    assert values_of(results) == expected
    warned = {(w.unit, w.criterion) for w in results.warnings}
    every = {(u.unit, c) for u in results.units for c in survey.criteria()}
    assert warned == every - set(expected)


@COMMON
@given(surveys(), st.integers(0, 10**6))
def test_values_and_scores_lie_in_0_1_and_indices_in_0_100(data, seed):
    survey = parse_survey(data, source="s")
    results = compute_survey(survey, random_rows(survey, seed))
    for u in results.units:
        for c in u.criteria:
            assert 0 <= c.value <= 1 and c.value == c.value.quantize(Decimal("0.000001"))
            assert c.groups and all(0 <= g.score <= 1 and g.answers > 0 for g in c.groups)
            scores = [g.score for g in c.groups]
            assert min(scores) - Decimal("0.000001") <= c.value <= max(scores) + Decimal("0.000001")
        for _code, index in u.factors:
            assert 0 <= index <= 100
        assert (u.sipas is None) == (not u.factors)
        if u.sipas is not None:
            assert min(i for _, i in u.factors) - Decimal("0.01") <= u.sipas
            assert u.sipas <= max(i for _, i in u.factors) + Decimal("0.01")


@COMMON
@given(surveys(), st.integers(0, 10**6), st.randoms(use_true_random=False))
def test_permuting_rows_does_not_change_results(data, seed, rnd):
    survey = parse_survey(data, source="s")
    rows = random_rows(survey, seed)
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert compute_survey(survey, shuffled) == compute_survey(survey, rows)


@COMMON
@given(surveys(), st.integers(0, 10**6))
def test_void_responses_change_nothing_but_the_counts(data, seed):
    survey = parse_survey(data, source="s")
    rows = random_rows(survey, seed, void_share=0)
    extra = [(f"V{r}", g, u, q, a, "void") for r, g, u, q, a, _s in random_rows(survey, seed + 1)]
    base = compute_survey(survey, rows)
    more = compute_survey(survey, rows + extra)
    assert values_of(more) == values_of(base)
    assert more.valid == base.valid and more.void == len({row[0] for row in extra})
    known = {u.unit for u in base.units}
    for u in more.units:
        if u.unit in known:
            assert u == base.unit(u.unit)
        else:  # a unit named only by void responses is listed, with nothing
            assert (u.responses, u.criteria, u.factors, u.sipas) == (0, (), (), None)


@COMMON
@given(surveys(), st.integers(0, 10**6), st.sampled_from([2, 3, 0.5, 10]))
def test_scaling_every_group_weight_changes_nothing(data, seed, factor):
    survey = parse_survey(data, source="s")
    scaled = copy.deepcopy(data)
    for g in scaled["groups"]:
        g["weight"] = Decimal(str(g["weight"])) * Decimal(str(factor))
    rows = random_rows(survey, seed)
    assert survey_results_to_dict(
        compute_survey(parse_survey(scaled, source="s"), rows)
    ) == survey_results_to_dict(compute_survey(survey, rows))


@COMMON
@given(surveys(), st.integers(0, 10**6))
def test_with_one_group_answering_the_value_is_its_score(data, seed):
    survey = parse_survey(data, source="s")
    only = survey.groups[0].code
    rows = [row for row in random_rows(survey, seed) if row[1] == only]
    for u in compute_survey(survey, rows).units:
        for c in u.criteria:
            assert [g.group for g in c.groups] == [only]
            assert c.value == c.groups[0].score


@COMMON
@given(surveys(), st.integers(0, 10**6))
def test_the_file_and_the_rows_give_the_same_results(tmp_path_factory, data, seed):
    survey = parse_survey(data, source="s")
    rows = random_rows(survey, seed)
    path = Path(tmp_path_factory.mktemp("r")) / "responses.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response", "group", "unit", "question", "answer", "status"])
        writer.writerows(rows)
    assert compute_survey_file(survey, path) == compute_survey(survey, rows)


@COMMON
@given(surveys())
def test_the_survey_survives_a_round_trip_through_its_dict(data):
    from parindex.engine import survey_to_dict

    survey = parse_survey(data, source="s")
    assert parse_survey(survey_to_dict(survey), source="again") == survey
