"""Response headers Django has no setting for."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class PermissionsPolicyMiddleware:
    """``Permissions-Policy: settings.PERMISSIONS_POLICY`` on every response (the browser
    features no page of parindex uses: camera, microphone, geolocation…), unless a view set
    its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


class PrivatePagesNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user that set no
    Cache-Control of its own (ASVS 8.1.1): a unit's scores, evidence and the council's notes
    are never kept by a shared proxy or left in the browser's cache after sign-out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            "Cache-Control" not in response
            and user is not None
            and getattr(user, "is_authenticated", False)
        ):
            response["Cache-Control"] = "private, no-store"
        return response
