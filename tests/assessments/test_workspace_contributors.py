"""The province's own self-assessment: contributors see and fill only their leaves; the Sở Nội
vụ (organizer) completes the whole."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from parindex.accounts.models import Membership
from parindex.accounts.services import block_create, membership_grant, unit_update
from parindex.assessments.models import Entry
from parindex.assessments.participation import period_add_units
from parindex.periods.models import Period
from tests.periods.factories import local, make_framework, make_period


@pytest.fixture
def province_self(province):
    tinh = block_create(actor=None, code="tinh", name="Cấp tỉnh", position=0)
    unit_update(actor=None, unit=province.root, block=tinh)
    fw = make_framework(province.snv, tinh, year=2026)
    period = make_period(province, frameworks={tinh: fw}, kind=Period.Kind.PROVINCE_SELF)
    (assessment,) = period_add_units(actor=province.admin, period=period, units=[province.root])
    # Leaf 1.2 is assigned to Sở Y tế (the assignment page belongs to the organizer side).
    Entry.objects.filter(assessment=assessment, node__code="1.2").update(contributor=province.syt)
    membership_grant(
        actor=None, user=province.officer, unit=province.root, role=Membership.Role.UNIT_OFFICER
    )
    with time_machine.travel(local(2026, 10, 20, 10, 0), tick=False):
        yield assessment


def _entry(assessment, code):
    return Entry.objects.get(assessment=assessment, node__code=code)


def _save(client, assessment, entry, value):
    url = reverse("assessments:autosave", args=[assessment.pk, entry.pk])
    return client.post(url, {"value": value, "version": entry.version})


def test_a_contributor_sees_only_its_leaves(login, province, province_self):
    client = login(province.outsider)  # officer of Sở Y tế
    html = client.get(reverse("assessments:table", args=[province_self.pk])).content.decode()
    mine = _entry(province_self, "1.2")
    other = _entry(province_self, "1.4")
    assert f'id="leaf-{mine.pk}"' in html
    assert f'id="leaf-{other.pk}"' not in html
    assert "được phân công cho đơn vị mình" in html


def test_a_contributor_fills_its_leaf_and_nothing_else(login, province, province_self):
    client = login(province.outsider)
    assert _save(client, province_self, _entry(province_self, "1.2"), "yes").status_code == 200
    assert _save(client, province_self, _entry(province_self, "1.4"), "yes").status_code == 404
    other = _entry(province_self, "1.4")
    history = reverse("assessments:entry-history", args=[province_self.pk, other.pk])
    assert client.get(history).status_code == 404
    assert other.value == ""


def test_a_contributor_cannot_send_the_whole(login, province, province_self):
    client = login(province.outsider)
    client.post(reverse("assessments:send", args=[province_self.pk]), {"to": "pending_approval"})
    province_self.refresh_from_db()
    assert province_self.status == "draft"


def test_the_organizer_and_the_province_officer_complete_every_leaf(login, province, province_self):
    assert _save(login(province.admin), province_self, _entry(province_self, "1.4"), "yes").json()[
        "ok"
    ]
    assert _save(login(province.officer), province_self, _entry(province_self, "1.2"), "no").json()[
        "ok"
    ]


def test_other_units_officers_still_get_404(login, province, province_self):
    client = login(province.commune_officer)
    assert client.get(reverse("assessments:table", args=[province_self.pk])).status_code == 404


def test_a_contributor_gets_the_evidence_drop_zone_on_its_leaf(login, province, province_self):
    client = login(province.outsider)
    html = client.get(reverse("assessments:table", args=[province_self.pk])).content.decode()
    mine = _entry(province_self, "1.2")
    assert reverse("evidence:upload", args=[mine.pk]) in html


def test_the_organizer_gets_the_drop_zone_on_every_leaf(login, province, province_self):
    html = (
        login(province.admin)
        .get(reverse("assessments:table", args=[province_self.pk]))
        .content.decode()
    )
    for code in ("1.2", "1.4"):
        assert reverse("evidence:upload", args=[_entry(province_self, code).pk]) in html
