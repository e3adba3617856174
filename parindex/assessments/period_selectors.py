"""Reads of periods with their assessments (the organizer's period pages), in a fixed number
of queries. The reads of a period alone are in parindex/periods/selectors.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from parindex.accounts.models import Unit
from parindex.assessments import scoring, workflow
from parindex.assessments.models import Assessment, Entry, Status
from parindex.assessments.workflow import APPRAISAL_STARTED, SUBMITTED_OR_LATER
from parindex.audit.models import AuditEvent
from parindex.frameworks.models import FrameworkNode
from parindex.periods.access import user_roles
from parindex.periods.calendar import current_phase, self_assessment_deadline, timeline
from parindex.periods.models import Period, PeriodBlock
from parindex.periods.selectors import period_blocks


def period_list_for_user(user: Any, *, supervised: bool = False) -> list[Period]:
    """The periods of the organizers the user administers, newest first (4 queries + roles).

    With ``supervised`` also the periods of the organizers inside the user's area (the
    districts' commune periods for the Sở Nội vụ), which the user may only read: each period
    gets ``supervised`` (True for those).
    """
    roles = user_roles(user)
    own = {u.pk for u in roles.organizer_units}
    qs: QuerySet[Period] = Period.objects.all()
    if not roles.is_system_admin:
        wanted = Q(organizer__in=own)
        if supervised:
            wanted |= roles.admin_scope_q("organizer__")
        qs = qs.filter(wanted)
    periods: list[Period] = list(
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
        supervised_here = not roles.is_system_admin and period.organizer_id not in own
        period.supervised = supervised_here  # type: ignore[attr-defined]
    return periods


@dataclass
class BlockRow:
    period_block: PeriodBlock
    assessments: list[Assessment] = field(default_factory=list)
    candidates: list[Unit] = field(default_factory=list)

    @property
    def n_submitted(self) -> int:
        return sum(1 for a in self.assessments if a.status in SUBMITTED_OR_LATER)


# Statuses whose index (Chỉ số) is final and shown on the period's page.
INDEX_SHOWN = frozenset({Status.FINALIZED})


def period_detail(period: Period, today: dt.date | None = None) -> dict[str, Any]:
    """Calendar, blocks with their units, and the units that could still be added (4 queries).

    ``period`` comes from the access helper (organizer, admin_root and phases loaded). Each
    assessment gets ``scores`` (the bridge's self and final stages, computed over the period:
    ``scoring.period_scores``), ``own_points`` and ``final_points`` from them, ``appraised``
    (the appraisal has started: its total after appraisal is shown) and ``index`` (Chỉ số, for
    the finalized ones; else None).
    """
    period_blocks = list(period.blocks.select_related("block", "framework"))
    rows = {pb.block_id: BlockRow(pb) for pb in period_blocks}
    assessments = list(
        Assessment.objects.filter(period=period)
        .select_related("unit", "framework")
        .order_by("unit__position", "unit__name")
    )
    data = scoring.entry_data(a.pk for a in assessments)
    scores = scoring.period_scores(assessments, data=data)
    taken: set[int] = set()
    for a in assessments:
        a.has_data = any(e.has_data for e in data.get(a.pk, []))  # type: ignore[attr-defined]
        a.scores = scores[a.pk]  # type: ignore[attr-defined]
        own, final = scores[a.pk][scoring.SELF], scores[a.pk][scoring.FINAL]
        a.own_points = own.points  # type: ignore[attr-defined]
        a.final_points = final.points
        a.appraised = a.status in APPRAISAL_STARTED  # type: ignore[attr-defined]
        a.index = final.index if a.status in INDEX_SHOWN else None  # type: ignore[attr-defined]
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
            assert unit.block_id is not None  # noqa: S101 - narrows the type for mypy: an invariant, not a check
            rows[unit.block_id].candidates.append(unit)
    return {
        "timeline": timeline(period, today),
        "blocks": list(rows.values()),
        "n_units": len(taken),
    }


# ---------------------------------------------------------------- self-assessment progress

# The status filter of the progress page: value -> (label, statuses; None = see below).
NOT_SUBMITTED = (Status.DRAFT, Status.PENDING_APPROVAL)
STATUS_FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "": ("Tất cả trạng thái", ()),
    "chua-gui": ("Chưa gửi (đang làm, chờ duyệt)", NOT_SUBMITTED),
    Status.DRAFT.value: (Status.DRAFT.label, (Status.DRAFT,)),
    Status.PENDING_APPROVAL.value: (Status.PENDING_APPROVAL.label, (Status.PENDING_APPROVAL,)),
    "da-gui": ("Đã gửi (kể cả đang thẩm định)", tuple(SUBMITTED_OR_LATER)),
    "qua-han": ("Quá hạn mà chưa gửi", NOT_SUBMITTED),
}
SORTS: dict[str, str] = {
    "": "Theo đơn vị",
    "pct": "% hoàn thành tăng dần",
    "-pct": "% hoàn thành giảm dần",
}


@dataclass
class Progress:
    """How far one unit is: self-scored leaves answered (a value or "Không áp dụng"),
    explanations, evidence files, leaves whose framework names evidence but that have
    neither a file nor an explanation, and the last change of an entry or a file."""

    total: int = 0
    answered: int = 0
    explained: int = 0
    evidence: int = 0
    missing_evidence: int = 0
    last_entry: dt.datetime | None = None
    last_upload: dt.datetime | None = None

    @property
    def percent(self) -> Decimal:
        if not self.total:
            return Decimal(0)
        return (Decimal(100) * self.answered / self.total).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def percent_int(self) -> int:
        return int(self.percent.to_integral_value(rounding=ROUND_HALF_UP))

    @property
    def last_activity(self) -> dt.datetime | None:
        times = [t for t in (self.last_entry, self.last_upload) if t is not None]
        return max(times) if times else None


def progress_counts(assessment_filter: Q) -> dict[int, Progress]:
    """Progress of every assessment matching ``assessment_filter`` (a Q on Entry's
    ``assessment__…`` / EvidenceFile's ``assessment__…``), by assessment id: 2 queries."""
    # The files through their reverse relations: the evidence app sits above this one.
    self_scored = Q(node__source=FrameworkNode.Source.SELF)
    has_file = Exists(Entry.objects.filter(pk=OuterRef("pk"), evidence_files__isnull=False))
    rows = (
        Entry.objects.filter(assessment_filter)
        .order_by()
        .values("assessment_id")
        .annotate(
            total=Count("pk", filter=self_scored),
            answered=Count("pk", filter=self_scored & (~Q(value="") | Q(not_applicable=True))),
            explained=Count("pk", filter=~Q(explanation="")),
            missing_evidence=Count(
                "pk",
                filter=self_scored
                & ~Q(node__evidence="")
                & Q(explanation="")
                & Q(not_applicable=False)
                & ~Q(has_file),
            ),
            # Entries are created untouched (version 0): their updated_at is not activity.
            last_entry=Max("updated_at", filter=Q(version__gt=0)),
        )
    )
    out: dict[int, Progress] = {}
    for row in rows:
        out[row["assessment_id"]] = Progress(
            total=row["total"],
            answered=row["answered"],
            explained=row["explained"],
            missing_evidence=row["missing_evidence"],
            last_entry=row["last_entry"],
        )
    files = (
        Entry.objects.filter(assessment_filter, evidence_files__isnull=False)
        .order_by()
        .values("assessment_id")
        .annotate(n=Count("evidence_files"), last=Max("evidence_files__uploaded_at"))
    )
    for row in files:
        progress = out.setdefault(row["assessment_id"], Progress())
        progress.evidence = row["n"]
        progress.last_upload = row["last"]
    return out


def assessment_progress(assessment: Assessment) -> Progress:
    """One unit's progress (2 queries)."""
    return progress_counts(Q(assessment_id=assessment.pk)).get(assessment.pk, Progress())


@dataclass
class ProgressRow:
    assessment: Assessment
    progress: Progress
    deadline: dt.datetime | None
    overdue: bool
    extension_reason: str = ""
    reopen_open: bool = True  # the workflow's window for "Mở lại để đơn vị sửa" (per period)

    @property
    def can_remind(self) -> bool:
        return self.assessment.status in NOT_SUBMITTED

    @property
    def can_reopen(self) -> bool:
        return self.assessment.status == Status.SUBMITTED and self.reopen_open


def period_progress(
    period: Period,
    *,
    blocks: list[PeriodBlock] | None = None,
    block: int | None = None,
    status: str = "",
    sort: str = "",
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The organizer's progress table of a period (4 queries whatever the number of units,
    5 when a unit has an extension; plus ``period_blocks`` unless ``blocks`` is given).

    ``period`` comes from the access helper (organizer and phases loaded)."""
    now = now or timezone.now()
    if blocks is None:
        blocks = period_blocks(period)
    qs = (
        Assessment.objects.filter(period=period)
        .select_related("unit", "unit__block")
        .order_by("unit__block__position", "unit__position", "unit__name")
    )
    if block:
        qs = qs.filter(unit__block_id=block)
    statuses = STATUS_FILTERS.get(status, STATUS_FILTERS[""])[1]
    if statuses:
        qs = qs.filter(status__in=statuses)
    assessments = list(qs)
    counts = progress_counts(Q(assessment__period=period))
    extended = [a.pk for a in assessments if a.deadline_override is not None]
    reasons: dict[str, str] = {}
    if extended:
        events = (
            AuditEvent.objects.filter(
                verb="assessment.extend_deadline",
                object_type=Assessment._meta.label_lower,
                object_id__in=[str(pk) for pk in extended],
            )
            .order_by("at", "id")
            .values_list("object_id", "reason")
        )
        reasons = dict(events)  # the latest extension's reason wins
    reopen = workflow.find_transition(Status.SUBMITTED, Status.DRAFT)
    reopen_open = True
    rows: list[ProgressRow] = []
    for a in assessments:
        a.period = period  # already loaded: no query
        if reopen is not None and not rows:  # the window depends on the period only
            reopen_open = workflow.when_reason(a, reopen, now=now) is None
        deadline = self_assessment_deadline(period, a)
        overdue = deadline is not None and now > deadline and a.status in NOT_SUBMITTED
        rows.append(
            ProgressRow(
                assessment=a,
                progress=counts.get(a.pk, Progress()),
                deadline=deadline,
                overdue=overdue,
                extension_reason=reasons.get(str(a.pk), ""),
                reopen_open=reopen_open,
            )
        )
    if status == "qua-han":
        rows = [r for r in rows if r.overdue]
    if sort in ("pct", "-pct"):
        rows.sort(key=lambda r: (r.progress.percent, r.progress.answered), reverse=sort == "-pct")
    n_submitted = sum(1 for r in rows if r.assessment.status in SUBMITTED_OR_LATER)
    total = sum(r.progress.total for r in rows)
    answered = sum(r.progress.answered for r in rows)
    return {
        "rows": rows,
        "extensions": [r for r in rows if r.assessment.deadline_override is not None],
        "period_blocks": blocks,
        "regular_deadline": self_assessment_deadline(period),
        "summary": {
            "units": len(rows),
            "submitted": n_submitted,
            "not_submitted": sum(1 for r in rows if r.can_remind),
            "overdue": sum(1 for r in rows if r.overdue),
            "percent": Progress(total=total, answered=answered).percent,
        },
        "status_filters": [(k, v[0]) for k, v in STATUS_FILTERS.items()],
        "sorts": list(SORTS.items()),
    }


# ---------------------------------------------------------------- province self-assessment


def period_assessments(period: Period) -> list[Assessment]:
    """The period's assessments with their unit (one query)."""
    return list(
        Assessment.objects.filter(period=period)
        .select_related("unit", "framework")
        .order_by("unit__position", "unit__name")
    )


def contributor_choices(period: Period, assessment: Assessment) -> list[Unit]:
    """Units that may be assigned leaves: active units of the organizer's area except the
    assessed unit, communes and offices (one query)."""
    root = period.organizer.admin_root
    if root is None:
        return []
    return list(
        Unit.objects.filter(Q(path__startswith=root.path) | Q(pk=root.pk), is_active=True)
        .exclude(pk=assessment.unit_id)
        .exclude(kind__in=[Unit.Kind.COMMUNE, Unit.Kind.OFFICE])
        .order_by("kind", "position", "name")
    )


@dataclass
class TreeRow:
    node: FrameworkNode
    contributor_ids: set[int | None] = field(default_factory=set)
    answered: bool = False
    max: Decimal | None = None  # the node's max, or the sum of its children's

    @property
    def is_survey(self) -> bool:
        return self.node.source == FrameworkNode.Source.SURVEY

    @property
    def single(self) -> int | None | str:
        """The one contributor of the row's leaves, None (nobody) or "mixed"."""
        if len(self.contributor_ids) == 1:
            return next(iter(self.contributor_ids))
        return "mixed" if self.contributor_ids else None


def contributor_tree(assessment: Assessment) -> list[TreeRow]:
    """The framework tree with, for each node, the contributors of its self-scored leaves
    (2 queries)."""
    nodes = list(
        FrameworkNode.objects.filter(framework_id=assessment.framework_id).order_by("position")
    )
    entries = {
        e["node_id"]: e
        for e in Entry.objects.filter(assessment=assessment).values(
            "node_id", "contributor_id", "value", "not_applicable"
        )
    }
    rows = [TreeRow(node=n, max=n.max) for n in nodes]
    by_pk = {r.node.pk: r for r in rows}
    sums: dict[int, Decimal] = {}
    for row in rows:
        entry = entries.get(row.node.pk)
        if row.node.is_leaf and entry is not None and not row.is_survey:
            row.contributor_ids = {entry["contributor_id"]}
            row.answered = bool(entry["value"]) or entry["not_applicable"]
    for row in reversed(rows):  # preorder reversed: children before their parent
        parent = by_pk.get(row.node.parent_id) if row.node.parent_id else None
        if row.max is None and row.node.pk in sums:
            row.max = sums[row.node.pk]
        if parent is not None:
            parent.contributor_ids |= row.contributor_ids
            if row.max is not None and not row.node.bonus:
                sums[parent.node.pk] = sums.get(parent.node.pk, Decimal(0)) + row.max
    return rows
