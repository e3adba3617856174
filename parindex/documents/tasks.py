"""Background tasks (django-tasks) of the documents: queued after commit by
``services.export_request``."""

from __future__ import annotations

from django_tasks import task

from parindex.documents import services


@task()
def export_build(job_id: int) -> str:
    """Build one export job's file; returns its status."""
    job = services.export_run(job_id)
    return job.status if job is not None else "skipped"
