"""A block's survey: created from a definition, its definition replaced (the editor and the
imports call ``survey_set_definition``), its window and list deadline, and its status —
one transition table, one service that changes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from parindex import engine
from parindex.audit.services import audit_record, snapshot
from parindex.common.errors import DomainError
from parindex.frameworks.selectors import framework_to_engine
from parindex.periods.models import Period, PeriodBlock
from parindex.periods.services import require_period_admin
from parindex.survey.definition import problem_text
from parindex.survey.models import Survey

S = Survey.Status

# status -> the statuses it may move to (and the Vietnamese verb shown on the button)
TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {S.OPEN: "Bắt đầu khảo sát"},
    S.OPEN: {S.CLOSED: "Kết thúc khảo sát"},
    S.CLOSED: {S.OPEN: "Mở lại khảo sát"},
}


def checked_definition(period_block: PeriodBlock, data: Any, source: str) -> dict[str, Any]:
    """The definition as stored (the engine's canonical dict), checked against the block's
    framework; a ``DomainError`` lists every problem."""
    fw = framework_to_engine(period_block.framework)
    try:
        parsed = engine.parse_survey(data, source=source, framework=fw)
    except engine.InvalidInput as exc:
        problems = [problem_text(p) for p in exc.problems]
        raise DomainError(
            f"Phiếu điều tra có {len(problems)} lỗi: chưa lưu gì.", problems=problems
        ) from exc
    return engine.survey_to_dict(parsed)


@transaction.atomic
def survey_create(
    *, actor: Any, period_block: PeriodBlock, data: Any, source: str = "survey"
) -> Survey:
    period = period_block.period
    require_period_admin(actor, period)
    if Survey.objects.filter(period_block=period_block).exists():
        raise DomainError(f"Khối {period_block.block.name} đã có cuộc điều tra.")
    definition = checked_definition(period_block, data, source)
    survey = Survey.objects.create(period_block=period_block, definition=definition)
    audit_record(actor=actor, verb="survey.create", obj=survey, new={"code": definition["code"]})
    return survey


def require_editable(survey: Survey) -> None:
    if survey.status != S.DRAFT:
        raise DomainError(
            "Cuộc khảo sát đã bắt đầu: không sửa được phiếu điều tra (câu trả lời đã thu "
            "phải khớp với phiếu)."
        )


@transaction.atomic
def survey_set_definition(
    *, actor: Any, survey: Survey, data: Any, source: str = "survey", reason: str = ""
) -> Survey:
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related(
            "period_block__period__organizer", "period_block__framework", "period_block__block"
        )
        .get(pk=survey.pk)
    )
    require_period_admin(actor, survey.period_block.period)
    require_editable(survey)
    definition = checked_definition(survey.period_block, data, source)
    old = {"definition": survey.definition}
    survey.definition = definition
    survey.save(update_fields=["definition", "updated_at"])
    audit_record(
        actor=actor,
        verb="survey.definition",
        obj=survey,
        old=old,
        new={"definition": definition},
        reason=reason,
    )
    return survey


WINDOW_FIELDS = ["opens_on", "closes_on", "lists_due_on", "public_enabled"]


@transaction.atomic
def survey_set_window(
    *,
    actor: Any,
    survey: Survey,
    opens_on: dt.date | None,
    closes_on: dt.date | None,
    lists_due_on: dt.date | None,
    public_enabled: bool,
) -> Survey:
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("period_block__period__organizer")
        .get(pk=survey.pk)
    )
    require_period_admin(actor, survey.period_block.period)
    if opens_on and closes_on and closes_on < opens_on:
        raise DomainError("Ngày kết thúc khảo sát phải sau hoặc bằng ngày bắt đầu.")
    if lists_due_on and closes_on and lists_due_on > closes_on:
        raise DomainError("Hạn gửi danh sách phải trước ngày kết thúc khảo sát.")
    old = snapshot(survey, WINDOW_FIELDS)
    survey.opens_on, survey.closes_on = opens_on, closes_on
    survey.lists_due_on, survey.public_enabled = lists_due_on, public_enabled
    survey.save(update_fields=[*WINDOW_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        verb="survey.window",
        obj=survey,
        old=old,
        new=snapshot(survey, WINDOW_FIELDS),
    )
    return survey


@transaction.atomic
def survey_transition(*, actor: Any, survey: Survey, to: str, reason: str = "") -> Survey:
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("period_block__period__organizer")
        .get(pk=survey.pk)
    )
    require_period_admin(actor, survey.period_block.period)
    allowed = TRANSITIONS.get(survey.status, {})
    if to not in allowed:
        raise DomainError(
            f"Không chuyển được cuộc khảo sát từ “{S(survey.status).label}” sang "
            f"“{S(to).label if to in S.values else to}”."
        )
    if survey.frozen_at is not None:
        raise DomainError("Điểm điều tra đã được chốt: không đổi được trạng thái khảo sát.")
    if to == S.OPEN and (survey.opens_on is None or survey.closes_on is None):
        raise DomainError("Đặt ngày bắt đầu và ngày kết thúc khảo sát trước khi bắt đầu.")
    if survey.status == S.CLOSED and not reason.strip():
        raise DomainError("Ghi lý do mở lại khảo sát.")
    old = survey.status
    survey.status = to
    survey.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        verb="survey.status",
        obj=survey,
        old={"status": old},
        new={"status": to},
        reason=reason,
    )
    return survey


def archive_blocker(period: Period) -> str | None:
    """Why ``period`` cannot be closed (archived) yet — asked by ``period_close``: one of its
    surveys still takes responses (an archived period's records are read-only, so its survey
    must have ended or its points been frozen first)."""
    open_ = Survey.objects.filter(
        period_block__period=period, status=Survey.Status.OPEN, frozen_at__isnull=True
    ).select_related("period_block__block")
    names = [s.period_block.block.name for s in open_]
    if names:
        return (
            f"Cuộc điều tra xã hội học ({', '.join(names)}) đang nhận phiếu: kết thúc cuộc "
            "điều tra trước khi đóng (lưu trữ) đợt đánh giá."
        )
    return None
