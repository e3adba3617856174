"""Public read (no token) of published results: the newest published version, per block,
exactly (an approved period not yet published is not public)."""

from __future__ import annotations

from parindex.appraisal.models import PeriodAppraisal
from parindex.assessments.services import entry_record
from tests.api.conftest import approve_period as _approve


def test_only_approved_periods_are_listed_and_read_without_a_token(world, call):
    assert call("get", "/public/results/").json() == {"items": [], "count": 0}
    assert call("get", f"/public/results/{world.period.pk}/").status_code == 404
    state = _approve(world)
    listed = call("get", "/public/results/").json()
    assert listed["count"] == 1
    assert listed["items"][0]["id"] == world.period.pk
    assert listed["items"][0]["blocks"] == ["so"]
    detail = call("get", f"/public/results/{world.period.pk}/").json()
    assert detail["decision_number"] == "123/QĐ-UBND"
    results = call("get", f"/public/results/{world.period.pk}/so/").json()
    assert results["results"] == state.snapshot["blocks"]["so"]["results"]
    assert results["results"]["format"] == "parindex.results/v1"
    assert [u["unit"] for u in results["results"]["units"]][0] == "STP"
    assert call("get", f"/public/results/{world.period.pk}/xa/").status_code == 404


def test_a_period_sent_back_by_the_chair_is_not_public(world, call):
    state = _approve(world)
    state.review = PeriodAppraisal.Review.RETURNED
    state.save()
    assert call("get", "/public/results/").json()["count"] == 0
    response = call("get", f"/public/results/{world.period.pk}/so/")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Không tìm thấy kết quả đã phê duyệt")


def test_an_approved_period_not_yet_published_is_not_public(world, call):
    _approve(world, publish=False)
    assert call("get", "/public/results/").json()["count"] == 0
    assert call("get", f"/public/results/{world.period.pk}/so/").status_code == 404


def test_the_frozen_snapshot_is_served_not_a_recomputation(world, call):
    _approve(world)
    before = call("get", f"/public/results/{world.period.pk}/so/").json()
    entry_record(actor=world.p.officer, entry=world.entry_a, value="0")  # a later change
    after = call("get", f"/public/results/{world.period.pk}/so/").json()
    assert after == before
