"""The appraisal's round trip in Chromium: the two units send (the leaders press "Phê duyệt và
gửi đi"); the organizer assigns a domain on the matrix page and opens round 1; the appraiser
adjusts a leaf, asks for an explanation on another and accepts the rest of each domain; the
organizer closes round 1; the unit's officer answers with a new PDF and its leader sends; round
2 keeps the adjustment and settles the request; the consolidation goes to the chair, who
returns it once and then approves; the organizer records the publication decision. The
calendar is moved between the steps (``period_set_calendar``) so that today is in each phase.
Screenshots of every screen, in a temp dir printed at the end."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from parindex.accounts.models import Membership
from parindex.accounts.services import membership_grant, user_create
from parindex.appraisal.models import Decision, PeriodAppraisal
from parindex.appraisal.services import assignment_set, council_for, member_add
from parindex.assessments.models import Entry, Status
from parindex.assessments.participation import period_add_units
from parindex.assessments.services import assessment_transition
from parindex.frameworks.models import FrameworkNode
from parindex.periods.models import PHASE_ORDER, CouncilMember, Phase
from parindex.periods.services import period_set_calendar
from tests.appraisal.conftest import fill
from tests.browser.test_self_assessment_flow import log_in, media  # noqa: F401 - fixture
from tests.evidence import pdfs
from tests.periods.factories import make_period

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def calendar_at(phase: str) -> dict:
    """Consecutive 3-day phases with today in the middle of ``phase``."""
    today = timezone.localdate()
    i = PHASE_ORDER.index(phase)
    out = {}
    for k, p in enumerate(PHASE_ORDER):
        start = today + dt.timedelta(days=(k - i) * 3 - 1)
        out[p] = (start, start + dt.timedelta(days=2))
    return out


def move(ns, phase):
    period_set_calendar(actor=ns.admin, period=ns.period, dates=calendar_at(phase),
                        reason=f"kiểm thử: {phase}")  # fmt: skip


def ok(page, text):
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert text in body, body[:3000]


def test_the_whole_appraisal_round_trip(browser, live_server, province, media, tmp_path):  # noqa: F811
    from tests.browser.conftest import ARGS  # noqa: F401 - same launch settings

    shots = tmp_path / "shots"
    shots.mkdir()
    p = province
    pw = p.password
    base = live_server.url
    period = make_period(p, calendar=calendar_at(Phase.SELF_ASSESSMENT))
    stp, syt = period_add_units(actor=p.admin, period=period, units=[p.stp, p.syt])
    syt_leader = user_create(actor=None, username="ld.syt", password=pw, full_name="Bùi Thị Mai")
    membership_grant(actor=None, user=syt_leader, unit=p.syt, role=Membership.Role.UNIT_LEADER)
    appraiser2 = user_create(actor=None, username="td.syt", password=pw, full_name="Đinh Văn Sơn")
    membership_grant(actor=None, user=appraiser2, unit=p.syt, role=Membership.Role.APPRAISER)
    council = council_for(period)
    seat1 = council.members.get(user=p.appraiser)
    seat2 = member_add(actor=p.admin, council=council, user=appraiser2, unit=p.syt,
                       position=CouncilMember.Position.MEMBER)  # fmt: skip
    domains = list(
        FrameworkNode.objects.filter(framework=stp.framework, parent__isnull=True).order_by(
            "position"
        )
    )
    for d in domains[1:]:  # domain 1 is assigned on the page below
        assignment_set(actor=p.admin, period=period, node=d, member=seat1, substitute=seat2)
    for a, officer in ((stp, p.officer), (syt, p.outsider)):
        fill(a, officer)
        assessment_transition(actor=officer, assessment=a, to=Status.PENDING_APPROVAL)

    class NS:
        pass

    ns = NS()
    ns.admin, ns.period = p.admin, period

    # -- the leaders send
    for username, a in (("ld.stp", stp), ("ld.syt", syt)):
        leader = log_in(browser, live_server, username, pw)
        leader.goto(f"{base}/danh-gia/{a.pk}/tu-danh-gia/")
        leader.click("button:has-text('Phê duyệt và gửi đi')")
        ok(leader, "Đã gửi")
        leader.context.close()

    # -- the organizer assigns domain 1 (Sở Tư pháp's member, Sở Y tế's as substitute)
    move(ns, Phase.APPRAISAL_1)
    admin = log_in(browser, live_server, "quantri", pw)
    admin.goto(f"{base}/tham-dinh/dot/{period.pk}/phan-cong/")
    ok(admin, "Chưa thể bắt đầu thẩm định lần 1")
    admin.screenshot(path=str(shots / "01-assignment-gaps.png"), full_page=True)
    form = admin.locator("form[action$='/phan-cong/luu/']")
    form.locator("select[name=node]").select_option(str(domains[0].pk))
    form.locator("select[name=who]").select_option(f"m{seat1.pk}")
    form.locator("select[name=substitute]").select_option(f"m{seat2.pk}")
    form.locator("button[type=submit]").click()
    admin.wait_for_load_state("networkidle")
    assert "Chưa thể bắt đầu thẩm định lần 1" not in admin.inner_text("body")
    admin.screenshot(path=str(shots / "02-assignment.png"), full_page=True)

    # -- round 1 opens
    admin.on("dialog", lambda d: d.accept())
    admin.goto(f"{base}/tham-dinh/dot/{period.pk}/")
    admin.click("button:has-text('Bắt đầu thẩm định lần 1')")
    admin.wait_for_load_state("networkidle")
    stp.refresh_from_db()
    assert stp.status == Status.APPRAISAL_1
    admin.screenshot(path=str(shots / "03-overview-round1.png"), full_page=True)

    # -- the substitute (Sở Y tế) appraises Sở Tư pháp: an adjustment, a request, the rest
    td = log_in(browser, live_server, "td.syt", pw)
    td.goto(f"{base}/tham-dinh/cua-toi/")
    ok(td, "Sở Tư pháp")
    td.screenshot(path=str(shots / "04-queue.png"), full_page=True)
    td.goto(f"{base}/tham-dinh/danh-gia/{stp.pk}/linh-vuc/{domains[0].pk}/")
    e16 = Entry.objects.get(assessment=stp, node__code="1.6")
    e12 = Entry.objects.get(assessment=stp, node__code="1.2")
    leaf = td.locator(f"#leaf-{e16.pk}")
    leaf.locator("input[name=kind][value=adjust]").check()
    leaf.locator("input[name=value]").first.fill("1")
    leaf.locator("input[name=value2]").fill("2")
    leaf.locator("textarea[name=reason]").fill("Báo cáo chỉ chứng minh 1/2 văn bản")
    leaf.locator("button[type=submit]").click()
    td.wait_for_load_state("networkidle")
    td.locator(f"#leaf-{e16.pk}").filter(has_text="Báo cáo chỉ chứng minh").wait_for()
    leaf = td.locator(f"#leaf-{e12.pk}")
    leaf.locator("input[name=kind][value=request]").check()
    leaf.locator("textarea[name=request]").fill("Bổ sung quyết định ban hành kế hoạch")
    leaf.locator("button[type=submit]").click()
    td.locator(f"#leaf-{e12.pk}").filter(has_text="Bổ sung quyết định ban hành").wait_for()
    td.screenshot(path=str(shots / "05-domain-decisions.png"), full_page=True)
    for d in domains:
        td.goto(f"{base}/tham-dinh/danh-gia/{stp.pk}/linh-vuc/{d.pk}/")
        td.wait_for_load_state("networkidle")
        confirm = td.locator("#pi-accept-confirm")
        if confirm.count():
            confirm.check()
            td.locator("button:has-text('Đồng ý tất cả')").click()
            td.wait_for_load_state("networkidle")
    td2 = log_in(browser, live_server, "td.stp", pw)  # Sở Tư pháp's member appraises Sở Y tế
    for d in domains:
        td2.goto(f"{base}/tham-dinh/danh-gia/{syt.pk}/linh-vuc/{d.pk}/")
        td2.wait_for_load_state("networkidle")
        confirm = td2.locator("#pi-accept-confirm")
        if confirm.count():
            confirm.check()
            td2.locator("button:has-text('Đồng ý tất cả')").click()
            td2.wait_for_load_state("networkidle")
    assert Decision.objects.filter(entry__assessment=stp, round=1, current=True).count() > 10
    assert e16.decisions.get(current=True).kind == Decision.Kind.ADJUST

    # -- round 1 closes
    admin.goto(f"{base}/tham-dinh/dot/{period.pk}/")
    admin.click("button:has-text('Kết thúc thẩm định lần 1')")
    admin.wait_for_load_state("networkidle")
    stp.refresh_from_db()
    assert stp.status == Status.SUPPLEMENT, admin.inner_text("body")[:2000]

    # -- the unit answers, with a new PDF, and the leader sends
    move(ns, Phase.SUPPLEMENT)
    officer = log_in(browser, live_server, "cv.stp", pw)
    officer.goto(f"{base}/tham-dinh/danh-gia/{stp.pk}/giai-trinh/")
    ok(officer, "Bổ sung quyết định ban hành kế hoạch")
    section = officer.locator(f"#muc-{e12.pk}")
    section.locator("textarea[name=text]").fill("Đã ban hành Kế hoạch số 05/KH-STP")
    section.locator("form[data-answer-form] button[type=submit]").click()
    officer.wait_for_load_state("networkidle")
    pdf = tmp_path / "ke-hoach-05.pdf"
    pdf.write_bytes(pdfs.make_pdf())
    section = officer.locator(f"#muc-{e12.pk}")
    section.locator("input[type=file]").set_input_files(str(pdf))
    section.locator("form[data-upload-form] button[type=submit]").click()
    officer.wait_for_load_state("networkidle")
    ok(officer, "ke-hoach-05.pdf")
    officer.screenshot(path=str(shots / "06-unit-answers.png"), full_page=True)
    leader = log_in(browser, live_server, "ld.stp", pw)
    leader.goto(f"{base}/tham-dinh/danh-gia/{stp.pk}/giai-trinh/")
    leader.check("#send-confirm")
    leader.click("[data-send-button]")
    ok(leader, "Đã gửi lúc")

    # -- round 2: keep the adjustment, settle the request
    move(ns, Phase.APPRAISAL_2)
    admin.goto(f"{base}/tham-dinh/dot/{period.pk}/")
    admin.click("button:has-text('Bắt đầu thẩm định lần 2')")
    admin.wait_for_load_state("networkidle")
    td.goto(f"{base}/tham-dinh/danh-gia/{stp.pk}/linh-vuc/{domains[0].pk}/")
    ok(td, "Đã ban hành Kế hoạch số 05/KH-STP")
    td.screenshot(path=str(shots / "07-round2.png"), full_page=True)
    for e in (e16, e12):
        leaf = td.locator(f"#leaf-{e.pk}")
        leaf.locator("input[name=kind][value=accept]").check()
        leaf.locator("button[type=submit]").first.click()
        td.wait_for_load_state("networkidle")
        td.wait_for_timeout(300)
    admin.goto(f"{base}/tham-dinh/dot/{period.pk}/")
    admin.click("button:has-text('Kết thúc thẩm định lần 2')")
    admin.wait_for_load_state("networkidle")
    stp.refresh_from_db()
    assert stp.status == Status.APPRAISED, admin.inner_text("body")[:2000]

    # -- consolidation → the chair returns once, then approves
    move(ns, Phase.APPROVAL)
    admin.goto(f"{base}/tham-dinh/dot/{period.pk}/tong-hop/")
    admin.screenshot(path=str(shots / "08-consolidation.png"), full_page=True)
    admin.click("#submit-form button[type=submit]")
    ok(admin, "Đã trình")
    chair = log_in(browser, live_server, "chutich", pw)
    chair.on("dialog", lambda d: d.accept())
    chair.goto(f"{base}/tham-dinh/dot/{period.pk}/tong-hop/")
    chair.screenshot(path=str(shots / "09-chair.png"), full_page=True)
    chair.locator("form[action$='/tra-lai/'] textarea").fill("Xem lại tiêu chí 1.6")
    chair.click("button:has-text('Trả lại để thẩm định lại')")
    chair.wait_for_load_state("networkidle")
    stp.refresh_from_db()
    assert stp.status == Status.APPRAISAL_2
    admin.goto(f"{base}/tham-dinh/dot/{period.pk}/")
    admin.click("button:has-text('Kết thúc thẩm định lần 2')")
    admin.wait_for_load_state("networkidle")
    admin.goto(f"{base}/tham-dinh/dot/{period.pk}/tong-hop/")
    admin.click("#submit-form button[type=submit]")
    admin.wait_for_load_state("networkidle")
    chair.goto(f"{base}/tham-dinh/dot/{period.pk}/tong-hop/")
    chair.locator("form[action$='/phe-duyet/'] input[type=checkbox]").check()
    chair.click("button:has-text('Phê duyệt kết quả')")
    ok(chair, "đã được phê duyệt")
    stp.refresh_from_db()
    assert stp.status == Status.FINALIZED
    state = PeriodAppraisal.objects.get(period=period)
    assert state.snapshot and state.review == PeriodAppraisal.Review.APPROVED

    # -- the publication decision
    admin.goto(f"{base}/tham-dinh/dot/{period.pk}/tong-hop/")
    form = admin.locator("#publication-form")
    form.locator("input[name=number]").fill("125/QĐ-UBND")
    form.locator("input[name=date]").fill(timezone.localdate().strftime("%d/%m/%Y"))
    form.locator("input[name=signer]").fill("Phó Chủ tịch UBND tỉnh")
    decision = tmp_path / "quyet-dinh.pdf"
    decision.write_bytes(pdfs.make_pdf())
    form.locator("input[type=file]").set_input_files(str(decision))
    form.locator("button[type=submit]").click()
    ok(admin, "125/QĐ-UBND")
    admin.screenshot(path=str(shots / "10-decision.png"), full_page=True)
    state.refresh_from_db()
    assert state.decision_number == "125/QĐ-UBND" and state.decision_file
    print(f"\nscreenshots: {shots}")
