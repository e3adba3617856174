"""The public pages' cache (Django's cache framework).

A page's key holds the latest publication's pk (``stamp``: any publication, any period —
publishing is a few events a year), the language and the path; a new publication or version
gets a new pk, so every process (gunicorn workers with their local memory cache) stops
reading the old pages at once. The keys written are also listed per period and deleted on
publish (``public_cache_clear``), so a shared cache (Redis) drops them too.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

TIMEOUT = 24 * 3600
INDEX_KEY = "pub:keys"


def page_key(stamp: int, lang: str, path: str) -> str:
    digest = hashlib.sha256(path.encode("utf-8")).hexdigest()[:32]
    return f"pub:page:{stamp}:{lang}:{digest}"


def remember(key: str) -> None:
    keys: list[str] = cache.get(INDEX_KEY) or []
    if key not in keys:
        keys.append(key)
        cache.set(INDEX_KEY, keys[-2000:], TIMEOUT)


def public_cache_clear() -> None:
    """Drop every public page written so far (called on commit of a publication)."""
    keys: list[str] = cache.get(INDEX_KEY) or []
    if keys:
        cache.delete_many(keys)
    cache.delete(INDEX_KEY)
