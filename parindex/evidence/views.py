"""Evidence views: a demo page per entry, the list partial, upload, download, preview, remove.

Upload and remove answer JSON when asked (``Accept: application/json`` — the drag-and-drop
uploader), the list partial for htmx, and otherwise redirect to the entry page with messages.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from parindex.assessments.models import Entry
from parindex.assessments.selectors import evidence_for_entry
from parindex.common.errors import DomainError
from parindex.common.uploads import max_upload_bytes
from parindex.evidence.access import can_write, get_entry_for_user, get_evidence_for_user
from parindex.evidence.forms import EvidenceRemoveForm, EvidenceUploadForm
from parindex.evidence.models import EvidenceFile
from parindex.evidence.services import (
    check_editable,
    evidence_remove,
    evidence_upload,
    shown_name,
)
from parindex.evidence.uploads import SizeLimitUploadHandler

PREVIEW_CSP = (
    "sandbox; default-src 'none'; object-src 'self'; "
    "style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'"
)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _list_context(request: HttpRequest, entry: Entry, **extra: Any) -> dict[str, Any]:
    locked_reason = ""
    writable = can_write(request.user, entry.assessment, entry)
    if writable:
        try:
            check_editable(entry.assessment)
        except DomainError as exc:
            locked_reason = exc.message
    return {
        "entry": entry,
        "files": evidence_for_entry(entry),
        "can_change": writable and not locked_reason,
        "locked_reason": locked_reason,
        "max_upload_bytes": max_upload_bytes(),
        "max_upload_mb": settings.MAX_UPLOAD_MB,
        **extra,
    }


@require_GET
def entry_page(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for_user(request.user, entry_id)
    return render(request, "evidence/entry.html", _list_context(request, entry))


@require_GET
def file_list(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for_user(request.user, entry_id)
    return render(request, "evidence/_file_list.html", _list_context(request, entry))


def _ok_message(evidence: EvidenceFile) -> str:
    text = f"Đã đính kèm tệp '{evidence.original_name}' ({evidence.pages} trang, "
    text += f"{evidence.get_signature_status_display().lower()})."
    dup = evidence.duplicate_of
    if dup is not None and dup.entry_id != evidence.entry_id:
        text += (
            f" Lưu ý: tệp này cũng đã được đính kèm ở tiêu chí {dup.entry.node.code}"
            f" (tên tệp '{dup.original_name}')."
        )
    return text


@csrf_exempt
@require_POST
def upload(request: HttpRequest, entry_id: int) -> HttpResponse:
    # The size guard must be installed before the body is read, hence csrf_exempt outside and
    # csrf_protect inside (Django's documented way to change upload handlers per view).
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request, limit=max_upload_bytes()))
    return _upload(request, entry_id)


@csrf_protect
def _upload(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for_user(request.user, entry_id, write=True)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        error = " ".join(form.errors.get("files", [])) or "Dữ liệu tải lên không hợp lệ."
        if _wants_json(request):
            return JsonResponse({"results": [], "error": error}, status=400)
        messages.error(request, error)
        return redirect("evidence:entry", entry_id=entry.pk)

    results = []
    for upload_file in form.cleaned_data["files"]:
        name = shown_name(upload_file.name)
        try:
            evidence = evidence_upload(actor=request.user, entry=entry, upload=upload_file)
        except DomainError as exc:
            results.append({"name": name, "ok": False, "message": exc.message})
        else:
            results.append(
                {
                    "name": evidence.original_name,
                    "ok": True,
                    "id": evidence.pk,
                    "signature_status": evidence.signature_status,
                    "duplicate_of": evidence.duplicate_of_id,
                    "message": _ok_message(evidence),
                }
            )
    if _wants_json(request):
        return JsonResponse({"results": results})
    if request.htmx:
        return render(
            request, "evidence/_file_list.html", _list_context(request, entry, results=results)
        )
    for result in results:
        (messages.success if result["ok"] else messages.error)(request, result["message"])
    return redirect("evidence:entry", entry_id=entry.pk)


def ascii_fallback(name: str) -> str:
    """'Báo cáo "năm".pdf' -> 'Bao cao _nam_.pdf' for old clients that ignore filename*."""
    text = name.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = "".join(
        ch if (ch.isascii() and (ch.isalnum() or ch in " ._-()")) else "_" for ch in text
    )
    return text or "tai-lieu.pdf"


def content_disposition(name: str, *, inline: bool) -> str:
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def _file_response(evidence: EvidenceFile, *, inline: bool) -> FileResponse:
    try:
        handle = default_storage.open(evidence.storage_name, "rb")
    except FileNotFoundError as exc:
        raise Http404("Không tìm thấy tệp đã lưu.") from exc
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(evidence.original_name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    if inline:
        response["Content-Security-Policy"] = PREVIEW_CSP
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    return _file_response(get_evidence_for_user(request.user, pk), inline=False)


@require_GET
def preview(request: HttpRequest, pk: int) -> FileResponse:
    return _file_response(get_evidence_for_user(request.user, pk), inline=True)


@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, pk, write=True)
    entry = evidence.entry
    form = EvidenceRemoveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    name = evidence.original_name
    try:
        evidence_remove(actor=request.user, evidence=evidence, reason=reason)
    except DomainError as exc:
        ok, message = False, exc.message
    else:
        ok, message = True, f"Đã xoá tệp '{name}'."
    if _wants_json(request):
        return JsonResponse({"ok": ok, "message": message}, status=200 if ok else 409)
    if request.htmx:
        result = {"name": name, "ok": ok, "message": message}
        return render(
            request, "evidence/_file_list.html", _list_context(request, entry, results=[result])
        )
    (messages.success if ok else messages.error)(request, message)
    return redirect(reverse("evidence:entry", kwargs={"entry_id": entry.pk}))
