"""The read-only assessment page (organizer, the unit's officer and leader, council) and the
organizer's actions on it: deadline extension and workflow transitions. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from parindex.assessments import selectors, services, workflow
from parindex.assessments.access import get_assessment_for_user
from parindex.assessments.forms import ExtendDeadlineForm, TransitionForm
from parindex.common.errors import DomainError
from parindex.periods.access import request_roles


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
