"""Small helpers for the frameworks tests."""

from parindex.accounts.models import Unit
from parindex.assessments.models import Assessment
from parindex.periods.models import Period, PeriodBlock


def lock(framework, unit: Unit):
    """Make the framework used: a period with its block and one unit's assessment."""
    period = Period.objects.create(
        organizer=framework.owner, year=framework.year, name=f"Đợt {framework.year}"
    )
    PeriodBlock.objects.create(period=period, block=framework.block, framework=framework)
    return Assessment.objects.create(period=period, unit=unit, framework=framework)
