"""Period pages for organizer admins: list, create, detail, calendar, units. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from parindex.accounts.access import require_organizer_admin
from parindex.accounts.models import Block
from parindex.assessments.models import Assessment
from parindex.common.errors import DomainError
from parindex.periods import selectors, services
from parindex.periods.access import get_period_for_user, request_roles
from parindex.periods.calendar import default_calendar, period_calendar
from parindex.periods.forms import (
    AddUnitsForm,
    CalendarEditForm,
    OptionalReasonForm,
    PeriodCreateForm,
    ReasonForm,
)


def period_list(request: HttpRequest) -> HttpResponse:
    request_roles(request)
    require_organizer_admin(request.user)
    periods = selectors.period_list_for_user(request.user)
    return render(request, "periods/list.html", {"periods": periods})


def period_create(request: HttpRequest) -> HttpResponse:
    request_roles(request)
    require_organizer_admin(request.user)
    organizers = request_roles(request).organizer_units
    if not organizers:
        raise Http404("Không có cơ quan tổ chức đánh giá.")
    wanted = request.POST.get("organizer") or request.GET.get("organizer")
    organizer = next((u for u in organizers if str(u.pk) == wanted), organizers[0])
    frameworks = selectors.block_framework_choices(organizer)
    blocks = list(Block.objects.filter(pk__in=list(frameworks)).order_by("position", "code"))
    form = PeriodCreateForm(request.POST or None, blocks=blocks, frameworks=frameworks)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(
                actor=request.user,
                organizer=organizer,
                year=form.cleaned_data["year"],
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                plan_reference=form.cleaned_data["plan_reference"],
                blocks=form.chosen_blocks(),
                calendar=form.calendar(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Đã tạo đợt đánh giá “{period.name}”.")
            return redirect("periods:detail", pk=period.pk)
    defaults = {
        str(year): {
            phase: [d.strftime("%d/%m/%Y") for d in dates]
            for phase, dates in default_calendar(year).items()
        }
        for year in range(2020, 2041)
    }
    return render(
        request,
        "periods/create.html",
        {
            "form": form,
            "organizer": organizer,
            "organizers": organizers,
            "calendar_defaults": defaults,
        },
    )


def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_user(request.user, pk)
    context = selectors.period_detail(period)
    for row in context["blocks"]:
        row.form = AddUnitsForm(
            candidates=row.candidates,
            initial={"block": row.period_block.block_id},
            auto_id=f"id_b{row.period_block.block_id}_%s",
        )
    return render(
        request,
        "periods/detail.html",
        {"period": period, "close_form": ReasonForm(auto_id="id_close_%s"), **context},
    )


def period_calendar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_user(request.user, pk, write=True)
    form = CalendarEditForm(request.POST or None, current=period_calendar(period))
    if request.method == "POST" and form.is_valid():
        try:
            services.period_set_calendar(
                actor=request.user,
                period=period,
                dates=form.calendar(),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Đã cập nhật lịch thực hiện.")
            return redirect("periods:detail", pk=period.pk)
    return render(request, "periods/calendar_edit.html", {"period": period, "form": form})


@require_POST
def period_add_units(request: HttpRequest, pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_user(request.user, pk, write=True)
    context = selectors.period_detail(period)
    row = next(
        (r for r in context["blocks"] if str(r.period_block.block_id) == request.POST.get("block")),
        None,
    )
    if row is None:
        messages.error(request, "Khối không tham gia đợt đánh giá này.")
        return redirect("periods:detail", pk=period.pk)
    form = AddUnitsForm(request.POST, candidates=row.candidates)
    if not form.is_valid():
        for error in form.errors.get("__all__", []) + form.errors.get("units", []):
            messages.error(request, error)
        return redirect("periods:detail", pk=period.pk)
    try:
        added = services.period_add_units(actor=request.user, period=period, units=form.chosen())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã thêm {len(added)} đơn vị vào {row.period_block.block.name}.")
    return redirect("periods:detail", pk=period.pk)


@require_POST
def period_remove_unit(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_user(request.user, pk, write=True)
    assessment = get_object_or_404(
        Assessment.objects.select_related("unit"), pk=assessment_pk, period=period
    )
    form = OptionalReasonForm(request.POST)
    form.is_valid()
    try:
        services.period_remove_unit(
            actor=request.user,
            period=period,
            assessment=assessment,
            reason=form.cleaned_data.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã rút {assessment.unit.name} khỏi đợt đánh giá.")
    return redirect("periods:detail", pk=period.pk)


@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_user(request.user, pk, write=True)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ghi lý do đóng đợt đánh giá.")
        return redirect("periods:detail", pk=period.pk)
    try:
        services.period_close(actor=request.user, period=period, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã đóng đợt đánh giá: từ nay chỉ xem, không sửa.")
    return redirect("periods:detail", pk=period.pk)
