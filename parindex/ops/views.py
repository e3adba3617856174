"""/healthz (anyone), /metrics (allowed addresses or a bearer token) and the worker's page
(organizer admins and the system admin)."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from parindex.accounts.access import require_organizer_admin
from parindex.ops.health import run_checks
from parindex.ops.selectors import worker_status


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database, the task queue and the file store answer, else 503 naming the
    failed parts. Each part's duration; counts and error kinds only with ``?full=1`` for a
    signed-in system admin (no secret is ever in the answer)."""
    full = request.GET.get("full") == "1" and request.user.is_superuser
    checks = run_checks(full=full)
    failed = [name for name, c in checks.items() if not c.ok]
    body = {
        "ok": not failed,
        "checks": {name: c.as_dict(full) for name, c in checks.items()},
    }
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=503 if failed else 200)


# --- /metrics ----------------------------------------------------------------------------

FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def metrics_allowed(request: HttpRequest) -> bool:
    """A bearer token equal to METRICS_TOKEN, or a direct connection from an address in
    METRICS_ALLOWED_IPS. A request that came through a proxy (a forwarding header: nginx in
    front of gunicorn connects from 127.0.0.1 for everyone) is judged by the token only."""
    token = getattr(settings, "METRICS_TOKEN", "")
    auth = request.headers.get("Authorization", "")
    if token and auth.startswith("Bearer "):
        return hmac.compare_digest(auth[7:].strip().encode(), token.encode())
    if any(h in request.META for h in FORWARDING_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    for allowed in getattr(settings, "METRICS_ALLOWED_IPS", []):
        try:
            if address in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False


@login_not_required
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format; 404 when METRICS is off, 403 to anyone not allowed."""
    if not getattr(settings, "METRICS", False):
        raise Http404
    if not metrics_allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    from parindex.ops.metrics import scrape_registry

    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)


# --- the worker's page -------------------------------------------------------------------


@require_GET
def worker(request: HttpRequest) -> HttpResponse:
    roles = require_organizer_admin(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "ops/worker.html",
        {"status": worker_status(), "roles": roles, "show_messages": roles.is_system_admin},
    )
