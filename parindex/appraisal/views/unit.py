"""The assessed unit's side of the appraisal: the round results and its Giải trình, bổ sung
(answers, new evidence, the leader's sending). Thin views: ``get_assessment_for_unit`` (the
unit's officer and leader, the organizer reading; everyone else 404) → form → one service →
redirect, or the page again with what was typed when the answer is refused."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from parindex.appraisal import services
from parindex.appraisal.access import get_assessment_for_unit
from parindex.appraisal.forms_unit import AnswerForm, AnswersSendForm, AnswerUploadForm
from parindex.appraisal.selectors.unit import supplement_page
from parindex.appraisal.services.supplement import supplement_lock_reason
from parindex.assessments.access import can_declare
from parindex.assessments.models import Assessment, Entry
from parindex.assessments.selectors import WORD_RULES, days_left
from parindex.common.errors import DomainError
from parindex.common.uploads import max_upload_bytes
from parindex.evidence.models import EvidenceFile
from parindex.evidence.services import shown_name
from parindex.evidence.uploads import SizeLimitUploadHandler
from parindex.periods.access import request_roles


def _entry(assessment: Assessment, entry_id: int) -> Entry:
    """An entry of the assessment the access helper gave (404 for any other)."""
    entry = Entry.objects.select_related("node").filter(pk=entry_id, assessment=assessment).first()
    if entry is None:
        raise Http404("Không tìm thấy tiêu chí thành phần.")
    entry.assessment = assessment
    return entry


def _page_url(assessment: Assessment, entry: Entry | None = None) -> str:
    url = reverse("appraisal:supplement", kwargs={"assessment_pk": assessment.pk})
    return f"{url}#muc-{entry.pk}" if entry is not None else url


def _render(
    request: HttpRequest, assessment: Assessment, *, typed: dict[int, dict[str, str]] | None = None
) -> HttpResponse:
    page = supplement_page(assessment)
    kinds: set[str] = assessment.unit_kinds  # type: ignore[attr-defined]
    for leaf in page.leaves:  # what the user typed in a refused answer stays on the page
        if typed and leaf.entry.pk in typed:
            leaf.form.update(typed[leaf.entry.pk])
    lock = supplement_lock_reason(assessment) if page.results_out else ""
    deadline = services.supplement_deadline(assessment)
    writer = can_declare(request.user, assessment)
    return render(
        request,
        "appraisal/unit/supplement.html",
        {
            "assessment": assessment,
            "page": page,
            "deadline": deadline,
            "days_left": days_left(deadline),
            "lock_reason": lock,
            "can_answer": page.results_out and writer and not lock,
            "can_send": page.results_out and "leader" in kinds and not lock,
            "is_officer": "officer" in kinds,
            "is_leader": "leader" in kinds,
            "is_organizer": "organizer" in kinds,
            "send_form": AnswersSendForm(),
            "max_upload_bytes": max_upload_bytes(),
            "max_upload_mb": settings.MAX_UPLOAD_MB,
        },
    )


@require_GET
def supplement(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    request_roles(request)
    return _render(request, get_assessment_for_unit(request.user, assessment_pk))


@require_POST
def answer(request: HttpRequest, assessment_pk: int, entry_id: int) -> HttpResponse:
    request_roles(request)
    assessment = get_assessment_for_unit(request.user, assessment_pk)
    entry = _entry(assessment, entry_id)
    form = AnswerForm(request.POST, numeric=entry.node.rule_type not in WORD_RULES)
    typed = {
        entry.pk: {
            "text": request.POST.get("text", ""),
            "value": request.POST.get("value", ""),
            "value2": request.POST.get("value2", ""),
        }
    }
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"Tiêu chí {entry.node.code}: {error}")
        return _render(request, assessment, typed=typed)
    try:
        services.answer_save(
            actor=request.user,
            entry=entry,
            text=form.cleaned_data["text"],
            value=form.cleaned_data["value"],
            value2=form.cleaned_data["value2"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render(request, assessment, typed=typed)
    messages.success(request, f"Đã lưu giải trình tiêu chí {entry.node.code}.")
    return redirect(_page_url(assessment, entry))


@csrf_exempt
@require_POST
def answer_upload(request: HttpRequest, assessment_pk: int, entry_id: int) -> HttpResponse:
    # As the evidence app's upload: the size guard goes in before the body is read, hence
    # csrf_exempt outside and csrf_protect inside.
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request, limit=max_upload_bytes()))
    return _answer_upload(request, assessment_pk, entry_id)


def _uploaded_message(evidence: EvidenceFile) -> str:
    return (
        f"Đã tải lên tài liệu bổ sung '{evidence.original_name}' ({evidence.pages} trang, "
        f"{evidence.get_signature_status_display().lower()})."
    )


@csrf_protect
def _answer_upload(request: HttpRequest, assessment_pk: int, entry_id: int) -> HttpResponse:
    request_roles(request)
    assessment = get_assessment_for_unit(request.user, assessment_pk)
    entry = _entry(assessment, entry_id)
    form = AnswerUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request, " ".join(form.errors.get("files", [])) or "Dữ liệu tải lên không hợp lệ."
        )
        return redirect(_page_url(assessment, entry))
    for upload in form.cleaned_data["files"]:
        try:
            evidence = services.answer_upload(actor=request.user, entry=entry, upload=upload)
        except DomainError as exc:
            name = shown_name(upload.name)
            message = exc.message if name in exc.message else f"Tệp '{name}': {exc.message}"
            messages.error(request, message)
        else:
            messages.success(request, _uploaded_message(evidence))
    return redirect(_page_url(assessment, entry))


@require_POST
def answers_send(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    request_roles(request)
    assessment = get_assessment_for_unit(request.user, assessment_pk)
    form = AnswersSendForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_page_url(assessment))
    try:
        state = services.answers_send(actor=request.user, assessment=assessment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        at = timezone.localtime(state.answers_sent_at)
        messages.success(
            request,
            f"Đã gửi giải trình, bổ sung đến Hội đồng thẩm định lúc {at:%H:%M ngày %d/%m/%Y}.",
        )
    return redirect(_page_url(assessment))
