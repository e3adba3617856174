"""A small world for the survey points, SIPAS and exports: the public example
so-demo-responses.csv's responses about Sở Tư pháp and Sở Y tế stored in the ``surveyed``
survey (its void responses void), and the expected figures of so-demo-survey-results.json."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from parindex.assessments.models import Entry
from parindex.survey.models import Response, SurveyAnswer

pytestmark = pytest.mark.django_db

EXAMPLES = Path("/work/shared/spec/examples")
RESPONSES = EXAMPLES / "so-demo-responses.csv"
RESULTS = EXAMPLES / "so-demo-survey-results.json"
UNITS = ("STP", "SYT")


def load_world(surveyed, *, units=UNITS) -> dict[str, list[Response]]:
    """Store the example's responses about ``units`` (bulk: no signal, no fraud check);
    returns them by unit code, in the file's order."""
    by_code = {u.code: u for u in (surveyed.province.stp, surveyed.province.syt)}
    forms: dict[str, tuple[str, str, str, list[tuple[str, str]]]] = {}
    with RESPONSES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["unit"] not in units:
                continue
            form = forms.setdefault(row["response"], (row["group"], row["unit"], row["status"], []))
            form[3].append((row["question"], row["answer"]))
    now = timezone.now()
    made = Response.objects.bulk_create(
        Response(
            survey=surveyed.survey,
            group=group,
            unit=by_code[unit],
            channel=Response.Channel.PAPER,
            status=Response.Status.VOID if status == "void" else Response.Status.VALID,
            submitted_at=now,
            serial=code,
        )
        for code, (group, unit, status, _answers) in forms.items()
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=r, question=q, option=o)
        for r, (_g, _u, _s, answers) in zip(made, forms.values(), strict=True)
        for q, o in answers
    )
    out: dict[str, list[Response]] = {}
    for r in made:
        out.setdefault(r.unit.code, []).append(r)
    return out


def expected_units() -> dict[str, dict]:
    data = json.loads(RESULTS.read_text(encoding="utf-8"))
    return {u["unit"]: u for u in data["units"] if u["unit"] in UNITS}


def survey_scores(assessment) -> dict[str, Decimal | None]:
    return dict(
        Entry.objects.filter(assessment=assessment, node__source="survey").values_list(
            "node__code", "survey_score"
        )
    )


def survey_maxima(assessment) -> dict[str, Decimal]:
    return dict(
        Entry.objects.filter(assessment=assessment, node__source="survey").values_list(
            "node__code", "node__max"
        )
    )


def test_the_world_holds_the_examples_responses(surveyed):
    world = load_world(surveyed)
    assert len(world["STP"]) + len(world["SYT"]) == Response.objects.count()
    assert Response.objects.filter(status=Response.Status.VOID).exists()
