"""Who reaches the official documents of a period and the export jobs.

- the documents (report, draft decision, workbook) and the export page:
  ``get_period_for_documents`` — the period's organizer admin, an organizer above it (read, as
  the results page), and the chair of the period's council (read); everyone else 404;
- one export job: ``get_job_for_user`` — the person who asked for it only, while they still
  reach its period; everyone else 404 (another officer of the same unit, the organizer
  admin for someone else's job included).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from parindex.appraisal.access import get_period_for_council
from parindex.documents.models import ExportJob
from parindex.periods.models import Period
from parindex.results.access import get_period_for_results


def get_period_for_documents(user: Any, pk: int) -> Period:
    try:
        return get_period_for_results(user, pk)
    except Http404:
        period = get_period_for_council(user, pk, chair=True)
        period.can_change = False  # type: ignore[attr-defined]
        return period


def get_job_for_user(user: Any, pk: int) -> ExportJob:
    job = (
        ExportJob.objects.select_related("period")
        .filter(pk=pk, requested_by_id=getattr(user, "pk", None))
        .first()
    )
    if job is None:
        raise Http404("Không tìm thấy tệp xuất.")
    get_period_for_documents(user, job.period_id)
    return job
