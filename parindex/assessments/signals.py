"""Signals of the assessments app, for the apps above it (notify, later appraisal, results):
they subscribe here, so assessments never imports them.

``assessment_status_changed`` is sent once the transaction of ``assessment_transition`` has
committed (never for a step that was rolled back), with ``sender=Assessment`` and the keyword
arguments ``assessment_id``, ``old_status``, ``new_status``, ``actor_id`` (None for the
system) and ``note`` (the reason or comment typed with the step, may be empty).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.dispatch import Signal

assessment_status_changed = Signal()

_muted: ContextVar[bool] = ContextVar("assessment_signals_muted", default=False)


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """Steps taken inside send no signal (the demo's past periods: last year's notices are
    not queued now). Checked when the step is taken, not when its transaction commits."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()
