"""period_publish and publication_new_version: versions, refusals, the frozen copy, audit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex.assessments import scoring
from parindex.assessments.models import Assessment, Entry
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.publication.models import Publication, PublicationFile
from parindex.publication.services import period_publish, publication_new_version
from parindex.results import opendata


def test_publishing_freezes_the_snapshot_the_decision_and_the_open_data(published):
    ns = published
    pub = ns.publication
    assert pub.version == 1 and pub.published_by == ns.province.admin
    snapshot = ns.state.snapshot["blocks"]["so"]["results"]
    (block,) = pub.content["blocks"]
    assert block["code"] == "so" and block["results"] == snapshot
    assert pub.content["decision"]["number"] == "345/QĐ-UBND"
    assert pub.content["decision"]["date"] == "2026-12-29"
    files = {f.name: bytes(f.content) for f in PublicationFile.objects.filter(publication=pub)}
    # exactly what parindex publish-data writes
    assert files == opendata.build_bundle(ns.period, "so").files
    event = AuditEvent.objects.filter(verb="publication.publish").get()
    assert event.new["version"] == 1 and event.actor == ns.province.admin


def test_publishing_the_same_content_twice_is_refused(published):
    ns = published
    with pytest.raises(DomainError, match="đã được công bố .*phiên bản 1.*không công bố lại"):
        period_publish(actor=ns.province.admin, period=ns.period, note="lại")
    assert Publication.objects.count() == 1


def test_only_the_periods_organizer_admin_publishes(approved):
    ns = approved
    for user in (ns.province.officer, ns.province.chair, ns.province.district_admin):
        with pytest.raises(DomainError, match="không phải cán bộ quản trị"):
            period_publish(actor=user, period=ns.period)
    assert not Publication.objects.exists()


def test_an_unapproved_period_or_one_without_decision_is_not_published(appraisal):
    ns = appraisal
    with pytest.raises(DomainError, match="chưa được Chủ tịch Hội đồng thẩm định phê duyệt"):
        period_publish(actor=ns.province.admin, period=ns.period)
    assert not Publication.objects.exists()


def test_a_corrected_version_keeps_the_first_and_says_what_changed(published):
    ns = published
    # an appeal gave Sở Tư pháp its 1.6 back (the appeals' service goes through the appraisal)
    entry = Entry.objects.select_related("node").get(assessment=ns.stp, node__code="1.6")
    Entry.objects.filter(pk=entry.pk).update(round2_score=entry.node.max)
    group = list(Assessment.objects.filter(period=ns.period).select_related("unit", "framework"))
    corrected = scoring.results_document(group)
    before = ns.publication.content["blocks"][0]["results"]
    assert corrected != before
    with pytest.raises(DomainError, match="ghi chú"):
        publication_new_version(
            actor=ns.province.admin, period=ns.period, results={"so": corrected}, note=" "
        )
    v2 = publication_new_version(
        actor=ns.province.admin,
        period=ns.period,
        results={"so": corrected},
        note="Chấp nhận kiến nghị của Sở Tư pháp về tiêu chí 1.6",
    )
    assert v2.version == 2 and v2.content["blocks"][0]["results"] == corrected
    assert Publication.objects.get(version=1).content["blocks"][0]["results"] == before
    manifest = PublicationFile.objects.get(publication=v2, name="manifest.json")
    assert b'"number": 2' in bytes(manifest.content)
    assert AuditEvent.objects.filter(verb="publication.new_version").count() == 1
    with pytest.raises(DomainError, match="không công bố lại"):
        publication_new_version(
            actor=ns.province.admin, period=ns.period, results={"so": corrected}, note="lại"
        )
    # a republish keeps the corrected results (it is refused: nothing changed)
    with pytest.raises(DomainError, match="phiên bản 2"):
        period_publish(actor=ns.province.admin, period=ns.period, note="x")


def test_a_new_version_before_the_first_is_refused(approved):
    ns = approved
    with pytest.raises(DomainError, match="chưa được công bố"):
        publication_new_version(actor=ns.province.admin, period=ns.period, results={}, note="x")


def test_a_corrected_result_the_values_do_not_give_is_refused(published):
    ns = published
    doc = dict(ns.publication.content["blocks"][0]["results"])
    units = [dict(u) for u in doc["units"]]
    units[0]["index"] = 99.99
    doc["units"] = units
    with pytest.raises(DomainError, match="không tính lại đúng"):
        publication_new_version(
            actor=ns.province.admin, period=ns.period, results={"so": doc}, note="sai"
        )
    assert Publication.objects.count() == 1
    assert Decimal(str(ns.publication.content["blocks"][0]["results"]["units"][0]["index"]))
