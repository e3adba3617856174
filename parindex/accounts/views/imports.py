"""The bulk import of units and accounts from one XLSX: template, check, confirm."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts import services
from parindex.accounts.access import (
    require_organizer_admin,
    roles_for,
)
from parindex.accounts.forms import (
    ImportConfirmForm,
    ImportUploadForm,
)
from parindex.accounts.models import Block, Membership, Unit
from parindex.accounts.selectors import (
    unit_choices_for_admin,
)
from parindex.accounts.views.base import XLSX, min_password_length, no_store
from parindex.accounts.xlsx_import import build_password_sheet, build_template, parse_workbook
from parindex.common.errors import DomainError

# --- Bulk import ---------------------------------------------------------------------------------


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    roles = require_organizer_admin(request.user)
    scope = list(unit_choices_for_admin(roles=roles).select_related(None)[:2000])
    blocks = list(Block.objects.all())
    anchor = next((o.admin_root for o in roles.organizer_units if o.admin_root), None)
    data = build_template(
        kinds=[label for _, label in Unit.Kind.choices],
        roles=[label for _, label in Membership.Role.choices],
        blocks=[(b.code, b.name) for b in blocks],
        units=[(u.code, u.name) for u in scope],
        example_parent=anchor.code if anchor else (scope[0].code if scope else ""),
        example_block=blocks[0].code if blocks else "",
        min_password_length=min_password_length(),
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-don-vi-tai-khoan.xlsx"'
    return response


def _import_render(request: HttpRequest, **context: Any) -> HttpResponse:
    context.setdefault("form", ImportUploadForm())
    return no_store(render(request, "accounts/import.html", context))


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Step 1: upload -> "Kiểm tra" (dry run) shows every problem, or the plan to confirm."""
    require_organizer_admin(request.user)
    if request.method == "GET":
        return _import_render(request)
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_render(request, form=form)
    upload = form.cleaned_data["file"]
    data = upload.read()
    return _import_check(request, data, upload.name, form=form)


def _import_check(request: HttpRequest, data: bytes, filename: str, **ctx: Any) -> HttpResponse:
    parsed = parse_workbook(data)
    if parsed.problems:
        return _import_render(request, problems=parsed.problems, filename=filename, **ctx)
    report = services.units_accounts_import(
        actor=request.user,
        units=parsed.units,
        accounts=parsed.accounts,
        dry_run=True,
        roles=roles_for(request),
    )
    confirm = None
    if report.ok:
        confirm = ImportConfirmForm(
            initial={"payload": base64.b64encode(data).decode(), "filename": filename}
        )
    return _import_render(
        request, report=report, problems=report.problems, filename=filename, confirm=confirm, **ctx
    )


@sensitive_post_parameters("payload")
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: "Xác nhận nhập" — the same file, checked again, then saved in one transaction.
    Generated passwords are shown once and offered as an XLSX inside this response only."""
    require_organizer_admin(request.user)
    form = ImportConfirmForm(request.POST)
    data = b""
    if form.is_valid():
        try:
            data = base64.b64decode(form.cleaned_data["payload"], validate=True)
        except (binascii.Error, ValueError):
            data = b""
    if not data:
        messages.error(request, "Không đọc được tệp đã kiểm tra; hãy tải tệp lên lại.")
        return redirect("accounts:import")
    filename = form.cleaned_data.get("filename", "")
    parsed = parse_workbook(data)
    if parsed.problems:
        return _import_render(request, problems=parsed.problems, filename=filename)
    try:
        report = services.units_accounts_import(
            actor=request.user,
            units=parsed.units,
            accounts=parsed.accounts,
            dry_run=False,
            roles=roles_for(request),
        )
    except DomainError as exc:
        return _import_render(request, problems=[exc.message], filename=filename)
    if not report.applied:
        return _import_render(request, report=report, problems=report.problems, filename=filename)
    password_file = ""
    if report.passwords:
        password_file = base64.b64encode(build_password_sheet(report.passwords)).decode()
    return _import_render(
        request,
        report=report,
        done=True,
        filename=filename,
        password_file=password_file,
        xlsx_mime=XLSX,
        units_url=reverse("accounts:unit-list"),
    )
