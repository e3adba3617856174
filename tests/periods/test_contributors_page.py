"""The "Phân công tiêu chí" page of the province's own self-assessment."""

import pytest
from django.urls import reverse

from parindex.assessments.models import Entry
from tests.periods.helpers import period_with_units, province_self_period


@pytest.fixture
def own(province):
    return province_self_period(province)


def url(period):
    return reverse("periods:contributors", args=[period.pk])


def assigned(assessment):
    return dict(
        Entry.objects.filter(assessment=assessment)
        .exclude(contributor=None)
        .values_list("node__code", "contributor__code")
    )


def test_the_page_shows_the_tree_with_a_select_per_node(login, province, own):
    period, assessment = own
    response = login(province.admin).get(url(period))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phân công tiêu chí" in html and "Tỉnh Bắc Giang" in html
    for code in ("1", "1.1", "1.1.1", "9.2"):
        assert f'name="unit-{code}"' in html
    assert 'name="unit-1.7"' not in html  # survey leaf
    assert "Điều tra xã hội học — không phân công" in html
    assert f'<option value="{province.stp.pk}">Sở Tư pháp</option>' in html
    assert f'<option value="{province.root.pk}"' not in html  # the assessed unit itself


def test_choosing_a_unit_on_a_domain_row_assigns_its_leaves(login, province, own):
    period, assessment = own
    client = login(province.admin)
    response = client.post(
        url(period), {"apply": "1", "unit-1": province.stp.pk, "a": assessment.pk}, follow=True
    )
    html = response.content.decode()
    assert "Đã phân công 8 tiêu chí thành phần cho Sở Tư pháp." in html
    assert set(assigned(assessment).values()) == {"STP"}
    assert len(assigned(assessment)) == 8
    # the domain row now shows the unit; a partly reassigned criterion shows "(nhiều đơn vị)"
    client.post(url(period), {"apply": "1.1.2", "unit-1.1.2": province.syt.pk})
    html = client.get(url(period)).content.decode()
    assert "(nhiều đơn vị)" in html
    assert f'<option value="{province.stp.pk}" selected>Sở Tư pháp</option>' in html


def test_the_checked_rows_get_the_bulk_unit(login, province, own):
    period, assessment = own
    client = login(province.admin)
    client.post(
        url(period),
        {"apply": "__checked__", "codes": ["2", "3.1"], "bulk_unit": province.syt.pk},
    )
    codes = assigned(assessment)
    assert set(codes.values()) == {"SYT"}
    assert {"2.1", "2.5", "3.1.1", "3.1.2"} <= set(codes) and "2.6" not in codes
    client.post(url(period), {"apply": "__checked__", "codes": ["2"], "bulk_unit": ""})
    assert set(assigned(assessment)) == {"3.1.1", "3.1.2"}


def test_bad_posts_change_nothing_and_say_why(login, province, own):
    period, assessment = own
    client = login(province.admin)
    html = client.post(
        url(period), {"apply": "__checked__", "bulk_unit": province.syt.pk}, follow=True
    ).content.decode()
    assert "Đánh dấu ít nhất một lĩnh vực hoặc tiêu chí." in html
    html = client.post(
        url(period), {"apply": "1", "unit-1": "__mixed__"}, follow=True
    ).content.decode()
    assert "Chọn đơn vị được phân công." in html
    html = client.post(
        url(period), {"apply": "1", "unit-1": province.commune.pk}, follow=True
    ).content.decode()
    assert "Đơn vị được chọn không hợp lệ." in html
    assert assigned(assessment) == {}


def test_the_page_runs_a_fixed_number_of_queries(login, province, own, django_assert_num_queries):
    period, assessment = own
    client = login(province.admin)
    client.post(url(period), {"apply": "1", "unit-1": province.stp.pk})
    # session, user, roles, period, phases, assessments, units, nodes, entries, summary,
    # summary units
    with django_assert_num_queries(12):  # +1: the menu asks for a council seat
        assert client.get(url(period)).status_code == 200


def test_an_internal_period_has_no_assignment_page(login, province):
    period, by_code = period_with_units(province)
    assert login(province.admin).get(url(period)).status_code == 404


def test_the_tab_is_shown_for_the_province_s_own_period(login, province, own):
    period, assessment = own
    html = login(province.admin).get(reverse("periods:detail", args=[period.pk])).content
    assert url(period) in html.decode()


def test_anonymous_users_are_sent_to_login(client, province, own):
    period, assessment = own
    response = client.get(url(period))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["officer", "leader", "outsider", "district_admin", "chair"])
def test_others_get_404_and_change_nothing(login, province, own, who):
    period, assessment = own
    client = login(getattr(province, who))
    assert client.get(url(period)).status_code == 404
    response = client.post(url(period), {"apply": "1", "unit-1": province.stp.pk})
    assert response.status_code == 404
    assert assigned(assessment) == {}


def test_inner_nodes_show_the_sum_of_their_leaves(login, province, own):
    period, assessment = own
    from parindex.assessments.period_selectors import contributor_tree

    rows = {r.node.code: r for r in contributor_tree(assessment)}
    assert str(rows["1.1"].max.normalize()) == "3"  # 1.1.1 (1) + 1.1.2 (2)
    assert rows["1.1.1"].max == 1
