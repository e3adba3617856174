"""The units a survey rates (the public link/QR list, the poster, the paper-form entry)."""

from __future__ import annotations

from django.db.models import QuerySet

from parindex.accounts.models import Unit
from parindex.assessments.models import Assessment
from parindex.survey.models import Survey


def survey_units(survey: Survey) -> QuerySet[Unit]:
    """The units of the survey's block taking part in its period, by code."""
    pb = survey.period_block
    return (
        Unit.objects.filter(block_id=pb.block_id)
        .filter(pk__in=Assessment.objects.filter(period_id=pb.period_id).values("unit_id"))
        .order_by("code")
    )


def survey_unit(survey: Survey, code: str) -> Unit | None:
    return survey_units(survey).filter(code=code).first()
