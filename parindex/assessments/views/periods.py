"""Period pages for organizer admins: list, create, detail, calendar, units, the
self-assessment progress (extensions, reopening) and the contributors. They live on the
assessments side because they show and act on the units' assessments. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from parindex.accounts.access import require_organizer_admin
from parindex.accounts.models import Block
from parindex.assessments import participation
from parindex.assessments import period_selectors as selectors
from parindex.assessments.contributors import contributor_summary, entries_assign_contributor
from parindex.assessments.forms import ExtendDeadlineForm
from parindex.assessments.models import Assessment, Status
from parindex.assessments.services import assessment_extend_deadline, assessment_transition
from parindex.common.errors import DomainError
from parindex.common.params import int_param
from parindex.periods import selectors as period_reads
from parindex.periods import services
from parindex.periods.access import get_period_for_user, request_roles
from parindex.periods.calendar import default_calendar, period_calendar
from parindex.periods.forms import (
    CHECKED,
    KEEP,
    AddUnitsForm,
    CalendarEditForm,
    ContributorAssignForm,
    OptionalReasonForm,
    PeriodCreateForm,
    ProgressFilterForm,
    ReasonForm,
)
from parindex.periods.models import Period


def period_list(request: HttpRequest) -> HttpResponse:
    request_roles(request)
    require_organizer_admin(request.user)
    periods = selectors.period_list_for_user(request.user, supervised=True)
    return render(
        request,
        "periods/list.html",
        {
            "periods": [p for p in periods if not p.supervised],  # type: ignore[attr-defined]
            "supervised": [p for p in periods if p.supervised],  # type: ignore[attr-defined]
        },
    )


def period_create(request: HttpRequest) -> HttpResponse:
    request_roles(request)
    require_organizer_admin(request.user)
    organizers = request_roles(request).organizer_units
    if not organizers:
        raise Http404("Không có cơ quan tổ chức đánh giá.")
    wanted = int_param(request.POST.get("organizer") or request.GET.get("organizer"))
    organizer = next((u for u in organizers if u.pk == wanted), organizers[0])
    frameworks = period_reads.block_framework_choices(organizer)
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
    form = CalendarEditForm(
        request.POST or None, current=period_calendar(period), reminder_days=period.reminder_days
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.period_set_calendar(
                actor=request.user,
                period=period,
                dates=form.calendar(),
                reason=form.cleaned_data["reason"],
                reminder_days=form.cleaned_data["reminder_days"],
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
        added = participation.period_add_units(
            actor=request.user, period=period, units=form.chosen()
        )
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
        participation.period_remove_unit(
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


# ---------------------------------------------------------------- self-assessment progress

PROGRESS_KEYS = ("khoi", "trang_thai", "sap_xep")


def progress_url(period_pk: int, query: str = "") -> str:
    """The progress page, keeping only its own filters from ``query``."""
    kept = QueryDict(mutable=True)
    given = QueryDict(query)
    for key in PROGRESS_KEYS:
        if given.get(key):
            kept[key] = given[key]
    url = reverse("periods:progress", args=[period_pk])
    return f"{url}?{kept.urlencode()}" if kept else url


def period_progress(request: HttpRequest, pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_user(request.user, pk)
    blocks = period_reads.period_blocks(period)
    form = ProgressFilterForm(
        request.GET or None,
        blocks=[pb.block for pb in blocks],
        statuses=[(k, v[0]) for k, v in selectors.STATUS_FILTERS.items()],
        sorts=list(selectors.SORTS.items()),
    )
    context = selectors.period_progress(period, blocks=blocks, **form.filters())
    return render(
        request,
        "periods/progress.html",
        {
            "period": period,
            "form": form,
            "query": request.GET.urlencode(),
            "extend_form": ExtendDeadlineForm(auto_id="id_extend_%s"),
            "reopen_form": ReasonForm(auto_id="id_reopen_%s"),
            "tab": "progress",
            **context,
        },
    )


@require_POST
def period_progress_extend(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_user(request.user, pk, write=True)
    assessment = get_object_or_404(
        Assessment.objects.select_related("unit"), pk=assessment_pk, period=period
    )
    back = progress_url(period.pk, request.POST.get("qs", ""))
    form = ExtendDeadlineForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{assessment.unit.name}: {error}")
        return redirect(back)
    try:
        assessment_extend_deadline(
            actor=request.user,
            assessment=assessment,
            until=form.until(),
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, f"{assessment.unit.name}: {exc.message}")
    else:
        messages.success(
            request,
            f"Đã gia hạn tự đánh giá cho {assessment.unit.name} đến "
            f"{form.until():%H:%M ngày %d/%m/%Y}.",
        )
    return redirect(back)


@require_POST
def period_progress_reopen(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_user(request.user, pk, write=True)
    assessment = get_object_or_404(
        Assessment.objects.select_related("unit"), pk=assessment_pk, period=period
    )
    back = progress_url(period.pk, request.POST.get("qs", ""))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ghi lý do mở lại để đơn vị sửa.")
        return redirect(back)
    try:
        assessment_transition(
            actor=request.user,
            assessment=assessment,
            to=Status.DRAFT,
            note=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, f"{assessment.unit.name}: {exc.message}")
    else:
        messages.success(
            request, f"Đã mở lại bản tự đánh giá của {assessment.unit.name} để đơn vị sửa."
        )
    return redirect(back)


# ---------------------------------------------------------------- province self-assessment


def period_contributors(request: HttpRequest, pk: int) -> HttpResponse:
    """Phân công tiêu chí: assign leaves of the province's own self-assessment to
    contributing departments (periods of kind PROVINCE_SELF only)."""
    request_roles(request)
    period = get_period_for_user(request.user, pk, write=request.method == "POST")
    if period.kind != Period.Kind.PROVINCE_SELF:
        raise Http404("Chỉ đợt tỉnh tự đánh giá mới phân công tiêu chí.")
    assessments = selectors.period_assessments(period)
    wanted = int_param(request.POST.get("a") or request.GET.get("a"))
    assessment = next((a for a in assessments if a.pk == wanted), None) or (
        assessments[0] if assessments else None
    )
    context: dict[str, object] = {
        "period": period,
        "assessments": assessments,
        "tab": "contributors",
    }
    if assessment is None:
        return render(request, "periods/contributors.html", context)
    units = selectors.contributor_choices(period, assessment)
    rows = selectors.contributor_tree(assessment)
    if request.method == "POST":
        form = ContributorAssignForm(request.POST, codes=[r.node.code for r in rows], units=units)
        if form.is_valid():
            try:
                changed = entries_assign_contributor(
                    actor=request.user,
                    assessment=assessment,
                    node_codes=form.cleaned_data["node_codes"],
                    unit=form.cleaned_data["unit"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                unit = form.cleaned_data["unit"]
                who = unit.name if unit is not None else "“Chưa phân công”"
                if changed:
                    messages.success(
                        request, f"Đã phân công {len(changed)} tiêu chí thành phần cho {who}."
                    )
                else:
                    messages.info(request, f"Các tiêu chí đã chọn đã được phân công cho {who}.")
        else:
            for error in form.non_field_errors():
                messages.error(request, error)
        url = reverse("periods:contributors", args=[period.pk])
        return redirect(f"{url}?a={assessment.pk}")
    context.update(
        {
            "assessment": assessment,
            "rows": rows,
            "units": units,
            "summary": contributor_summary(assessment),
            "keep": KEEP,
            "checked": CHECKED,
        }
    )
    return render(request, "periods/contributors.html", context)
