"""The sample design (quota matrix) of a block's survey: one cell per respondent group × unit
of the block taking part in the period — the number of forms to collect and whether the
group is surveyed in full (census, e.g. "all leaders"). Every change is one bulk write
(insert or update on the unique survey × group × unit), atomic and audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from parindex.accounts.models import Unit
from parindex.assessments.models import Assessment
from parindex.audit.services import audit_record
from parindex.common.errors import DomainError
from parindex.periods.services import require_period_admin
from parindex.survey.models import Quota, Survey

MAX_TARGET = 100_000


@dataclass(frozen=True)
class Cell:
    group: str
    unit_id: int
    target: int
    census: bool = False


def quota_units(survey: Survey) -> list[Unit]:
    """The units of the survey's block taking part in its period, by code."""
    pb = survey.period_block
    return list(
        Unit.objects.filter(
            pk__in=Assessment.objects.filter(
                period_id=pb.period_id, unit__block_id=pb.block_id
            ).values("unit_id")
        ).order_by("code", "pk")
    )


def quota_groups(survey: Survey) -> list[tuple[str, str]]:
    """(code, title) of the definition's groups, in its order."""
    return [(str(g["code"]), str(g["title"])) for g in survey.definition.get("groups", [])]


def _locked(survey_pk: int) -> Survey:
    return (
        Survey.objects.select_for_update(of=("self",))
        .select_related("period_block__period__organizer")
        .get(pk=survey_pk)
    )


def _require_changeable(survey: Survey) -> None:
    if survey.frozen_at is not None:
        raise DomainError("Điểm điều tra đã được chốt: không sửa được chỉ tiêu mẫu.")
    if survey.status == Survey.Status.CLOSED:
        raise DomainError("Cuộc khảo sát đã kết thúc: không sửa được chỉ tiêu mẫu.")


def _write(survey: Survey, cells: list[Cell]) -> None:
    Quota.objects.bulk_create(
        [
            Quota(survey=survey, group=c.group, unit_id=c.unit_id, target=c.target, census=c.census)
            for c in cells
        ],  # fmt: skip
        update_conflicts=True,
        unique_fields=["survey", "group", "unit"],
        update_fields=["target", "census"],
    )


def _check(survey: Survey, cells: list[Cell], units_list: list[Unit] | None = None) -> None:
    groups = {code for code, _ in quota_groups(survey)}
    units = {u.pk: u for u in (quota_units(survey) if units_list is None else units_list)}
    problems: list[str] = []
    for c in cells:
        if c.group not in groups:
            problems.append(f"Nhóm {c.group} không có trong phiếu điều tra.")
        if c.unit_id not in units:
            problems.append(f"Đơn vị #{c.unit_id} không tham gia khối này trong đợt đánh giá.")
        if not 0 <= c.target <= MAX_TARGET:
            name = units[c.unit_id].name if c.unit_id in units else f"#{c.unit_id}"
            problems.append(
                f"Nhóm {c.group}, {name}: số phiếu phải từ 0 đến {MAX_TARGET:,}".replace(",", ".")
                + "."
            )
    if problems:
        raise DomainError(
            f"Chỉ tiêu mẫu có {len(problems)} lỗi: chưa lưu gì.",
            problems=list(dict.fromkeys(problems)),
        )


@transaction.atomic
def quota_set(*, actor: Any, survey: Survey, cells: list[Cell]) -> int:
    """Save the given cells (others unchanged); returns how many changed."""
    survey = _locked(survey.pk)
    require_period_admin(actor, survey.period_block.period)
    _require_changeable(survey)
    _check(survey, cells)
    old = {
        (q.group, q.unit_id): (q.target, q.census)
        for q in Quota.objects.filter(survey=survey).only("group", "unit_id", "target", "census")
    }
    changed = [
        c for c in cells if old.get((c.group, c.unit_id), (0, False)) != (c.target, c.census)
    ]
    if not changed:
        return 0
    _write(survey, changed)
    audit_record(
        actor=actor,
        verb="survey.quota",
        obj=survey,
        old={
            f"{c.group}/{c.unit_id}": list(old.get((c.group, c.unit_id), (0, False)))
            for c in changed
        },
        new={f"{c.group}/{c.unit_id}": [c.target, c.census] for c in changed},
    )
    return len(changed)


@transaction.atomic
def quota_bulk_fill(
    *, actor: Any, survey: Survey, group: str, target: int | None = None, census: bool | None = None
) -> int:
    """Every unit of the block for one group: ``target`` forms (``None``: keep each cell's)
    and/or census on or off (``None``: keep)."""
    if target is None and census is None:
        raise DomainError("Nhập số phiếu mỗi đơn vị hoặc chọn khảo sát toàn bộ.")
    survey = _locked(survey.pk)
    require_period_admin(actor, survey.period_block.period)
    _require_changeable(survey)
    old = {
        q.unit_id: (q.target, q.census)
        for q in Quota.objects.filter(survey=survey, group=group).only(
            "unit_id", "target", "census"
        )
    }
    cells = []
    units = quota_units(survey)
    for unit in units:
        was = old.get(unit.pk, (0, False))
        cells.append(
            Cell(
                group,
                unit.pk,
                was[0] if target is None else target,
                was[1] if census is None else census,
            )
        )
    _check(survey, cells, units)
    _write(survey, cells)
    audit_record(
        actor=actor,
        verb="survey.quota_fill",
        obj=survey,
        new={"group": group, "target": target, "census": census, "units": len(cells)},
    )
    return len(cells)
