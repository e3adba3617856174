"""The one rate limiter of the requests anyone may send without logging in: the survey's
invitation link and public link (QR), the public results (/cong-khai/) and the API
(/api/v1/, by token or by address).

A sliding-window counter per (scope, client, window length): one counter per fixed window in
the default cache, raised with the atomic ``add``/``incr`` (Redis in production: shared by
every gunicorn worker; the local-memory cache of a single process otherwise), and the
request allowed while ``previous window × the share of it still inside the last N seconds +
this window`` stays within the rate — no read-modify-write, and no burst of twice the rate
at a window's end as a plain fixed window would allow. Refused requests count too: a client
that keeps hammering stays refused. A rate is ``N/s|min|hour|day``; several separated by
commas all apply (``60/min,600/hour``). Over a limit: ``hit`` answers the seconds to wait
(the Retry-After), and the request is refused — a page ``429.html`` in Vietnamese, or the
API's JSON.

The client is its address (``client_ip``: REMOTE_ADDR, or behind our own HTTPS proxy —
BEHIND_HTTPS_PROXY — the last X-Forwarded-For entry, the one our proxy appended: a client
cannot forge it), stored only as a hash.
"""

from __future__ import annotations

import hashlib
import math
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


def _count(key: str, timeout: int) -> int:
    """Add one to the counter ``key`` (atomic in Redis and in the local-memory cache)."""
    if cache.add(key, 1, timeout):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1


def hit(scope: str, ident: str, rates: list[tuple[int, int]]) -> int | None:
    """Count one request of ``ident`` in ``scope`` against every rate. None: allowed; else the
    whole seconds to wait (at least 1) before the busiest rate allows one again."""
    now = time.time()
    retry: int | None = None
    for count, seconds in rates:
        window, elapsed = divmod(now, seconds)
        key = f"rl:{scope}:{seconds}:{ident}:"
        current = _count(key + str(int(window)), 2 * seconds + 1)
        previous = int(cache.get(key + str(int(window) - 1), 0))
        weight = 1 - elapsed / seconds
        if previous * weight + current <= count:
            continue
        if current >= count:  # this window alone is full: wait for its end
            wait = seconds - elapsed
        else:  # the previous window's share must shrink until one more fits
            wait = seconds * (1 - (count - current) / previous) - elapsed
        retry = max(retry or 0, max(1, math.ceil(wait)))
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
