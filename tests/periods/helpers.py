"""Helpers for the progress, reminder and contributor tests: declared values written
straight to the rows (the declaring service and its rules are tested in tests/assessments),
evidence rows, units with e-mail addresses, the province's own self-assessment."""

from __future__ import annotations

import hashlib
import itertools

from parindex.accounts.models import Membership, User
from parindex.accounts.services import block_create, membership_grant, unit_create, user_create
from parindex.assessments.models import Assessment, Entry, Status
from parindex.assessments.participation import period_add_units
from parindex.evidence.models import EvidenceFile
from parindex.periods.models import Period
from tests.periods.factories import make_framework, make_period

_files = itertools.count(1)


def entry(assessment: Assessment, code: str) -> Entry:
    return Entry.objects.get(assessment=assessment, node__code=code)


def declare(
    assessment: Assessment,
    code: str,
    value: str = "",
    *,
    explanation: str = "",
    na: bool = False,
    by: User | None = None,
) -> Entry:
    """Write a declared value as the unit's officer would have (version bumped)."""
    e = entry(assessment, code)
    e.value = value
    e.explanation = explanation
    e.not_applicable = na
    e.version += 1
    e.updated_by = by
    e.save()
    return e


def attach(assessment: Assessment, code: str, name: str = "quyet-dinh.pdf") -> EvidenceFile:
    n = next(_files)
    return EvidenceFile.objects.create(
        assessment=assessment,
        entry=entry(assessment, code),
        storage_name=f"evidence/test/{n:06d}.pdf",
        original_name=name,
        size=1024,
        sha256=hashlib.sha256(str(n).encode()).hexdigest(),
        signature_status=EvidenceFile.SignatureStatus.UNSIGNED,
    )


def set_status(assessment: Assessment, status: str) -> Assessment:
    """Put an assessment in a status (the workflow is tested in tests/assessments)."""
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    assessment.status = status
    return assessment


def give_emails(province) -> None:
    for user in (province.admin, province.officer, province.leader, province.outsider):
        user.email = f"{user.username}@bacgiang.gov.vn"
        user.save(update_fields=["email"])


def period_with_units(province, units=None, **kw):
    period = make_period(province, **kw)
    assessments = period_add_units(
        actor=province.admin, period=period, units=units or [province.stp, province.syt]
    )
    return period, {a.unit.code: a for a in assessments}


def more_units(province, n: int, *, start: int = 1):
    """``n`` more departments of the block sở, each with an officer (with an address)."""
    units = []
    for i in range(start, start + n):
        unit = unit_create(
            actor=None,
            code=f"S{i:03d}",
            name=f"Sở số {i}",
            kind="department",
            parent=province.root,
            block=province.so,
        )
        user = user_create(
            actor=None,
            username=f"cv.s{i:03d}",
            password=None,
            full_name=f"Chuyên viên {i}",
            email=f"cv.s{i:03d}@bacgiang.gov.vn",
        )
        membership_grant(actor=None, user=user, unit=unit, role=Membership.Role.UNIT_OFFICER)
        units.append(unit)
    return units


def province_self_period(province, *, year: int = 2026):
    """The province's own self-assessment (Period.Kind.PROVINCE_SELF) with the province as
    the assessed unit."""
    from parindex.accounts.services import unit_update

    tinh = block_create(actor=None, code="tinh", name="Tỉnh (tự đánh giá)", position=9)
    root = unit_update(unit=province.root, actor=None, block=tinh)
    fw = make_framework(province.snv, tinh, year=year)
    period = make_period(
        province,
        year=year,
        frameworks={tinh: fw},
        kind=Period.Kind.PROVINCE_SELF,
        name=f"Tỉnh tự đánh giá Chỉ số CCHC năm {year}",
    )
    (assessment,) = period_add_units(actor=province.admin, period=period, units=[root])
    return period, assessment


__all__ = ["Status"]
