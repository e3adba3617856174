"""The organizer's appraisal pages: the overview and the rounds' controls, the Giải trình
extension, the council (decision, members, copy) and the assignment matrix. The organizer
admin of the period acts; an organizer above it reads (403 on every POST); another unit's
officer, the appraisers and the chair get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.accounts.models import Membership, Unit
from parindex.accounts.services import membership_grant, unit_create, user_create
from parindex.appraisal.models import AppraisalState, Decision
from parindex.appraisal.selectors.overview import assignment_page, period_overview
from parindex.appraisal.services import (
    council_for,
    decision_record,
    decisions_accept_rest,
    member_add,
    round_close,
    round_open,
    supplement_deadline,
)
from parindex.assessments.models import Status
from parindex.assessments.participation import period_add_units
from parindex.common.errors import DomainError
from parindex.frameworks.models import FrameworkNode
from parindex.periods.models import Assignment, Council, CouncilMember
from parindex.periods.services import period_create
from tests.appraisal.conftest import entry_of
from tests.conftest import PASSWORD
from tests.periods.factories import make_framework, make_period

K = Decision.Kind
P = CouncilMember.Position


def url(name, ns, *args):
    return reverse(f"appraisal:{name}", args=[ns.period.pk, *args])


def html(response):
    return response.content.decode()


def _accept_all(ns, round=1):
    for assessment, user in ((ns.stp, ns.appraiser2), (ns.syt, ns.province.appraiser)):
        for d in ns.domains:
            try:
                decisions_accept_rest(actor=user, assessment=assessment, domain=d, round=round)
            except DomainError:
                pass  # nothing left in this domain (survey only)


# ---------------------------------------------------------------- overview and rounds


def test_the_overview_lists_the_units_sent_and_the_rounds(appraisal, login):
    ns = appraisal
    page = html(login(ns.province.admin).get(url("overview", ns)))
    assert "Sở Tư pháp" in page and "Sở Y tế" in page
    assert "Bắt đầu thẩm định lần 1" in page and "Kết thúc thẩm định lần 2" in page
    assert reverse("appraisal:round", args=[ns.period.pk, 1, "open"]) in page
    assert "từ 16/11/2026" in page  # the calendar's Thẩm định lần 1
    assert reverse("appraisal:council", args=[ns.period.pk]) in page
    assert reverse("appraisal:assignment", args=[ns.period.pk]) in page


def test_the_organizer_opens_round_one_from_the_overview(appraisal, login):
    ns = appraisal
    ns.at("round1")
    client = login(ns.province.admin)
    response = client.post(url("round", ns, 1, "open"), follow=True)
    assert "Đã bắt đầu thẩm định lần 1 cho 2 đơn vị." in html(response)
    ns.stp.refresh_from_db()
    ns.syt.refresh_from_db()
    assert ns.stp.status == ns.syt.status == Status.APPRAISAL_1


def test_closing_round_one_too_early_lists_every_undecided_leaf(appraisal, login):
    ns = appraisal
    ns.at("round1")
    round_open(actor=ns.province.admin, period=ns.period, round=1)
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.2"), round=1, kind=K.ACCEPT)
    response = login(ns.province.admin).post(url("round", ns, 1, "close"))
    assert response.status_code == 200
    page = html(response)
    assert "Chưa thể kết thúc thẩm định lần 1" in page
    assert "Sở Tư pháp: 1.1.1" in page and "Sở Y tế: 1.2" in page
    assert "Sở Tư pháp: 1.2<" not in page  # decided: not listed
    ns.stp.refresh_from_db()
    assert ns.stp.status == Status.APPRAISAL_1


def test_opening_round_one_with_a_gap_in_the_assignment_is_refused(appraisal, login):
    ns = appraisal
    ns.at("round1")
    Assignment.objects.filter(period=ns.period, node=ns.domains[1]).delete()
    client = login(ns.province.admin)
    overview = html(client.get(url("overview", ns)))
    assert "Chưa thể bắt đầu thẩm định lần 1 khi còn tiêu chí chưa có người thẩm định" in overview
    page = html(client.post(url("round", ns, 1, "open")))
    assert "Chưa thể bắt đầu thẩm định lần 1" in page
    assert "Sở Y tế: 2.1" in page
    ns.stp.refresh_from_db()
    assert ns.stp.status == Status.SUBMITTED


def test_an_unknown_round_step_is_a_404(appraisal, login):
    ns = appraisal
    client = login(ns.province.admin)
    assert client.post(url("round", ns, 1, "activate")).status_code == 404
    assert client.post(url("round", ns, 3, "open")).status_code == 404
    assert client.get(url("round", ns, 1, "open")).status_code == 405


def test_the_overview_counts_decisions_requests_and_adjustments(appraisal, login):
    ns = appraisal
    ns.at("round1")
    round_open(actor=ns.province.admin, period=ns.period, round=1)
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.2"), round=1,
                    kind=K.REQUEST, request="Bổ sung báo cáo quý IV")  # fmt: skip
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.4"), round=1,
                    kind=K.ACCEPT)  # fmt: skip
    ov = period_overview(ns.period)
    stp = next(r for r in ov.rows if r.assessment.pk == ns.stp.pk)
    assert (stp.decided1, stp.requests, stp.adjusted) == (2, 1, 0)
    assert stp.waiting1 == stp.leaves - 2
    page = html(login(ns.province.admin).get(url("overview", ns)))
    assert "Kết thúc thẩm định lần 1" in page


def test_the_organizer_extends_a_units_supplement_and_the_overview_shows_it(appraisal, login):
    ns = appraisal
    ns.at("round1")
    round_open(actor=ns.province.admin, period=ns.period, round=1)
    decision_record(actor=ns.appraiser2, entry=entry_of(ns.stp, "1.2"), round=1,
                    kind=K.REQUEST, request="Bổ sung báo cáo")  # fmt: skip
    _accept_all(ns)
    round_close(actor=ns.province.admin, period=ns.period, round=1)
    ns.at("supplement")
    client = login(ns.province.admin)
    before = html(client.get(url("overview", ns)))
    assert "10/12/2026" in before  # the calendar's last day of Giải trình, bổ sung
    response = client.post(
        url("extend", ns, ns.stp.pk),
        {"until_date": "14/12/2026", "until_time": "17:00", "reason": "Mất điện kéo dài"},
        follow=True,
    )
    page = html(response)
    assert "Đã gia hạn giải trình, bổ sung cho Sở Tư pháp đến 17:00 ngày 14/12/2026." in page
    assert "17:00 14/12/2026" in page
    state = AppraisalState.objects.get(assessment=ns.stp)
    assert state.supplement_extension_reason == "Mất điện kéo dài"
    # the overview's deadline is the service's, extended or not
    rows = {r.assessment.pk: r for r in period_overview(ns.period).rows}
    for a in (ns.stp, ns.syt):
        assert rows[a.pk].deadline == supplement_deadline(a)


def test_an_extension_without_a_reason_changes_nothing(appraisal, login):
    ns = appraisal
    response = login(ns.province.admin).post(
        url("extend", ns, ns.stp.pk),
        {"until_date": "14/12/2026", "until_time": "17:00", "reason": ""},
        follow=True,
    )
    assert "Sở Tư pháp: Ghi lý do gia hạn giải trình." in html(response)
    assert not AppraisalState.objects.filter(assessment=ns.stp).exists()


def test_an_extension_for_another_periods_unit_is_a_404(appraisal, login, province):
    ns = appraisal
    other = make_period(province, year=2027, council=False)
    (foreign,) = period_add_units(actor=province.admin, period=other, units=[province.stp])
    response = login(province.admin).post(
        url("extend", ns, foreign.pk),
        {"until_date": "14/12/2026", "until_time": "17:00", "reason": "x"},
    )
    assert response.status_code == 404


# ---------------------------------------------------------------- the council


def test_the_council_page_lists_the_members(appraisal, login):
    ns = appraisal
    page = html(login(ns.province.admin).get(url("council", ns)))
    for text in ("Vũ Mạnh Hùng", "Chủ tịch Hội đồng", "Đỗ Văn Nam", "Phó Giám đốc Sở Tư pháp",
                 "td.syt", "Sở Y tế"):  # fmt: skip
        assert text in page
    assert 'list="pi-accounts"' in page and 'value="cv.stp"' in page  # accounts to choose from


def test_the_organizer_records_the_councils_decision(appraisal, login):
    ns = appraisal
    client = login(ns.province.admin)
    response = client.post(
        url("council", ns),
        {
            "name": "Hội đồng thẩm định Chỉ số CCHC năm 2026",
            "decision_number": "1234/QĐ-UBND",
            "decision_date": "05/11/2026",
            "decision_signer": "Chủ tịch UBND tỉnh",
        },
        follow=True,
    )
    assert "Đã lưu quyết định thành lập hội đồng." in html(response)
    council = Council.objects.get(period=ns.period)
    assert council.decision_number == "1234/QĐ-UBND"
    assert council.decision_date.strftime("%d/%m/%Y") == "05/11/2026"
    assert "Theo Quyết định số 1234/QĐ-UBND ngày 05/11/2026" in html(response)
    bad = client.post(url("council", ns), {"name": "HĐ", "decision_date": "31/02/2026"})
    assert bad.status_code == 200 and "dd/mm/yyyy" in html(bad)


def test_the_organizer_seats_an_account_by_user_name(appraisal, login, province):
    ns = appraisal
    tgv = user_create(actor=None, username="tgv.snv", password=PASSWORD,
                      full_name="Lò Thị Hằng", job_title="Chuyên viên Sở Nội vụ")  # fmt: skip
    membership_grant(actor=None, user=tgv, unit=province.snv, role=Membership.Role.APPRAISER)
    client = login(province.admin)
    response = client.post(
        url("member_add", ns),
        {"username": "tgv.snv", "unit": "", "position": P.SUPPORT},
        follow=True,
    )
    assert "Đã thêm Lò Thị Hằng (Thành viên Tổ giúp việc) vào hội đồng." in html(response)
    seat = CouncilMember.objects.get(council=ns.council, user=tgv)
    assert (seat.unit, seat.title, seat.position) == (
        province.snv,
        "Chuyên viên Sở Nội vụ",
        P.SUPPORT,
    )  # the account's unit and job title when left empty
    again = client.post(url("member_add", ns), {"username": "tgv.snv", "position": P.MEMBER})
    assert "Lò Thị Hằng đã là thành viên của hội đồng." in html(again)
    unknown = client.post(url("member_add", ns), {"username": "khong.co", "position": P.MEMBER})
    assert "Không có tài khoản với tên đăng nhập “khong.co”." in html(unknown)
    chair = client.post(
        url("member_add", ns), {"username": "cv.stp", "unit": province.stp.pk, "position": P.CHAIR}
    )
    assert "Hội đồng đã có Chủ tịch" in html(chair)
    elsewhere = unit_create(
        actor=None, code="HNI", name="Thành phố Hà Nội", kind=Unit.Kind.PROVINCE
    )
    outside = client.post(
        url("member_add", ns),
        {"username": "cv.stp", "unit": elsewhere.pk, "position": P.MEMBER},
    )
    assert "Cơ quan công tác phải là một đơn vị thuộc địa bàn." in html(outside)
    assert not CouncilMember.objects.filter(council=ns.council, user=province.officer).exists()


def test_the_organizer_removes_a_member_but_not_one_still_assigned(appraisal, login, province):
    ns = appraisal
    client = login(province.admin)
    response = client.post(url("member_remove", ns, ns.seat1.pk), follow=True)
    assert "đang được phân công thẩm định" in html(response)
    assert CouncilMember.objects.filter(pk=ns.seat1.pk).exists()
    chair = ns.council.members.get(position=P.CHAIR)
    response = client.post(url("member_remove", ns, chair.pk), follow=True)
    assert "Đã bỏ Vũ Mạnh Hùng khỏi hội đồng." in html(response)
    assert not CouncilMember.objects.filter(pk=chair.pk).exists()


def test_a_member_of_another_periods_council_is_a_404(appraisal, login, province):
    ns = appraisal
    other = make_period(province, year=2027)
    foreign = Council.objects.get(period=other).members.first()
    assert login(province.admin).post(url("member_remove", ns, foreign.pk)).status_code == 404
    assert CouncilMember.objects.filter(pk=foreign.pk).exists()


def test_the_organizer_copies_last_years_council(appraisal, login, province):
    ns = appraisal
    nxt = make_period(province, year=2027, council=False)
    client = login(province.admin)
    page = html(client.get(reverse("appraisal:council", args=[nxt.pk])))
    assert "Sao chép từ năm trước" in page and ns.period.name in page
    response = client.post(
        reverse("appraisal:council_copy", args=[nxt.pk]), {"source": ns.period.pk}, follow=True
    )
    assert f"Đã sao chép 3 thành viên từ “{ns.period.name}”." in html(response)
    assert set(Council.objects.get(period=nxt).members.values_list("user__username", flat=True)) == {
        "chutich", "td.stp", "td.syt"
    }  # fmt: skip
    refused = client.post(
        reverse("appraisal:council_copy", args=[nxt.pk]), {"source": ns.period.pk}, follow=True
    )
    assert "chỉ sao chép vào hội đồng chưa có ai" in html(refused)


# ---------------------------------------------------------------- the assignment


def test_the_assignment_matrix_shows_domains_criteria_and_the_load(appraisal, login):
    ns = appraisal
    page = html(login(ns.province.admin).get(url("assignment", ns)))
    assert "Khối sở, ban, ngành" in page
    assert "Công tác chỉ đạo, điều hành cải cách hành chính" in page  # a domain
    assert "Kế hoạch CCHC năm" in page and "Ban hành kế hoạch CCHC năm kịp thời" in page
    assert "(theo 1)" in page  # criteria inherit their domain's assignment
    assert "Điều tra xã hội học, không thẩm định" in page
    assert "Mọi tiêu chí thành phần của 2 đơn vị đã gửi kết quả đều đã có người thẩm định." in page
    page_data = assignment_page(ns.period)
    loads = {load.member.user.username: load for load in page_data.loads}
    leaves = sum(d.leaves for d in page_data.blocks[0].domains)
    assert (loads["td.stp"].units, loads["td.stp"].leaves) == (1, leaves)  # Sở Y tế only
    assert (loads["td.syt"].units, loads["td.syt"].pairs) == (1, leaves)  # substitute: Sở Tư pháp
    assert loads["chutich"].pairs == 0


def test_the_organizer_assigns_a_leaf_and_removes_it(appraisal, login, province):
    ns = appraisal
    leaf = FrameworkNode.objects.get(framework=ns.stp.framework, code="1.2")
    client = login(province.admin)
    form = html(client.get(url("assignment", ns) + f"?nut={leaf.pk}"))
    assert f'<option value="{leaf.pk}" selected>' in form
    response = client.post(
        url("assignment_set", ns),
        {"node": leaf.pk, "who": f"m{ns.seat2.pk}", "substitute": f"m{ns.seat1.pk}"},
        follow=True,
    )
    assert f"Đã phân công 1.2 cho {ns.appraiser2.display_name}." in html(response)
    own = Assignment.objects.get(period=ns.period, node=leaf)
    assert (own.member, own.substitute) == (ns.seat2, ns.seat1)
    same = client.post(
        url("assignment_set", ns),
        {"node": leaf.pk, "who": f"m{ns.seat2.pk}", "substitute": f"m{ns.seat2.pk}"},
    )
    assert "Người thẩm định thay phải thuộc cơ quan khác" in html(same)
    by_unit = client.post(
        url("assignment_set", ns), {"node": leaf.pk, "who": f"u{province.syt.pk}"}, follow=True
    )
    assert "Đã phân công 1.2 cho Sở Y tế." in html(by_unit)
    assert Assignment.objects.get(pk=own.pk).unit == province.syt
    response = client.post(url("assignment_remove", ns, own.pk), follow=True)
    assert "Đã bỏ phân công 1.2." in html(response)
    assert not Assignment.objects.filter(pk=own.pk).exists()


def test_a_node_of_another_framework_cannot_be_assigned(appraisal, login, province):
    ns = appraisal
    other = make_framework(province.snv, province.so, year=2027)
    foreign = FrameworkNode.objects.filter(framework=other, parent__isnull=True).first()
    response = login(province.admin).post(
        url("assignment_set", ns), {"node": foreign.pk, "who": f"m{ns.seat1.pk}"}
    )
    assert "Tiêu chí không thuộc bộ tiêu chí của đợt đánh giá này." in html(response)
    assert not Assignment.objects.filter(node=foreign).exists()


def test_the_leaves_without_an_appraiser_are_listed_under_a_banner(appraisal, login):
    ns = appraisal
    Assignment.objects.filter(period=ns.period, node=ns.domains[1]).delete()
    page = html(login(ns.province.admin).get(url("assignment", ns)))
    assert "Chưa thể bắt đầu thẩm định lần 1 khi còn tiêu chí chưa có người thẩm định" in page
    assert "Tham mưu ban hành VBQPPL đúng kế hoạch" in page
    assert "Tất cả 2 đơn vị" in page
    assert "Chưa phân công" in page


def test_the_organizer_copies_last_years_assignment_and_sees_what_was_skipped(
    appraisal, login, province
):
    ns = appraisal
    leaf = FrameworkNode.objects.get(framework=ns.stp.framework, code="1.2")
    Assignment.objects.create(period=ns.period, node=leaf, member=ns.seat2)
    nxt = make_period(province, year=2027)  # the chair and td.stp, not td.syt
    client = login(province.admin)
    response = client.post(
        reverse("appraisal:assignment_copy", args=[nxt.pk]), {"source": ns.period.pk}, follow=True
    )
    page = html(response)
    assert f"Đã sao chép {len(ns.domains)} phân công từ “{ns.period.name}”." in page
    assert "Không sao chép được 1 phân công" in page
    assert "1.2: Đinh Văn Sơn không còn trong hội đồng." in page
    assert Assignment.objects.filter(period=nxt).count() == len(ns.domains)
    # the list is shown once
    assert "Không sao chép được" not in html(
        client.get(reverse("appraisal:assignment", args=[nxt.pk]))
    )


# ---------------------------------------------------------------- query counts


def test_the_overview_runs_a_fixed_number_of_queries(appraisal, login, django_assert_num_queries):
    ns = appraisal
    client = login(ns.province.admin)
    client.get(url("overview", ns))  # warm the session
    with django_assert_num_queries(17):  # waiting for round 1: the gaps are counted too
        assert client.get(url("overview", ns)).status_code == 200
    ns.at("round1")
    round_open(actor=ns.province.admin, period=ns.period, round=1)
    _accept_all(ns)
    client = login(ns.province.admin)  # the clock moved: a new session
    client.get(url("overview", ns))
    with django_assert_num_queries(12):  # +1: the menu asks for a council seat
        assert client.get(url("overview", ns)).status_code == 200


def test_the_assignment_page_runs_a_fixed_number_of_queries(
    appraisal, login, province, django_assert_num_queries
):
    ns = appraisal
    client = login(province.admin)
    client.get(url("assignment", ns))
    with django_assert_num_queries(14):  # +1: the menu asks for a council seat
        assert client.get(url("assignment", ns)).status_code == 200
    # more members and assignments: the same number
    extra = user_create(actor=None, username="td.snv", password=PASSWORD, full_name="Mai Văn Tú")
    seat = member_add(actor=province.admin, council=council_for(ns.period), user=extra,
                      unit=province.snv, position=P.MEMBER)  # fmt: skip
    for code in ("1.2", "1.4", "2.1"):
        Assignment.objects.create(
            period=ns.period,
            node=FrameworkNode.objects.get(framework=ns.stp.framework, code=code),
            member=seat,
        )
    with django_assert_num_queries(14):  # +1: the menu asks for a council seat
        assert client.get(url("assignment", ns)).status_code == 200


def test_the_council_page_runs_a_fixed_number_of_queries(
    appraisal, login, province, django_assert_num_queries
):
    ns = appraisal
    client = login(province.admin)
    client.get(url("council", ns))
    with django_assert_num_queries(11):  # +1: the menu asks for a council seat
        assert client.get(url("council", ns)).status_code == 200
    for i in range(3):  # more members: the same number
        extra = user_create(actor=None, username=f"tgv{i}", password=PASSWORD, full_name=f"TGV {i}")
        member_add(actor=province.admin, council=ns.council, user=extra, unit=province.snv,
                   position=P.SUPPORT)  # fmt: skip
    with django_assert_num_queries(11):  # +1: the menu asks for a council seat
        assert client.get(url("council", ns)).status_code == 200


# ---------------------------------------------------------------- who reaches the pages


@pytest.fixture
def commune_period(province):
    """A period of the district's Phòng Nội vụ: the province's admin only reads it."""
    fw = make_framework(province.pnv, province.xa, year=2026)
    period = period_create(
        actor=province.district_admin, organizer=province.pnv, year=2026,
        name="Chỉ số CCHC cấp xã huyện Yên Dũng năm 2026", blocks=[(province.xa, fw)],
    )  # fmt: skip
    (assessment,) = period_add_units(
        actor=province.district_admin, period=period, units=[province.commune]
    )
    council = council_for(period)
    seat = member_add(actor=province.district_admin, council=council,
                      user=province.district_admin, unit=province.pnv,
                      position=P.MEMBER)  # fmt: skip
    return period, assessment, seat


def _posts(period, assessment, seat):
    """Every POST of the organizer's pages, with valid-looking data."""
    args = [period.pk]
    assignment = Assignment.objects.filter(period=period).first() or Assignment.objects.create(
        period=period,
        node=FrameworkNode.objects.filter(framework=assessment.framework).first(),
        member=seat,
    )
    return [
        (reverse("appraisal:round", args=[*args, 1, "open"]), {}),
        (reverse("appraisal:round", args=[*args, 1, "close"]), {}),
        (
            reverse("appraisal:extend", args=[*args, assessment.pk]),
            {"until_date": "14/12/2026", "until_time": "17:00", "reason": "x"},
        ),
        (reverse("appraisal:council", args=args), {"name": "HĐ"}),
        (reverse("appraisal:member_add", args=args), {"username": "cv.stp", "position": "member"}),
        (reverse("appraisal:member_remove", args=[*args, seat.pk]), {}),
        (reverse("appraisal:council_copy", args=args), {"source": period.pk}),
        (reverse("appraisal:council_import", args=args), {}),
        (reverse("appraisal:assignment_set", args=args), {"node": assignment.node_id}),
        (reverse("appraisal:assignment_remove", args=[*args, assignment.pk]), {}),
        (reverse("appraisal:assignment_copy", args=args), {"source": period.pk}),
    ]


PAGES = ["overview", "council", "assignment", "council_template"]


def test_a_supervising_organizer_reads_the_pages_but_cannot_change_anything(
    province, login, commune_period
):
    period, assessment, seat = commune_period
    client = login(province.admin)
    for name in PAGES:
        response = client.get(reverse(f"appraisal:{name}", args=[period.pk]))
        assert response.status_code == 200, name
    page = html(client.get(reverse("appraisal:overview", args=[period.pk])))
    assert "Chỉ xem: đợt đánh giá do" in page
    assert reverse("appraisal:round", args=[period.pk, 1, "open"]) not in page
    council = html(client.get(reverse("appraisal:council", args=[period.pk])))
    assert "Thêm thành viên" not in council and "Hoàng Văn Thái" in council
    for target, data in _posts(period, assessment, seat):
        assert client.post(target, data).status_code == 403, target
    assert CouncilMember.objects.filter(pk=seat.pk).exists()
    assert Assignment.objects.filter(period=period).count() == 1


@pytest.mark.parametrize("persona", ["outsider", "officer", "appraiser", "chair", "district_admin"])
def test_others_get_404_on_every_organizer_page(appraisal, login, persona):
    ns = appraisal
    user = getattr(ns.province, persona)
    client = login(user)
    for name in PAGES:
        assert client.get(url(name, ns)).status_code == 404, name
    seat = ns.seat1
    for target, data in _posts(ns.period, ns.stp, seat):
        assert client.post(target, data).status_code == 404, target
    ns.stp.refresh_from_db()
    assert ns.stp.status == Status.SUBMITTED
    assert CouncilMember.objects.filter(pk=seat.pk).exists()


def test_a_get_by_a_reader_creates_no_council(province, login, commune_period):
    period, _, _ = commune_period
    Council.objects.filter(period=period).delete()
    login(province.admin).get(reverse("appraisal:council", args=[period.pk]))
    assert not Council.objects.filter(period=period).exists()


def test_the_period_page_links_to_the_appraisal(appraisal, login):
    ns = appraisal
    page = html(login(ns.province.admin).get(reverse("periods:detail", args=[ns.period.pk])))
    assert reverse("appraisal:overview", args=[ns.period.pk]) in page
