"""Project-wide error views (``handler500`` in ``parindex/urls.py``)."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

#: seconds a client is told to wait before trying again
RETRY_AFTER = 30


def database_unavailable_text(exc: BaseException) -> str:
    """What the user is told when the database refused a request (restarting, unreachable,
    its disk full): nothing was saved, try again."""
    detail = str(exc)
    if "No space left" in detail or type(exc.__cause__).__name__ == "DiskFull":
        why = "máy chủ cơ sở dữ liệu đã hết dung lượng lưu trữ"
    else:
        why = "cơ sở dữ liệu tạm thời không trả lời (đang khởi động lại hoặc mất kết nối)"
    return (
        f"Hệ thống tạm thời không ghi được dữ liệu: {why}. Thay đổi vừa rồi CHƯA được lưu; "
        "dữ liệu đã lưu trước đó không bị ảnh hưởng. Hãy thử lại sau ít phút."
    )


def _wants_json(request: HttpRequest) -> bool:
    return (
        "application/json" in request.headers.get("Accept", "")
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or request.path.startswith("/api/")
    )


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """Django's 500 page, except when the database failed the request: then a 503 naming it,
    with Retry-After (the autosave and the upload retry a 5xx; a JSON caller gets
    ``{"error": …}``, what they show). Renders without the database."""
    exc = sys.exc_info()[1]
    if not isinstance(exc, OperationalError | InterfaceError):
        return django_server_error(request, template_name)
    text = database_unavailable_text(exc)
    response: HttpResponse
    if _wants_json(request):
        response = JsonResponse({"error": text, "retry_after": RETRY_AFTER}, status=503)
    else:
        body = loader.get_template("503.html").render({"text": text})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response
