"""Evidence in the province's own self-assessment (Period.Kind.PROVINCE_SELF): a contributing
department attaches and removes files on the leaves assigned to it, and only there; the Sở Nội
vụ (organizer), who completes the whole, on every leaf. Same rule as declaring values
(``assessments.access.can_declare``)."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from parindex.accounts.models import Membership, Unit
from parindex.accounts.services import (
    block_create,
    membership_grant,
    unit_create,
    unit_update,
    user_create,
)
from parindex.assessments.models import Entry
from parindex.assessments.participation import period_add_units
from parindex.common.errors import DomainError
from parindex.evidence.models import EvidenceFile
from parindex.evidence.services import evidence_remove, evidence_upload
from parindex.periods.models import Period
from tests.evidence import pdfs
from tests.evidence.conftest import load_entry, upload
from tests.periods.factories import local, make_framework, make_period

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def tinh(province):
    """The province self-assessment: leaf 1.2 assigned to Sở Y tế (officer ``outsider``), leaf
    1.5 to Sở Tài chính (officer ``stc_officer``), the rest unassigned."""
    ns = province
    block = block_create(actor=None, code="tinh", name="Cấp tỉnh", position=0)
    unit_update(actor=None, unit=ns.root, block=block)
    ns.stc = unit_create(
        actor=None, code="STC", name="Sở Tài chính", kind=Unit.Kind.DEPARTMENT, parent=ns.root
    )
    ns.stc_officer = user_create(
        actor=None, username="cv.stc", password=ns.password, full_name="Lý Thị Mai"
    )
    membership_grant(
        actor=None, user=ns.stc_officer, unit=ns.stc, role=Membership.Role.UNIT_OFFICER
    )
    fw = make_framework(ns.snv, block, year=2026)
    period = make_period(ns, frameworks={block: fw}, kind=Period.Kind.PROVINCE_SELF)
    (ns.assessment,) = period_add_units(actor=ns.admin, period=period, units=[ns.root])
    entries = {e.node.code: e for e in ns.assessment.entries.select_related("node")}
    ns.mine = entries["1.2"]
    ns.theirs = entries["1.5"]
    ns.unassigned = entries["1.4"]
    Entry.objects.filter(pk=ns.mine.pk).update(contributor=ns.syt)
    Entry.objects.filter(pk=ns.theirs.pk).update(contributor=ns.stc)
    with time_machine.travel(local(2026, 10, 20, 10, 0), tick=False):
        yield ns


def _upload(client, entry, name="a.pdf"):
    url = reverse("evidence:upload", args=[entry.pk])
    return client.post(url, {"files": [upload(name, pdfs.make_pdf(name))]}, **JSON)


def _attach(actor, entry, name):
    return evidence_upload(
        actor=actor, entry=load_entry(entry), upload=upload(name, pdfs.make_pdf(name))
    )


def test_a_contributor_attaches_and_removes_on_its_own_leaf(tinh, login):
    client = login(tinh.outsider)  # officer of Sở Y tế, contributor of 1.2
    response = _upload(client, tinh.mine, "so-y-te.pdf")
    assert response.status_code == 200
    assert response.json()["results"][0]["ok"] is True
    evidence = EvidenceFile.objects.get(entry=tinh.mine)
    page = client.get(reverse("evidence:entry", args=[tinh.mine.pk])).content.decode()
    assert "Kéo thả tệp PDF vào đây" in page
    response = client.post(reverse("evidence:remove", args=[evidence.pk]), **JSON)
    assert response.json()["ok"] is True
    assert not EvidenceFile.objects.filter(entry=tinh.mine).exists()


def test_a_contributor_gets_404_on_the_leaves_of_others(tinh, login):
    theirs = _attach(tinh.stc_officer, tinh.theirs, "so-tai-chinh.pdf")
    unassigned = _attach(tinh.admin, tinh.unassigned, "so-noi-vu.pdf")
    client = login(tinh.outsider)
    for entry, evidence in ((tinh.theirs, theirs), (tinh.unassigned, unassigned)):
        assert _upload(client, entry).status_code == 404
        assert client.get(reverse("evidence:entry", args=[entry.pk])).status_code == 404
        assert client.get(reverse("evidence:list", args=[entry.pk])).status_code == 404
        assert client.get(reverse("evidence:download", args=[evidence.pk])).status_code == 404
        assert client.post(reverse("evidence:remove", args=[evidence.pk])).status_code == 404
    assert EvidenceFile.objects.count() == 2


def test_another_contributor_cannot_touch_the_first_ones_files(tinh, login):
    mine = _attach(tinh.outsider, tinh.mine, "so-y-te.pdf")
    client = login(tinh.stc_officer)
    assert _upload(client, tinh.theirs).json()["results"][0]["ok"] is True
    assert _upload(client, tinh.mine).status_code == 404
    assert client.post(reverse("evidence:remove", args=[mine.pk])).status_code == 404
    assert EvidenceFile.objects.filter(pk=mine.pk).exists()


def test_the_service_refuses_a_contributor_on_a_leaf_not_assigned_to_it(tinh):
    with pytest.raises(DomainError, match="không có quyền"):
        _attach(tinh.outsider, tinh.theirs, "nham-tieu-chi.pdf")
    evidence = _attach(tinh.stc_officer, tinh.theirs, "so-tai-chinh.pdf")
    with pytest.raises(DomainError, match="không có quyền"):
        evidence_remove(actor=tinh.outsider, evidence=evidence)
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()


def test_the_organizer_attaches_and_removes_on_every_leaf(tinh, login):
    client = login(tinh.admin)
    for entry in (tinh.mine, tinh.theirs, tinh.unassigned):
        assert _upload(client, entry, f"snv-{entry.pk}.pdf").json()["results"][0]["ok"] is True
    from_contributor = _attach(tinh.outsider, tinh.mine, "so-y-te.pdf")
    response = client.post(reverse("evidence:remove", args=[from_contributor.pk]), **JSON)
    assert response.json()["ok"] is True
    assert EvidenceFile.objects.count() == 3


def test_the_province_officer_attaches_on_every_leaf(tinh, login):
    membership_grant(
        actor=None, user=tinh.officer, unit=tinh.root, role=Membership.Role.UNIT_OFFICER
    )
    client = login(tinh.officer)
    assert _upload(client, tinh.theirs).json()["results"][0]["ok"] is True


def test_readers_of_the_province_self_assessment_still_get_403(tinh, login):
    client = login(tinh.appraiser)
    # before the unit has sent, an appraiser does not even see the assessment (issue 6, §3)
    assert _upload(client, tinh.mine).status_code == 404
    type(tinh.assessment).objects.filter(pk=tinh.assessment.pk).update(status="submitted")
    assert _upload(client, tinh.mine).status_code == 403
    assert not EvidenceFile.objects.exists()


def test_the_contributors_window_closes_with_the_submission(tinh, login):
    tinh.assessment.status = "pending_approval"
    tinh.assessment.save(update_fields=["status"])
    result = _upload(login(tinh.outsider), tinh.mine).json()["results"][0]
    assert result["ok"] is False
    assert "Chờ lãnh đạo duyệt" in result["message"]
