"""The notices an organizer sends by hand from the progress page. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from parindex.assessments.views.periods import progress_url
from parindex.common.errors import DomainError
from parindex.notify.dispatch import reminders_request
from parindex.notify.forms import RemindForm
from parindex.periods.access import get_period_for_user, request_roles


@require_POST
def period_progress_remind(request: HttpRequest, pk: int) -> HttpResponse:
    request_roles(request)
    period = get_period_for_user(request.user, pk, write=True)
    back = progress_url(period.pk, request.POST.get("qs", ""))
    form = RemindForm(request.POST, period=period)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        queued, skipped = reminders_request(
            actor=request.user, period=period, assessments=list(form.cleaned_data["assessments"])
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if queued:
        messages.success(
            request,
            f"Đã gửi nhắc nhở (qua thư điện tử) đến {len(queued)} đơn vị: "
            + ", ".join(a.unit.name for a in queued)
            + ".",
        )
    if skipped:
        messages.warning(request, "Không gửi cho: " + " ".join(skipped))
    return redirect(back)
