"""The one rate limiter of the requests anyone may send without logging in: the survey's
invitation link and public link (QR), the public results (/cong-khai/) and the API
(/api/v1/, by token or by address).

A fixed window per (scope, client, window length), counted in the default cache with the
atomic ``add``/``incr`` (Redis in production: shared by every gunicorn worker; the local
memory cache of a single process otherwise). A rate is ``N/s|min|hour|day``; several
separated by commas all apply (``60/min,600/hour``). Over a limit: ``hit`` answers the
seconds until the window ends (the Retry-After), and the request is refused — a page
``429.html`` in Vietnamese, or the API's JSON. A fixed window may let up to twice the rate
through around a window's end; that is the price of a counter with no read-modify-write.

The client is its address (``client_ip``: REMOTE_ADDR, or behind our own HTTPS proxy —
BEHIND_HTTPS_PROXY — the last X-Forwarded-For entry, the one our proxy appended: a client
cannot forge it), stored only as a hash.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

PERIODS = {"s": 1, "sec": 1, "min": 60, "m": 60, "hour": 3600, "h": 3600, "day": 86400, "d": 86400}


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address. Behind our own HTTPS proxy (BEHIND_HTTPS_PROXY) the proxy appends
    the real address as the last X-Forwarded-For entry; otherwise REMOTE_ADDR."""
    if request is None:
        return None
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def client_key(request: HttpRequest) -> str:
    """The client's address as a short hash (the cache never holds an address)."""
    return hashlib.sha256((client_ip(request) or "").encode()).hexdigest()[:32]


def parse_rates(text: str) -> list[tuple[int, int]]:
    """``120/min,10000/day`` -> [(120, 60), (10000, 86400)]; ValueError on anything else."""
    out = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        count, _, period = part.partition("/")
        if period.strip() not in PERIODS or int(count) < 1:
            raise ValueError(f"bad rate {part!r}")
        out.append((int(count), PERIODS[period.strip()]))
    return out


def hit(scope: str, ident: str, rates: list[tuple[int, int]]) -> int | None:
    """Count one request of ``ident`` in ``scope`` against every rate. None: allowed; else the
    whole seconds until the fullest window ends (at least 1)."""
    now = time.time()
    retry: int | None = None
    for count, seconds in rates:
        window = int(now // seconds)
        key = f"rl:{scope}:{seconds}:{window}:{ident}"
        if cache.add(key, 1, seconds + 1):
            used = 1
        else:
            try:
                used = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, seconds + 1)
                used = 1
        if used > count:
            wait = max(1, int((window + 1) * seconds - now + 0.999))
            retry = max(retry or 0, wait)
    return retry


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429 in Vietnamese, with Retry-After."""
    body = render_to_string("429.html", {"retry_after": retry_after}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limit(scope: str, setting: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator: every request of a client (by address) counts against
    ``settings.<setting>`` (a rate text, read at each request) in ``scope``; over it, 429."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            rates = parse_rates(str(getattr(settings, setting)))
            retry = hit(scope, client_key(request), rates)
            if retry is not None:
                return too_many_requests(request, retry)
            return view(request, *args, **kwargs)

        limited.rate_limit_scope = scope  # type: ignore[attr-defined]
        return limited

    return decorator
