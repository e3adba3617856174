"""The appeals pages. Thin: access helper → form → one service → redirect (or the page with
the problem).

- ``unit`` (/kien-nghi/don-vi/<assessment>/): the unit's requests and, for its leader within
  the window, the form (criteria ticked with a reason each, a PDF);
- ``period`` (/kien-nghi/dot/<period>/): every request of the period, the window's days;
- ``detail`` (/kien-nghi/<id>/): one request; the organizer answers each criterion there;
- ``evidence``: the request's PDF, as an attachment, to the same people.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from parindex.appeals import services
from parindex.appeals.access import (
    get_appeal_for_user,
    get_assessment_for_appeals,
    get_period_for_appeals,
)
from parindex.appeals.forms import DaysForm, EvidenceForm, answer_scores, chosen_items
from parindex.appeals.selectors import period_appeals, unit_appeals
from parindex.common.errors import DomainError
from parindex.periods.access import request_roles


@require_GET
def unit(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    request_roles(request)
    a = get_assessment_for_appeals(request.user, assessment_pk)
    return render(request, "appeals/unit.html", {"data": unit_appeals(request.user, a)})


@require_POST
def unit_file(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    request_roles(request)
    a = get_assessment_for_appeals(request.user, assessment_pk)
    form = EvidenceForm(request.POST, request.FILES)
    form.is_valid()
    try:
        appeal = services.appeal_file(
            actor=request.user,
            assessment=a,
            items=chosen_items(request.POST),
            summary=form.cleaned_data.get("summary", ""),
            upload=form.cleaned_data.get("file"),
        )
    except DomainError as exc:
        data = unit_appeals(request.user, a)
        return render(
            request,
            "appeals/unit.html",
            {"data": data, "error": exc.message, "posted": request.POST},
            status=400,
        )
    messages.success(request, f"Đã gửi kiến nghị số {appeal.pk} tới {a.period.organizer.name}.")
    return redirect("appeals:detail", appeal_pk=appeal.pk)


@require_GET
def period(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    p = get_period_for_appeals(request.user, period_pk)
    return render(request, "appeals/period.html", {"period": p, "data": period_appeals(p)})


@require_POST
def period_days(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    p = get_period_for_appeals(request.user, period_pk, write=True)
    form = DaysForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("appeals:period", period_pk=p.pk)
    try:
        services.appeal_days_set(actor=request.user, period=p, days=form.cleaned_data["days"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Thời hạn kiến nghị: {form.cleaned_data['days']} ngày.")
    return redirect("appeals:period", period_pk=p.pk)


@require_GET
def detail(request: HttpRequest, appeal_pk: int) -> HttpResponse:
    request_roles(request)
    appeal = get_appeal_for_user(request.user, appeal_pk)
    return render(request, "appeals/detail.html", {"appeal": appeal})


@require_POST
def decide(request: HttpRequest, appeal_pk: int) -> HttpResponse:
    request_roles(request)
    appeal = get_appeal_for_user(request.user, appeal_pk)
    if not appeal.can_answer:  # type: ignore[attr-defined]
        raise Http404("Không tìm thấy kiến nghị.")
    scores, problems = answer_scores(request.POST, [i.pk for i in appeal.items.all()])
    error = " ".join(problems)
    if not problems:
        try:
            services.appeal_decide(
                actor=request.user,
                appeal=appeal,
                scores=scores,
                note=request.POST.get("y_kien", "")[:4000],
            )
        except DomainError as exc:
            error = exc.message
    if error:
        return render(
            request,
            "appeals/detail.html",
            {"appeal": appeal, "error": error, "posted": request.POST},
            status=400,
        )
    messages.success(request, f"Đã trả lời kiến nghị số {appeal.pk}.")
    return redirect("appeals:detail", appeal_pk=appeal.pk)


@require_GET
def evidence(request: HttpRequest, appeal_pk: int) -> FileResponse:
    request_roles(request)
    appeal = get_appeal_for_user(request.user, appeal_pk)
    if not appeal.evidence_file:
        raise Http404("Kiến nghị không có tệp kèm theo.")
    try:
        handle = default_storage.open(appeal.evidence_file, "rb")
    except FileNotFoundError as exc:
        raise Http404("Không tìm thấy tệp đã lưu.") from exc
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=appeal.evidence_name or f"kien-nghi-{appeal.pk}.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
