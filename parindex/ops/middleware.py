"""One log line per request (logger ``parindex.request``) and an ``X-Request-ID`` header.

The line carries the method, the path (never the query string: a link may carry a token
there; a path segment the URLconf names like a token is replaced by ``***``), the status, the
duration in ms, the user's id and the request id. The request id is the incoming
``X-Request-ID`` when it looks safe (8–64 of ``A-Z a-z 0-9 . _ -``: a proxy's id, so the
proxy's log and ours match), otherwise a new random one; every record logged while the request
runs carries it (parindex.ops.logs.RequestContextFilter).

Successful probes (``/healthz``, ``/metrics``, polled every few seconds) are logged at DEBUG,
so they do not drown the INFO log.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from parindex.ops.logs import loggable_path, request_id_var

logger = logging.getLogger("parindex.request")

SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
PROBE_PATHS = frozenset({"/healthz", "/metrics"})


def request_id_from(request: HttpRequest) -> str:
    incoming = request.headers.get("X-Request-ID", "")
    if SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - start) * 1000, 1)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
            path = loggable_path(request)
            status = response.status_code
            level = logging.DEBUG if path in PROBE_PATHS and status < 400 else logging.INFO
            logger.log(
                level,
                "%s %s %s %.1fms user=%s",
                request.method,
                path,
                status,
                duration_ms,
                user_id if user_id is not None else "-",
                extra={
                    "method": request.method,
                    "path": path,
                    "status": status,
                    "duration_ms": duration_ms,
                    "user_id": user_id,
                },
            )
            return response
        finally:
            request_id_var.reset(token)
