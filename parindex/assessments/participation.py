"""The units taking part in a period: adding one creates its assessment, removing one deletes
it while nothing has been declared. Atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import prefetch_related_objects

from parindex.accounts.models import Unit
from parindex.assessments.models import Assessment, Entry, Status
from parindex.assessments.services import assessment_create
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.periods.models import Period
from parindex.periods.services import period_unit_problem, require_open, require_period_admin


@transaction.atomic
def period_add_units(*, actor: Any, period: Period, units: Iterable[Unit]) -> list[Assessment]:
    """Each unit takes part: an assessment with one entry per leaf of its block's framework."""
    require_period_admin(actor, period)
    require_open(period)
    prefetch_related_objects([period], "blocks__framework")
    units = list(units)
    if not units:
        raise DomainError("Chọn ít nhất một đơn vị.")
    existing = set(
        Assessment.objects.filter(period=period, unit__in=units).values_list("unit_id", flat=True)
    )
    problems = []
    for unit in units:
        if unit.pk in existing:
            problems.append(f"{unit.name} đã tham gia đợt đánh giá này.")
            continue
        problem = period_unit_problem(period, unit)
        if problem:
            problems.append(problem)
    if problems:
        raise DomainError(" ".join(problems), problems=problems)
    return [assessment_create(actor=actor, period=period, unit=unit) for unit in units]


def assessment_has_data(assessment: Assessment) -> bool:
    """Anything declared, scored or uploaded (the files through their reverse relation: the
    evidence app sits above this one)."""
    if assessment.evidence_files.exists():
        return True
    return (
        Entry.objects.filter(assessment=assessment)
        .exclude(
            value="",
            value2="",
            explanation="",
            not_applicable=False,
            self_score=None,
            round1_score=None,
            round2_score=None,
            survey_score=None,
        )
        .exists()
    )


@transaction.atomic
def period_remove_unit(
    *, actor: Any, period: Period, assessment: Assessment, reason: str = ""
) -> None:
    """Take a unit out of the period while it has declared nothing yet."""
    require_period_admin(actor, period)
    require_open(period)
    if assessment.period_id != period.pk:
        raise DomainError("Đơn vị này không tham gia đợt đánh giá.")
    if assessment.status != Status.DRAFT or assessment_has_data(assessment):
        raise DomainError(
            f"{assessment.unit.name} đã kê khai số liệu hoặc đã gửi: không thể rút khỏi đợt đánh giá."
        )
    audit_record(
        actor=actor,
        verb="period.remove_unit",
        obj=period,
        old={"unit": assessment.unit.code, "assessment": assessment.pk},
        reason=reason,
    )
    assessment.delete()
