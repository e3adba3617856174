"""The read-only assessment page (organizer, the unit's officer and leader, council) and the
organizer's actions on it: deadline extension and workflow transitions; the unit's workspace
(dashboard, self-assessment table, autosave, leaf history, sending). Thin views."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from parindex.assessments import access, scoring, selectors, services, workflow
from parindex.assessments.access import get_assessment_for_user
from parindex.assessments.forms import EntryForm, ExtendDeadlineForm, SendForm, TransitionForm
from parindex.assessments.models import Assessment, Entry, Status
from parindex.assessments.templatetags.assessment_tags import declared
from parindex.common.errors import DomainError
from parindex.common.numbers import vn_input_text, vn_number, vn_points
from parindex.common.uploads import max_upload_bytes
from parindex.frameworks.models import FrameworkNode
from parindex.periods.access import request_roles
from parindex.periods.calendar import self_assessment_deadline


def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    request_roles(request)
    assessment = get_assessment_for_user(request.user, pk)
    context = selectors.assessment_detail(assessment, request.user)
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "extend_form": ExtendDeadlineForm(),
            "transition_form": TransitionForm(transitions=context["transitions"]),
            **context,
        },
    )


def _form_errors(request: HttpRequest, form: object) -> None:
    for errors in form.errors.values():  # type: ignore[attr-defined]
        for error in errors:
            messages.error(request, error)


@require_POST
def assessment_extend(request: HttpRequest, pk: int) -> HttpResponse:
    request_roles(request)
    assessment = get_assessment_for_user(request.user, pk, write=True)
    form = ExtendDeadlineForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("assessments:detail", pk=assessment.pk)
    try:
        services.assessment_extend_deadline(
            actor=request.user,
            assessment=assessment,
            until=form.until(),
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Đã gia hạn tự đánh giá cho {assessment.unit.name} đến "
            f"{form.until():%H:%M ngày %d/%m/%Y}.",
        )
    return redirect("assessments:detail", pk=assessment.pk)


@require_POST
def assessment_transition(request: HttpRequest, pk: int) -> HttpResponse:
    # Read access is enough to ask: the service decides who may take which transition.
    request_roles(request)
    assessment = get_assessment_for_user(request.user, pk)
    form = TransitionForm(request.POST, transitions=workflow.transitions_from(assessment.status))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("assessments:detail", pk=assessment.pk)
    try:
        services.assessment_transition(
            actor=request.user,
            assessment=assessment,
            to=form.cleaned_data["to"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Đã chuyển bản đánh giá sang “{assessment.get_status_display()}”."
        )
    return redirect("assessments:detail", pk=assessment.pk)


# ---------------------------------------------------------------- the unit's workspace


def workspace_list(request: HttpRequest) -> HttpResponse:
    request_roles(request)
    items = selectors.workspace_list(request.user)
    if len(items) == 1:
        return redirect("assessments:workspace", pk=items[0].pk)
    rows = [
        {
            "assessment": a,
            "deadline": (d := self_assessment_deadline(a.period, a)),
            "days_left": selectors.days_left(d),
        }
        for a in items
    ]
    return render(request, "assessments/workspace_list.html", {"rows": rows})


def _workspace_context(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    data = selectors.workspace(assessment, request.user)
    reason = workflow.lock_reason(assessment)
    can_declare = access.can_declare(request.user, assessment)
    kinds = data["kinds"]
    return {
        "assessment": assessment,
        **data,
        "lock_reason": reason,
        # The unit's steps open to this user now (workflow.offered), and why they are not.
        "steps": {t.target for t in workflow.offered(assessment, kinds)},
        "window_reason": workflow.unit_window_reason(assessment),
        "editable": can_declare and not reason,
        # Evidence follows the same rule as values (access.can_declare); per leaf the drop
        # zone also needs row["writable"], which limits a contributor to its own leaves.
        "evidence_writable": not reason and can_declare,
        "can_declare": can_declare,
        "days_left": selectors.days_left(data["deadline"]),
        "is_officer": "officer" in kinds,
        "is_leader": "leader" in kinds,
        "is_organizer": "organizer" in kinds,
        "province_self": selectors.is_province_self(assessment),
        "send_form": SendForm(),
        "returned": _returned(assessment, data["history"]),
    }


def _returned(assessment: Assessment, history: list[Any]) -> Any:
    """The leader's last "Trả lại" (with its comment) while the officer has it back."""
    last = history[-1] if history else None
    if (
        assessment.status == Status.DRAFT
        and last is not None
        and last.old_status == Status.PENDING_APPROVAL
        and last.new_status == Status.DRAFT
    ):
        return last
    return None


def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    request_roles(request)
    assessment = get_assessment_for_user(request.user, pk)
    return render(request, "assessments/workspace.html", _workspace_context(request, assessment))


def workspace_table(request: HttpRequest, pk: int) -> HttpResponse:
    request_roles(request)
    assessment = get_assessment_for_user(request.user, pk)
    context = _workspace_context(request, assessment)
    context["max_upload_bytes"] = max_upload_bytes()
    context["max_upload_mb"] = settings.MAX_UPLOAD_MB
    panes = selectors.table_panes(context["domains"], editable=context["editable"])
    # Per leaf, the URLs and the evidence partials are stamped from one rendering each.
    autosave = _url_stamp("assessments:autosave", assessment.pk)
    history = _url_stamp("assessments:entry-history", assessment.pk)
    evidence_writable = context["evidence_writable"]
    empty_list = _partial_stamp(
        request,
        "evidence/_file_list.html",
        {"files": [], "can_change": evidence_writable, "locked_reason": "", "results": None},
    )
    dropzone = _partial_stamp(request, "evidence/_dropzone.html", context)
    for pane in panes:
        for row in pane["rows"]:
            if not row["leaf"]:
                continue
            eid = row["eid"]
            row["autosave_url"] = autosave(eid)
            row["history_url"] = history(eid)
            row["file_list"] = "" if row["files"] else empty_list(eid)
            row["dropzone"] = dropzone(eid) if evidence_writable and row["writable"] else ""
    context["panes"] = panes
    return render(request, "assessments/workspace_table.html", context)


STAMP = 987654321  # an entry id no database reaches here; replaced by each leaf's id


def _url_stamp(name: str, *args: int) -> Callable[[str], str]:
    """``reverse(name, args=[*args, entry_id])`` for many entries, reversing once."""
    head, tail = reverse(name, args=[*args, STAMP]).split(str(STAMP))
    return lambda eid: f"{head}{eid}{tail}"


def _partial_stamp(
    request: HttpRequest, template: str, context: dict[str, Any]
) -> Callable[[str], SafeString]:
    """A per-entry partial rendered once for a stand-in entry, then given each entry's id."""
    html = render_to_string(
        template, {**context, "entry": SimpleNamespace(pk=STAMP)}, request=request
    )
    parts = html.split(str(STAMP))
    return lambda eid: mark_safe(eid.join(parts))  # noqa: S308 - our template's own output


@require_POST
def workspace_send(request: HttpRequest, pk: int) -> HttpResponse:
    # Read access is enough to ask: the service decides who may take which step.
    request_roles(request)
    assessment = get_assessment_for_user(request.user, pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("assessments:workspace", pk=assessment.pk)
    try:
        services.assessment_transition(
            actor=request.user,
            assessment=assessment,
            to=form.cleaned_data["to"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, SENT_MESSAGES.get(assessment.status, "Đã cập nhật."))
    return redirect("assessments:workspace", pk=assessment.pk)


SENT_MESSAGES = {
    Status.PENDING_APPROVAL: "Đã trình lãnh đạo đơn vị phê duyệt bản tự đánh giá.",
    Status.SUBMITTED: "Đã phê duyệt và gửi bản tự đánh giá đến cơ quan tổ chức đánh giá.",
    Status.DRAFT: "Đã trả lại bản tự đánh giá cho chuyên viên đầu mối.",
}


def _saved(entry: Entry) -> dict[str, Any]:
    at = timezone.localtime(entry.updated_at) if entry.updated_at else None
    by = entry.updated_by.display_name if entry.updated_by_id and entry.updated_by else ""
    return {
        "value": "" if entry.value.upper() == "NA" else vn_input_text(entry.value),
        "value2": vn_input_text(entry.value2),
        "na": entry.value.upper() == "NA",
        "explanation": entry.explanation,
        "display": declared(entry) or "(trống)",
        "by": by,
        "at": f"{at:%H:%M} ngày {at:%d/%m/%Y}" if at else "",
        "version": entry.version,
    }


@require_POST
def entry_autosave(request: HttpRequest, pk: int, entry_id: int) -> JsonResponse:
    """Save one leaf; answers JSON: the new score, version and subtotals, or the problem."""
    request_roles(request)
    entry = access.get_entry_for_user(request.user, entry_id, write=True, assessment_pk=pk)
    form = EntryForm(request.POST, numeric=entry.node.rule_type not in selectors.WORD_RULES)
    if not form.is_valid():
        message = " ".join(e for errors in form.errors.values() for e in errors)
        return JsonResponse({"ok": False, "error": message}, status=400)
    value, value2 = form.values()
    version = form.cleaned_data["version"]
    try:
        saved = services.entry_record(
            actor=request.user,
            entry=entry,
            value=value,
            value2=value2,
            explanation=form.cleaned_data["explanation"],
            expected_version=version,
        )
    except services.EntryConflict as exc:
        current = access.get_entry_for_user(request.user, entry_id, assessment_pk=pk)
        return JsonResponse(
            {"ok": False, "conflict": True, "error": exc.message, "theirs": _saved(current)},
            status=409,
        )
    except services.EntryLocked as exc:
        return JsonResponse({"ok": False, "locked": True, "error": exc.message}, status=403)
    except DomainError as exc:
        return JsonResponse({"ok": False, "error": exc.message}, status=400)
    scores = selectors.entry_scores(saved.assessment)
    at = timezone.localtime(saved.updated_at)
    relative = saved.node.rule_type == FrameworkNode.RuleType.RELATIVE
    return JsonResponse(
        {
            "ok": True,
            "version": saved.version,
            "na": saved.not_applicable,
            "score": vn_points(saved.self_score),
            "score_note": scoring.PENDING_TEXT if relative and not saved.not_applicable else "",
            "saved_at": f"{at:%H:%M}",
            "subtotals": {code: vn_points(v) for code, v in scores["subtotals"].items()},
            "submax": {code: vn_points(v) for code, v in scores["submax"].items()},
            "total": vn_number(scores["total"]),
            "max": vn_points(scores["max"]),
        }
    )


@require_GET
def entry_history(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    request_roles(request)
    entry = access.get_entry_for_user(request.user, entry_id, assessment_pk=pk)
    return render(
        request,
        "assessments/_entry_history.html",
        {"entry": entry, "events": selectors.entry_history(entry)},
    )
