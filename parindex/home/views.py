from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from parindex.accounts.access import roles_for
from parindex.appeals.selectors import appeals_waiting
from parindex.appraisal.selectors.home import council_waiting
from parindex.home.selectors import organizer_period_cards
from parindex.notify.selectors import home_waiting
from parindex.ops.selectors import worker_alert
from parindex.survey.selectors.home import enumerator_waiting, unit_survey_waiting


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what each of the user's roles can do now."""
    roles = roles_for(request)
    cards = organizer_period_cards(request.user) if roles.is_organizer_admin else []
    waiting = home_waiting(roles)
    for role, items in (
        ("council", council_waiting(request.user)),
        ("survey", unit_survey_waiting(request.user)),
        ("enumerator", enumerator_waiting(request.user)),
        ("appeals", appeals_waiting(roles)),
    ):
        if items:
            waiting[role] = items
    return render(
        request,
        "common/home.html",
        {
            "roles": roles,
            "period_cards": cards,
            "waiting": waiting,
            "worker_alert": worker_alert() if roles.is_organizer_admin else None,
        },
    )
