from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parindex.accounts.access import require_organizer_admin


def framework_list(request: HttpRequest) -> HttpResponse:
    require_organizer_admin(request.user)
    return render(request, "frameworks/list.html", {})
