from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from parindex.accounts.access import roles_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what each of the user's roles can do now."""
    roles = roles_for(request)
    return render(request, "common/home.html", {"roles": roles})


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"ok": True})
