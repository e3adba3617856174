"""Reads on periods, with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from parindex.accounts.models import Unit
from parindex.assessments.models import Assessment, Entry
from parindex.assessments.workflow import SUBMITTED_OR_LATER
from parindex.frameworks.models import Framework
from parindex.periods.access import user_roles
from parindex.periods.calendar import current_phase, timeline
from parindex.periods.models import Period, PeriodBlock

# Re-exported so callers find the calendar reads here too.
__all__ = [
    "current_phase",
    "period_detail",
    "period_list_for_user",
    "block_framework_choices",
]


def period_list_for_user(user: Any) -> list[Period]:
    """The periods of the organizers the user administers, newest first (4 queries + roles)."""
    roles = user_roles(user)
    qs: QuerySet[Period] = Period.objects.all()
    if not roles.is_system_admin:
        qs = qs.filter(organizer__in=[u.pk for u in roles.organizer_units])
    periods = list(
        qs.select_related("organizer")
        .prefetch_related(
            "phases",
            Prefetch("blocks", queryset=PeriodBlock.objects.select_related("block", "framework")),
        )
        .annotate(
            n_units=Count("assessments", distinct=True),
            n_submitted=Count(
                "assessments",
                filter=Q(assessments__status__in=list(SUBMITTED_OR_LATER)),
                distinct=True,
            ),
        )
        .order_by("-year", "organizer__name", "name")
    )
    for period in periods:
        period.phase = current_phase(period)  # type: ignore[attr-defined]
    return periods


@dataclass
class BlockRow:
    period_block: PeriodBlock
    assessments: list[Assessment] = field(default_factory=list)
    candidates: list[Unit] = field(default_factory=list)

    @property
    def n_submitted(self) -> int:
        return sum(1 for a in self.assessments if a.status in SUBMITTED_OR_LATER)


def period_detail(period: Period, today: dt.date | None = None) -> dict[str, Any]:
    """Calendar, blocks with their units, and the units that could still be added (4 queries).

    ``period`` comes from the access helper (organizer, admin_root and phases loaded).
    """
    period_blocks = list(period.blocks.select_related("block", "framework"))
    rows = {pb.block_id: BlockRow(pb) for pb in period_blocks}
    has_data = Entry.objects.filter(assessment=OuterRef("pk")).exclude(
        value="",
        value2="",
        explanation="",
        not_applicable=False,
        self_score=None,
        round1_score=None,
        round2_score=None,
        survey_score=None,
    )
    assessments = (
        Assessment.objects.filter(period=period)
        .select_related("unit")
        .annotate(has_data=Exists(has_data))
        .order_by("unit__position", "unit__name")
    )
    taken: set[int] = set()
    for a in assessments:
        taken.add(a.unit_id)
        row = rows.get(a.unit.block_id) if a.unit.block_id else None
        if row is None:  # the unit changed block since it was added: show it under its framework
            row = next(
                (r for r in rows.values() if r.period_block.framework_id == a.framework_id), None
            )
        if row is not None:
            row.assessments.append(a)
    root = period.organizer.admin_root
    if root is not None and rows:
        candidates = (
            Unit.objects.filter(
                Q(path__startswith=root.path) | Q(pk=root.pk),
                is_active=True,
                block_id__in=list(rows),
            )
            .exclude(pk__in=taken)
            .order_by("position", "name")
        )
        for unit in candidates:
            assert unit.block_id is not None
            rows[unit.block_id].candidates.append(unit)
    return {
        "timeline": timeline(period, today),
        "blocks": list(rows.values()),
        "n_units": len(taken),
    }


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
