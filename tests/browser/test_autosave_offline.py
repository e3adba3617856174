"""Autosave without a connection, in a real browser (static/js/workspace.js): what the officer
types while offline stays in the field and in localStorage, the page says it is not saved and
saves by itself when the connection returns; a tab closed with unsaved work offers the draft
back on the next visit, unless the server has moved on meanwhile."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from parindex.assessments.models import Entry
from parindex.assessments.participation import period_add_units
from parindex.assessments.services import entry_record
from tests.browser.test_self_assessment_flow import idle, leaf, log_in, shifted_calendar
from tests.periods.factories import make_period

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLOW = 30_000  # ms: a retry after a failed save waits 2 s, then 4 s, … (workspace.js)


@pytest.fixture
def assessment(province):
    """The Sở Tư pháp's assessment, ten days into Tự đánh giá."""
    today = timezone.localdate()
    period = make_period(province, calendar=shifted_calendar(today - dt.timedelta(days=10)))
    (assessment,) = period_add_units(actor=province.admin, period=period, units=[province.stp])
    return assessment


def open_table(page, live_server, assessment):
    page.goto(live_server.url + reverse("assessments:table", args=[assessment.pk]))
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-save-summary]")).to_contain_text("Đã lưu mọi thay đổi")


def draft_of(page, assessment, entry):
    return page.evaluate(
        "key => JSON.parse(localStorage.getItem(key))",
        f"parindex:draft:{assessment.pk}:{entry.pk}",
    )


def test_a_value_typed_offline_is_kept_and_saved_when_the_connection_returns(
    browser, live_server, province, assessment, shots
):
    page = log_in(browser, live_server, "cv.stp", province.password)
    open_table(page, live_server, assessment)
    # One leaf only: two leaves retrying at the same instant would meet in the test database
    # (shared in-memory SQLite answers "table is locked"; the page would retry, but noisily).
    s16, e16 = leaf(page, assessment, "1.6")  # a ratio: numerator and denominator
    before = e16.version
    state = s16.locator("[data-save-state]")

    page.context.set_offline(True)
    s16.locator("input[name=value]").fill("3")
    s16.locator("input[name=value2]").fill("4")

    expect(state).to_contain_text("Chưa lưu — mất kết nối", timeout=SLOW)
    summary = page.locator("[data-save-summary]")
    expect(summary).to_contain_text("Chưa lưu — mất kết nối (1 tiêu chí). Đang thử lại…")
    # Nothing is lost: the fields keep the values, and so does the browser's storage.
    expect(s16.locator("input[name=value]")).to_have_value("3")
    expect(s16.locator("input[name=value2]")).to_have_value("4")
    expect(s16.locator("[data-ratio]")).to_contain_text("75 %")
    # The leaf's badge does not claim "Đủ" for a value the server has not got.
    expect(s16.locator("[data-done]")).to_have_text("Chưa lưu")
    draft = draft_of(page, assessment, e16)
    assert (draft["value"], draft["value2"], draft["version"]) == ("3", "4", before)
    s16.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "offline-01-not-saved.png"), full_page=False)
    e16.refresh_from_db()
    assert (e16.value, e16.value2, e16.version) == ("", "", before)

    page.context.set_offline(False)  # the page retries by itself: no click, no reload
    expect(state).to_contain_text("Đã lưu lúc", timeout=SLOW)
    expect(summary).to_contain_text("Đã lưu mọi thay đổi", timeout=SLOW)
    expect(s16.locator("[data-done]")).not_to_have_text("Chưa lưu")
    idle(page)
    page.screenshot(path=str(shots / "offline-02-saved.png"), full_page=False)

    e16.refresh_from_db()
    assert (e16.value, e16.value2, e16.version) == ("3", "4", before + 1)
    assert "0,75" in s16.locator("[data-score]").inner_text()
    assert draft_of(page, assessment, e16) is None
    print(f"screenshots: {shots}")


def test_a_tab_closed_offline_offers_the_draft_back_and_restoring_saves_it(
    browser, live_server, province, assessment
):
    page = log_in(browser, live_server, "cv.stp", province.password)
    context = page.context
    open_table(page, live_server, assessment)
    s12, e12 = leaf(page, assessment, "1.2")  # Có/Không
    before = e12.version

    context.set_offline(True)
    s12.get_by_label("Có", exact=True).check()
    s12.locator("textarea").fill("Kế hoạch số 12/KH-STP")
    expect(s12.locator("[data-save-state]")).to_contain_text("Chưa lưu — mất kết nối", timeout=SLOW)
    page.wait_for_function(
        "key => (JSON.parse(localStorage.getItem(key) || '{}').explanation || '') !== ''",
        arg=f"parindex:draft:{assessment.pk}:{e12.pk}",
    )
    page.close()  # the tab is closed before the connection returns
    context.set_offline(False)
    e12.refresh_from_db()
    assert (e12.value, e12.version) == ("", before)

    page = context.new_page()
    page.set_default_timeout(15_000)
    open_table(page, live_server, assessment)
    s12, _ = leaf(page, assessment, "1.2")
    box = page.locator("[data-drafts]")
    expect(box).to_be_visible()
    expect(box).to_contain_text("Có 1 tiêu chí có thay đổi chưa lưu trên máy này (1.2)")
    # Until the officer answers, the page shows what the server has.
    expect(s12.get_by_label("Có", exact=True)).not_to_be_checked()

    box.get_by_role("button", name="Khôi phục").click()
    expect(box).to_be_hidden()
    expect(s12.get_by_label("Có", exact=True)).to_be_checked()
    expect(s12.locator("textarea")).to_have_value("Kế hoạch số 12/KH-STP")
    expect(s12.locator("[data-save-state]")).to_contain_text("Đã lưu lúc", timeout=SLOW)
    idle(page)
    e12.refresh_from_db()
    assert (e12.value, e12.explanation, e12.version) == (
        "yes",
        "Kế hoạch số 12/KH-STP",
        before + 1,
    )
    assert draft_of(page, assessment, e12) is None

    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-drafts]")).to_be_hidden()
    s12, _ = leaf(page, assessment, "1.2")
    expect(s12.get_by_label("Có", exact=True)).to_be_checked()


def test_a_draft_the_server_has_overtaken_is_not_offered(
    browser, live_server, province, assessment
):
    page = log_in(browser, live_server, "cv.stp", province.password)
    context = page.context
    open_table(page, live_server, assessment)
    s15, e15 = leaf(page, assessment, "1.5")

    context.set_offline(True)
    s15.locator("input[name=value]").fill("7")
    expect(s15.locator("[data-save-state]")).to_contain_text("Chưa lưu — mất kết nối", timeout=SLOW)
    page.close()
    context.set_offline(False)

    # Meanwhile the leader saved 1.5 from another computer.
    e15.refresh_from_db()
    entry_record(actor=province.leader, entry=e15, value="2", expected_version=e15.version)

    page = context.new_page()
    page.set_default_timeout(15_000)
    open_table(page, live_server, assessment)
    s15, _ = leaf(page, assessment, "1.5")
    expect(s15.locator("input[name=value]")).to_have_value("2")
    expect(page.locator("[data-drafts]")).to_be_hidden()
    assert draft_of(page, assessment, e15) is None  # the stale draft is thrown away
    assert Entry.objects.get(pk=e15.pk).value == "2"
