"""Rate limits of the API: ninja throttles over the shared limiter (parindex.common.ratelimit,
a fixed window counted in the default cache).

- with a token: ``API_RATE_TOKEN`` per token (default 120 requests a minute, 10,000 a day);
- without one (the public results): ``API_RATE_ANON``
  per client address (default 60 a minute), the address the login throttle reads
  (``parindex.common.ratelimit.client_ip``: X-Forwarded-For only behind our proxy).

Over the limit: 429 with ``Retry-After``. The rates are read from the settings on each
request (a test or an operator may change them), in the form ``N/s|min|hour|day``; several
separated by commas all apply. Thread-safe: nothing of a request is kept on the shared
throttle objects between ``allow_request`` and ``wait``, but in a thread-local.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from parindex.common.ratelimit import client_key, hit, parse_rates

DEFAULT_TOKEN_RATE = "120/min,10000/day"  # noqa: S105 - a rate, not a secret
DEFAULT_ANON_RATE = "60/min"


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
        self._local.wait = hit(f"api:{self.scope}", ident, self.rates())
        return self._local.wait is None

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
        return client_key(request)  # the login throttle's address (behind the proxy too)
