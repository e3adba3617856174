"""Paper forms keyed by the enumerators (điều tra viên, e.g. the post office): the first entry
stores the response through the shared intake with the form's serial number (unique in the
survey); the optional second entry (double entry) by another enumerator is kept apart
(``PaperEntry``) and compared with the first; the organizer resolves each mismatch — keep the
first keying, or take the second (the response's group, unit and answers replaced, audited)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import Unit
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.periods.services import require_period_admin
from parindex.survey import fraud
from parindex.survey.models import PaperEntry, Response, Survey, SurveyAnswer
from parindex.survey.services.intake import check_answers, require_open, response_submit
from parindex.survey.signals import survey_event

KEEP_FIRST = "first"
TAKE_SECOND = "second"
SERIAL_MAX = 40


def normalize_serial(serial: str) -> str:
    """The serial as stored: no surrounding or inner spaces, letters in capitals."""
    return "".join((serial or "").split()).upper()


def _serial(serial: str) -> str:
    value = normalize_serial(serial)
    if not value:
        raise DomainError("Nhập số phiếu (in trên phiếu giấy).")
    if len(value) > SERIAL_MAX:
        raise DomainError(f"Số phiếu dài quá {SERIAL_MAX} ký tự.")
    return value


def _taken(survey: Survey, serial: str) -> DomainError:
    first = Response.objects.filter(survey=survey, serial=serial).only("submitted_at").first()
    when = timezone.localtime(first.submitted_at).strftime(" ngày %d/%m/%Y") if first else ""
    return DomainError(
        f"Số phiếu “{serial}” đã được nhập{when}: mỗi phiếu chỉ nhập một lần "
        "(kiểm tra lại số in trên phiếu)."
    )


@transaction.atomic
def paper_submit(
    *,
    actor: Any,
    survey: Survey,
    serial: str,
    group: str,
    unit: Unit,
    answers: Mapping[str, str],
) -> Response:
    """The first keying of a paper form: a response of the ``paper`` channel."""
    value = _serial(serial)
    if Response.objects.filter(survey=survey, serial=value).exists():
        raise _taken(survey, value)
    return response_submit(
        survey=survey,
        unit=unit,
        group=group,
        answers=answers,
        channel=Response.Channel.PAPER,
        serial=value,
        enumerator=actor,
    )


def compare(
    first_group: str,
    first_unit_id: int,
    first: Mapping[str, str],
    second_group: str,
    second_unit_id: int,
    second: Mapping[str, str],
) -> list[str]:
    """What differs between two keyings: ``group``, ``unit``, then the question codes (sorted)."""
    out: list[str] = []
    if first_group != second_group:
        out.append("group")
    if first_unit_id != second_unit_id:
        out.append("unit")
    out += sorted(q for q in set(first) | set(second) if first.get(q, "") != second.get(q, ""))
    return out


@transaction.atomic
def paper_second_entry(
    *,
    actor: Any,
    survey: Survey,
    serial: str,
    group: str,
    unit: Unit,
    answers: Mapping[str, str],
) -> PaperEntry:
    """The second keying of a paper form by another enumerator, compared with the first."""
    require_open(survey)
    value = _serial(serial)
    kept = check_answers(survey, group, answers)
    response = (
        Response.objects.select_for_update()
        .filter(survey=survey, serial=value, channel=Response.Channel.PAPER)
        .first()
    )
    if response is None:
        raise DomainError(
            f"Phiếu số “{value}” chưa được nhập lần 1: nhập lần 1 trước (trang Nhập phiếu)."
        )
    if response.enumerator_id is not None and response.enumerator_id == getattr(actor, "pk", None):
        raise DomainError(
            f"Phiếu số “{value}” do chính bạn nhập lần 1: lần 2 phải do một điều tra viên khác nhập."
        )
    if PaperEntry.objects.filter(survey=survey, serial=value).exists():
        raise DomainError(f"Phiếu số “{value}” đã được nhập lần 2.")
    first = dict(response.answers.values_list("question", "option"))
    mismatches = compare(response.group, response.unit_id, first, group, unit.pk, kept)
    entry = PaperEntry.objects.create(
        survey=survey,
        serial=value,
        group=group,
        unit=unit,
        answers=kept,
        enumerator=actor if getattr(actor, "is_authenticated", False) else None,
        mismatches=mismatches,
        resolved=not mismatches,
    )
    audit_record(
        actor=actor,
        verb="survey.paper_second",
        obj=entry,
        new={"serial": value, "mismatches": mismatches},
    )
    return entry


@transaction.atomic
def paper_resolve(*, actor: Any, entry: PaperEntry, take: str) -> PaperEntry:
    """The organizer resolves a double entry's mismatches: keep the first keying, or take the
    second (the response's group, unit and answers become the second keying's)."""
    survey = entry.survey
    require_period_admin(actor, survey.period_block.period)
    if take not in (KEEP_FIRST, TAKE_SECOND):
        raise DomainError("Chọn giữ lần nhập 1 hoặc lấy lần nhập 2.")
    if survey.frozen_at is not None:
        raise DomainError("Điểm điều tra đã được chốt: không sửa phiếu được nữa.")
    locked = PaperEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.resolved:
        raise DomainError(f"Phiếu số “{locked.serial}” đã được đối chiếu.")
    response = (
        Response.objects.select_for_update().filter(survey=survey, serial=locked.serial).first()
    )
    if response is None:
        raise DomainError(f"Không còn phiếu số “{locked.serial}” để đối chiếu.")
    first = dict(response.answers.values_list("question", "option"))
    old = {"group": response.group, "unit": response.unit_id, "answers": first}
    new = old
    if take == TAKE_SECOND:
        kept = check_answers(survey, locked.group, locked.answers)
        response.group = locked.group
        response.unit_id = locked.unit_id
        response.pattern = fraud.pattern_of(kept)
        response.save(update_fields=["group", "unit", "pattern"])
        response.answers.all().delete()
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=response, question=q, option=o) for q, o in kept.items()
        )
        new = {"group": locked.group, "unit": locked.unit_id, "answers": kept}
        survey_event(survey.pk, "response")
    locked.resolved = True
    locked.save(update_fields=["resolved"])
    audit_record(
        actor=actor,
        verb="survey.paper_resolve",
        obj=response,
        old=old,
        new=new,
        reason=(
            f"Đối chiếu phiếu số {locked.serial}: "
            + ("lấy lần nhập 2" if take == TAKE_SECOND else "giữ lần nhập 1")
        ),
    )
    return locked
