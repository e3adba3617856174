"""Frameworks, periods and assessments for tests, built from the public example so-demo.yaml
through the frameworks app's own import service."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from parindex.assessments.participation import period_add_units
from parindex.frameworks.models import Framework
from parindex.frameworks.services import framework_activate, framework_archive, framework_import
from parindex.periods.services import period_create

SO_DEMO = Path("/work/shared/spec/examples/so-demo.yaml")


def _spec() -> dict[str, Any]:
    return yaml.safe_load(SO_DEMO.read_text(encoding="utf-8"))


def make_framework(
    owner, block, *, year: int = 2026, code: str | None = None, status=Framework.Status.ACTIVE
) -> Framework:
    """The so-demo framework imported for ``owner`` as ``block``'s framework of ``year``."""
    spec = _spec()
    spec["code"] = code or f"{block.code.upper()}-{owner.code}-{year}"
    spec["year"] = year
    spec["block"] = block.code
    spec["title"] = f"Bộ tiêu chí Chỉ số CCHC {block.name.lower()} năm {year}"
    fw = framework_import(actor=None, owner=owner, data=spec, source="so-demo.yaml")
    if status == Framework.Status.ACTIVE:
        framework_activate(actor=None, framework=fw)
    elif status == Framework.Status.ARCHIVED:
        framework_archive(actor=None, framework=fw)
    fw.refresh_from_db()
    return fw


def demo_leaf_count() -> int:
    count = 0

    def walk(node: dict[str, Any]) -> None:
        nonlocal count
        if node.get("children"):
            for child in node["children"]:
                walk(child)
        else:
            count += 1

    for root in _spec()["nodes"]:
        walk(root)
    return count


def make_period(province, *, year: int = 2026, frameworks: dict | None = None, **kw):
    """A period of the province's Sở Nội vụ for the block sở (and others given)."""
    if frameworks is None:
        frameworks = {province.so: make_framework(province.snv, province.so, year=year)}
    council = kw.pop("council", True)
    period = period_create(
        actor=province.admin,
        organizer=province.snv,
        year=year,
        name=kw.pop("name", f"Xác định Chỉ số CCHC năm {year}"),
        blocks=list(frameworks.items()),
        **kw,
    )
    if council:
        seat_council(province, period)
    return period


def seat_council(province, period):
    """The period's council: ``appraiser`` (Ủy viên, Sở Tư pháp) and ``chair`` (Chủ tịch):
    their appraiser's and chair's rights in this period come from these seats."""
    from parindex.appraisal.services import council_for, member_add
    from parindex.periods.models import CouncilMember

    P = CouncilMember.Position
    council = council_for(period)
    member_add(actor=None, council=council, user=province.chair, unit=province.root,
               position=P.CHAIR, title="Phó Chủ tịch UBND tỉnh")  # fmt: skip
    member_add(actor=None, council=council, user=province.appraiser, unit=province.stp,
               position=P.MEMBER, title="Phó Giám đốc Sở Tư pháp")  # fmt: skip
    return council


def make_assessment(province, *, unit=None, year: int = 2026):
    period = make_period(province, year=year)
    (assessment,) = period_add_units(
        actor=province.admin, period=period, units=[unit or province.stp]
    )
    return assessment


def local(y: int, m: int, d: int, hh: int = 12, mm: int = 0) -> dt.datetime:
    """An aware local (Asia/Ho_Chi_Minh) datetime, for time_machine."""
    from zoneinfo import ZoneInfo

    return dt.datetime(y, m, d, hh, mm, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
