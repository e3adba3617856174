"""Rate limits of the API (ninja throttles, counted in the default cache).

- with a token: ``API_RATE_TOKEN`` per token (default 120 requests a minute, 10,000 a day);
- without one (the public results): ``API_RATE_ANON``
  per client address (default 60 a minute), the address the login throttle reads
  (``accounts.backends.client_ip``: X-Forwarded-For only behind the configured proxy).

Over the limit: 429 with ``Retry-After``. The rates are read from the settings on each
request (a test or an operator may change them), in the form ``N/s|min|hour|day``; several
separated by commas all apply. Thread-safe: nothing of a request is kept on the shared
throttle objects between ``allow_request`` and ``wait``, but in a thread-local.
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from parindex.accounts.backends import client_ip

DEFAULT_TOKEN_RATE = "120/min,10000/day"  # noqa: S105 - a rate, not a secret
DEFAULT_ANON_RATE = "60/min"
PERIODS = {"s": 1, "sec": 1, "min": 60, "m": 60, "hour": 3600, "h": 3600, "day": 86400, "d": 86400}


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


class _Limit(BaseThrottle):
    scope = ""
    setting = ""
    default = ""

    def __init__(self) -> None:
        self._local = threading.local()

    def rates(self) -> list[tuple[int, int]]:
        return parse_rates(str(getattr(settings, self.setting, self.default)))

    def ident(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.wait = None
        ident = self.ident(request)
        if ident is None:
            return True
        now = time.time()
        allowed = True
        for count, seconds in self.rates():
            key = f"api_throttle:{self.scope}:{seconds}:{ident}"
            history: list[float] = [t for t in cache.get(key, []) if t > now - seconds]
            if len(history) >= count:
                allowed = False
                wait = seconds - (now - min(history))
                self._local.wait = max(self._local.wait or 0, wait)
            else:
                history.append(now)
            cache.set(key, history, seconds)
        return allowed

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


class TokenRateThrottle(_Limit):
    scope = "token"
    setting = "API_RATE_TOKEN"
    default = DEFAULT_TOKEN_RATE

    def ident(self, request: HttpRequest) -> str | None:
        token: Any = getattr(request, "auth", None)
        return None if token is None else f"t{token.pk}"


class AnonRateThrottle(_Limit):
    scope = "anon"
    setting = "API_RATE_ANON"
    default = DEFAULT_ANON_RATE

    def ident(self, request: HttpRequest) -> str | None:
        if getattr(request, "auth", None) is not None:
            return None
        addr = client_ip(request) or ""  # the login throttle's address (behind the proxy too)
        return hashlib.sha256(addr.encode()).hexdigest()[:32]
