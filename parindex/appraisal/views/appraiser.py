"""The appraiser's pages: the queue ("Thẩm định của tôi"), one unit × domain with a decision
form per leaf, the decision itself and "Đồng ý tất cả tiêu chí còn lại". Thin views: the
access helper (``get_*_for_council``: a council seat not from the assessed unit, or the
organizer reading; the unit itself 404) → form → one service → the leaf's fragment (htmx),
a redirect to it, or the page again with the refusal next to the leaf (400)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from parindex.appraisal import access, services
from parindex.appraisal.forms_appraiser import AcceptRestForm, DecisionForm
from parindex.appraisal.models import Decision
from parindex.appraisal.selectors.assignment import plan
from parindex.appraisal.selectors.domain import WORD_RULES, DomainPage, domain_of_node, domain_page
from parindex.appraisal.selectors.queue import queue as queue_of
from parindex.assessments.models import Assessment, Status
from parindex.common.errors import DomainError
from parindex.frameworks.models import FrameworkNode
from parindex.periods.access import council_seats, request_roles

PAGE = "appraisal/appraiser/domain.html"
LEAF = "appraisal/appraiser/_leaf.html"
POSTED = ("kind", "value", "value2", "score", "reason", "request")
KIND_DONE = {
    Decision.Kind.ACCEPT: "Đồng ý",
    Decision.Kind.ADJUST: "Điều chỉnh",
    Decision.Kind.REQUEST: "Yêu cầu giải trình, bổ sung",
}


def _round(assessment: Assessment) -> int:
    """The round a decision goes to: 2 in Thẩm định lần 2, else 1 (the service refuses it
    when round 1 is not open either, with its own message)."""
    return 2 if assessment.status == Status.APPRAISAL_2 else 1


def _domain_url(assessment: Assessment, domain: FrameworkNode, entry_id: int | None = None) -> str:
    url = reverse("appraisal:domain", kwargs={"assessment_pk": assessment.pk, "node_pk": domain.pk})
    return f"{url}#leaf-{entry_id}" if entry_id else url


def _page_context(page: DomainPage) -> dict[str, Any]:
    return {
        "page": page,
        "assessment": page.assessment,
        "domain": page.domain,
        "accept_form": AcceptRestForm(),
    }


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    request_roles(request)
    return render(
        request,
        "appraisal/appraiser/queue.html",
        {"periods": queue_of(request.user), "has_seats": bool(council_seats(request.user))},
    )


@require_GET
def domain(request: HttpRequest, assessment_pk: int, node_pk: int) -> HttpResponse:
    request_roles(request)
    assessment, node = access.get_domain_for_council(request.user, assessment_pk, node_pk)
    page = domain_page(assessment, node, request.user)
    return render(request, PAGE, _page_context(page))


@require_POST
def decide(request: HttpRequest, assessment_pk: int, entry_id: int) -> HttpResponse:
    request_roles(request)
    entry = access.get_entry_for_council(request.user, entry_id, assessment_pk=assessment_pk)
    assessment = entry.assessment
    the_plan = plan(assessment.period)
    node = domain_of_node(the_plan, the_plan.nodes.get(entry.node_id, entry.node))
    rnd = _round(assessment)
    form = DecisionForm(request.POST, round=rnd, numeric=entry.node.rule_type not in WORD_RULES)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_record(
                actor=request.user,
                entry=entry,
                round=rnd,
                kind=data["kind"],
                value=data["value"],
                value2=data["value2"],
                score=data["score"],
                reason=data["reason"],
                request=data["request"],
                the_plan=the_plan,
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = form.error_text()
    if error:
        posted = {entry.pk: {k: request.POST.get(k, "") for k in POSTED}}
        page = domain_page(
            assessment, node, request.user, the_plan=the_plan, errors={entry.pk: error},
            posted=posted,
        )  # fmt: skip
        if request.htmx:
            return render(request, LEAF, {"page": page, "leaf": page.leaf(entry.pk)}, status=400)
        return render(request, PAGE, _page_context(page), status=400)
    kind = form.cleaned_data["kind"]
    message = f"Tiêu chí {entry.node.code}: đã ghi kết luận “{KIND_DONE[kind]}” (lần {rnd})."
    if request.htmx:
        page = domain_page(assessment, node, request.user, the_plan=the_plan, only=entry.pk)
        leaf = page.leaf(entry.pk)
        if leaf is not None:
            leaf.message = message
        return render(request, LEAF, {"page": page, "leaf": leaf, "oob": True})
    messages.success(request, message)
    return redirect(_domain_url(assessment, node, entry.pk))


@require_POST
def accept_rest(request: HttpRequest, assessment_pk: int, node_pk: int) -> HttpResponse:
    request_roles(request)
    assessment, node = access.get_domain_for_council(request.user, assessment_pk, node_pk)
    form = AcceptRestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_domain_url(assessment, node))
    rnd = _round(assessment)
    try:
        count = services.decisions_accept_rest(
            actor=request.user, assessment=assessment, domain=node, round=rnd
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Đã đồng ý {count} tiêu chí thành phần còn lại của lĩnh vực {node.code} "
            f"(thẩm định lần {rnd}).",
        )
    return redirect(_domain_url(assessment, node))
