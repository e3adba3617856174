"""Reads of a period alone (its blocks, the frameworks it may use), in a fixed number of
queries. Reads of a period with its assessments: parindex/assessments/period_selectors.py."""

from __future__ import annotations

from parindex.accounts.models import Unit
from parindex.frameworks.models import Framework
from parindex.periods.models import Period, PeriodBlock


def block_framework_choices(organizer: Unit) -> dict[int, list[Framework]]:
    """The organizer's frameworks that are not archived, by block (newest first, 1 query)."""
    out: dict[int, list[Framework]] = {}
    frameworks = (
        Framework.objects.filter(owner=organizer)
        .exclude(status=Framework.Status.ARCHIVED)
        .select_related("block")
        .order_by("block__position", "-year", "-version")
    )
    for fw in frameworks:
        out.setdefault(fw.block_id, []).append(fw)
    return out


def period_blocks(period: Period) -> list[PeriodBlock]:
    """The period's blocks with their block and framework (one query)."""
    return list(period.blocks.select_related("block", "framework").order_by("block__position"))
