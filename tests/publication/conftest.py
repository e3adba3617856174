"""``published(ns)``: the approved 2026 period of ``tests/results/conftest.py`` (Sở Tư pháp and
Sở Y tế, the decision 345/QĐ-UBND recorded) published by the province's admin."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from parindex.publication.services import period_publish
from tests.appraisal.conftest import appraisal, clock  # noqa: F401 - fixtures
from tests.results.conftest import approved  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(approved):  # noqa: F811 - the imported fixture
    ns = approved
    ns.publication = period_publish(actor=ns.province.admin, period=ns.period, note="")
    return ns


def ranking_url(ns, block="so"):
    return f"/cong-khai/{ns.period.organizer.code}/{ns.period.year}/{block}/"
