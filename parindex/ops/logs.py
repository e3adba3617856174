"""Logging helpers: the request id on every record, secrets scrubbed, JSON lines on demand.

``LOG_FORMAT=json`` (settings) formats every record as one JSON object per line for a log
collector; the default stays plain text for a person reading a terminal or journalctl. This is
a 20-line formatter of our own rather than python-json-logger: the fields are fixed (no
``extra`` dump that could carry a request object or a form's data into the log), and it is one
dependency less to keep up to date on an offline server.

Imported by the LOGGING dict before the apps are loaded: no model imports here.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
from typing import Any

# The current request's id (set by parindex.ops.middleware), "-" outside a request.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# key=value, key: value and "key": "value" pairs whose key names a secret; bearer tokens;
# the password part of a URL (postgres://user:secret@host, redis://:secret@host).
_SECRET_KEYS = r"(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|sessionid|csrftoken|authorization)"  # noqa: S105 - a pattern, not a password
_SCRUB = [
    (re.compile(r"(?i)\b(bearer|token|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 ***"),
    (
        re.compile(
            rf"(?i)(['\"]?\b\w*{_SECRET_KEYS}\w*['\"]?\s*[=:]\s*['\"]?)(?!\*\*\*)[^\s'\",&;)]+"
        ),
        r"\1***",
    ),
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@]*:)[^\s@/]+@"), r"\1***@"),
]


SECRET_KWARG = re.compile(r"(?i)token|key|secret|password")


def loggable_path(request: Any) -> str:
    """The request's path (never its query string) with the values of secret-looking URL
    parameters (``/khao-sat/<token>/``) replaced by ``***``."""
    path = str(getattr(request, "path", ""))
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if SECRET_KWARG.search(name) and isinstance(value, str) and value:
                path = path.replace(value, "***")
    return path


def scrub(text: str) -> str:
    """The text with anything that looks like a password, a token or a key replaced by ***."""
    for pattern, repl in _SCRUB:
        text = pattern.sub(repl, text)
    return text


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` to every record (for the formats) and scrubs secrets from the
    message and its traceback. Attached to the handlers, so it sees every logger's records."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)  # django.request's records carry it
        if not hasattr(record, "request_id"):
            record.request_id = getattr(request, "request_id", None) or request_id_var.get()
        message = record.getMessage()
        cleaned = message
        if request is not None and getattr(request, "path", ""):
            cleaned = cleaned.replace(request.path, loggable_path(request))
        cleaned = scrub(cleaned)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


# The fields a request line carries (parindex.ops.middleware), copied into the JSON object.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, the
    request fields when present, and the traceback as ``exc``."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                out[name] = getattr(record, name)
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub(self.formatException(record.exc_info))
        if record.exc_text:
            out["exc"] = record.exc_text
        return json.dumps(out, ensure_ascii=False, default=str)
