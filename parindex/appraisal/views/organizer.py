"""The organizer's appraisal pages of a period: the overview with the rounds' controls and the
Giải trình extensions, the council (its decision, members, copy, XLSX import) and the
assignment matrix. The organizer admin of the period changes them; an organizer above it reads
them (403 on every POST); everyone else gets 404 (``access.get_period_for_organizer``).

Thin views: access helper → form → one service → redirect (or the page again with the
service's message and, where the service lists them, every problem)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.appraisal import services
from parindex.appraisal.access import get_period_for_organizer
from parindex.appraisal.forms_organizer import (
    AssignmentForm,
    CouncilForm,
    CouncilImportForm,
    MemberAddForm,
    MemberRemoveForm,
    PeriodChoiceForm,
    SupplementExtendForm,
)
from parindex.appraisal.selectors.overview import (
    area_units,
    assignment_choices,
    assignment_page,
    council_page,
    node_choices,
    period_overview,
    previous_periods,
    url_or_none,
)
from parindex.appraisal.services.council_import import council_import
from parindex.appraisal.xlsx import build_council_template, parse_council
from parindex.assessments.models import Assessment
from parindex.common.errors import DomainError
from parindex.common.params import int_param
from parindex.periods.access import request_roles
from parindex.periods.models import Assignment, Council, CouncilMember, Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SKIPPED_KEY = "appraisal_copy_skipped"
ACTIONS = {"open": services.round_open, "close": services.round_close}


def _period(request: HttpRequest, period_pk: int, *, write: bool = False) -> Period:
    request_roles(request)
    return get_period_for_organizer(request.user, period_pk, write=write)


def _links(period: Period) -> dict[str, Any]:
    return {"consolidation_url": url_or_none("appraisal:consolidation", period.pk)}


# ---------------------------------------------------------------- overview and rounds


def _overview_render(request: HttpRequest, period: Period, **extra: Any) -> HttpResponse:
    return render(
        request,
        "appraisal/organizer/overview.html",
        {
            "period": period,
            "ov": period_overview(period),
            "extend_form": SupplementExtendForm(auto_id="id_extend_%s"),
            "tab": "overview",
            **_links(period),
            **extra,
        },
    )


@require_GET
def overview(request: HttpRequest, period_pk: int) -> HttpResponse:
    return _overview_render(request, _period(request, period_pk))


@require_POST
def round_action(request: HttpRequest, period_pk: int, round: int, action: str) -> HttpResponse:
    """Bắt đầu / Kết thúc thẩm định lần 1 hoặc 2. A refusal shows the service's message and
    every leaf it lists (the page itself, nothing changed)."""
    period = _period(request, period_pk, write=True)
    step = ACTIONS.get(action)
    if step is None or round not in (1, 2):
        raise Http404("Không có bước thẩm định này.")
    try:
        items = step(actor=request.user, period=period, round=round)
    except DomainError as exc:
        return _overview_render(request, period, error=exc.message, problems=exc.problems)
    verb = "Đã bắt đầu" if action == "open" else "Đã kết thúc"
    messages.success(request, f"{verb} thẩm định lần {round} cho {len(items)} đơn vị.")
    return redirect("appraisal:overview", period_pk=period.pk)


@require_POST
def supplement_extend(request: HttpRequest, period_pk: int, assessment_pk: int) -> HttpResponse:
    period = _period(request, period_pk, write=True)
    assessment = get_object_or_404(
        Assessment.objects.select_related("unit"), pk=assessment_pk, period=period
    )
    assessment.period = period
    form = SupplementExtendForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{assessment.unit.name}: {error}")
        return redirect("appraisal:overview", period_pk=period.pk)
    try:
        services.supplement_extend(
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
            f"Đã gia hạn giải trình, bổ sung cho {assessment.unit.name} đến "
            f"{form.until():%H:%M ngày %d/%m/%Y}.",
        )
    return redirect("appraisal:overview", period_pk=period.pk)


# ---------------------------------------------------------------- the council


def _council_render(
    request: HttpRequest, period: Period, *, status: int = 200, **extra: Any
) -> HttpResponse:
    page = council_page(period)
    council = page.council
    extra.setdefault(
        "council_form",
        CouncilForm(
            initial={
                "name": council.name,
                "decision_number": council.decision_number,
                "decision_date": council.decision_date,
                "decision_signer": council.decision_signer,
            }
        ),
    )
    extra.setdefault("member_form", MemberAddForm(units=page.units))
    extra.setdefault("copy_form", PeriodChoiceForm(periods=page.previous))
    extra.setdefault("import_form", CouncilImportForm())
    return render(
        request,
        "appraisal/organizer/council.html",
        {"period": period, "page": page, "tab": "council", **_links(period), **extra},
        status=status,
    )


def _council(period: Period) -> Council:
    council = services.council_for(period)
    council.period = period  # with its organizer and the organizer's area loaded
    return council


@require_http_methods(["GET", "POST"])
def council(request: HttpRequest, period_pk: int) -> HttpResponse:
    """The council's page; POST saves the decision that establishes it."""
    period = _period(request, period_pk, write=request.method == "POST")
    if request.method == "GET":
        return _council_render(request, period)
    form = CouncilForm(request.POST)
    if not form.is_valid():
        return _council_render(request, period, council_form=form)
    try:
        services.council_update(actor=request.user, council=_council(period), **form.cleaned_data)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _council_render(request, period, council_form=form)
    messages.success(request, "Đã lưu quyết định thành lập hội đồng.")
    return redirect("appraisal:council", period_pk=period.pk)


@require_POST
def member_add(request: HttpRequest, period_pk: int) -> HttpResponse:
    period = _period(request, period_pk, write=True)
    form = MemberAddForm(request.POST, units=area_units(period))
    if not form.is_valid():
        return _council_render(request, period, member_form=form)
    data = form.cleaned_data
    try:
        member = services.member_add(
            actor=request.user,
            council=_council(period),
            user=data["user"],
            unit=data["unit_obj"],
            position=data["position"],
            title=data["title"],
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _council_render(request, period, member_form=form)
    messages.success(
        request,
        f"Đã thêm {member.display_name} ({member.get_position_display()}) vào hội đồng.",
    )
    return redirect("appraisal:council", period_pk=period.pk)


@require_POST
def member_remove(request: HttpRequest, period_pk: int, member_pk: int) -> HttpResponse:
    period = _period(request, period_pk, write=True)
    member = get_object_or_404(
        CouncilMember.objects.select_related("user", "unit", "council"),
        pk=member_pk,
        council__period=period,
    )
    member.council.period = period
    form = MemberRemoveForm(request.POST)
    form.is_valid()
    try:
        services.member_remove(
            actor=request.user, member=member, reason=form.cleaned_data.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã bỏ {member.display_name} khỏi hội đồng.")
    return redirect("appraisal:council", period_pk=period.pk)


@require_POST
def council_copy(request: HttpRequest, period_pk: int) -> HttpResponse:
    period = _period(request, period_pk, write=True)
    form = PeriodChoiceForm(request.POST, periods=previous_periods(period, "council"))
    if not form.is_valid():
        for error in form.errors.get("source", []):
            messages.error(request, error)
        return redirect("appraisal:council", period_pk=period.pk)
    source = form.chosen()
    try:
        copied = services.council_copy(actor=request.user, council=_council(period), source=source)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã sao chép {copied} thành viên từ “{source.name}”.")
    return redirect("appraisal:council", period_pk=period.pk)


@require_GET
def council_template(request: HttpRequest, period_pk: int) -> HttpResponse:
    period = _period(request, period_pk)
    council_name = (
        Council.objects.filter(period=period).values_list("name", flat=True).first()
        or Council._meta.get_field("name").default
    )
    data = build_council_template(
        council_name=str(council_name),
        period_name=period.name,
        units=[(u.code, u.name) for u in area_units(period)],
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="mau-hoi-dong-tham-dinh-{period.year}.xlsx"'
    )
    return response


@require_POST
def council_import_view(request: HttpRequest, period_pk: int) -> HttpResponse:
    """Upload the filled template: read (outside any transaction), every row checked; if any
    row has a problem the page lists them all and nobody is added."""
    period = _period(request, period_pk, write=True)
    form = CouncilImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _council_render(request, period, import_form=form)
    upload = form.cleaned_data["file"]
    parsed = parse_council(upload.read())
    name = upload.name
    if parsed.problems:
        return _council_render(
            request, period, import_form=form, import_problems=parsed.problems, import_file=name
        )
    try:
        members = council_import(actor=request.user, council=_council(period), rows=parsed.rows)
    except DomainError as exc:
        return _council_render(
            request,
            period,
            import_form=form,
            import_error=exc.message,
            import_problems=exc.problems,
            import_file=name,
        )
    messages.success(request, f"Đã thêm {len(members)} thành viên từ tệp {name}.")
    return redirect("appraisal:council", period_pk=period.pk)


# ---------------------------------------------------------------- the assignment


def _assignment_form(the_plan: Any, period_blocks: Any, *args: Any, **kw: Any) -> AssignmentForm:
    return AssignmentForm(
        *args,
        nodes=the_plan.nodes,
        node_choices=node_choices(the_plan, period_blocks),
        members=the_plan.members,
        **kw,
    )


def _assignment_render(
    request: HttpRequest, period: Period, *, form: AssignmentForm | None = None, **extra: Any
) -> HttpResponse:
    page = assignment_page(period)
    if form is None:
        initial: dict[str, str] = {}
        wanted = int_param(request.GET.get("nut"))
        if wanted in page.plan.nodes:
            initial["node"] = str(wanted)
            own = page.plan.by_node.get(wanted)  # type: ignore[arg-type]
            if own is not None:
                initial["who"] = f"m{own.member_id}" if own.member_id else f"u{own.unit_id}"
                initial["substitute"] = f"m{own.substitute_id}" if own.substitute_id else ""
        form = _assignment_form(page.plan, page.period_blocks, initial=initial)
    skipped = request.session.pop(SKIPPED_KEY, None) if request.method == "GET" else None
    if skipped and skipped.get("period") != period.pk:
        skipped = None
    return render(
        request,
        "appraisal/organizer/assignment.html",
        {
            "period": period,
            "page": page,
            "form": form,
            "copy_form": PeriodChoiceForm(periods=page.previous),
            "skipped": skipped,
            "tab": "assignment",
            **_links(period),
            **extra,
        },
    )


@require_GET
def assignment(request: HttpRequest, period_pk: int) -> HttpResponse:
    return _assignment_render(request, _period(request, period_pk))


@require_POST
def assignment_set(request: HttpRequest, period_pk: int) -> HttpResponse:
    period = _period(request, period_pk, write=True)
    form = _assignment_form(*assignment_choices(period), request.POST)
    if not form.is_valid():
        return _assignment_render(request, period, form=form)
    data = form.cleaned_data
    try:
        done = services.assignment_set(
            actor=request.user,
            period=period,
            node=data["node_obj"],
            member=data["member"],
            unit=data["unit"],
            substitute=data["substitute_obj"],
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _assignment_render(request, period, form=form)
    who = data["member"].display_name if data["member"] else data["unit"].name
    messages.success(request, f"Đã phân công {done.node.code} cho {who}.")
    return redirect(reverse("appraisal:assignment", args=[period.pk]) + f"#nut-{done.node_id}")


@require_POST
def assignment_remove(request: HttpRequest, period_pk: int, assignment_pk: int) -> HttpResponse:
    period = _period(request, period_pk, write=True)
    found = get_object_or_404(
        Assignment.objects.select_related("node"), pk=assignment_pk, period=period
    )
    found.period = period
    try:
        services.assignment_remove(actor=request.user, assignment=found)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã bỏ phân công {found.node.code}.")
    return redirect("appraisal:assignment", period_pk=period.pk)


@require_POST
def assignment_copy(request: HttpRequest, period_pk: int) -> HttpResponse:
    period = _period(request, period_pk, write=True)
    form = PeriodChoiceForm(request.POST, periods=previous_periods(period, "assignment"))
    if not form.is_valid():
        for error in form.errors.get("source", []):
            messages.error(request, error)
        return redirect("appraisal:assignment", period_pk=period.pk)
    source = form.chosen()
    try:
        copied, skipped = services.assignment_copy(actor=request.user, period=period, source=source)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã sao chép {copied} phân công từ “{source.name}”.")
        if skipped:
            request.session[SKIPPED_KEY] = {
                "period": period.pk,
                "source": source.name,
                "items": skipped[:1000],
                "total": len(skipped),
                "more": max(len(skipped) - 1000, 0),
            }
    return redirect("appraisal:assignment", period_pk=period.pk)
