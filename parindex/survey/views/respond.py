"""A respondent's form from the invitation link (no login): /khao-sat/<token>/.

GET shows the privacy notice and the next unit not yet answered (progress "Đơn vị 2/5")
with the questions asked of the respondent's group; POST stores that unit's answers through
``intake.response_submit(channel="invitation", respondent=…)`` (which locks the respondent:
a link answers each unit once, even twice at the same moment), then the next unit or the
"cảm ơn" page. Outside the window, after the close or once every unit is answered: a clear
page (200). An unknown or replaced token: 404.

``client_hashes`` (salted SHA-256 of the client's address and of a device cookie) is meant
to be shared by the other no-login forms (public link/QR)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from parindex.common.errors import DomainError
from parindex.common.params import int_param
from parindex.common.ratelimit import client_ip, rate_limit
from parindex.periods.calendar import fmt_date
from parindex.survey.access import get_respondent_by_token
from parindex.survey.definition import engine_survey
from parindex.survey.forms_respond import AnswerForm
from parindex.survey.models import Respondent, Response, Survey
from parindex.survey.selectors.lists import RespondProgress, respond_progress
from parindex.survey.services.intake import response_submit
from parindex.survey.services.invitations import respondent_opened

DEVICE_COOKIE = "pi_thiet_bi"
STARTED_SALT = "parindex.survey.respond.started"
STARTED_MAX_AGE = 2 * 24 * 3600


def _hash(kind: str, value: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{kind}:{value}".encode()).hexdigest()


def client_hashes(request: HttpRequest) -> tuple[str, str, str | None]:
    """``(address hash, device hash, new device cookie or None)``: salted with the server's
    secret so the stored hashes cannot be turned back into addresses."""
    address = client_ip(request) or ""
    device = request.COOKIES.get(DEVICE_COOKIE, "")
    new = None
    if not device or len(device) > 64:
        device = new = secrets.token_urlsafe(16)
    return (_hash("address", address) if address else "", _hash("device", device), new)


def _set_device(response: HttpResponse, new: str | None) -> HttpResponse:
    if new:
        response.set_cookie(
            DEVICE_COOKIE,
            new,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=not settings.DEBUG,
        )
    return response


def started_token(respondent: Respondent, unit_id: int) -> str:
    return signing.dumps(
        {"r": respondent.pk, "u": unit_id, "t": timezone.now().timestamp()}, salt=STARTED_SALT
    )


def started_at(value: str, respondent: Respondent, unit_id: int) -> dt.datetime | None:
    """When the page of this unit was first shown (None if the field was tampered with)."""
    try:
        data = signing.loads(value, salt=STARTED_SALT, max_age=STARTED_MAX_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("r") != respondent.pk or data.get("u") != unit_id:
        return None
    try:
        return dt.datetime.fromtimestamp(float(data["t"]), tz=dt.UTC)
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def closed_reason(survey: Survey) -> str:
    """Why the form does not take answers now ('' when it does)."""
    today = timezone.localdate()
    if survey.frozen_at is not None or survey.status == Survey.Status.CLOSED:
        return "Cuộc khảo sát đã kết thúc, không nhận thêm phiếu trả lời."
    if survey.status != Survey.Status.OPEN:
        return "Cuộc khảo sát chưa bắt đầu."
    if survey.opens_on and today < survey.opens_on:
        return f"Cuộc khảo sát bắt đầu nhận phiếu từ ngày {fmt_date(survey.opens_on)}."
    if survey.closes_on and today > survey.closes_on:
        return f"Đã hết thời gian trả lời (đến hết ngày {fmt_date(survey.closes_on)})."
    return ""


def _context(respondent: Respondent, progress: RespondProgress) -> dict[str, Any]:
    survey = respondent.survey
    return {
        "respondent": respondent,
        "survey": survey,
        "title": survey.definition.get("title") or str(survey),
        "organizer": survey.period_block.period.organizer,
        "progress": progress,
        "closes_on": survey.closes_on,
    }


def _done(
    request: HttpRequest, respondent: Respondent, progress: RespondProgress, **kw: Any
) -> HttpResponse:
    return render(request, "survey/respond/done.html", {**_context(respondent, progress), **kw})


@login_not_required
@rate_limit("survey", "RATE_LIMIT_SURVEY")
@require_http_methods(["GET", "POST"])
def respond_form(request: HttpRequest, token: str) -> HttpResponse:
    respondent = get_respondent_by_token(token)
    survey = respondent.survey
    progress = respond_progress(respondent)
    address, device, new_cookie = client_hashes(request)
    if progress.next is None:
        return _done(request, respondent, progress, thanks=True)
    reason = closed_reason(survey)
    if reason:
        return _done(request, respondent, progress, closed=reason)
    es = engine_survey(survey)
    link = progress.next
    started = ""
    if request.method == "POST":
        unit_id = int_param(request.POST.get("don_vi"))
        if unit_id != link.unit_id:
            # another tab answered it already: show where the respondent is now
            return redirect("survey_public:respond_form", token=token)
        form = AnswerForm(request.POST, survey=es, group=respondent.group)
        started = request.POST.get("bat_dau", "")
        error = ""
        if form.is_valid():
            try:
                response_submit(
                    survey=survey,
                    unit=link.unit,
                    group=respondent.group,
                    answers=form.answers(),
                    channel=Response.Channel.INVITATION,
                    started_at=started_at(started, respondent, link.unit_id),
                    address_hash=address,
                    device_hash=device,
                    respondent=respondent,
                )
            except DomainError as exc:
                if "đã được gửi" in exc.message:
                    return redirect("survey_public:respond_form", token=token)
                error = exc.message
            else:
                if progress.answered + 1 >= progress.total:
                    return _set_device(
                        redirect("survey_public:respond_thanks", token=token), new_cookie
                    )
                return _set_device(redirect("survey_public:respond_form", token=token), new_cookie)
        status = 400
        if not error:
            error = "Còn câu chưa trả lời: xin chọn một phương án cho mỗi câu được đánh dấu."
    else:
        respondent_opened(respondent=respondent, address_hash=address)
        form = AnswerForm(
            survey=es, group=respondent.group, cache_key=(survey.pk, survey.updated_at)
        )
        error = ""
        status = 200
    if not started or started_at(started, respondent, link.unit_id) is None:
        started = started_token(respondent, link.unit_id)
    response = render(
        request,
        "survey/respond/form.html",
        {
            **_context(respondent, progress),
            "form": form,
            "unit": link.unit,
            "started": started,
            "error": error,
            "first": progress.answered == 0,
        },
        status=status,
    )
    return _set_device(response, new_cookie)


@login_not_required
@rate_limit("survey", "RATE_LIMIT_SURVEY")
@require_GET
def respond_thanks(request: HttpRequest, token: str) -> HttpResponse:
    respondent = get_respondent_by_token(token)
    progress = respond_progress(respondent)
    if progress.next is not None:
        return redirect("survey_public:respond_form", token=token)
    return _done(request, respondent, progress, thanks=True)
