"""What the home page's "Việc đang chờ bạn" shows about the surveys:

- a unit's officer and leader: each survey, not closed, of the block of their unit in a
  period it takes part in — the respondent list to send by ``lists_due_on`` (days left, how
  many are listed) and, while the survey is open, the unit's progress page;
- an enumerator (Điều tra viên): each open survey of the organizers they act for, with the
  paper-form entry page.
Two queries at most per role; nothing for those who hold neither."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from parindex.accounts.models import Membership
from parindex.common.dates import days_left, days_left_text
from parindex.notify.selectors import Waiting
from parindex.periods.access import user_roles
from parindex.survey.models import Respondent, Survey

S = Survey.Status


def unit_survey_waiting(user: Any) -> list[Waiting]:
    roles = user_roles(user)
    R = Membership.Role
    units = {m.unit_id for m in roles.memberships if m.role in (R.UNIT_OFFICER, R.UNIT_LEADER)}
    if not units:
        return []
    rows = list(
        Survey.objects.filter(
            period_block__period__closed=False,
            period_block__period__assessments__unit_id__in=units,
            period_block__block_id=F("period_block__period__assessments__unit__block_id"),
        )
        .exclude(status=S.CLOSED)
        .values(
            "pk",
            "status",
            "lists_due_on",
            "period_block__period__name",
            unit_pk=F("period_block__period__assessments__unit_id"),
            unit_name=F("period_block__period__assessments__unit__name"),
        )
        .order_by("period_block__period__year", "unit_name")
    )
    if not rows:
        return []
    listed = {
        (s, u): n
        for s, u, n in Respondent.objects.filter(
            survey_id__in={r["pk"] for r in rows}, listed_by_id__in=units
        )
        .values("survey_id", "listed_by_id")
        .annotate(n=Count("id"))
        .values_list("survey_id", "listed_by_id", "n")
        .order_by()
    }
    today = timezone.localdate()
    out: list[Waiting] = []
    for r in rows:
        survey_pk, unit_pk, due = r["pk"], r["unit_pk"], r["lists_due_on"]
        n = listed.get((survey_pk, unit_pk), 0)
        where = f"{r['unit_name']} — {r['period_block__period__name']}"
        if due is not None and due >= today:
            left = days_left(due, today)
            state = f"đã có {n} người trong danh sách" if n else "chưa gửi danh sách"
            out.append(
                Waiting(
                    f"Điều tra xã hội học ({where}): gửi danh sách người được khảo sát "
                    f"trước hết ngày {due:%d/%m/%Y} ({days_left_text(left)}); {state}.",
                    reverse("survey:lists_unit", args=[survey_pk, unit_pk]),
                    urgent=not n and left is not None and left <= 3,
                )
            )
        if r["status"] == S.OPEN:
            out.append(
                Waiting(
                    f"Điều tra xã hội học ({where}) đang thu phiếu: xem tiến độ trả lời "
                    "của đơn vị.",
                    reverse("survey:progress_unit", args=[survey_pk, unit_pk]),
                )
            )
    return out


def enumerator_waiting(user: Any) -> list[Waiting]:
    organizers = user_roles(user).enumerator_organizer_ids
    if not organizers:
        return []
    surveys = Survey.objects.filter(
        status=S.OPEN, period_block__period__organizer_id__in=organizers
    ).select_related("period_block__block", "period_block__period")
    return [
        Waiting(
            f"Nhập phiếu điều tra giấy: {s.period_block.block.name} — "
            f"{s.period_block.period.name}"
            + (f" (thu phiếu đến hết ngày {s.closes_on:%d/%m/%Y})." if s.closes_on else "."),
            reverse("survey:enum_entry", args=[s.pk]),
        )
        for s in surveys
    ]
