"""Strict little parsers for settings read from environment variables.

A typo fails at start-up with ImproperlyConfigured instead of silently meaning something else.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """Read NAME_FILE (a Docker/systemd secret file) first, then NAME."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {exc}") from exc
    return os.environ.get(name, default)


def redis_queue_url(url: str, queue_db: str = "") -> str:
    """The task queue's Redis URL, from the cache's ``REDIS_URL``: the same server, another
    database (``queue_db``, REDIS_QUEUE_DB, or the cache's number + 1; 0 → 1), and a
    connect timeout of 1 s and a read timeout of 2 s unless the URL sets its own.

    >>> redis_queue_url("redis://127.0.0.1:6379/0")
    'redis://127.0.0.1:6379/1?socket_connect_timeout=1&socket_timeout=2'
    """
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    cache_db = query.pop("db", None) or parts.path.strip("/") or "0"
    if not cache_db.isdigit():
        raise ImproperlyConfigured(
            f"REDIS_URL: database number must be an integer, got {cache_db!r}"
        )
    if queue_db:
        if not queue_db.isdigit():
            raise ImproperlyConfigured(f"REDIS_QUEUE_DB must be an integer, got {queue_db!r}")
        db = int(queue_db)
    else:
        db = int(cache_db) + 1
    if str(db) == cache_db:
        raise ImproperlyConfigured("REDIS_QUEUE_DB must differ from REDIS_URL's database")
    query.setdefault("socket_connect_timeout", "1")
    query.setdefault("socket_timeout", "2")
    return urlunsplit(parts._replace(path=f"/{db}", query=urlencode(query)))
