"""Survey points, SIPAS and exports. Thin views: an access helper, one service or selector,
render, redirect or a file.

Who reaches what:
- the organizer's pages (points table, refresh, freeze, SIPAS, exports):
  ``get_survey_for_organizer`` — the period's organizer admin (writes), an organizer above it
  (reads; 403 on refresh/freeze); everyone else 404;
- the open computation of one assessment: the unit's officer and leader, the council's seats
  of the period (once the unit has sent), the organizer (and those above it); the
  assessment must be of the survey's period and block; everyone else 404.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from parindex.assessments.access import actor_kinds, get_assessment_for_user
from parindex.assessments.models import Assessment
from parindex.common.errors import DomainError
from parindex.periods.access import request_roles, supervises
from parindex.reports.views import attachment_header
from parindex.survey import exports
from parindex.survey.access import SURVEY_RELATED, get_survey_for_organizer
from parindex.survey.models import Survey
from parindex.survey.selectors import points as selectors
from parindex.survey.selectors import sipas as sipas_selectors
from parindex.survey.services.points import survey_points_freeze, survey_points_refresh

READERS = {"officer", "leader", "appraiser", "chair", "organizer"}


def _file_name(survey: Survey, what: str, ext: str) -> str:
    code = str(survey.definition.get("code") or f"dieu-tra-{survey.pk}")
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in code)
    return f"{safe}-{what}.{ext}"


def _download(content: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment_header(name, name)
    return response


# ---------------------------------------------------------------- the organizer's points


@require_GET
def organizer(request: HttpRequest, survey_pk: int) -> HttpResponse:
    request_roles(request)
    survey = get_survey_for_organizer(request.user, survey_pk)
    table = selectors.organizer_table(survey)
    context = {"survey": survey, "table": table, "tab": "points"}
    return render(request, "survey/points/organizer.html", context)


@require_POST
def refresh(request: HttpRequest, survey_pk: int) -> HttpResponse:
    request_roles(request)
    survey = get_survey_for_organizer(request.user, survey_pk, write=True)
    try:
        done = survey_points_refresh(actor=request.user, survey=survey)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Đã tính lại điểm điều tra từ {done.responses} phiếu hợp lệ: "
            f"{done.changed} tiêu chí thành phần thay đổi điểm.",
        )
    return redirect("survey:points_organizer", survey_pk=survey.pk)


@require_POST
def freeze(request: HttpRequest, survey_pk: int) -> HttpResponse:
    request_roles(request)
    survey = get_survey_for_organizer(request.user, survey_pk, write=True)
    try:
        survey_points_freeze(actor=request.user, survey=survey)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã chốt điểm điều tra: điểm không thay đổi nữa.")
    return redirect("survey:points_organizer", survey_pk=survey.pk)


# ---------------------------------------------------------------- one assessment


def _assessment_for_survey(user: Any, survey: Survey, assessment_pk: int) -> Assessment:
    assessment = get_assessment_for_user(user, assessment_pk)
    pb = survey.period_block
    if assessment.period_id != pb.period_id or assessment.unit.block_id != pb.block_id:
        raise Http404("Không tìm thấy bản đánh giá.")
    # the council's seats count once the unit has sent (``actor_kinds``); a unit assigned
    # some leaves of this assessment (a contributor) does not read the survey
    if actor_kinds(user, assessment) & READERS:
        return assessment
    if supervises(user, assessment.period.organizer):
        return assessment
    raise Http404("Không tìm thấy bản đánh giá.")


def _survey(pk: int) -> Survey:
    survey = Survey.objects.select_related(*SURVEY_RELATED).filter(pk=pk).first()
    if survey is None:
        raise Http404("Không tìm thấy cuộc điều tra.")
    return survey


@require_GET
def assessment(request: HttpRequest, survey_pk: int, assessment_pk: int) -> HttpResponse:
    request_roles(request)
    survey = _survey(survey_pk)
    the_assessment = _assessment_for_survey(request.user, survey, assessment_pk)
    kinds = actor_kinds(request.user, the_assessment)
    organizer_reader = "organizer" in kinds or supervises(
        request.user, the_assessment.period.organizer
    )
    try:
        computation = selectors.unit_computation(survey, the_assessment)
    except DomainError as exc:
        messages.error(request, exc.message)
        computation = None
    context = {
        "survey": survey,
        "assessment": the_assessment,
        "computation": computation,
        "organizer_reader": organizer_reader,
        "no_result": selectors.NO_RESULT,
    }
    return render(request, "survey/points/assessment.html", context)


# ---------------------------------------------------------------- SIPAS


@require_GET
def sipas(request: HttpRequest, survey_pk: int) -> HttpResponse:
    request_roles(request)
    survey = get_survey_for_organizer(request.user, survey_pk)
    sort = request.GET.get("sort", "unit")
    try:
        table = sipas_selectors.sipas_table(survey, sort)
    except DomainError as exc:
        messages.error(request, exc.message)
        table = None
    context = {"survey": survey, "table": table, "tab": "sipas"}
    return render(request, "survey/points/sipas.html", context)


@require_GET
def sipas_xlsx(request: HttpRequest, survey_pk: int) -> HttpResponse:
    request_roles(request)
    survey = get_survey_for_organizer(request.user, survey_pk)
    table = sipas_selectors.sipas_table(survey, request.GET.get("sort", "unit"))
    content = exports.sipas_xlsx(survey, table)
    return _download(content, exports.XLSX, _file_name(survey, "sipas", "xlsx"))


# ---------------------------------------------------------------- exports


@require_GET
def export_responses(request: HttpRequest, survey_pk: int) -> StreamingHttpResponse:
    request_roles(request)
    survey = get_survey_for_organizer(request.user, survey_pk)
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in exports.responses_csv(survey)),
        content_type="text/csv; charset=utf-8",
    )
    name = _file_name(survey, "phieu-tra-loi", "csv")
    response["Content-Disposition"] = attachment_header(name, name)
    return response


@require_GET
def export_summary(request: HttpRequest, survey_pk: int) -> HttpResponse:
    request_roles(request)
    survey = get_survey_for_organizer(request.user, survey_pk)
    content = exports.summary_xlsx(survey)
    return _download(content, exports.XLSX, _file_name(survey, "tong-hop", "xlsx"))


@require_GET
def export_results(request: HttpRequest, survey_pk: int) -> HttpResponse:
    request_roles(request)
    survey = get_survey_for_organizer(request.user, survey_pk)
    document = exports.results_document(survey)
    text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    return _download(
        text.encode("utf-8"), "application/json", _file_name(survey, "ket-qua", "json")
    )


@require_GET
def export_definition(request: HttpRequest, survey_pk: int) -> HttpResponse:
    request_roles(request)
    survey = get_survey_for_organizer(request.user, survey_pk)
    return _download(
        exports.definition_yaml(survey).encode("utf-8"),
        "application/yaml; charset=utf-8",
        _file_name(survey, "phieu", "yaml"),
    )
