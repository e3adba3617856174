"""What the account pages share: responses that must not be cached, the password rule shown."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def min_password_length() -> int:
    for v in settings.AUTH_PASSWORD_VALIDATORS:
        if v["NAME"].endswith("MinimumLengthValidator"):
            return int(v.get("OPTIONS", {}).get("min_length", 8))
    return 8
