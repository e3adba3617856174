"""Progress of a survey per rated unit × respondent group ("Chi tiết tiến độ khảo sát"):

- ``invited``: the respondents listed for that group who rate the unit and were sent their
  invitation (``invited_at`` set);
- ``answered``: the responses about the unit in that group that are valid or waiting for
  review, from every channel (invitation, public link/QR, paper forms); void ones are not;
- ``target``: the quota of the sample design (a census group: everyone invited);
- ``percent``: answered / target, one decimal (``None`` without a target).

Counts only, never answers: the same figures feed the unit's own page. A fixed number of
queries whatever the number of units, groups and responses (units, quotas, invitations,
responses, voided units: five aggregate reads).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q

from parindex.accounts.models import Unit
from parindex.assessments.models import Assessment
from parindex.survey.models import Quota, RespondentUnit, Response, Survey, UnitVoid

SORTS: dict[str, str] = {
    "don-vi": "Theo đơn vị",
    "ty-le": "Tỷ lệ thấp trước",
    "ty-le-giam": "Tỷ lệ cao trước",
}
DEFAULT_SORT = "don-vi"
ONE_DECIMAL = Decimal("0.1")


def percent(answered: int, target: int) -> Decimal | None:
    if target <= 0:
        return None
    return (Decimal(answered) * 100 / Decimal(target)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


@dataclass
class Counts:
    """One row's figures, or a sum of rows (``add``): a sum's ``missing`` is the sum of its
    rows' shortfalls, so a group over its quota does not hide another one's gap."""

    invited: int = 0
    answered: int = 0
    flagged: int = 0  # of ``answered``: waiting for review
    target: int = 0
    summed_missing: int | None = None

    @property
    def percent(self) -> Decimal | None:
        return percent(self.answered, self.target)

    @property
    def missing(self) -> int:
        if self.summed_missing is not None:
            return self.summed_missing
        return max(self.target - self.answered, 0)

    def add(self, other: Counts) -> None:
        self.summed_missing = (self.summed_missing or 0) + other.missing
        self.invited += other.invited
        self.answered += other.answered
        self.flagged += other.flagged
        self.target += other.target


@dataclass
class GroupRow(Counts):
    group: str = ""
    group_title: str = ""
    census: bool = False
    has_quota: bool = False


@dataclass
class UnitProgress:
    unit: Unit
    rows: list[GroupRow]
    total: Counts
    void: UnitVoid | None = None


@dataclass
class GroupTotal(Counts):
    group: str = ""
    group_title: str = ""


@dataclass
class Progress:
    units: list[UnitProgress]
    groups: list[GroupTotal]
    total: Counts
    sort: str = DEFAULT_SORT
    voided: list[UnitVoid] = field(default_factory=list)

    def as_rows(self) -> Iterable[tuple[UnitProgress, GroupRow]]:
        for u in self.units:
            for row in u.rows:
                yield u, row


def group_titles(survey: Survey) -> dict[str, str]:
    """Group code → title, in the definition's order (read from the stored definition)."""
    groups = (survey.definition or {}).get("groups") or []
    return {str(g["code"]): str(g.get("title") or g["code"]) for g in groups if "code" in g}


def survey_units(survey: Survey, unit_ids: Iterable[int] | None = None) -> list[Unit]:
    """The units rated in the survey: those of its block taking part in its period."""
    qs = Assessment.objects.filter(
        period_id=survey.period_block.period_id, unit__block_id=survey.period_block.block_id
    )
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    return [a.unit for a in qs.select_related("unit").only("unit__id", "unit__code", "unit__name")]


def _sort_key(sort: str) -> Any:
    if sort == "ty-le":
        return lambda u: (u.total.percent is None, u.total.percent or 0, u.unit.code)
    if sort == "ty-le-giam":
        return lambda u: (u.total.percent is None, -(u.total.percent or 0), u.unit.code)
    return lambda u: u.unit.code


def survey_progress(
    survey: Survey, *, unit_ids: Iterable[int] | None = None, sort: str = DEFAULT_SORT
) -> Progress:
    """The progress table (all units, or only ``unit_ids``); ``sort`` one of ``SORTS``.
    A voided unit's row keeps its counts but is left out of the totals."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    ids = set(unit_ids) if unit_ids is not None else None
    units = survey_units(survey, ids)
    wanted = [u.pk for u in units]
    titles = group_titles(survey)

    quotas: dict[tuple[int, str], tuple[int, bool]] = {
        (q["unit_id"], q["group"]): (q["target"], q["census"])
        for q in Quota.objects.filter(survey=survey, unit_id__in=wanted).values(
            "unit_id", "group", "target", "census"
        )
    }
    invited: dict[tuple[int, str], int] = {
        (r["unit_id"], r["respondent__group"]): r["n"]
        for r in RespondentUnit.objects.filter(
            respondent__survey=survey, respondent__invited_at__isnull=False, unit_id__in=wanted
        )
        .values("unit_id", "respondent__group")
        .annotate(n=Count("id"))
        .order_by()
    }
    answered: dict[tuple[int, str], tuple[int, int]] = {
        (r["unit_id"], r["group"]): (r["n"], r["flagged"])
        for r in Response.objects.filter(
            survey=survey,
            unit_id__in=wanted,
            status__in=[Response.Status.VALID, Response.Status.FLAGGED],
        )
        .values("unit_id", "group")
        .annotate(n=Count("id"), flagged=Count("id", filter=Q(status=Response.Status.FLAGGED)))
        .order_by()
    }
    voids = {
        v.unit_id: v
        for v in UnitVoid.objects.filter(survey=survey, unit_id__in=wanted).select_related(
            "actor", "unit"
        )
    }

    # groups in the definition's order, then any stray code met in the data
    order = list(titles)
    for key in (*quotas, *invited, *answered):
        if key[1] not in titles and key[1] not in order:
            order.append(key[1])
    per_group: dict[str, GroupTotal] = {
        g: GroupTotal(group=g, group_title=titles.get(g, g)) for g in order
    }
    total = Counts()
    out: list[UnitProgress] = []
    for unit in units:
        rows: list[GroupRow] = []
        for g in order:
            key = (unit.pk, g)
            if key not in quotas and key not in invited and key not in answered:
                continue
            target, census = quotas.get(key, (0, False))
            n_invited = invited.get(key, 0)
            n_answered, n_flagged = answered.get(key, (0, 0))
            rows.append(
                GroupRow(
                    invited=n_invited,
                    answered=n_answered,
                    flagged=n_flagged,
                    target=n_invited if census else target,
                    group=g,
                    group_title=titles.get(g, g),
                    census=census,
                    has_quota=key in quotas,
                )
            )
        unit_total = Counts()
        for row in rows:
            unit_total.add(row)
        void = voids.get(unit.pk)
        if void is None:
            for row in rows:
                per_group[row.group].add(row)
            total.add(unit_total)
        out.append(UnitProgress(unit=unit, rows=rows, total=unit_total, void=void))
    out.sort(key=_sort_key(sort))
    groups = [g for g in per_group.values() if g.target or g.invited or g.answered]
    return Progress(
        units=out,
        groups=groups,
        total=total,
        sort=sort,
        voided=sorted(voids.values(), key=lambda v: v.unit_id),
    )
