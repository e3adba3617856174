"""The organizer's survey design pages: the period's surveys (one per block: create from a
file, from last year's or from the default), a survey's overview (status, window, framework
check, exports), the editor, the exports and the sample design (quota matrix).

The organizer admin of the period changes them; an organizer above it reads them (403 on
every POST); everyone else gets 404 (``access.get_survey_for_organizer`` /
``get_period_block_for_organizer`` / ``periods.access.get_period_for_user``).
Thin views: access helper → form → one service → redirect (or the page again with the
service's message and every problem it lists)."""

from __future__ import annotations

import json
from typing import Any

import yaml
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.common.errors import DomainError
from parindex.periods.access import get_period_for_user, request_roles
from parindex.periods.models import Period
from parindex.survey.access import get_period_block_for_organizer, get_survey_for_organizer
from parindex.survey.forms_design import (
    QuotaFillForm,
    TransitionForm,
    UploadForm,
    WindowForm,
    apply_op,
    definition_from_state,
    quota_cells,
    state_from_definition,
    state_from_post,
)
from parindex.survey.models import Survey
from parindex.survey.selectors.design import (
    framework_check,
    leaf_choices,
    period_surveys,
    quota_matrix,
)
from parindex.survey.services import design as design_services
from parindex.survey.services.lifecycle import (
    TRANSITIONS,
    survey_set_window,
    survey_transition,
)
from parindex.survey.services.quota import Cell, quota_bulk_fill, quota_set
from parindex.survey.xlsx_design import build_definition_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    "yaml": "application/yaml; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": XLSX,
}


def _survey(request: HttpRequest, survey_pk: int, *, write: bool = False) -> Survey:
    request_roles(request)
    return get_survey_for_organizer(request.user, survey_pk, write=write)


def _ctx(survey: Survey, tab: str) -> dict[str, Any]:
    period = survey.period_block.period
    return {
        "survey": survey,
        "period": period,
        "pb": survey.period_block,
        "tab": tab,
        "editable": period.can_change and survey.status == Survey.Status.DRAFT,
        "can_change": period.can_change,
    }


# ---------------------------------------------------------------- the period's surveys


def _period_render(request: HttpRequest, period: Period, **extra: Any) -> HttpResponse:
    return render(
        request,
        "survey/design/period.html",
        {
            "period": period,
            "rows": period_surveys(period),
            "upload_form": UploadForm(),
            **extra,
        },
    )


@require_GET
def period_page(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    return _period_render(request, get_period_for_user(request.user, period_pk))


@require_POST
def create(request: HttpRequest, period_pk: int, block_pk: int) -> HttpResponse:
    """Create a block's survey: ``how`` = upload | copy | default."""
    request_roles(request)
    pb = get_period_block_for_organizer(request.user, period_pk, block_pk, write=True)
    how = request.POST.get("how", "")
    try:
        if how == "upload":
            form = UploadForm(request.POST, request.FILES)
            if not form.is_valid():
                raise DomainError(form.errors["file"][0])
            upload = form.cleaned_data["file"]
            survey = design_services.survey_create_from_file(
                actor=request.user, period_block=pb, name=upload.name, content=upload.read()
            )
            done = f"Đã tạo phiếu điều tra từ tệp {upload.name}."
        elif how == "copy":
            survey = design_services.copy_from_last_year(actor=request.user, period_block=pb)
            done = f"Đã sao chép phiếu điều tra năm {pb.period.year - 1}."
        elif how == "default":
            survey = design_services.survey_create_default(actor=request.user, period_block=pb)
            done = "Đã tạo phiếu điều tra mặc định: sửa các nhóm, thang đo và câu hỏi."
        else:
            raise Http404("Không có cách tạo phiếu này.")
    except DomainError as exc:
        return _period_render(
            request, pb.period, error=exc.message, problems=exc.problems, error_block=pb.block_id
        )
    messages.success(request, done)
    return redirect("survey:design_overview", survey_pk=survey.pk)


# ---------------------------------------------------------------- the overview


def _overview_render(request: HttpRequest, survey: Survey, **extra: Any) -> HttpResponse:
    extra.setdefault(
        "window_form",
        WindowForm(
            initial={
                "opens_on": survey.opens_on,
                "closes_on": survey.closes_on,
                "lists_due_on": survey.lists_due_on,
                "public_enabled": survey.public_enabled,
            }
        ),
    )
    transitions = [
        {"to": to, "label": label, "needs_reason": survey.status == Survey.Status.CLOSED}
        for to, label in TRANSITIONS.get(survey.status, {}).items()
    ]
    return render(
        request,
        "survey/design/overview.html",
        {
            **_ctx(survey, "overview"),
            "check": framework_check(survey),
            "transitions": transitions,
            "n_groups": len(survey.definition.get("groups", [])),
            "n_questions": len(survey.definition.get("questions", [])),
            **extra,
        },
    )


@require_GET
def overview(request: HttpRequest, survey_pk: int) -> HttpResponse:
    return _overview_render(request, _survey(request, survey_pk))


@require_POST
def window(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, write=True)
    form = WindowForm(request.POST)
    if not form.is_valid():
        return _overview_render(request, survey, window_form=form)
    try:
        survey_set_window(actor=request.user, survey=survey, **form.cleaned_data)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _overview_render(request, survey, window_form=form)
    messages.success(request, "Đã lưu thời gian khảo sát.")
    return redirect("survey:design_overview", survey_pk=survey.pk)


@require_POST
def transition(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, write=True)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _overview_render(request, survey, error="Chọn bước chuyển trạng thái.")
    to = form.cleaned_data["to"]
    try:
        survey = survey_transition(
            actor=request.user, survey=survey, to=to, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        return _overview_render(request, survey, error=exc.message)
    messages.success(request, f"Cuộc khảo sát: {survey.get_status_display()}.")
    return redirect("survey:design_overview", survey_pk=survey.pk)


# ---------------------------------------------------------------- export and import


@require_GET
def export(request: HttpRequest, survey_pk: int, fmt: str) -> HttpResponse:
    survey = _survey(request, survey_pk)
    definition = survey.definition
    name = str(definition.get("code") or f"phieu-dieu-tra-{survey.pk}")
    if fmt == "yaml":
        body: bytes = yaml.safe_dump(definition, allow_unicode=True, sort_keys=False).encode()
    elif fmt == "json":
        body = (json.dumps(definition, ensure_ascii=False, indent=2) + "\n").encode()
    elif fmt == "xlsx":
        body = build_definition_xlsx(definition)
    else:  # pragma: no cover - the URL allows only these
        raise Http404("Không có định dạng này.")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    safe = "".join(c if (c.isascii() and c.isalnum()) or c in "-_." else "-" for c in name)
    response["Content-Disposition"] = f'attachment; filename="{safe}.{fmt}"'
    return response


@require_POST
def replace(request: HttpRequest, survey_pk: int) -> HttpResponse:
    """Replace the whole (draft) definition by an uploaded file."""
    survey = _survey(request, survey_pk, write=True)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _editor_render(request, survey, error=form.errors["file"][0], status=400)
    upload = form.cleaned_data["file"]
    try:
        design_services.survey_replace_from_file(
            actor=request.user, survey=survey, name=upload.name, content=upload.read()
        )
    except DomainError as exc:
        return _editor_render(request, survey, error=exc.message, problems=exc.problems)
    messages.success(request, f"Đã thay phiếu điều tra bằng tệp {upload.name}.")
    return redirect("survey:design_editor", survey_pk=survey.pk)


# ---------------------------------------------------------------- the editor


def _editor_render(
    request: HttpRequest, survey: Survey, *, state: Any = None, status: int = 200, **extra: Any
) -> HttpResponse:
    state = state or state_from_definition(survey.definition)
    leaves = leaf_choices(survey)
    template = (
        "survey/design/_editor_form.html"
        if request.headers.get("HX-Request") and request.method == "POST" and "op" in request.POST
        and not extra.get("saved_error")
        else "survey/design/editor.html"
    )  # fmt: skip
    return render(
        request,
        template,
        {
            **_ctx(survey, "editor"),
            "state": state,
            "leaves": leaves,
            "leaf_codes": {code for code, _ in leaves},
            "group_rows": [(str(i), g) for i, g in enumerate(state.groups)],
            "upload_form": UploadForm(),
            **extra,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def editor(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, write=request.method == "POST")
    if request.method == "GET":
        return _editor_render(request, survey)
    if survey.status != Survey.Status.DRAFT:
        return _editor_render(
            request,
            survey,
            error="Cuộc khảo sát đã bắt đầu: không sửa được phiếu điều tra.",
            status=409,
        )
    meta = {k: survey.definition[k] for k in ("format", "year", "block", "framework")
            if k in survey.definition}  # fmt: skip
    state = state_from_post(request.POST, meta)
    op = request.POST.get("op", "save")
    if op != "save":
        apply_op(state, op)
        return _editor_render(request, survey, state=state)
    try:
        design_services.survey_edit(
            actor=request.user, survey=survey, data=definition_from_state(state)
        )
    except DomainError as exc:
        return _editor_render(
            request, survey, state=state, error=exc.message, problems=exc.problems,
            saved_error=True,
        )  # fmt: skip
    messages.success(request, "Đã lưu phiếu điều tra.")
    return redirect("survey:design_editor", survey_pk=survey.pk)


# ---------------------------------------------------------------- the sample design


def _quota_render(request: HttpRequest, survey: Survey, **extra: Any) -> HttpResponse:
    period = survey.period_block.period
    return render(
        request,
        "survey/design/quota.html",
        {
            **_ctx(survey, "quota"),
            "m": quota_matrix(survey),
            "quota_editable": period.can_change
            and survey.status != Survey.Status.CLOSED
            and survey.frozen_at is None,
            **extra,
        },
    )


@require_http_methods(["GET", "POST"])
def quota(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, write=request.method == "POST")
    if request.method == "GET":
        return _quota_render(request, survey)
    m = quota_matrix(survey)
    raw, problems = quota_cells(request.POST, [g.code for g in m.groups], [u.pk for u in m.units])
    if problems:
        return _quota_render(
            request, survey, error="Chỉ tiêu mẫu có lỗi: chưa lưu gì.", problems=problems
        )
    try:
        n = quota_set(actor=request.user, survey=survey, cells=[Cell(*c) for c in raw])
    except DomainError as exc:
        return _quota_render(request, survey, error=exc.message, problems=exc.problems)
    messages.success(request, f"Đã lưu chỉ tiêu mẫu ({n} ô thay đổi).")
    return redirect("survey:design_quota", survey_pk=survey.pk)


@require_POST
def quota_fill(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, write=True)
    form = QuotaFillForm(request.POST)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        return _quota_render(request, survey, error=" ".join(errors))
    group = form.cleaned_data["group"]
    try:
        n = quota_bulk_fill(
            actor=request.user,
            survey=survey,
            group=group,
            target=form.cleaned_data["target"],
            census=form.census_value(),
        )
    except DomainError as exc:
        return _quota_render(request, survey, error=exc.message, problems=exc.problems)
    messages.success(request, f"Đã điền nhóm {group} cho {n} đơn vị.")
    return redirect("survey:design_quota", survey_pk=survey.pk)
