"""The upload limit, shared by the pages that offer an upload and the service that takes it."""

from __future__ import annotations

from django.conf import settings


def max_upload_bytes() -> int:
    """``MAX_UPLOAD_MB`` (default 20) in bytes."""
    return int(getattr(settings, "MAX_UPLOAD_MB", 20)) * 1024 * 1024
