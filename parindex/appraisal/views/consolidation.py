"""Consolidation (Tổng hợp), the chair's review, the publication decision and the appraisal's
documents (Biên bản thẩm định, Báo cáo kết quả thẩm định). Thin views: an access helper, a
form, one service, render or redirect.

Who reaches what (the access helpers of ``appraisal.access``):
- the consolidation page, the report, the publication decision's file: the period's organizer
  admin (writes), an organizer above it (reads), the chair of the period's council (reads,
  and reviews); everyone else 404;
- submit and the publication decision: the organizer admin (an organizer above: 403);
- return and approve: the chair only (everyone else 404);
- the minutes of one unit: the organizer (and those above); the council's seats (those from
  the assessed unit only once its round 2 is closed) and the unit itself once its round 2 is
  closed; everyone else 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from parindex.appraisal import services
from parindex.appraisal.access import (
    get_assessment_for_appraisal,
    get_period_for_council,
    get_period_for_organizer,
)
from parindex.appraisal.documents import CONTENT_TYPES, MINUTES, REPORT
from parindex.appraisal.forms_consolidation import (
    ChairApproveForm,
    ChairReturnForm,
    PublicationForm,
    SubmitForm,
)
from parindex.appraisal.models import PeriodAppraisal
from parindex.appraisal.selectors import consolidation as selectors
from parindex.assessments.access import actor_kinds
from parindex.assessments.models import Assessment
from parindex.common.errors import DomainError
from parindex.common.uploads import max_upload_bytes
from parindex.evidence.uploads import SizeLimitUploadHandler
from parindex.evidence.views import content_disposition
from parindex.periods.access import council_seats, request_roles, supervises
from parindex.periods.models import CouncilMember, Period
from parindex.reports.views import attachment_header

R = PeriodAppraisal.Review


# ---------------------------------------------------------------- access


def _period_for_results(user: Any, pk: int) -> Period:
    """The consolidation's readers: the organizer admin (``can_change``), an organizer above
    it (read only) or the council's chair (read only; ``is_chair``); else 404."""
    try:
        period = get_period_for_organizer(user, pk)
        period.organizer_reader = True  # type: ignore[attr-defined]
    except Http404:
        period = get_period_for_council(user, pk, chair=True)
        period.can_change = False  # type: ignore[attr-defined]
        period.organizer_reader = False  # type: ignore[attr-defined]
    period.is_chair = "chair" in council_seats(user).get(period.pk, set())  # type: ignore[attr-defined]
    return period


def _assessment_for_minutes(user: Any, pk: int) -> Assessment:
    """The minutes of one unit: the organizer and those above it; once the unit's round 2 is
    closed, the council's seats and the unit itself (its officer and leader); before that,
    the seats not from the assessed unit only (nobody reads their own unit's pending
    results); else 404."""
    assessment = get_assessment_for_appraisal(user, pk)
    kinds = actor_kinds(user, assessment)
    if "organizer" in kinds or supervises(user, assessment.period.organizer):
        return assessment
    if kinds and assessment.status in selectors.ROUND2_CLOSED:
        return assessment
    if "appraiser" in kinds and not kinds & {"officer", "leader"}:
        own_unit = CouncilMember.objects.filter(
            council__period_id=assessment.period_id, user_id=user.pk, unit_id=assessment.unit_id
        ).exists()
        if not own_unit:
            return assessment
    raise Http404("Không tìm thấy biên bản thẩm định.")


# ---------------------------------------------------------------- the page


def _page(request: HttpRequest, period: Period, *, status: int = 200, **forms: Any) -> HttpResponse:
    data = selectors.consolidation(period)
    state = data.state
    has_file = bool(state is not None and state.decision_file)
    initial = {}
    if state is not None and state.decision_number:
        initial = {
            "number": state.decision_number,
            "date": state.decision_date,
            "signer": state.decision_signer,
        }
    context = {
        "period": period,
        "data": data,
        "submit_form": forms.get("submit_form") or SubmitForm(auto_id="id_submit_%s"),
        "return_form": forms.get("return_form") or ChairReturnForm(auto_id="id_return_%s"),
        "approve_form": forms.get("approve_form") or ChairApproveForm(auto_id="id_approve_%s"),
        "publication_form": forms.get("publication_form")
        or PublicationForm(initial=initial, has_file=has_file, auto_id="id_pub_%s"),
        "has_file": has_file,
        "max_upload_mb": settings.MAX_UPLOAD_MB,
    }
    return render(request, "appraisal/consolidation/page.html", context, status=status)


@require_GET
def consolidation(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    period = _period_for_results(request.user, period_pk)
    return _page(request, period)


@require_POST
def submit(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_organizer(request.user, period_pk, write=True)
    form = SubmitForm(request.POST, auto_id="id_submit_%s")
    if not form.is_valid():
        return _page(request, _period_for_results(request.user, period_pk), status=400,
                     submit_form=form)  # fmt: skip
    try:
        services.consolidation_submit(
            actor=request.user, period=period, note=form.cleaned_data["note"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã trình kết quả thẩm định lên Chủ tịch Hội đồng.")
    return redirect("appraisal:consolidation", period_pk=period.pk)


@require_POST
def chair_return(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_council(request.user, period_pk, chair=True)
    form = ChairReturnForm(request.POST, auto_id="id_return_%s")
    if form.is_valid():
        try:
            services.chair_return(actor=request.user, period=period,
                                  note=form.cleaned_data["note"])  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã trả lại kết quả để Hội đồng thẩm định lại.")
        return redirect("appraisal:consolidation", period_pk=period.pk)
    return _page(request, _period_for_results(request.user, period_pk), status=400,
                 return_form=form)  # fmt: skip


@require_POST
def chair_approve(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_council(request.user, period_pk, chair=True)
    form = ChairApproveForm(request.POST, auto_id="id_approve_%s")
    if form.is_valid():
        try:
            services.chair_approve(actor=request.user, period=period,
                                   note=form.cleaned_data["note"])  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Đã phê duyệt kết quả thẩm định; số liệu đã được chốt.")
        return redirect("appraisal:consolidation", period_pk=period.pk)
    return _page(request, _period_for_results(request.user, period_pk), status=400,
                 approve_form=form)  # fmt: skip


# ---------------------------------------------------------------- the publication decision


@csrf_exempt
@require_POST
def publication(request: HttpRequest, period_pk: int) -> HttpResponse:
    # The size guard goes in before the body is read (csrf_exempt outside, csrf_protect
    # inside: Django's documented way to change upload handlers per view, as the evidence).
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request, limit=max_upload_bytes()))
    return _publication(request, period_pk)


@csrf_protect
def _publication(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_organizer(request.user, period_pk, write=True)
    state = selectors.appraisal_state(period)
    has_file = bool(state is not None and state.decision_file)
    form = PublicationForm(request.POST, request.FILES, has_file=has_file, auto_id="id_pub_%s")
    if form.is_valid():
        try:
            services.publication_decision_record(
                actor=request.user,
                period=period,
                number=form.cleaned_data["number"],
                date=form.cleaned_data["date"],
                signer=form.cleaned_data["signer"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Đã ghi quyết định công bố kết quả.")
            return redirect("appraisal:consolidation", period_pk=period.pk)
    return _page(
        request, _period_for_results(request.user, period_pk), status=400, publication_form=form
    )


@require_GET
def publication_file(request: HttpRequest, period_pk: int) -> FileResponse:
    request_roles(request)
    period = _period_for_results(request.user, period_pk)
    state = selectors.appraisal_state(period)
    if state is None or not state.decision_file:
        raise Http404("Chưa có tệp quyết định công bố.")
    try:
        handle = default_storage.open(state.decision_file, "rb")
    except FileNotFoundError as exc:
        raise Http404("Không tìm thấy tệp đã lưu.") from exc
    response = FileResponse(handle, content_type="application/pdf")
    name = state.decision_file_name or f"quyet-dinh-cong-bo-{period.year}.pdf"
    response["Content-Disposition"] = content_disposition(name, inline=False)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


# ---------------------------------------------------------------- documents


def _document(content: bytes, fmt: str, ascii_name: str, vi_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = attachment_header(f"{ascii_name}.{fmt}", f"{vi_name}.{fmt}")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def minutes(request: HttpRequest, assessment_pk: str, fmt: str) -> HttpResponse:
    if fmt not in MINUTES:
        raise Http404("Không có định dạng này.")
    request_roles(request)
    assessment = _assessment_for_minutes(request.user, int(assessment_pk))
    data = selectors.minutes_data(assessment)
    return _document(MINUTES[fmt](data), fmt, data.filename_ascii, data.filename_vi)


@require_GET
def report(request: HttpRequest, period_pk: str, fmt: str) -> HttpResponse:
    if fmt not in REPORT:
        raise Http404("Không có định dạng này.")
    request_roles(request)
    period = _period_for_results(request.user, int(period_pk))
    data = selectors.results_report_data(period)
    return _document(REPORT[fmt](data), fmt, data.filename_ascii, data.filename_vi)
