"""Ask for an export and queue its task after commit (a rolled-back request queues nothing)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from parindex.documents.models import ExportJob
from parindex.documents.services import export_request
from parindex.documents.tasks import export_build
from parindex.periods.models import Period


def export_queue(*, actor: Any, period: Period, kind: str, fmt: str) -> ExportJob:
    job = export_request(actor=actor, period=period, kind=kind, fmt=fmt)
    pk = job.pk
    transaction.on_commit(lambda: export_build.enqueue(pk))
    return job
