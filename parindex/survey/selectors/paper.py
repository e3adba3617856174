"""Reads of the paper-form entry: an enumerator's own counts and last forms, the counts per
enumerator for the organizer, and the double-entry mismatches waiting for the organizer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from parindex import engine
from parindex.accounts.models import Unit, User
from parindex.survey.definition import engine_survey
from parindex.survey.models import PaperEntry, Response, Survey

PAPER = Response.Channel.PAPER
LAST = 10


def _today_start() -> Any:
    now = timezone.localtime()
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class MyEntries:
    today: int
    total: int
    last: list[Response]


def my_entries(survey: Survey, user: Any) -> MyEntries:
    """The enumerator's own paper forms in this survey: today, in all, the last ones (2
    queries)."""
    mine = Response.objects.filter(survey=survey, channel=PAPER, enumerator=user)
    counts = mine.aggregate(
        total=Count("id"), today=Count("id", filter=Q(submitted_at__gte=_today_start()))
    )
    last = list(mine.select_related("unit").order_by("-submitted_at", "-id")[:LAST])
    return MyEntries(today=counts["today"], total=counts["total"], last=last)


@dataclass(frozen=True)
class EnumeratorRow:
    user: User | None
    today: int
    total: int
    flagged: int
    void: int
    second: int = 0  # second keyings done by this enumerator
    mismatched: int = 0  # of those, with a mismatch

    @property
    def name(self) -> str:
        if self.user is None:
            return "(tài khoản đã xóa)"
        return self.user.full_name or self.user.username


@dataclass(frozen=True)
class EnumeratorCounts:
    rows: list[EnumeratorRow]
    total: int
    today: int
    second: int
    open_mismatches: int


def enumerator_counts(survey: Survey) -> EnumeratorCounts:
    """Paper forms per enumerator (first keyings; second keyings beside), by name (3 queries)."""
    firsts = (
        Response.objects.filter(survey=survey, channel=PAPER)
        .values("enumerator_id")
        .annotate(
            total=Count("id"),
            today=Count("id", filter=Q(submitted_at__gte=_today_start())),
            flagged=Count("id", filter=Q(status=Response.Status.FLAGGED)),
            void=Count("id", filter=Q(status=Response.Status.VOID)),
        )
    )
    seconds = {
        row["enumerator_id"]: row
        for row in PaperEntry.objects.filter(survey=survey)
        .values("enumerator_id")
        .annotate(n=Count("id"), bad=Count("id", filter=~Q(mismatches=[])))
    }
    by_id = {row["enumerator_id"]: row for row in firsts}
    ids = {i for i in set(by_id) | set(seconds) if i is not None}
    users = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    rows = []
    for uid in set(by_id) | set(seconds):
        first = by_id.get(uid, {})
        second = seconds.get(uid, {})
        rows.append(
            EnumeratorRow(
                user=users.get(uid) if uid is not None else None,
                today=first.get("today", 0),
                total=first.get("total", 0),
                flagged=first.get("flagged", 0),
                void=first.get("void", 0),
                second=second.get("n", 0),
                mismatched=second.get("bad", 0),
            )
        )
    rows.sort(key=lambda r: (-r.total, r.name))
    return EnumeratorCounts(
        rows=rows,
        total=sum(r.total for r in rows),
        today=sum(r.today for r in rows),
        second=sum(r.second for r in rows),
        open_mismatches=PaperEntry.objects.filter(survey=survey, resolved=False).count(),
    )


@dataclass(frozen=True)
class Difference:
    code: str  # "group", "unit" or a question code
    label: str
    first: str
    second: str


@dataclass(frozen=True)
class MismatchRow:
    entry: PaperEntry
    response: Response | None
    differences: list[Difference] = field(default_factory=list)


def _option_text(es: engine.Survey, code: str, key: str) -> str:
    if not key:
        return "(bỏ trống)"
    q = next((q for q in es.questions if q.code == code), None)
    label = next((o.label for o in q.options if o.key == key), "") if q else ""
    return f"{key} — {label}" if label else key


def mismatches(survey: Survey) -> list[MismatchRow]:
    """The second keyings that differ from the first and are not yet resolved, by serial
    (3 queries: entries, their responses with the answers)."""
    es = engine_survey(survey)
    groups = {g.code: g.title for g in es.groups}
    entries = list(
        PaperEntry.objects.filter(survey=survey, resolved=False)
        .select_related("unit", "enumerator")
        .order_by("serial")
    )
    responses = {
        r.serial: r
        for r in Response.objects.filter(survey=survey, serial__in=[e.serial for e in entries])
        .select_related("unit", "enumerator")
        .prefetch_related("answers")
    }
    units: dict[int, Unit] = {e.unit_id: e.unit for e in entries}
    units.update({r.unit_id: r.unit for r in responses.values()})
    texts = {q.code: q.text for q in es.questions}
    rows = []
    for e in entries:
        r = responses.get(e.serial)
        diffs: list[Difference] = []
        if r is not None:
            first = {a.question: a.option for a in r.answers.all()}
            for code in e.mismatches:
                if code == "group":
                    diffs.append(
                        Difference(
                            "group",
                            "Nhóm đối tượng",
                            groups.get(r.group, r.group),
                            groups.get(e.group, e.group),
                        )
                    )
                elif code == "unit":
                    diffs.append(
                        Difference(
                            "unit",
                            "Đơn vị được đánh giá",
                            units[r.unit_id].name,
                            units[e.unit_id].name,
                        )
                    )
                else:
                    diffs.append(
                        Difference(
                            code,
                            f"{code}. {texts.get(code, '')}".strip(),
                            _option_text(es, code, first.get(code, "")),
                            _option_text(es, code, str(e.answers.get(code, ""))),
                        )
                    )
        rows.append(MismatchRow(entry=e, response=r, differences=diffs))
    return rows
