"""The organizer's review queue: the responses flagged by the fraud rules, waiting to be
marked valid or void, with their answers (anonymous: a response has no link to a person), the
decisions taken most recently, and the units whose whole survey was voided.

A fixed number of queries whatever the number of responses: the status counts, one page of
flagged responses with their units, their answers, the latest decisions, the voided units.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count

from parindex.survey.fraud import LABELS
from parindex.survey.models import Response, Survey, SurveyAnswer, UnitVoid
from parindex.survey.selectors.progress import group_titles

PAGE_SIZE = 50
RECENT = 20


@dataclass
class AnswerText:
    question: str
    text: str
    option: str
    label: str


@dataclass
class ReviewItem:
    response: Response
    flags: list[tuple[str, str]]  # (code, Vietnamese label)
    group_title: str
    seconds: int | None
    answers: list[AnswerText] = field(default_factory=list)

    @property
    def duration(self) -> str:
        """ "2 phút 05 giây"; "—" without a start time."""
        if self.seconds is None:
            return "—"
        minutes, seconds = divmod(self.seconds, 60)
        if minutes >= 60:
            hours, minutes = divmod(minutes, 60)
            return f"{hours} giờ {minutes:02d} phút"
        return f"{minutes} phút {seconds:02d} giây" if minutes else f"{seconds} giây"


@dataclass
class ReviewPage:
    items: list[ReviewItem]
    counts: dict[str, int]  # status → number of responses
    page: Any  # django Page
    recent: list[Response]
    voided: list[UnitVoid]
    flag_filter: str
    unit_filter: int | None

    @property
    def voided_ids(self) -> set[int]:
        return {v.unit_id for v in self.voided}


def _texts(survey: Survey) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Question code → text and (question, option key) → option label, from the stored
    definition (own options or the survey's scale)."""
    definition = survey.definition or {}
    scale = {str(o["key"]): str(o.get("label") or o["key"]) for o in definition.get("scale") or []}
    questions: dict[str, str] = {}
    options: dict[tuple[str, str], str] = {}
    for q in definition.get("questions") or []:
        code = str(q["code"])
        questions[code] = str(q.get("text") or code)
        own = q.get("options")
        labels = {str(o["key"]): str(o.get("label") or o["key"]) for o in own} if own else scale
        for key, label in labels.items():
            options[(code, key)] = label
    return questions, options


def flag_labels(flags: list[str]) -> list[tuple[str, str]]:
    return [(f, LABELS.get(f, f)) for f in flags]


def review_page(
    survey: Survey, *, page: int = 1, flag: str = "", unit_id: int | None = None
) -> ReviewPage:
    counts = {s: 0 for s in Response.Status.values}
    for row in (
        Response.objects.filter(survey=survey).values("status").annotate(n=Count("id")).order_by()
    ):
        counts[row["status"]] = row["n"]
    qs = (
        Response.objects.filter(survey=survey, status=Response.Status.FLAGGED)
        .select_related("unit")
        .order_by("-submitted_at", "-id")
    )
    flag = flag if flag in LABELS else ""
    if flag:
        qs = qs.filter(flags__icontains=f'"{flag}"')  # the JSON text: PostgreSQL and SQLite
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    total = counts[Response.Status.FLAGGED] if not flag and unit_id is None else None
    paginator = Paginator(qs, PAGE_SIZE)
    if total is not None:
        paginator.count = total  # known already: no COUNT query
    current = paginator.get_page(page)
    responses: list[Response] = list(current.object_list)
    items = review_items(survey, responses)
    recent = list(
        Response.objects.filter(survey=survey, reviewed_at__isnull=False)
        .select_related("unit", "reviewed_by")
        .order_by("-reviewed_at", "-id")[:RECENT]
    )
    voided = list(
        UnitVoid.objects.filter(survey=survey)
        .select_related("unit", "actor")
        .order_by("unit__code")
    )
    return ReviewPage(
        items=items,
        counts=counts,
        page=current,
        recent=recent,
        voided=voided,
        flag_filter=flag,
        unit_filter=unit_id,
    )


def review_items(survey: Survey, responses: list[Response]) -> list[ReviewItem]:
    """The queue's rows for ``responses``: flags in Vietnamese, the group's title, the time
    taken, the answers with their texts (one query for the answers)."""
    questions, options = _texts(survey)
    titles = group_titles(survey)
    answers: dict[int, list[AnswerText]] = defaultdict(list)
    for a in SurveyAnswer.objects.filter(response__in=[r.pk for r in responses]).order_by(
        "response_id", "question"
    ):
        answers[a.response_id].append(
            AnswerText(
                question=a.question,
                text=questions.get(a.question, a.question),
                option=a.option,
                label=options.get((a.question, a.option), a.option),
            )
        )
    items = []
    for r in responses:
        seconds = (
            int((r.submitted_at - r.started_at).total_seconds())
            if r.started_at is not None
            else None
        )
        items.append(
            ReviewItem(
                response=r,
                flags=flag_labels(r.flags),
                group_title=titles.get(r.group, r.group),
                seconds=seconds,
                answers=answers.get(r.pk, []),
            )
        )
    return items
