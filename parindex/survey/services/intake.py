"""One completed form comes in: from an invitation link, the public link/QR or an
enumerator's paper form. Checked against the survey definition, stored apart from any
respondent identity (a respondent keeps only the *day* they answered a unit), flagged by the
fraud rules at intake, and the points recomputed after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from parindex.accounts.models import Unit
from parindex.common.errors import DomainError
from parindex.survey import fraud
from parindex.survey.definition import engine_survey
from parindex.survey.models import Respondent, RespondentUnit, Response, Survey, SurveyAnswer
from parindex.survey.signals import survey_event


def check_answers(survey: Survey, group: str, answers: Mapping[str, str]) -> dict[str, str]:
    """The answers kept (question code → option key), or a ``DomainError`` naming each
    problem: an unknown question, one not asked of the group, an unknown option; at least one
    answer."""
    es = engine_survey(survey)
    if group not in {g.code for g in es.groups}:
        raise DomainError(f"Nhóm đối tượng “{group}” không có trong phiếu điều tra.")
    asked = {q.code: q for q in es.questions if group in q.groups}
    problems: list[str] = []
    kept: dict[str, str] = {}
    for code, key in answers.items():
        key = (key or "").strip()
        if not key:
            continue
        q = asked.get(code)
        if q is None:
            problems.append(f"Câu {code}: không hỏi nhóm đối tượng này.")
            continue
        if key not in {o.key for o in q.options}:
            problems.append(f"Câu {code}: phương án “{key}” không có trong phiếu.")
            continue
        kept[code] = key
    if problems:
        raise DomainError("Phiếu có câu trả lời không hợp lệ.", problems=problems)
    if not kept:
        raise DomainError("Phiếu chưa có câu trả lời nào.")
    return kept


def require_open(survey: Survey) -> None:
    if survey.status != Survey.Status.OPEN:
        raise DomainError("Cuộc khảo sát hiện không nhận phiếu trả lời.")
    if survey.frozen_at is not None:
        raise DomainError("Điểm điều tra đã được chốt: không nhận thêm phiếu.")


def response_submit(
    *,
    survey: Survey,
    unit: Unit,
    group: str,
    answers: Mapping[str, str],
    channel: str,
    started_at: dt.datetime | None = None,
    address_hash: str = "",
    device_hash: str = "",
    phone: str = "",
    serial: str = "",
    enumerator: Any = None,
    respondent: Respondent | None = None,
) -> Response:
    """Store one response (raises ``DomainError``). With ``respondent`` (the invitation
    link) the respondent row is locked and the unit must be one they rate and have not yet
    answered: a link answers each of its units once, even when used twice at the same time."""
    require_open(survey)
    kept = check_answers(survey, group, answers)  # parsing outside the transaction
    now = timezone.now()
    try:
        with transaction.atomic():
            if respondent is not None:
                respondent = Respondent.objects.select_for_update().get(pk=respondent.pk)
                link = RespondentUnit.objects.filter(respondent=respondent, unit=unit).first()
                if link is None:
                    raise DomainError("Người được khảo sát không đánh giá đơn vị này.")
                if link.answered_on is not None:
                    raise DomainError(f"Phiếu về {unit.name} đã được gửi trước đó.")
                link.answered_on = timezone.localdate(now)
                link.save(update_fields=["answered_on"])
            flags = fraud.intake_flags(
                survey,
                answers=kept,
                started_at=started_at,
                submitted_at=now,
                address_hash=address_hash,
                device_hash=device_hash,
                respondent=respondent,
            )
            response = Response.objects.create(
                survey=survey,
                group=group,
                unit=unit,
                channel=channel,
                status=Response.Status.FLAGGED if flags else Response.Status.VALID,
                flags=flags,
                started_at=started_at,
                submitted_at=now,
                address_hash=address_hash,
                device_hash=device_hash,
                phone=phone.strip()[:30],
                serial=serial.strip(),
                enumerator=enumerator if getattr(enumerator, "is_authenticated", False) else None,
                pattern=fraud.pattern_of(kept),
            )
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(response=response, question=q, option=o) for q, o in kept.items()
            )
    except IntegrityError as exc:
        if serial and "serial" in str(exc).lower():
            raise DomainError(f"Số phiếu “{serial.strip()}” đã được nhập.") from exc
        raise
    survey_event(survey.pk, "response")
    return response
