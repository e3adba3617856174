"""The organizer's publish button and the public site (no login).

- ``publish`` (POST): the period's organizer admin publishes its approved results (an
  organizer above it reads the results page but gets 403 here; anyone else 404);
- the public pages, ``/cong-khai/…``: ``index``, ``organizer_year`` (→ its first block),
  ``ranking`` (a block), ``scorecard`` (a unit), the decision PDF and the open data (the zip
  and each file). Only published versions exist there: anything else is 404. Pages are
  cached (``cache.py``) and in English with ``?lang=en``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST

from parindex.common.errors import DomainError
from parindex.common.ratelimit import rate_limit
from parindex.periods.access import get_period_for_user, request_roles
from parindex.publication import cache as page_cache
from parindex.publication.forms import PublishForm
from parindex.publication.selectors import public
from parindex.publication.services import period_publish
from parindex.publication.services.publish import DECISION_PDF
from parindex.reports.views import attachment_header
from parindex.results import opendata

LANGS = ("vi", "en")
# Every public page counts against RATE_LIMIT_PUBLIC per address, cached or not.
limited = rate_limit("public", "RATE_LIMIT_PUBLIC")
TEXT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".yaml": "application/yaml; charset=utf-8",
}


# ---------------------------------------------------------------- the organizer


@require_POST
def publish(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_user(request.user, period_pk, write=True)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ghi chú quá dài (tối đa 2.000 ký tự).")
        return redirect("results:period", period_pk=period.pk)
    try:
        publication = period_publish(
            actor=request.user, period=period, note=form.cleaned_data["note"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Đã công bố kết quả (phiên bản {publication.version}) trên trang công khai.",
        )
    return redirect("results:period", period_pk=period.pk)


# ---------------------------------------------------------------- the public site


def _lang(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "vi")
    return lang if lang in LANGS else "vi"


def _public(response: HttpResponse) -> HttpResponse:
    # stored anywhere, but revalidated: a correction is seen at once (the server's cache
    # answers the revalidation)
    response["Cache-Control"] = "public, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the page from the cache (key: the newest publication, language, path)."""

    @wraps(view)
    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        lang = _lang(request)
        key = page_cache.page_key(public.publication_stamp(), lang, request.path)
        body = cache.get(key)
        if body is not None:
            return _public(HttpResponse(body, content_type="text/html; charset=utf-8"))
        response = view(request, **kwargs)
        if response.status_code == 200:
            cache.set(key, response.content, page_cache.TIMEOUT)
            page_cache.remember(key)
        return _public(response)

    return wrapper


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    lang = _lang(request)
    with translation.override(lang):
        context |= {
            "lang": lang,
            "lang_query": "?lang=en" if lang == "en" else "",
            "path": request.path,
        }
        return render(request, template, context)


@login_not_required
@require_GET
def index_page(request: HttpRequest) -> HttpResponse:
    return _render(request, "publication/index.html", {"entries": public.published_index()})


@login_not_required
@limited
@require_GET
def organizer_year(request: HttpRequest, organizer: str, year: int) -> HttpResponse:
    for entry in public.published_index():
        for link in [*entry.blocks, *entry.below]:
            if link.organizer_code == organizer and link.year == year:
                url = reverse("public:ranking", args=[organizer, year, link.block_code])
                return redirect(url + ("?lang=en" if _lang(request) == "en" else ""))
    raise Http404("Chưa công bố kết quả.")


@login_not_required
@require_GET
def ranking_page(request: HttpRequest, organizer: str, year: int, block: str) -> HttpResponse:
    data = public.public_ranking(organizer, year, block)
    if data is None:
        raise Http404("Chưa công bố kết quả của khối này.")
    return _render(request, "publication/ranking.html", {"r": data})


@login_not_required
@require_GET
def scorecard_page(
    request: HttpRequest, organizer: str, year: int, block: str, unit: str
) -> HttpResponse:
    data = public.public_scorecard(organizer, year, block, unit)
    if data is None:
        raise Http404("Không có kết quả công bố của đơn vị này.")
    chart = {
        "labels": [d.domain.code for d in data.rows],
        "titles": [d.domain.title for d in data.rows],
        "series": [{"label": data.unit.name, "data": [_num(d.own.index) for d in data.rows]}]
        + (
            [{"label": data.best.name, "data": [_num(d.best.index) for d in data.rows]}]
            if data.best.unit != data.unit.unit
            else []
        )
        + [
            {"label": str(y.year), "data": [_num(c.index if c else None) for c in cells]}
            for y, cells in zip(
                data.years, zip(*[d.years for d in data.rows], strict=True), strict=True
            )
        ],
    }
    return _render(request, "publication/scorecard.html", {"s": data, "chart": chart})


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


index = limited(cached(index_page))
ranking = limited(cached(ranking_page))
scorecard = limited(cached(scorecard_page))


def _attachment(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment_header(name, name)
    return _public(response)


@login_not_required
@limited
@require_GET
def decision_pdf(request: HttpRequest, organizer: str, year: int, block: str) -> HttpResponse:
    row = public.public_file(organizer, year, block, DECISION_PDF)
    if row is None or row.block_code:
        raise Http404("Không có tệp quyết định công bố.")
    return _attachment(
        bytes(row.content), f"quyet-dinh-cong-bo-{organizer}-{year}.pdf", "application/pdf"
    )


@login_not_required
@limited
@require_GET
def open_data_zip(request: HttpRequest, organizer: str, year: int, block: str) -> HttpResponse:
    found = public.public_bundle(organizer, year, block)
    if found is None:
        raise Http404("Chưa công bố dữ liệu mở của khối này.")
    publication, files = found
    bundle = opendata.Bundle(period=publication.period, block_code=block, files=files)
    name = bundle.name + (f"-v{publication.version}" if publication.version > 1 else "")
    return _attachment(opendata.bundle_zip(bundle), f"{name}.zip", "application/zip")


@login_not_required
@limited
@require_GET
def open_data_file(
    request: HttpRequest, organizer: str, year: int, block: str, name: str
) -> HttpResponse:
    row = public.public_file(organizer, year, block, name)
    if row is None or row.block_code != block:
        raise Http404("Không có tệp này trong dữ liệu mở.")
    suffix = "." + name.rsplit(".", 1)[-1]
    return _attachment(bytes(row.content), name, TEXT_TYPES.get(suffix, "application/octet-stream"))


def chart_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)
