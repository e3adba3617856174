"""Background tasks (django-tasks) of the survey points, queued after commit by
``receivers.py``.

- ``refresh_points(survey_id, changed_at)``: debounced — it computes only if the points
  were last computed (the moment that computation began reading) before ``changed_at``; a
  burst of 1,000 responses queues 1,000 tasks, the first computes, the others find the points
  newer than their change and return.
- ``freeze_period(period_id)``: the consolidation went to the chair: every survey of the
  period gets a last refresh and is frozen.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from parindex.common.errors import DomainError
from parindex.common.retry import db_retrying
from parindex.survey.access import SURVEY_RELATED
from parindex.survey.models import Survey
from parindex.survey.services.points import period_surveys_freeze, survey_points_refresh

FREEZE_REASON = "Tự động chốt khi trình kết quả tổng hợp lên Chủ tịch Hội đồng thẩm định."


@task()
@db_retrying
def refresh_points(survey_id: int, changed_at: str) -> bool:
    survey = Survey.objects.select_related(*SURVEY_RELATED).filter(pk=survey_id).first()
    if survey is None or survey.frozen_at is not None:
        return False
    changed = dt.datetime.fromisoformat(changed_at)
    if survey.points_computed_at is not None and survey.points_computed_at >= changed:
        return False
    try:
        survey_points_refresh(actor=None, survey=survey)
    except DomainError:  # frozen meanwhile, or answers the definition refuses: the page says
        return False
    return True


@task()
@db_retrying
def freeze_period(period_id: int) -> int:
    return len(period_surveys_freeze(actor=None, period_id=period_id, reason=FREEZE_REASON))
