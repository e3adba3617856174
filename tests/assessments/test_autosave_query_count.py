"""The autosave runs a fixed number of queries, whatever the number of leaves, and answers the
same subtotals whether the tree comes from the cached engine framework or the stored nodes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parindex.accounts.models import Membership
from parindex.accounts.services import membership_grant, user_create
from parindex.assessments import selectors
from parindex.assessments.models import Entry
from parindex.assessments.participation import period_add_units
from parindex.frameworks.models import FrameworkNode
from parindex.frameworks.services import framework_activate, framework_import
from tests.assessments.test_workspace_views import (
    _save,
    at_work,  # noqa: F401 - fixture
    big_spec,
)

# Access: session, user, the entry with its node and its assessment (period, organizer, unit,
# framework) in one query, the calendar, the user's roles. Service, in a transaction (a
# savepoint in tests): the assessment row locked, the entry locked with a fresh assessment row
# (the node is reused), its update, the assessment's totals (the entries through the bridge,
# update), the audit row. Answer: the bridge's scores of the save itself (no query).
AUTOSAVE_QUERIES = 13

pytestmark = pytest.mark.usefixtures("at_work")  # in the self-assessment window


@pytest.fixture
def district_officer(province):
    user = user_create(actor=None, username="cv.yendung", password=None, full_name="Đỗ Văn An")
    membership_grant(
        actor=None, user=user, unit=province.district, role=Membership.Role.UNIT_OFFICER
    )
    return user


@pytest.fixture
def big_assessment(province, assessment):
    """A district's assessment of a 90-leaf framework in the same period (same calendar) as
    the 53-leaf ``assessment`` of Sở Tư pháp."""
    framework = framework_import(
        actor=None, owner=province.snv, data=big_spec(2026, "huyen"), source="big.yaml"
    )
    framework_activate(actor=None, framework=framework)
    period = assessment.period
    period.blocks.create(block=province.huyen, framework=framework)
    (big,) = period_add_units(actor=province.admin, period=period, units=[province.district])
    return big


def _boolean_entry(assessment) -> Entry:
    return (
        Entry.objects.filter(assessment=assessment, node__rule_type="boolean")
        .select_related("node")
        .order_by("node__position")
        .first()
    )


@pytest.mark.parametrize("which", ["assessment", "big_assessment"])
def test_an_autosave_runs_the_same_queries_for_53_and_90_leaves(
    login, province, request, which, django_assert_num_queries
):
    assessment = request.getfixturevalue(which)
    leaves = Entry.objects.filter(assessment=assessment).count()
    assert leaves == {"assessment": 53, "big_assessment": 90}[which]
    officer = (
        province.officer if which == "assessment" else request.getfixturevalue("district_officer")
    )
    client = login(officer)
    entry = _boolean_entry(assessment)
    assert _save(client, assessment, entry, value="no").status_code == 200  # warm the caches
    entry.refresh_from_db()
    url = reverse("assessments:autosave", args=[assessment.pk, entry.pk])
    data = {"value": "yes", "value2": "", "explanation": "Kế hoạch số 1", "version": entry.version}
    with django_assert_num_queries(AUTOSAVE_QUERIES):
        response = client.post(url, data)
    assert response.status_code == 200, response.content
    assert response.json()["ok"] is True


def test_the_subtotals_are_the_bridges_and_add_up_the_leaves_self_scores(
    login, big_assessment, district_officer
):
    client = login(district_officer)
    for entry in Entry.objects.filter(assessment=big_assessment).select_related("node")[:40]:
        value = {"boolean": "yes", "count": "1", "ratio": "1", "choice": "a"}[entry.node.rule_type]
        value2 = "2" if entry.node.rule_type == "ratio" else ""
        assert _save(client, big_assessment, entry, value=value, value2=value2).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        answer = selectors.entry_scores(big_assessment)
    assert len(queries.captured_queries) == 1  # the entries; the framework is cached
    assert answer["total"] > 0 and len(answer["subtotals"]) == 9 + 18
    # the same sums walked here from the stored self scores
    nodes = {n.pk: n for n in FrameworkNode.objects.filter(framework=big_assessment.framework)}
    expected: dict[str, Decimal] = {n.code: Decimal(0) for n in nodes.values() if not n.rule_type}
    for entry in Entry.objects.filter(assessment=big_assessment):
        parent = nodes[entry.node_id].parent_id
        while parent is not None:
            expected[nodes[parent].code] += entry.self_score or 0
            parent = nodes[parent].parent_id
    assert answer["subtotals"] == expected
    assert answer["total"] == sum(
        (e.self_score or 0 for e in Entry.objects.filter(assessment=big_assessment)), Decimal(0)
    )
