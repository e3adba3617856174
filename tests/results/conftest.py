"""The appraisal under way of ``tests/appraisal/conftest.py`` (Sở Tư pháp and Sở Y tế of the
province's 2026 period, their council and assignment), and ``approved(ns)``: through both
rounds (Sở Tư pháp's 1.6 adjusted 9/10 → 1/2 with a reason, 1.2 asked about and answered),
a survey score on 1.7, submitted and approved by the chair, the publication decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from parindex.appraisal.services import (
    chair_approve,
    consolidation_submit,
    publication_decision_record,
)
from parindex.assessments.models import Entry
from tests.appraisal.conftest import appraisal, clock  # noqa: F401 - fixtures
from tests.appraisal.test_flow import _through_round_two


def through_round_two(ns):
    _through_round_two(ns)
    ns.at("consolidation")
    # the survey's points (the survey service writes them at consolidation)
    Entry.objects.filter(assessment=ns.stp, node__code="1.7").update(survey_score=Decimal("3"))
    Entry.objects.filter(assessment=ns.syt, node__code="1.7").update(survey_score=Decimal("2"))


def approve(ns, *, decision=True):
    ns.at("approval")
    consolidation_submit(actor=ns.province.admin, period=ns.period)
    state = chair_approve(actor=ns.province.chair, period=ns.period)
    if decision:
        state = publication_decision_record(
            actor=ns.province.admin,
            period=ns.period,
            number="345/QĐ-UBND",
            date=dt.date(2026, 12, 29),
            signer="Vũ Mạnh Hùng",
        )
    for a in (ns.stp, ns.syt):
        a.refresh_from_db()
    return state


@pytest.fixture
def approved(appraisal):  # noqa: F811 - the imported fixture
    ns = appraisal
    through_round_two(ns)
    ns.state = approve(ns)
    return ns
