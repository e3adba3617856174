"""A unit's public link / QR code (no login): the citizens' form, mobile-first, anonymous.

``get_public_target`` (the survey open with public answers allowed, the unit rated in it;
else 404) → the group (``?nhom=`` when the public link has several groups: the respondent
picks first) → ``AnswerForm`` → the rate limits (429, nothing stored) → ``response_submit``
(channel ``public``, the keyed hashes of the address and of the device cookie, the start time
from a signed hidden field) → the "cảm ơn" page."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from parindex import engine
from parindex.common.errors import DomainError
from parindex.common.ratelimit import client_ip, rate_limit
from parindex.survey.access import get_public_target
from parindex.survey.definition import engine_survey
from parindex.survey.forms_respond import AnswerForm
from parindex.survey.models import Response
from parindex.survey.services import public
from parindex.survey.services.intake import response_submit

PHONE_RE = re.compile(r"^\+?[0-9 .\-]{8,20}$")


def _device_token(request: HttpRequest) -> str:
    token = request.COOKIES.get(public.DEVICE_COOKIE, "")
    return token if public.valid_device_token(token) else ""


def _with_device(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Sets the long-lived random device cookie when the browser has none."""
    if not _device_token(request):
        response.set_cookie(
            public.DEVICE_COOKIE,
            public.new_device_token(),
            max_age=public.DEVICE_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _phone_problem(phone: str) -> str:
    if phone and not PHONE_RE.match(phone):
        return "Số điện thoại không đúng (chỉ gồm chữ số, ví dụ 0912 345 678); có thể để trống."
    return ""


@login_not_required
@rate_limit("survey", "RATE_LIMIT_SURVEY")
@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest, survey_pk: int, unit_code: str) -> HttpResponse:
    survey, unit = get_public_target(survey_pk, unit_code)
    es = engine_survey(survey)
    groups = public.public_groups(survey, es)
    codes = [g.code for g in groups]
    group_code = request.POST.get("group") if request.method == "POST" else request.GET.get("nhom")
    if len(groups) == 1:
        group_code = groups[0].code
    context: dict[str, object] = {"survey": survey, "unit": unit, "es": es, "groups": groups}
    if not groups:
        return render(request, "survey/public/none.html", context, status=404)
    if group_code not in codes:  # several groups: the respondent picks one first
        return _with_device(request, render(request, "survey/public/pick.html", context))
    group: engine.SurveyGroup = groups[codes.index(str(group_code))]
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        survey=es,
        group=group.code,
        cache_key=(survey.pk, survey.updated_at),
    )
    phone = (request.POST.get("phone") or "").strip() if request.method == "POST" else ""
    context.update(
        group=group,
        form=form,
        phone=phone,
        start=request.POST.get("start") or public.sign_start(),
        several=len(groups) > 1,
    )
    if request.method == "POST":
        addr = public.address_hash(client_ip(request))
        device = public.device_hash(_device_token(request))
        if public.rate_limited(survey.pk, addr, device):
            return render(request, "survey/public/limited.html", context, status=429)
        phone_problem = _phone_problem(phone)
        context["phone_problem"] = phone_problem
        if form.is_valid() and not phone_problem:
            try:
                response_submit(
                    survey=survey,
                    unit=unit,
                    group=group.code,
                    answers=form.answers(),
                    channel=Response.Channel.PUBLIC,
                    started_at=public.read_start(request.POST.get("start")),
                    address_hash=addr,
                    device_hash=device,
                    phone=phone,
                )
            except DomainError as exc:
                context["error"] = exc
            else:
                public.rate_count(survey.pk, addr, device)
                return _with_device(
                    request,
                    redirect(
                        reverse(
                            "survey_public:public_thanks",
                            kwargs={"survey_pk": survey.pk, "unit_code": unit.code},
                        )
                    ),
                )
        status = 400
    else:
        status = 200
    return _with_device(request, render(request, "survey/public/form.html", context, status=status))


@login_not_required
@rate_limit("survey", "RATE_LIMIT_SURVEY")
@require_GET
def public_thanks(request: HttpRequest, survey_pk: int, unit_code: str) -> HttpResponse:
    survey, unit = get_public_target(survey_pk, unit_code)
    return render(request, "survey/public/thanks.html", {"survey": survey, "unit": unit})
