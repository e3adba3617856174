"""The API's world: the province's 2026 period (Sở Tư pháp = unit A, Sở Y tế = unit B) in
the self-assessment phase, a token for every persona (made through the service), and
``call(method, path, token=…, json=…)`` on the test client. The throttles' cache is emptied
around every test."""

from __future__ import annotations

import json as jsonlib
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from parindex.api.services import token_create
from parindex.appraisal.models import PeriodAppraisal
from parindex.assessments import scoring
from parindex.assessments.models import Assessment, Entry
from parindex.assessments.participation import period_add_units
from parindex.assessments.services import entry_record
from parindex.publication.models import Publication
from parindex.publication.services import publication_content
from tests.appraisal.conftest import DAYS
from tests.periods.factories import make_period

BASE = "/api/v1"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def in_self_assessment():
    with time_machine.travel(DAYS["self"], tick=False):
        yield


def make_token(user, name="Phần mềm tổng hợp"):
    _, raw = token_create(actor=user, user=user, name=name)
    return raw


@pytest.fixture
def world(province, in_self_assessment):
    w = SimpleNamespace(p=province)
    w.period = make_period(province)
    w.a, w.b = period_add_units(
        actor=province.admin, period=w.period, units=[province.stp, province.syt]
    )
    w.entry_a = Entry.objects.select_related("node").get(assessment=w.a, node__code="1.5")
    w.entry_b = Entry.objects.select_related("node").get(assessment=w.b, node__code="1.5")
    w.tokens = {
        name: make_token(getattr(province, name))
        for name in (
            "officer",
            "leader",
            "outsider",
            "admin",
            "district_admin",
            "appraiser",
            "chair",
            "sysadmin",
            "commune_officer",
        )
    }
    return w


@pytest.fixture
def call(client):
    def _call(method, path, *, token=None, json=None, **extra):
        headers = dict(extra)
        if token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        kwargs = {}
        if json is not None:
            kwargs = {"data": jsonlib.dumps(json), "content_type": "application/json"}
        return getattr(client, method.lower())(BASE + path, **kwargs, **headers)

    return _call


def approve_period(world, *, publish=True):
    """The period approved: a PeriodAppraisal with the frozen snapshot of its block so (the
    bridge's ``results_document``), as the chair's approval leaves it; and (``publish``) its
    version 1 published."""
    entry_record(actor=world.p.officer, entry=world.entry_a, value="2")
    items = list(Assessment.objects.filter(period=world.period).select_related("unit", "framework"))
    snapshot = {
        "format": "parindex.approved/v1",
        "period": {"id": world.period.pk, "name": world.period.name, "year": 2026},
        "blocks": {"so": {"block": "Khối sở, ban, ngành",
                          "results": scoring.results_document(items)}},
    }  # fmt: skip
    state = PeriodAppraisal.objects.create(
        period=world.period,
        review=PeriodAppraisal.Review.APPROVED,
        approved_at=timezone.now(),
        snapshot=snapshot,
        decision_number="123/QĐ-UBND",
    )
    if publish:  # version 1 on the public site, with the content period_publish freezes
        documents = {code: b["results"] for code, b in snapshot["blocks"].items()}
        Publication.objects.create(
            period=world.period,
            version=1,
            published_at=timezone.now(),
            content=publication_content(world.period, state, documents),
            content_sha256="0" * 64,
        )
    return state
