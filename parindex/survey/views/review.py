"""The organizer's fraud checks: the thresholds form and "Quét lại", the review queue of
flagged responses (valid / void with a reason, one by one through htmx or a plain POST, or a
selection at once), and voiding / restoring a unit's whole survey (000 §2.d).

The organizer admin of the period changes them; an organizer above it reads (403 on every
POST); everyone else 404 (``get_survey_for_organizer``). Thin views: access → form → one
service → redirect (or the fragment / the page again with the message)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts.models import Unit
from parindex.common.errors import DomainError
from parindex.common.params import int_param
from parindex.periods.access import request_roles
from parindex.survey.access import get_survey_for_organizer
from parindex.survey.forms_review import (
    BulkReviewForm,
    FraudThresholdsForm,
    ReviewForm,
    UnitUnvoidForm,
    UnitVoidForm,
)
from parindex.survey.fraud import LABELS, THRESHOLDS
from parindex.survey.models import DEFAULT_FRAUD, Response, Survey
from parindex.survey.selectors.progress import group_titles, survey_units
from parindex.survey.selectors.review import flag_labels, review_items, review_page
from parindex.survey.services import review as services


def _survey(request: HttpRequest, survey_pk: int, *, write: bool = False) -> Survey:
    request_roles(request)
    return get_survey_for_organizer(request.user, survey_pk, write=write)


def _form_errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


# ---------------------------------------------------------------- thresholds and re-scan


def _thresholds_render(
    request: HttpRequest, survey: Survey, form: FraudThresholdsForm, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "survey/review/thresholds.html",
        {
            "survey": survey,
            "period": survey.period_block.period,
            "form": form,
            "fields": [(form[t.key], DEFAULT_FRAUD[t.key]) for t in THRESHOLDS],
            "labels": LABELS,
            "tab": "thresholds",
            **extra,
        },
    )


@require_http_methods(["GET", "POST"])
def review_thresholds(request: HttpRequest, survey_pk: int) -> HttpResponse:
    if request.method == "POST":
        survey = _survey(request, survey_pk, write=True)
        form = FraudThresholdsForm(request.POST)
        if not form.is_valid():
            return _thresholds_render(request, survey, form, error="Ngưỡng chưa hợp lệ.")
        try:
            services.fraud_set_thresholds(actor=request.user, survey=survey, values=form.values())
        except DomainError as exc:
            return _thresholds_render(
                request, survey, form, error=exc.message, problems=exc.problems
            )
        messages.success(request, "Đã lưu các ngưỡng phát hiện bất thường.")
        return redirect("survey:review_thresholds", survey_pk=survey.pk)
    survey = _survey(request, survey_pk)
    form = FraudThresholdsForm(initial=services.current_thresholds(survey))
    return _thresholds_render(request, survey, form)


@require_POST
def review_rescan(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, write=True)
    try:
        result = services.fraud_rescan(actor=request.user, survey=survey)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("survey:review_thresholds", survey_pk=survey.pk)
    if result.total:
        messages.warning(
            request,
            f"Đã quét lại: {result.total} phiếu mới được đưa vào danh sách xem xét "
            f"({result.same_pattern} phiếu trả lời giống hệt nhau, {result.burst} phiếu gửi "
            "dồn dập từ cùng địa chỉ hoặc thiết bị).",
        )
        return redirect("survey:review_queue", survey_pk=survey.pk)
    messages.success(request, "Đã quét lại: không có phiếu nào mới cần xem xét.")
    return redirect("survey:review_thresholds", survey_pk=survey.pk)


# ---------------------------------------------------------------- the queue


def _unit_choices(survey: Survey) -> list[tuple[int, str]]:
    return [(u.pk, f"{u.code} — {u.name}") for u in survey_units(survey)]


def _queue_render(request: HttpRequest, survey: Survey, **extra: Any) -> HttpResponse:
    page = int_param(request.GET.get("trang"), high=100000) or 1
    flag = request.GET.get("dau-hieu", "")
    unit_id = int_param(request.GET.get("don-vi"))
    units = _unit_choices(survey)
    extra.setdefault("void_form", UnitVoidForm(units=units, auto_id="id_void_%s"))
    return render(
        request,
        "survey/review/queue.html",
        {
            "survey": survey,
            "period": survey.period_block.period,
            "rp": review_page(survey, page=page, flag=flag, unit_id=unit_id),
            "labels": LABELS,
            "units": units,
            "unvoid_form": UnitUnvoidForm(auto_id="id_unvoid_%s"),
            "tab": "review",
            **extra,
        },
    )


@require_GET
def review_queue(request: HttpRequest, survey_pk: int) -> HttpResponse:
    return _queue_render(request, _survey(request, survey_pk))


def _back(request: HttpRequest, survey: Survey) -> HttpResponse:
    url = reverse("survey:review_queue", kwargs={"survey_pk": survey.pk})
    query = request.POST.get("next_query", "")
    if query and all(ch.isalnum() or ch in "=&-_%" for ch in query):
        url = f"{url}?{query}"
    return redirect(url)


@require_POST
def review_decide(request: HttpRequest, survey_pk: int, response_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, write=True)
    response = get_object_or_404(
        Response.objects.select_related("unit"), pk=response_pk, survey=survey
    )
    form = ReviewForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _form_errors(form)
    else:
        try:
            response = services.response_review(
                actor=request.user,
                response=response,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            error = exc.message
    if getattr(request, "htmx", False):
        if error:
            item = review_items(survey, [response])[0]
            context = {"survey": survey, "item": item, "error": error}
            return render(request, "survey/review/_item.html", context)
        context = {
            "survey": survey,
            "r": response,
            "flags": flag_labels(response.flags),
            "group_title": group_titles(survey).get(response.group, response.group),
        }
        return render(request, "survey/review/_decided.html", context)
    if error:
        messages.error(request, f"Phiếu số {response.pk}: {error}")
    else:
        messages.success(
            request, f"Phiếu số {response.pk}: {Response.Status(response.status).label.lower()}."
        )
    return _back(request, survey)


@require_POST
def review_bulk(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, write=True)
    ids = list(
        Response.objects.filter(
            survey=survey, pk__in=_int_list(request.POST.getlist("ids"))
        ).values_list("pk", flat=True)
    )
    form = BulkReviewForm(request.POST, ids=ids)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(request, survey)
    try:
        n = services.responses_review_bulk(
            actor=request.user,
            survey=survey,
            response_ids=form.cleaned_data["ids"],
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        label = Response.Status(form.cleaned_data["status"]).label.lower()
        messages.success(request, f"Đã đánh dấu {n} phiếu: {label}.")
    return _back(request, survey)


def _int_list(values: list[str]) -> list[int]:
    return [n for n in (int_param(v) for v in values[:1000]) if n is not None]


# ---------------------------------------------------------------- voiding a unit


@require_POST
def review_unit_void(request: HttpRequest, survey_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, write=True)
    units = _unit_choices(survey)
    form = UnitVoidForm(request.POST, units=units, auto_id="id_void_%s")
    if not form.is_valid():
        return _queue_render(request, survey, void_form=form, void_open=True)
    unit = Unit.objects.get(pk=form.cleaned_data["unit"])
    try:
        services.unit_void(
            actor=request.user, survey=survey, unit=unit, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        return _queue_render(
            request, survey, void_form=form, void_open=True, page_error=exc.message
        )
    messages.warning(
        request,
        f"Đã hủy toàn bộ kết quả khảo sát của {unit.name}: phiếu về đơn vị này không được tính.",
    )
    return redirect("survey:review_queue", survey_pk=survey.pk)


@require_POST
def review_unit_unvoid(request: HttpRequest, survey_pk: int, unit_pk: int) -> HttpResponse:
    survey = _survey(request, survey_pk, write=True)
    unit = get_object_or_404(Unit, pk=unit_pk)
    form = UnitUnvoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{unit.name}: ghi lý do khôi phục kết quả khảo sát.")
        return redirect("survey:review_queue", survey_pk=survey.pk)
    try:
        services.unit_unvoid(
            actor=request.user, survey=survey, unit=unit, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã khôi phục kết quả khảo sát của {unit.name}.")
    return redirect("survey:review_queue", survey_pk=survey.pk)
