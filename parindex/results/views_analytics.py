"""The analytics of a period's results (the organizer's; an organizer above reads). Thin: the
results' access helper, ``selectors.analytics.period_analytics``, render (or the XLSX)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from parindex.periods.access import request_roles
from parindex.reports.views import attachment_header
from parindex.results.access import get_period_for_results
from parindex.results.selectors.analytics import period_analytics
from parindex.results.xlsx import CONTENT_TYPE
from parindex.results.xlsx_analytics import analytics_workbook


@require_GET
def analytics(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    p = get_period_for_results(request.user, period_pk)
    return render(request, "results/analytics.html", {"period": p, "blocks": period_analytics(p)})


@require_GET
def analytics_xlsx(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    p = get_period_for_results(request.user, period_pk)
    response = HttpResponse(analytics_workbook(p, period_analytics(p)), content_type=CONTENT_TYPE)
    name = f"phan-tich-chi-so-cchc-{p.organizer.code}-{p.year}"
    response["Content-Disposition"] = attachment_header(
        f"{name}.xlsx", f"Phân tích Chỉ số CCHC {p.organizer.code} {p.year}.xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    return response
