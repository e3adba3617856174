"""A 2026 period of the province's Sở Nội vụ for the block sở (the so-demo framework), its
units STP and SYT taking part, and the block's survey built from the public example
so-demo-survey.yaml (its block, year and framework code adapted), open for answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from django.utils import timezone

from parindex.accounts.models import Membership
from parindex.accounts.services import membership_grant, user_create
from parindex.assessments.participation import period_add_units
from parindex.survey.services.lifecycle import survey_create, survey_set_window, survey_transition
from tests.conftest import PASSWORD
from tests.periods.factories import make_period

SURVEY_DEMO = Path("/work/shared/spec/examples/so-demo-survey.yaml")


def survey_data(framework) -> dict:
    data = yaml.safe_load(SURVEY_DEMO.read_text(encoding="utf-8"))
    data["year"] = framework.year
    data["block"] = framework.block.code
    data["framework"] = framework.code
    data["code"] = f"XHH-{framework.code}"
    return data


@pytest.fixture
def surveyed(province):
    """``ns.survey`` (open from 10 days ago to 30 days ahead, lists due in 5 days), ``ns.period``,
    ``ns.pb`` (the sở block), ``ns.stp``/``ns.syt`` (assessments), ``ns.enumerator`` (an
    Điều tra viên account of the Sở Nội vụ)."""
    ns = SimpleNamespace(province=province)
    ns.period = make_period(province)
    ns.pb = ns.period.blocks.select_related("framework", "block").get()
    ns.stp, ns.syt = period_add_units(
        actor=province.admin, period=ns.period, units=[province.stp, province.syt]
    )
    today = timezone.localdate()
    ns.survey = survey_create(
        actor=province.admin, period_block=ns.pb, data=survey_data(ns.pb.framework)
    )
    survey_set_window(
        actor=province.admin,
        survey=ns.survey,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
        lists_due_on=today + dt.timedelta(days=5),
        public_enabled=True,
    )
    ns.survey = survey_transition(actor=province.admin, survey=ns.survey, to="open")
    ns.enumerator = user_create(
        actor=None, username="dtv.buudien", password=PASSWORD, full_name="Bùi Văn Điền"
    )
    membership_grant(
        actor=None, user=ns.enumerator, unit=province.snv, role=Membership.Role.ENUMERATOR
    )
    return ns
