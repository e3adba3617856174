"""The results pages. Thin: an access helper, a selector, render (or a file).

- ``mine``: the user's list — their organizers' periods, their units' results;
- ``period``: a period's results per block (organizer admins; an organizer above reads);
  ``period_xlsx`` its ranking in Excel; ``open_data`` a block's open data as a zip (approved
  periods only);
- ``unit``: one unit's results (its officer and leader once approved; its organizers).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from parindex.common.errors import DomainError
from parindex.periods.access import request_roles
from parindex.reports.views import attachment_header
from parindex.results import opendata
from parindex.results.access import get_assessment_for_results, get_period_for_results
from parindex.results.selectors import period_results, unit_results
from parindex.results.selectors.mine import my_results
from parindex.results.xlsx import CONTENT_TYPE, ranking_xlsx


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    request_roles(request)
    return render(request, "results/mine.html", {"data": my_results(request.user)})


@require_GET
def period(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    p = get_period_for_results(request.user, period_pk)
    return render(request, "results/period.html", {"period": p, "data": period_results(p)})


@require_GET
def period_xlsx(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    p = get_period_for_results(request.user, period_pk)
    response = HttpResponse(ranking_xlsx(period_results(p)), content_type=CONTENT_TYPE)
    name = f"ket-qua-chi-so-cchc-{p.organizer.code}-{p.year}"
    response["Content-Disposition"] = attachment_header(
        f"{name}.xlsx", f"Kết quả Chỉ số CCHC {p.organizer.code} {p.year}.xlsx"
    )
    return _private(response)


@require_GET
def open_data(request: HttpRequest, period_pk: int, block_code: str) -> HttpResponse:
    request_roles(request)
    p = get_period_for_results(request.user, period_pk)
    try:
        bundle = opendata.build_bundle(p, block_code)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("results:period", period_pk=p.pk)
    response = HttpResponse(opendata.bundle_zip(bundle), content_type="application/zip")
    response["Content-Disposition"] = attachment_header(f"{bundle.name}.zip", f"{bundle.name}.zip")
    return _private(response)


@require_GET
def unit(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    request_roles(request)
    a = get_assessment_for_results(request.user, assessment_pk)
    organizer = a.results_reader == "organizer"  # type: ignore[attr-defined]
    data = unit_results(a, preview=organizer)
    return render(
        request,
        "results/unit.html",
        {"assessment": a, "data": data, "is_organizer": organizer},
    )
