"""Reads of the respondent lists: the units rated in a survey, a unit's list with its counts
against the quota, the organizer's overview of every unit's list and the respondents' table.

Anonymity: nothing here reads ``Response`` or ``SurveyAnswer``; a respondent shows only
whether (and which day) they answered each unit."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q

from parindex.accounts.models import Unit
from parindex.assessments.models import Assessment
from parindex.audit.models import AuditEvent
from parindex.common.dates import days_left
from parindex.survey.list_rules import list_closed_reason
from parindex.survey.models import ListReview, Quota, Respondent, RespondentUnit, Survey

LIST_IMPORT_VERB = "survey.list_import"
PAGE_SIZE = 100


def rated_units(survey: Survey) -> list[Unit]:
    """The units of the survey's block taking part in its period, in the usual order."""
    pb = survey.period_block
    return list(
        Unit.objects.filter(
            block_id=pb.block_id,
            pk__in=Assessment.objects.filter(period_id=pb.period_id).values("unit_id"),
        ).order_by("position", "name")
    )


@dataclass
class GroupCount:
    code: str
    title: str
    listed: int = 0
    quota: int | None = None
    census: bool = False

    @property
    def short(self) -> int | None:
        """How many are missing to reach the quota (None: no quota)."""
        if self.quota is None:
            return None
        return max(self.quota - self.listed, 0)


@dataclass
class Upload:
    who: str
    at: dt.datetime
    count: int


@dataclass
class UnitList:
    unit: Unit
    groups: list[GroupCount]
    total: int = 0
    invited: int = 0
    upload: Upload | None = None
    review: ListReview | None = None

    @property
    def sent(self) -> bool:
        return self.total > 0

    @property
    def locked(self) -> bool:
        return self.review is not None and self.review.locked_at is not None

    @property
    def reopened_until(self) -> dt.date | None:
        return self.review.reopened_until if self.review is not None else None


@dataclass
class RespondentRow:
    respondent: Respondent
    units: list[tuple[str, dt.date | None]] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(1 for _, day in self.units if day is not None)

    @property
    def all_answered(self) -> bool:
        return bool(self.units) and self.answered == len(self.units)


def _groups(survey: Survey) -> list[tuple[str, str]]:
    return [(str(g["code"]), str(g.get("title") or g["code"])) for g in survey.definition["groups"]]


def _uploads(survey: Survey) -> dict[int, Upload]:
    """The last import of each unit's list (who, when, how many), from the audit log."""
    out: dict[int, Upload] = {}
    events = (
        AuditEvent.objects.filter(
            verb=LIST_IMPORT_VERB, object_type="survey.survey", object_id=str(survey.pk)
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )
    for e in events:
        unit_id = (e.new or {}).get("unit_id")
        if isinstance(unit_id, int) and unit_id not in out:
            who = e.actor.display_name if e.actor else "Hệ thống"
            out[unit_id] = Upload(who=who, at=e.at, count=int((e.new or {}).get("count") or 0))
    return out


def _rows(qs: Any) -> list[RespondentRow]:
    people = qs.prefetch_related(
        Prefetch(
            "units",
            queryset=RespondentUnit.objects.select_related("unit").order_by(
                "unit__position", "unit__name"
            ),
        )
    )
    return [
        RespondentRow(respondent=p, units=[(ru.unit.code, ru.answered_on) for ru in p.units.all()])
        for p in people
    ]


@dataclass
class UnitListPage:
    survey: Survey
    unit: Unit
    summary: UnitList
    rows: list[RespondentRow]
    due: dt.date | None
    days_left: int | None
    open: bool
    closed_reason: str = ""


def unit_list_page(survey: Survey, unit: Unit) -> UnitListPage:
    """A unit's page: its list (the people it listed), per group the count against the
    quota of the group × this unit, the last upload, the deadline."""
    quotas = {q.group: q for q in Quota.objects.filter(survey=survey, unit=unit)}
    counts = dict(
        Respondent.objects.filter(survey=survey, listed_by=unit)
        .values_list("group")
        .annotate(n=Count("id"))
        .values_list("group", "n")
    )
    groups = [
        GroupCount(
            code=code,
            title=title,
            listed=counts.get(code, 0),
            quota=quotas[code].target if code in quotas else None,
            census=quotas[code].census if code in quotas else False,
        )
        for code, title in _groups(survey)
    ]
    rows = _rows(Respondent.objects.filter(survey=survey, listed_by=unit))
    review = ListReview.objects.filter(survey=survey, unit=unit).first()
    summary = UnitList(
        unit=unit,
        groups=groups,
        total=len(rows),
        invited=sum(1 for r in rows if r.respondent.invited_at),
        upload=_uploads(survey).get(unit.pk),
        review=review,
    )
    due = survey.lists_due_on
    why = list_closed_reason(survey, unit, review)
    return UnitListPage(
        survey=survey,
        unit=unit,
        summary=summary,
        rows=rows,
        due=due,
        days_left=days_left(due),
        open=not why,
        closed_reason=why,
    )


@dataclass
class OrganizerListsPage:
    survey: Survey
    groups: list[tuple[str, str]]
    units: list[UnitList]
    page: Page[Respondent]
    rows: list[RespondentRow]
    unit_filter: Unit | None
    totals: dict[str, int]
    due: dt.date | None
    days_left: int | None


def organizer_lists_page(
    survey: Survey, *, unit_id: int | None = None, page: int | str = 1
) -> OrganizerListsPage:
    """Every unit's list (counts per group, sent or not, who uploaded when) and one page of
    the respondents (optionally of one unit's list)."""
    units = rated_units(survey)
    groups = _groups(survey)
    quotas: dict[tuple[str, int], Quota] = {
        (q.group, q.unit_id): q for q in Quota.objects.filter(survey=survey)
    }
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    invited: dict[int, int] = defaultdict(int)
    for row in (
        Respondent.objects.filter(survey=survey)
        .values("listed_by_id", "group")
        .annotate(n=Count("id"), inv=Count("id", filter=Q(invited_at__isnull=False)))
    ):
        if row["listed_by_id"] is not None:
            counts[row["listed_by_id"]][row["group"]] = row["n"]
            invited[row["listed_by_id"]] += row["inv"]
    uploads = _uploads(survey)
    reviews = {r.unit_id: r for r in ListReview.objects.filter(survey=survey)}
    lists = []
    for u in units:
        gc = []
        for code, title in groups:
            q = quotas.get((code, u.pk))
            gc.append(
                GroupCount(
                    code=code,
                    title=title,
                    listed=counts[u.pk].get(code, 0),
                    quota=q.target if q else None,
                    census=q.census if q else False,
                )
            )
        lists.append(
            UnitList(
                unit=u,
                groups=gc,
                total=sum(counts[u.pk].values()),
                invited=invited[u.pk],
                upload=uploads.get(u.pk),
                review=reviews.get(u.pk),
            )
        )
    chosen = next((u for u in units if u.pk == unit_id), None)
    qs = Respondent.objects.filter(survey=survey).select_related("listed_by")
    if chosen is not None:
        qs = qs.filter(listed_by=chosen)
    paginator = Paginator(
        qs.order_by("listed_by__position", "listed_by__name", "group", "name", "id"), PAGE_SIZE
    )
    pg = paginator.get_page(page)
    rows = _rows(
        Respondent.objects.filter(pk__in=[p.pk for p in pg.object_list])
        .select_related("listed_by")
        .order_by("listed_by__position", "listed_by__name", "group", "name", "id")
    )
    all_people = Respondent.objects.filter(survey=survey)
    totals = all_people.aggregate(
        listed=Count("id"),
        invited=Count("id", filter=Q(invited_at__isnull=False)),
        with_email=Count("id", filter=~Q(email="")),
    )
    totals["answered_units"] = RespondentUnit.objects.filter(
        respondent__survey=survey, answered_on__isnull=False
    ).count()
    totals["units"] = RespondentUnit.objects.filter(respondent__survey=survey).count()
    return OrganizerListsPage(
        survey=survey,
        groups=groups,
        units=lists,
        page=pg,
        rows=rows,
        unit_filter=chosen,
        totals=totals,
        due=survey.lists_due_on,
        days_left=days_left(survey.lists_due_on),
    )


@dataclass
class RespondProgress:
    """Where a respondent is in their form: their units in order, how many are answered,
    the next one to answer (None when all are)."""

    links: list[RespondentUnit]
    answered: int
    total: int
    next: RespondentUnit | None

    @property
    def step(self) -> int:
        return min(self.answered + 1, self.total)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100


def respond_progress(respondent: Respondent) -> RespondProgress:
    links = list(
        RespondentUnit.objects.filter(respondent=respondent)
        .select_related("unit")
        .order_by("unit__position", "unit__name")
    )
    answered = sum(1 for ru in links if ru.answered_on is not None)
    nxt = next((ru for ru in links if ru.answered_on is None), None)
    return RespondProgress(links=links, answered=answered, total=len(links), next=nxt)
