"""The whole self-assessment in a real browser: the officer fills a domain and uploads a signed
and an unsigned PDF, sends to the leader; the leader returns it once, then submits; the
organizer reopens; after the deadline the fields are locked and a direct POST is refused; the
organizer extends the deadline and the officer can edit again. Screenshots at each step."""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone

from parindex.assessments.models import Entry, Status
from parindex.assessments.participation import period_add_units
from parindex.assessments.services import entry_record
from parindex.periods.calendar import default_calendar
from parindex.periods.services import period_set_calendar
from tests.evidence import pdfs
from tests.periods.factories import make_period

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shifted_calendar(self_start: dt.date) -> dict:
    """The default 2026 calendar moved so that Tự đánh giá starts on ``self_start``."""
    cal = default_calendar(2026)
    delta = self_start - dt.date(2026, 10, 15)
    return {phase: (a + delta, b + delta) for phase, (a, b) in cal.items()}


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": "/_unused_/"},
        },
    }
    return tmp_path


@pytest.fixture
def flow(province, media):
    today = timezone.localdate()
    period = make_period(province, calendar=shifted_calendar(today - dt.timedelta(days=10)))
    (assessment,) = period_add_units(actor=province.admin, period=period, units=[province.stp])
    return assessment


def log_in(browser, live_server, username, password):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def leaf(page, assessment, code):
    entry = Entry.objects.get(assessment=assessment, node__code=code)
    return page.locator(f"#leaf-{entry.pk}"), entry


def wait_saved(section):
    section.locator("[data-save-state]").filter(has_text="Đã lưu lúc").wait_for()


def idle(page):
    """Every autosave answered (the test thread's writes must not meet the server's: SQLite)."""
    page.locator("[data-save-summary]").filter(has_text="Đã lưu mọi thay đổi").wait_for()
    page.wait_for_timeout(300)


def fill_rest(assessment, user):
    for entry in Entry.objects.filter(assessment=assessment).select_related("node"):
        node = entry.node
        if node.source == "survey" or entry.value:
            continue
        value, value2 = "yes", ""
        if node.rule_type == "choice":
            value = str(node.rule_params["options"][0]["key"])
        elif node.rule_type == "ratio":
            value, value2 = "8", "10"
        elif node.rule_type in ("count", "deduction", "number", "relative"):
            value = "1" if node.rule_type != "number" else "0"
        entry_record(actor=user, entry=entry, value=value, value2=value2)


def test_the_whole_self_assessment_flow(browser, live_server, province, flow, shots, tmp_path):
    a = flow
    base = live_server.url
    officer = log_in(browser, live_server, "cv.stp", province.password)

    # -- the dashboard, reached from the navigation
    officer.click("nav >> text=Tự đánh giá")
    officer.wait_for_url(f"**/danh-gia/{a.pk}/tu-danh-gia/")
    body = officer.inner_text("body")
    assert "còn 21 ngày" in body and "0/43" in body
    officer.screenshot(path=str(shots / "01-dashboard.png"), full_page=True)

    # -- the table: fill domain 1 with several rule types
    officer.click("text=Bảng tự chấm điểm")
    officer.wait_for_load_state("networkidle")
    s111, _ = leaf(officer, a, "1.1.1")
    s111.locator("input[type=radio]").first.check()
    wait_saved(s111)
    s112, _ = leaf(officer, a, "1.1.2")
    s112.locator("input[name=value]").fill("9")
    s112.locator("input[name=value2]").fill("10")
    assert "90 %" in s112.locator("[data-ratio]").inner_text()
    wait_saved(s112)
    s12, e12 = leaf(officer, a, "1.2")
    s12.get_by_label("Có", exact=True).check()
    wait_saved(s12)
    s15, _ = leaf(officer, a, "1.5")
    s15.locator("input[name=value]").fill("3")
    s15.locator("input[name=value]").press("Enter")  # Enter moves on, never submits the page
    wait_saved(s15)
    s16, _ = leaf(officer, a, "1.6")
    s16.locator("input[name=value]").fill("3")
    s16.locator("input[name=value2]").fill("4")
    s16.locator("textarea").fill("Tỷ lệ theo Báo cáo số 45/BC-STP ngày 10/11/2026.")
    wait_saved(s16)
    assert "0,75" in s16.locator("[data-score]").inner_text()
    bad, _ = leaf(officer, a, "1.3.1")
    bad.locator("input[name=value]").fill("12")
    bad.locator("input[name=value2]").fill("10")
    bad.locator("[data-error]").filter(has_text="1.3.1").wait_for()
    officer.screenshot(path=str(shots / "02-table-domain-filled.png"), full_page=False)
    bad.locator("input[name=value]").fill("10")
    wait_saved(bad)

    # -- evidence: a signed and an unsigned PDF on 1.1.1
    signed = tmp_path / "Quyết định ban hành kế hoạch CCHC (ký số).pdf"
    with ThreadPoolExecutor(1) as pool:  # pyHanko runs its own event loop: not in this thread
        signed_bytes = pool.submit(
            lambda: pdfs.sign(pdfs.make_pdf("Ke hoach CCHC"), pdfs.make_identity())
        ).result()
    signed.write_bytes(signed_bytes)
    scan = tmp_path / "Bản chụp kế hoạch.pdf"
    scan.write_bytes(pdfs.make_pdf("Ban chup"))
    s111.locator("[data-file-input]").set_input_files([str(signed), str(scan)])
    s111.locator(".pi-evidence-list li.list-group-item").nth(1).wait_for()
    s111.locator(".pi-evidence-list").filter(has_text="Bản quét").wait_for()
    assert "Đã ký số" in s111.locator(".pi-evidence-list").inner_text()
    s111.scroll_into_view_if_needed()
    officer.screenshot(path=str(shots / "03-evidence.png"), full_page=False)

    # -- a conflict: the leader saved 1.2 meanwhile
    idle(officer)
    e12.refresh_from_db()
    entry_record(actor=province.leader, entry=e12, value="no", expected_version=e12.version)
    s12.get_by_label("Không", exact=True).check()  # same as the leader: no conflict
    wait_saved(s12)
    idle(officer)
    entry_record(
        actor=province.leader,
        entry=e12,
        value="yes",
        explanation="Đã ban hành",
        expected_version=None,
    )
    s12.locator("textarea").fill("Kế hoạch số 12/KH-STP")
    officer.locator("#pi-conflict").filter(has_text="Lê Quang Huy").wait_for(state="visible")
    officer.screenshot(path=str(shots / "04-conflict.png"))
    officer.click("text=Ghi đè bằng giá trị của tôi")
    wait_saved(s12)
    e12.refresh_from_db()
    assert e12.explanation == "Kế hoạch số 12/KH-STP" and e12.value == "no"

    # -- the missing list, then the rest filled and sent to the leader
    officer.goto(f"{base}/danh-gia/{a.pk}/tu-danh-gia/")
    assert "Còn thiếu" in officer.inner_text("body")
    officer.screenshot(path=str(shots / "05-missing.png"), full_page=True)
    first_missing = officer.locator("[data-missing-list] a").first
    first_missing.click()
    officer.wait_for_load_state("networkidle")
    assert "#leaf-" in officer.url
    fill_rest(a, province.officer)
    officer.goto(f"{base}/danh-gia/{a.pk}/tu-danh-gia/")
    officer.click("button:has-text('Trình lãnh đạo')")
    officer.wait_for_load_state("networkidle")
    assert "Đã trình lãnh đạo" in officer.inner_text("body")

    # -- the leader returns it once with a comment
    leader = log_in(browser, live_server, "ld.stp", province.password)
    leader.goto(f"{base}/danh-gia/{a.pk}/tu-danh-gia/bang-diem/")
    assert "Lãnh đạo đơn vị phê duyệt" in leader.inner_text("body")
    leader.screenshot(path=str(shots / "06-leader-summary.png"), full_page=False)
    leader.fill("#return-note", "Bổ sung giải trình tiêu chí 1.1.2.")
    leader.click("button:has-text('Trả lại chuyên viên')")
    leader.wait_for_load_state("networkidle")
    a.refresh_from_db()
    assert a.status == Status.DRAFT

    officer.goto(f"{base}/danh-gia/{a.pk}/tu-danh-gia/")
    assert "Bổ sung giải trình tiêu chí 1.1.2." in officer.inner_text("body")
    officer.click("button:has-text('Trình lãnh đạo')")
    officer.wait_for_load_state("networkidle")
    leader.goto(f"{base}/danh-gia/{a.pk}/tu-danh-gia/")
    leader.click("button:has-text('Phê duyệt và gửi đi')")
    leader.wait_for_load_state("networkidle")
    a.refresh_from_db()
    assert a.status == Status.SUBMITTED
    leader.screenshot(path=str(shots / "07-submitted.png"), full_page=True)

    # -- the organizer reopens it; the deadline passes
    admin = log_in(browser, live_server, "quantri", province.password)
    admin.goto(f"{base}/danh-gia/{a.pk}/")
    admin.select_option("#id_to", "draft")
    admin.fill("#id_note", "Mở lại để đơn vị bổ sung tài liệu.")
    admin.click("button:has-text('Thực hiện')")
    admin.wait_for_load_state("networkidle")
    a.refresh_from_db()
    assert a.status == Status.DRAFT
    today = timezone.localdate()
    period_set_calendar(
        actor=province.admin,
        period=a.period,
        dates=shifted_calendar(today - dt.timedelta(days=32)),
        reason="Kết thúc tự đánh giá",
    )
    deadline = shifted_calendar(today - dt.timedelta(days=32))["self_assessment"][1]
    officer.goto(f"{base}/danh-gia/{a.pk}/tu-danh-gia/bang-diem/")
    body = officer.inner_text("body")
    assert f"Đã hết hạn tự đánh giá ({deadline:%d/%m/%Y})" in body
    assert officer.locator("[data-entry-form] input[name=value]").first.is_disabled()
    officer.screenshot(path=str(shots / "08-locked.png"), full_page=False)
    token = officer.locator("[name=csrfmiddlewaretoken]").first.get_attribute("value")
    response = officer.request.post(
        f"{base}/danh-gia/{a.pk}/muc/{e12.pk}/luu/",
        form={"value": "yes", "version": str(Entry.objects.get(pk=e12.pk).version)},
        headers={"X-CSRFToken": token or "", "Referer": base + "/"},
    )
    assert response.status == 403 and "Đã hết hạn" in response.json()["error"]

    # -- the organizer extends; the officer edits again
    admin.goto(f"{base}/danh-gia/{a.pk}/")
    until = today + dt.timedelta(days=3)
    admin.fill("#id_until_date", f"{until:%d/%m/%Y}")
    admin.fill("#id_until_time", "17:00")
    admin.fill("#id_reason", "Đơn vị có văn bản xin gia hạn.")
    admin.click("button:has-text('Gia hạn')")
    admin.wait_for_load_state("networkidle")
    officer.goto(f"{base}/danh-gia/{a.pk}/tu-danh-gia/bang-diem/")
    s12, _ = leaf(officer, a, "1.2")
    s12.get_by_label("Có", exact=True).check()
    wait_saved(s12)
    officer.goto(f"{base}/danh-gia/{a.pk}/tu-danh-gia/")
    officer.screenshot(path=str(shots / "09-extended.png"), full_page=True)
    print(f"screenshots: {shots}")
