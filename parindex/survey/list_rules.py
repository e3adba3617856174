"""When a unit may still send or replace its respondent list — the one rule the list
service, the unit's page and the organizer's page use (no imports of services or
selectors, so both can import it)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from parindex.accounts.models import Unit
from parindex.periods.calendar import fmt_date
from parindex.survey.models import ListReview, Survey


def list_closed_reason(
    survey: Survey, unit: Unit, review: ListReview | None, today: dt.date | None = None
) -> str:
    """Why ``unit`` can no longer send or replace its list ("" while it can): the survey is
    over, the organizer locked the list, or the list deadline passed (unless the organizer
    reopened the list until a day not yet past)."""
    organizer = survey.period_block.period.organizer.name
    if survey.status == Survey.Status.CLOSED or survey.frozen_at is not None:
        return "Cuộc khảo sát đã kết thúc: danh sách chỉ còn xem."
    if review is not None and review.locked_at is not None:
        return (
            f"{organizer} đã rà soát và khóa danh sách của {unit.name} ngày "
            f"{fmt_date(timezone.localdate(review.locked_at))}: liên hệ {organizer} nếu cần sửa."
        )
    today = today or timezone.localdate()
    if review is not None and review.reopened_until is not None and today <= review.reopened_until:
        return ""
    due = survey.lists_due_on
    if due is not None and today > due:
        return f"Đã quá hạn gửi danh sách ({fmt_date(due)}): liên hệ {organizer} nếu cần sửa."
    return ""
