"""An appraisal under way, built through the real services: the province's 2026 period with
Sở Tư pháp and Sở Y tế sent; a council of ``chair``, ``appraiser`` (Sở Tư pháp) and
``appraiser2`` (Sở Y tế); every domain assigned to ``appraiser`` with ``appraiser2`` as the
substitute for Sở Tư pháp — so ``appraiser`` appraises Sở Y tế and ``appraiser2`` Sở Tư pháp.

``at(phase)`` moves the clock into a phase of the default calendar (Bắc Giang QT.CCHC.01)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import time_machine

from parindex.accounts.models import Membership
from parindex.accounts.services import membership_grant, user_create
from parindex.appraisal.services import assignment_set, council_for, member_add
from parindex.assessments.models import Entry, Status
from parindex.assessments.participation import period_add_units
from parindex.assessments.services import assessment_transition, entry_record
from parindex.frameworks.models import FrameworkNode
from parindex.periods.models import CouncilMember
from tests.conftest import PASSWORD
from tests.periods.factories import local, make_period

DAYS = {
    "self": local(2026, 10, 20, 9, 0),
    "round1": local(2026, 11, 20, 9, 0),
    "supplement": local(2026, 12, 3, 9, 0),
    "round2": local(2026, 12, 12, 9, 0),
    "consolidation": local(2026, 12, 22, 9, 0),
    "approval": local(2026, 12, 27, 9, 0),
}


def fill(assessment, user):
    """Answer every self-scored leaf (explanations where evidence is named)."""
    for entry in Entry.objects.filter(assessment=assessment).select_related("node"):
        node = entry.node
        if node.source == "survey":
            continue
        value, value2 = {
            "choice": (str(node.rule_params.get("options", [{}])[0].get("key")), ""),
            "boolean": ("yes", ""),
            "ratio": ("9", "10"),
            "count": ("1", ""),
            "deduction": ("0", ""),
            "number": ("0", ""),
            "relative": ("5", ""),
        }[node.rule_type]
        entry_record(
            actor=user, entry=entry, value=value, value2=value2,
            explanation="Theo Báo cáo số 12/BC" if node.evidence else None,
        )  # fmt: skip


def send(assessment, officer, leader):
    fill(assessment, officer)
    assessment_transition(actor=officer, assessment=assessment, to=Status.PENDING_APPROVAL)
    assessment_transition(actor=leader, assessment=assessment, to=Status.SUBMITTED)


@pytest.fixture
def clock():
    traveller = {"t": None}

    def at(phase):
        if traveller["t"] is not None:
            traveller["t"].stop()
        traveller["t"] = time_machine.travel(DAYS[phase], tick=False)
        traveller["t"].start()

    yield at
    if traveller["t"] is not None:
        traveller["t"].stop()


@pytest.fixture
def appraisal(province, clock):
    ns = SimpleNamespace(province=province, at=clock)
    clock("self")
    ns.period = make_period(province)
    ns.stp, ns.syt = period_add_units(
        actor=province.admin, period=ns.period, units=[province.stp, province.syt]
    )
    ns.syt_leader = user_create(actor=None, username="ld.syt", password=PASSWORD,
                                full_name="Bùi Thị Mai")  # fmt: skip
    membership_grant(actor=None, user=ns.syt_leader, unit=province.syt,
                     role=Membership.Role.UNIT_LEADER)  # fmt: skip
    ns.appraiser2 = user_create(actor=None, username="td.syt", password=PASSWORD,
                                full_name="Đinh Văn Sơn")  # fmt: skip
    council = council_for(ns.period)
    ns.council = council
    ns.seat2 = member_add(actor=province.admin, council=council, user=ns.appraiser2,
                          unit=province.syt, position=CouncilMember.Position.MEMBER)  # fmt: skip
    ns.seat1 = council.members.get(user=province.appraiser)
    domains = FrameworkNode.objects.filter(
        framework=ns.stp.framework, parent__isnull=True
    ).order_by("position")
    ns.domains = list(domains)
    for d in ns.domains:
        assignment_set(actor=province.admin, period=ns.period, node=d, member=ns.seat1,
                       substitute=ns.seat2)  # fmt: skip
    send(ns.stp, province.officer, province.leader)
    send(ns.syt, province.outsider, ns.syt_leader)
    for a in (ns.stp, ns.syt):
        a.refresh_from_db()
    return ns


def entry_of(assessment, code):
    return Entry.objects.select_related("node", "assessment").get(
        assessment=assessment, node__code=code
    )
