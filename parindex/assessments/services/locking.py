"""What the writes on assessments share: the row locks (the assessment before its entry), who
may act, the stored precision of scores and the errors a save answers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from parindex.accounts.models import Unit
from parindex.assessments import workflow
from parindex.assessments.access import actor_kinds
from parindex.assessments.models import Assessment, Entry
from parindex.common.errors import DomainError
from parindex.engine import Node as EngineNode
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.models import Period

ZERO = Decimal(0)


# Entry scores are stored with 6 decimal places (models.score_field); the engine's exact
# result is rounded half up to that precision when saved (2/3 of a point -> 0.666667).
STORED = Decimal("0.000001")


def _stored(points: Decimal | None) -> Decimal | None:
    if points is None:
        return None
    rounded = points.quantize(STORED, rounding=ROUND_HALF_UP)
    return points if rounded == points else rounded


ENTRY_FIELDS = ["value", "value2", "explanation", "self_score", "not_applicable"]


RELATIONS = ["assessment", "node", "contributor", "updated_by"]


class EntryConflict(DomainError):
    """The entry changed since the version the caller read (someone else saved first)."""


class EntryLocked(DomainError):
    """The unit may no longer change its self-assessment (status, deadline, closed period)."""


# ---------------------------------------------------------------- helpers


def _engine_node(entry: Entry) -> EngineNode:
    """The entry's leaf as the scoring engine sees it."""
    return framework_to_engine(entry.assessment.framework).node(entry.node.code)


def _require_kind(actor: Any, assessment: Assessment, allowed: set[str], what: str) -> None:
    if actor is None:
        return
    kinds = actor_kinds(actor, assessment)
    if not kinds & allowed:
        who = " hoặc ".join(workflow.ACTOR_LABELS[k] for k in sorted(allowed))
        raise DomainError(f"Chỉ {who} mới được {what}.")


LOCK_RELATED = (
    "node",
    "assessment",
    "assessment__framework",
    "assessment__unit",
    "assessment__period",
    "assessment__period__organizer",
    "assessment__period__organizer__admin_root",
)


def _lock_entry(entry: Entry) -> Entry:
    """The entry locked for update, with its node and a fresh assessment row (status, totals,
    deadline), its period (organizer, calendar), unit and framework.

    When the caller's entry comes from the access helper of this request, the node, period,
    unit and framework it loaded are reused: the locking query then joins 2 tables instead of
    8, whose planning alone costs PostgreSQL a few milliseconds on every autosave."""
    # The assessment row first: its totals are rewritten after the entry (see the notes).
    list(
        Assessment.objects.select_for_update(of=("self",))
        .filter(pk=entry.assessment_id)
        .order_by()  # the default ordering would join the unit (and sort one row)
        .values_list("pk", flat=True)
    )
    rows = Entry.objects.select_for_update(of=("self",))
    full = rows.select_related(*LOCK_RELATED).prefetch_related("assessment__period__phases")
    known = _loaded_assessment(entry)
    if known is None:
        return full.get(pk=entry.pk)
    node = entry.node if Entry.node.is_cached(entry) else None
    locked = rows.select_related("assessment", *(() if node else ("node",))).get(pk=entry.pk)
    assessment = locked.assessment
    if assessment.pk != known.pk or assessment.period_id != known.period_id:
        return full.get(pk=entry.pk)
    if node is not None:  # a leaf's node does not change under an assessment
        if locked.node_id != node.pk:
            return full.get(pk=entry.pk)
        locked.node = node
    assessment.period = known.period
    assessment.unit = known.unit
    assessment.framework = known.framework
    return locked


def _loaded_assessment(entry: Entry) -> Assessment | None:
    """The entry's assessment if it was loaded with its period (organizer and its area root,
    calendar), unit and framework, as ``access.get_entry_for_user`` does; else None."""
    if not Entry.assessment.is_cached(entry):
        return None
    assessment = entry.assessment
    if not all(
        getattr(Assessment, name).is_cached(assessment) for name in ("period", "unit", "framework")
    ):
        return None
    period = assessment.period
    if not Period.organizer.is_cached(period) or not Unit.admin_root.is_cached(period.organizer):
        return None
    if "phases" not in getattr(period, "_prefetched_objects_cache", {}):
        return None
    return assessment


def _lock_assessment(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related(
            "period", "period__organizer", "period__organizer__admin_root", "unit", "framework"
        )
        .get(pk=assessment.pk)
    )
