"""The official documents of a period's results and their export jobs. Thin views: an access
helper, a form, one service (or a build), render, redirect or a file.

- ``page``: the documents of a period — direct downloads for a period of ordinary size, and
  "Tạo trong nền" for any (the worker builds the file; the page polls its status);
- ``report`` / ``decision``: the file in the request, refused (back to the page, with a
  message) for a large period (more than ``SYNC_MAX_CELLS`` units × leaves); the workbook
  (every block's units × criteria matrix) is always built by the worker;
- ``export``: POST, queue a job; ``job``: its status (an htmx fragment, polled while it runs);
  ``job_file``: the file, as an attachment, to the person who asked only, until it expires.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from parindex.common.errors import DomainError
from parindex.documents import build as builder
from parindex.documents.access import get_job_for_user, get_period_for_documents
from parindex.documents.archive import archive_problem
from parindex.documents.dispatch import export_queue
from parindex.documents.forms import ExportForm
from parindex.documents.models import ExportJob
from parindex.documents.render import CONTENT_TYPES
from parindex.documents.selectors import cells
from parindex.periods.access import request_roles
from parindex.periods.models import Period
from parindex.reports.texts import ascii_slug
from parindex.reports.views import attachment_header

SYNC_MAX_CELLS = 2500  # units × leaves above which a file is built by the worker only


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _jobs(request: HttpRequest, period: Period) -> list[ExportJob]:
    return list(
        ExportJob.objects.filter(requested_by_id=request.user.pk, period=period).order_by(
            "-created_at", "-pk"
        )[:10]
    )


@require_GET
def page(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_documents(request.user, period_pk)
    size = cells(period)
    context = {
        "period": period,
        "large": size > SYNC_MAX_CELLS,
        "cells": size,
        "jobs": _jobs(request, period),
        "now": timezone.now(),
        "archive_problem": archive_problem(period) if period.can_change else None,  # type: ignore[attr-defined]
    }
    return render(request, "documents/page.html", context)


def _file(request: HttpRequest, period_pk: int, kind: str, fmt: str) -> HttpResponse:
    request_roles(request)
    period = get_period_for_documents(request.user, period_pk)
    if fmt not in builder.FORMATS[kind]:
        raise Http404("Không có định dạng này.")
    if cells(period) > SYNC_MAX_CELLS:
        messages.info(
            request,
            "Đợt đánh giá có nhiều đơn vị: tệp được tạo trong nền, bấm “Tạo trong nền” rồi "
            "tải về khi xong.",
        )
        return redirect("documents:page", period_pk=period.pk)
    built = builder.build(period, kind, fmt)
    response = HttpResponse(built.content, content_type=built.content_type)
    response["Content-Disposition"] = attachment_header(built.ascii_name, built.vi_name)
    return _private(response)


@require_GET
def report(request: HttpRequest, period_pk: int, fmt: str) -> HttpResponse:
    return _file(request, period_pk, "report", fmt)


@require_GET
def decision(request: HttpRequest, period_pk: int, fmt: str) -> HttpResponse:
    return _file(request, period_pk, "decision", fmt)


@require_POST
def export(request: HttpRequest, period_pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_documents(request.user, period_pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("documents:page", period_pk=period.pk)
    try:
        job = export_queue(
            actor=request.user,
            period=period,
            kind=form.cleaned_data["kind"],
            fmt=form.cleaned_data["fmt"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("documents:page", period_pk=period.pk)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "documents/_job.html", {"job": job, "now": timezone.now()})
    messages.success(request, f"Đã đưa “{job.get_kind_display()}” vào hàng đợi tạo tệp.")
    return redirect("documents:page", period_pk=period.pk)


@require_GET
def job(request: HttpRequest, job_pk: int) -> HttpResponse:
    request_roles(request)
    item = get_job_for_user(request.user, job_pk)
    response = render(request, "documents/_job.html", {"job": item, "now": timezone.now()})
    return _private(response)


@require_GET
def job_file(request: HttpRequest, job_pk: int) -> FileResponse:
    request_roles(request)
    item = get_job_for_user(request.user, job_pk)
    expired = item.expires_at is None or item.expires_at <= timezone.now()
    if item.status != ExportJob.Status.DONE or not item.storage_name or expired:
        raise Http404("Tệp không còn hoặc chưa tạo xong.")
    handle = default_storage.open(item.storage_name, "rb")
    response = FileResponse(handle, content_type=_content_type(item.fmt))
    stem = item.file_name.rsplit(".", 1)[0]
    response["Content-Disposition"] = attachment_header(
        f"{ascii_slug(stem)}.{item.fmt}", item.file_name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _content_type(fmt: str) -> str:
    if fmt == "zip":
        return builder.ZIP
    return CONTENT_TYPES.get(fmt, builder.XLSX)
