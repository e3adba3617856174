"""Progress of a survey ("Chi tiết tiến độ khảo sát"): the organizer's table of every unit ×
group (sortable, exportable as XLSX) and a unit's own page (its rows only, counts only —
never answers). The organizer admin of the period and an organizer above it (read only) see
the first (``get_survey_for_organizer``); the unit's officer and leader the second
(``get_survey_for_unit``); everyone else 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from parindex.periods.access import request_roles
from parindex.survey.access import get_survey_for_organizer, get_survey_for_unit
from parindex.survey.selectors.progress import DEFAULT_SORT, SORTS, survey_progress
from parindex.survey.xlsx_progress import build_progress_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SORT_PARAM = "sap-xep"


def _sort(request: HttpRequest) -> str:
    value = request.GET.get(SORT_PARAM, DEFAULT_SORT)
    return value if value in SORTS else DEFAULT_SORT


@require_GET
def progress_organizer(request: HttpRequest, survey_pk: int) -> HttpResponse:
    request_roles(request)
    survey = get_survey_for_organizer(request.user, survey_pk)
    sort = _sort(request)
    return render(
        request,
        "survey/progress/organizer.html",
        {
            "survey": survey,
            "period": survey.period_block.period,
            "progress": survey_progress(survey, sort=sort),
            "sorts": SORTS,
            "sort": sort,
            "sort_param": SORT_PARAM,
            "tab": "progress",
        },
    )


@require_GET
def progress_export(request: HttpRequest, survey_pk: int) -> HttpResponse:
    request_roles(request)
    survey = get_survey_for_organizer(request.user, survey_pk)
    data = build_progress_xlsx(survey, survey_progress(survey, sort=_sort(request)))
    response = HttpResponse(data, content_type=XLSX)
    name = f"tien-do-khao-sat-{survey.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def progress_unit(request: HttpRequest, survey_pk: int, unit_pk: int) -> HttpResponse:
    request_roles(request)
    survey, unit = get_survey_for_unit(request.user, survey_pk, unit_pk)
    progress = survey_progress(survey, unit_ids=[unit.pk])
    mine = progress.units[0] if progress.units else None
    return render(
        request,
        "survey/progress/unit.html",
        {
            "survey": survey,
            "unit": unit,
            "mine": mine,
            "mine_list": [mine] if mine else [],
        },
    )
