import pytest
from django.urls import reverse

from parindex.accounts.models import Unit
from parindex.accounts.services import unit_create
from parindex.audit.models import AuditEvent

LIST = reverse("accounts:unit-list")


def _form(unit=None, **over):
    data = {
        "code": "SXD",
        "name": "Sở Xây dựng",
        "short_name": "SXD",
        "kind": Unit.Kind.DEPARTMENT,
        "parent": "",
        "block": "",
        "admin_root": "",
        "email": "",
        "phone": "",
        "position": "0",
    }
    if unit is not None:
        data.update(
            code=unit.code,
            name=unit.name,
            short_name=unit.short_name,
            kind=unit.kind,
            parent=unit.parent_id or "",
            block=unit.block_id or "",
            admin_root=unit.admin_root_id or "",
        )
    data.update(over)
    return data


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["officer", "leader", "outsider", "appraiser", "chair"])
def test_non_admins_get_403(login, province, who):
    assert login(getattr(province, who)).get(LIST).status_code == 403
    assert login(getattr(province, who)).get(reverse("accounts:unit-create")).status_code == 403


def test_the_province_admin_sees_the_whole_tree_in_order(login, province):
    page = login(province.admin).get(LIST).content.decode()
    order = [
        page.index(name)
        for name in [
            "Tỉnh Bắc Giang",
            "Sở Nội vụ",
            "Sở Tư pháp",
            "Sở Y tế",
            "UBND huyện Yên Dũng",
            "Phòng Nội vụ huyện Yên Dũng",
            "UBND xã Tiến Dũng",
        ]
    ]
    assert order == sorted(order)
    assert "Cơ quan tổ chức đánh giá" in page
    assert "Khối sở, ban, ngành" in page


def test_the_district_admin_sees_only_the_district_subtree(login, province):
    page = login(province.district_admin).get(LIST).content.decode()
    assert "UBND xã Tiến Dũng" in page and "Phòng Nội vụ huyện Yên Dũng" in page
    assert "Sở Tư pháp" not in page and "Tỉnh Bắc Giang" not in page


def test_it_filters_by_block_kind_and_text(login, province):
    client = login(province.admin)
    page = client.get(LIST, {"khoi": province.xa.pk}).content.decode()
    assert "UBND xã Tiến Dũng" in page and "Sở Tư pháp" not in page
    page = client.get(LIST, {"loai": "department", "q": "tư pháp"}).content.decode()
    assert "Sở Tư pháp" in page and "Sở Y tế" not in page


def test_the_unit_list_runs_a_fixed_number_of_queries(login, province, django_assert_num_queries):
    client = login(province.admin)
    client.get(LIST)  # warm the session

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(15):
        unit_create(
            actor=None,
            code=f"X{i}",
            name=f"UBND xã số {i}",
            kind=Unit.Kind.COMMUNE,
            parent=province.district,
            block=province.xa,
        )
    with django_assert_num_queries(before):
        client.get(LIST)


def test_an_admin_creates_a_unit_inside_the_scope(login, province):
    response = login(province.admin).post(
        reverse("accounts:unit-create"), _form(parent=province.root.pk, block=province.so.pk)
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="SXD")
    assert unit.path == f"{province.root.path}{unit.pk}/"
    assert AuditEvent.objects.filter(verb="unit.create", object_id=str(unit.pk)).exists()


def test_a_district_admin_cannot_put_a_unit_outside_the_district(login, province):
    response = login(province.district_admin).post(
        reverse("accounts:unit-create"), _form(code="X1", parent=province.root.pk)
    )
    assert response.status_code == 200
    assert (
        "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
        or "hợp lệ" in response.content.decode()
    )
    assert not Unit.objects.filter(code="X1").exists()


def test_a_new_unit_needs_a_parent_for_an_organizer_admin(login, province):
    response = login(province.admin).post(reverse("accounts:unit-create"), _form(code="X2"))
    assert response.status_code == 200
    assert not Unit.objects.filter(code="X2").exists()


def test_the_unit_code_must_be_unique(login, province):
    response = login(province.admin).post(
        reverse("accounts:unit-create"), _form(code="stp", parent=province.root.pk)
    )
    assert "Mã đơn vị “stp” đã được dùng." in response.content.decode()


def test_moving_a_unit_moves_its_subtree(login, province):
    client = login(province.admin)
    ward = unit_create(
        actor=None, code="W", name="Tổ dân phố", kind="other", parent=province.commune
    )
    response = client.post(
        reverse("accounts:unit-edit", args=[province.commune.pk]),
        _form(province.commune, parent=province.root.pk),
    )
    assert response.status_code == 302
    province.commune.refresh_from_db()
    ward.refresh_from_db()
    assert province.commune.path == f"{province.root.path}{province.commune.pk}/"
    assert ward.path == f"{province.commune.path}{ward.pk}/"
    event = AuditEvent.objects.filter(verb="unit.update", object_id=str(province.commune.pk)).get()
    assert event.old == {"parent": province.district.pk}


def test_a_unit_cannot_become_its_own_ancestor(login, province):
    response = login(province.admin).post(
        reverse("accounts:unit-edit", args=[province.district.pk]),
        _form(province.district, parent=province.commune.pk),
    )
    assert response.status_code == 200
    province.district.refresh_from_db()
    assert province.district.parent_id == province.root.pk


def test_the_district_admin_cannot_edit_a_department(login, province):
    url = reverse("accounts:unit-edit", args=[province.stp.pk])
    assert login(province.district_admin).get(url).status_code == 404
    assert login(province.officer).get(url).status_code == 403  # not an admin
    assert login(province.outsider).get(url).status_code == 403


def test_deactivate_refuses_a_unit_with_active_children(login, province):
    client = login(province.admin)
    response = client.post(reverse("accounts:unit-deactivate", args=[province.district.pk]))
    assert response.status_code == 302
    province.district.refresh_from_db()
    assert province.district.is_active
    client.post(
        reverse("accounts:unit-deactivate", args=[province.commune.pk]), {"reason": "Sáp nhập"}
    )
    province.commune.refresh_from_db()
    assert not province.commune.is_active
    event = AuditEvent.objects.get(verb="unit.update", object_id=str(province.commune.pk))
    assert event.reason == "Sáp nhập" and event.new == {"is_active": False}


def test_deactivate_needs_a_post_and_the_scope(login, province):
    url = reverse("accounts:unit-deactivate", args=[province.stp.pk])
    assert login(province.admin).get(url).status_code == 405
    assert login(province.district_admin).post(url).status_code == 404
    province.stp.refresh_from_db()
    assert province.stp.is_active


def test_a_used_unit_cannot_be_deleted_but_an_unused_one_can(login, province):
    client = login(province.admin)
    client.post(reverse("accounts:unit-delete", args=[province.stp.pk]))
    assert Unit.objects.filter(pk=province.stp.pk).exists()
    spare = unit_create(actor=None, code="TMP", name="Nhập nhầm", parent=province.root)
    client.post(reverse("accounts:unit-delete", args=[spare.pk]))
    assert not Unit.objects.filter(pk=spare.pk).exists()
    assert AuditEvent.objects.filter(verb="unit.delete", object_repr="Nhập nhầm").exists()


def test_blocks_are_managed_by_the_province_organizer_only(login, province):
    url = reverse("accounts:block-list")
    assert login(province.district_admin).get(url).status_code == 403
    assert login(province.officer).get(url).status_code == 403
    client = login(province.admin)
    assert "Khối huyện, thành phố" in client.get(url).content.decode()
    client.post(url, {"code": "tw", "name": "Cơ quan Trung ương trên địa bàn", "position": 4})
    edit = reverse("accounts:block-edit", args=[province.xa.pk])
    client.post(edit, {"code": "xa", "name": "Khối xã, phường", "position": 3})
    province.xa.refresh_from_db()
    assert province.xa.name == "Khối xã, phường"
    assert (
        AuditEvent.objects.filter(
            verb__in=["block.create", "block.update"], actor=province.admin
        ).count()
        == 2
    )
    assert login(province.district_admin).post(edit, {"code": "xa", "name": "?"}).status_code == 403
