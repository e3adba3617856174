"""The respondent lists (danh sách người được khảo sát): a unit imports its list from the
XLSX template before the list deadline (the organizer may import for any unit at any time
while the survey is not closed), the organizer adds or removes one person.

Rules (issue 8 §3; 001 Thái Nguyên: "one person answers one form, no duplicates across
groups"):
- every row names a known group, a name, a well-formed e-mail (when given), and units that
  are rated in the survey (codes, comma-separated; empty = the unit that lists);
- one person is one e-mail or one phone number: twice in the file, or already on another
  unit's list (in any group), is a problem naming both rows/lists;
- all or nothing: a ``DomainError`` lists every problem with its row, nothing is saved;
- an import replaces the unit's list; refused while someone of that list has already been
  invited (their link would be lost) — the organizer then adds/removes one person;
- only counts go to the audit log, never the people's contacts or any token.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import Unit
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.periods.access import is_organizer_admin_of
from parindex.periods.calendar import fmt_date
from parindex.survey.access import unit_ids_for_survey_pages
from parindex.survey.definition import engine_survey
from parindex.survey.list_rules import list_closed_reason
from parindex.survey.models import ListReview, Respondent, RespondentUnit, Survey
from parindex.survey.selectors.lists import LIST_IMPORT_VERB, rated_units
from parindex.survey.xlsx_lists import ListRow

UNIT_SPLIT = re.compile(r"[,;\n]+")


@dataclass
class Candidate:
    """A checked row, ready to be stored."""

    row: int
    group: str
    name: str
    position: str
    email: str
    phone: str
    unit_ids: list[int] = field(default_factory=list)


def normal_phone(text: str) -> str:
    """Digits only, +84/84 written 0 (how two numbers are compared and stored)."""
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def _lock(survey: Survey) -> Survey:
    return (
        Survey.objects.select_for_update(of=("self",))
        .select_related("period_block__period__organizer")
        .get(pk=survey.pk)
    )


def is_organizer(actor: Any, survey: Survey) -> bool:
    return actor is None or is_organizer_admin_of(actor, survey.period_block.period.organizer)


def require_list_writer(actor: Any, survey: Survey, unit: Unit) -> None:
    """The organizer's admins at any time while the survey is not closed; the unit's officer
    or leader until the list deadline (inclusive) or the day the organizer reopened the
    list until, and not once the organizer has locked it (``list_rules``)."""
    if survey.status == Survey.Status.CLOSED or survey.frozen_at is not None:
        raise DomainError("Cuộc khảo sát đã kết thúc: không sửa được danh sách.")
    if is_organizer(actor, survey):
        return
    if unit.pk not in unit_ids_for_survey_pages(actor, survey):
        raise DomainError(f"Bạn không lập danh sách cho {unit.name}.")
    review = ListReview.objects.filter(survey=survey, unit=unit).first()
    why = list_closed_reason(survey, unit, review)
    if why:
        raise DomainError(why)


def _who(name: str, row: int | None, unit_code: str | None = None) -> str:
    if row is not None:
        return f"dòng {row}"
    return f"danh sách của {unit_code}" if unit_code else name


def check_rows(
    survey: Survey, unit: Unit, rows: Iterable[ListRow], *, exclude_listed_by: int | None
) -> tuple[list[Candidate], list[str]]:
    """The rows as candidates and every problem (``Dòng n: …``). Duplicates are looked for in
    the rows and among the survey's other respondents (all but those listed by
    ``exclude_listed_by``, the list being replaced)."""
    es = engine_survey(survey)
    groups = {g.code.casefold(): g.code for g in es.groups}
    units = {u.code.casefold(): u for u in rated_units(survey)}
    others = Respondent.objects.filter(survey=survey).select_related("listed_by")
    if exclude_listed_by is not None:
        others = others.exclude(listed_by_id=exclude_listed_by)
    seen_email: dict[str, str] = {}
    seen_phone: dict[str, str] = {}
    for o in others.only("name", "email", "phone", "group", "listed_by__code"):
        where = f"{o.name} ({o.group}, danh sách của {o.listed_by.code if o.listed_by else '—'})"
        if o.email:
            seen_email.setdefault(o.email.casefold(), where)
        if o.phone:
            seen_phone.setdefault(normal_phone(o.phone), where)
    problems: list[str] = []
    out: list[Candidate] = []
    for r in rows:
        mine: list[str] = []
        group = groups.get(r.group.casefold())
        if not r.group:
            mine.append("chưa ghi nhóm đối tượng")
        elif group is None:
            mine.append(
                f"nhóm đối tượng “{r.group}” không có trong phiếu điều tra (các nhóm: "
                + ", ".join(g.code for g in es.groups)
                + ")"
            )
        if not r.name:
            mine.append("chưa ghi họ và tên")
        email = r.email.strip().casefold()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                mine.append(f"thư điện tử “{r.email}” không đúng định dạng")
                email = ""
        phone = normal_phone(r.phone)
        if r.phone and not 9 <= len(phone) <= 11:
            mine.append(f"số điện thoại “{r.phone}” không đúng")
            phone = ""
        unit_ids: list[int] = []
        codes = [c.strip() for c in UNIT_SPLIT.split(r.units) if c.strip()]
        if not codes:
            if unit.code.casefold() in units:
                unit_ids = [unit.pk]
            else:
                mine.append("chưa ghi đơn vị được đánh giá")
        for code in codes:
            u = units.get(code.casefold())
            if u is None:
                mine.append(f"mã đơn vị “{code}” không phải đơn vị được khảo sát")
            elif u.pk not in unit_ids:
                unit_ids.append(u.pk)
        here = f"dòng {r.row} ({r.name})"
        if email:
            if email in seen_email:
                mine.append(f"thư điện tử {email} trùng với {seen_email[email]}")
            else:
                seen_email[email] = here
        if phone:
            if phone in seen_phone:
                mine.append(f"số điện thoại {phone} trùng với {seen_phone[phone]}")
            else:
                seen_phone[phone] = here
        if mine:
            problems.append(f"Dòng {r.row}: " + "; ".join(mine) + ".")
            continue
        out.append(
            Candidate(
                row=r.row,
                group=group or r.group,
                name=r.name[:200],
                position=r.position[:300],
                email=email,
                phone=phone,
                unit_ids=unit_ids,
            )
        )
    return out, problems


def _create(survey: Survey, listed_by: Unit | None, items: list[Candidate]) -> list[Respondent]:
    people = Respondent.objects.bulk_create(
        Respondent(
            survey=survey,
            group=c.group,
            name=c.name,
            position=c.position,
            email=c.email,
            phone=c.phone,
            listed_by=listed_by,
        )
        for c in items
    )
    RespondentUnit.objects.bulk_create(
        RespondentUnit(respondent=p, unit_id=u)
        for p, c in zip(people, items, strict=True)
        for u in c.unit_ids
    )
    return people


@transaction.atomic
def respondents_import(*, actor: Any, survey: Survey, unit: Unit, rows: list[ListRow]) -> int:
    """Replace ``unit``'s list with ``rows`` (read from the XLSX outside the transaction);
    returns how many people are listed. All or nothing."""
    survey = _lock(survey)  # one import at a time per survey: duplicates across lists
    require_list_writer(actor, survey, unit)
    if not rows:
        raise DomainError("Tệp không có dòng dữ liệu nào để nhập.")
    current = Respondent.objects.filter(survey=survey, listed_by=unit)
    invited = current.filter(invited_at__isnull=False).count()
    if invited:
        raise DomainError(
            f"Đã gửi thư mời cho {invited} người trong danh sách của {unit.name}: không thay "
            "được cả danh sách. Sở Nội vụ thêm hoặc bớt từng người trên trang danh sách."
        )
    items, problems = check_rows(survey, unit, rows, exclude_listed_by=unit.pk)
    if problems:
        raise DomainError(
            f"Danh sách có {len(problems)} dòng lỗi: chưa lưu gì. Sửa các dòng sau rồi tải lên lại.",
            problems=problems,
        )
    replaced = current.count()
    current.delete()
    _create(survey, unit, items)
    audit_record(
        actor=actor,
        verb=LIST_IMPORT_VERB,
        obj=survey,
        new={"unit_id": unit.pk, "unit": unit.code, "count": len(items), "replaced": replaced},
    )
    return len(items)


@transaction.atomic
def respondent_add(
    *,
    actor: Any,
    survey: Survey,
    listed_by: Unit,
    group: str,
    name: str,
    position: str = "",
    email: str = "",
    phone: str = "",
    units: str = "",
) -> Respondent:
    """The organizer adds one person to ``listed_by``'s list (same checks as an import)."""
    survey = _lock(survey)
    if not is_organizer(actor, survey):
        raise DomainError("Chỉ Sở Nội vụ (đơn vị tổ chức) thêm được từng người.")
    require_list_writer(actor, survey, listed_by)
    row = ListRow(
        row=1, group=group, name=name, position=position, email=email, phone=phone, units=units
    )
    items, problems = check_rows(survey, listed_by, [row], exclude_listed_by=None)
    if problems:
        raise DomainError(
            "Không thêm được: " + problems[0].removeprefix("Dòng 1: "), problems=problems
        )
    (person,) = _create(survey, listed_by, items)
    audit_record(
        actor=actor,
        verb="survey.respondent_add",
        obj=person,
        new={"group": person.group, "name": person.name, "unit": listed_by.code},
    )
    return person


@transaction.atomic
def respondent_remove(*, actor: Any, respondent: Respondent, reason: str = "") -> None:
    """The organizer removes one person who has not answered yet (their link stops working)."""
    survey = _lock(respondent.survey)
    if not is_organizer(actor, survey):
        raise DomainError("Chỉ Sở Nội vụ (đơn vị tổ chức) bớt được từng người.")
    person = Respondent.objects.select_for_update().get(pk=respondent.pk, survey=survey)
    if RespondentUnit.objects.filter(respondent=person, answered_on__isnull=False).exists():
        raise DomainError(
            f"{person.name} đã trả lời: không bớt khỏi danh sách được (số phiếu đã thu giữ nguyên)."
        )
    audit_record(
        actor=actor,
        verb="survey.respondent_remove",
        obj=person,
        old={"group": person.group, "name": person.name},
        reason=reason,
    )
    person.delete()


# ---------------------------------------------------------------- the organizer's review


def _require_organizer(actor: Any, survey: Survey) -> None:
    if not is_organizer(actor, survey):
        raise DomainError("Chỉ Sở Nội vụ (đơn vị tổ chức) khóa hoặc mở lại danh sách.")
    if survey.status == Survey.Status.CLOSED or survey.frozen_at is not None:
        raise DomainError("Cuộc khảo sát đã kết thúc: không khóa hoặc mở lại danh sách được.")


def _review_state(review: ListReview | None) -> dict[str, Any]:
    if review is None:
        return {"locked": False, "reopened_until": None}
    until = review.reopened_until
    return {"locked": review.locked_at is not None, "reopened_until": until and until.isoformat()}


def _rated(survey: Survey, unit: Unit) -> None:
    if unit.pk not in {u.pk for u in rated_units(survey)}:
        raise DomainError(f"{unit.name} không thuộc khối của cuộc khảo sát.")


@transaction.atomic
def list_lock(*, actor: Any, survey: Survey, unit: Unit) -> ListReview:
    """The organizer has reviewed ``unit``'s list and locks it: the unit can no longer
    replace it (the organizer still adds or removes one person)."""
    survey = _lock(survey)
    _require_organizer(actor, survey)
    _rated(survey, unit)
    review, _ = ListReview.objects.select_for_update().get_or_create(survey=survey, unit=unit)
    review.unit = unit
    if review.locked_at is not None:
        raise DomainError(f"Danh sách của {unit.name} đã được khóa.")
    old = _review_state(review)
    review.locked_at = timezone.now()
    review.locked_by = actor if getattr(actor, "is_authenticated", False) else None
    review.reopened_until = None
    review.save()
    audit_record(
        actor=actor,
        verb="survey.list_lock",
        obj=review,
        old=old,
        new=_review_state(review),
    )
    return review


@transaction.atomic
def list_lock_all(*, actor: Any, survey: Survey) -> int:
    """Lock every list a unit has sent (at least one person) and not yet locked; returns how
    many were locked."""
    survey = _lock(survey)
    _require_organizer(actor, survey)
    sent = set(
        Respondent.objects.filter(survey=survey, listed_by__isnull=False).values_list(
            "listed_by_id", flat=True
        )
    )
    units = [u for u in rated_units(survey) if u.pk in sent]
    reviews = {r.unit_id: r for r in ListReview.objects.select_for_update().filter(survey=survey)}
    now = timezone.now()
    locked = []
    for unit in units:
        review = reviews.get(unit.pk) or ListReview(survey=survey, unit=unit)
        if review.locked_at is not None:
            continue
        review.locked_at = now
        review.locked_by = actor if getattr(actor, "is_authenticated", False) else None
        review.reopened_until = None
        review.save()
        locked.append(unit.code)
    if not locked:
        raise DomainError("Không còn danh sách nào đã gửi mà chưa khóa.")
    audit_record(actor=actor, verb="survey.list_lock_all", obj=survey, new={"units": locked})
    return len(locked)


@transaction.atomic
def list_unlock(
    *, actor: Any, survey: Survey, unit: Unit, until: dt.date, reason: str
) -> ListReview:
    """The organizer reopens ``unit``'s list for the unit to change until ``until``
    (inclusive; after the list deadline too), with a reason."""
    survey = _lock(survey)
    _require_organizer(actor, survey)
    _rated(survey, unit)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Ghi lý do mở lại danh sách (đơn vị sẽ thấy).")
    today = timezone.localdate()
    if until < today:
        raise DomainError(f"Ngày mở lại đến ({fmt_date(until)}) đã qua.")
    if survey.closes_on is not None and until > survey.closes_on:
        raise DomainError(
            f"Chỉ mở lại được đến hết ngày kết thúc khảo sát ({fmt_date(survey.closes_on)})."
        )
    review, _ = ListReview.objects.select_for_update().get_or_create(survey=survey, unit=unit)
    review.unit = unit
    old = _review_state(review)
    review.locked_at = None
    review.locked_by = None
    review.reopened_until = until
    review.note = reason
    review.save()
    audit_record(
        actor=actor,
        verb="survey.list_unlock",
        obj=review,
        old=old,
        new=_review_state(review),
        reason=reason,
    )
    return review
