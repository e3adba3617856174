from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parindex.accounts.access import require_organizer_admin, units_in_admin_scope


def unit_list(request: HttpRequest) -> HttpResponse:
    require_organizer_admin(request.user)
    units = units_in_admin_scope(request.user).select_related("parent", "block")
    return render(request, "accounts/unit_list.html", {"units": units})


def user_list(request: HttpRequest) -> HttpResponse:
    require_organizer_admin(request.user)
    return render(request, "accounts/user_list.html", {})
