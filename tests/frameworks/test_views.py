import io
import json
from decimal import Decimal

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from parindex.audit.models import AuditEvent
from parindex.frameworks.models import Framework
from parindex.frameworks.services import framework_copy, framework_import, node_add
from tests.frameworks.conftest import EXAMPLE
from tests.frameworks.helpers import lock


def urls(fw):
    """Every page of the app (GET), with the demo framework and one of its leaves."""
    leaf = fw.nodes.get(code="1.2")
    return [
        reverse("frameworks:list"),
        reverse("frameworks:import"),
        reverse("frameworks:import-template"),
        reverse("frameworks:import-example"),
        reverse("frameworks:diff"),
        reverse("frameworks:detail", args=[fw.pk]),
        reverse("frameworks:export", args=[fw.pk, "yaml"]),
        reverse("frameworks:export", args=[fw.pk, "json"]),
        reverse("frameworks:export", args=[fw.pk, "xlsx"]),
        reverse("frameworks:copy", args=[fw.pk]),
        reverse("frameworks:edit", args=[fw.pk]),
        reverse("frameworks:node-add", args=[fw.pk]) + f"?parent={leaf.pk}",
        reverse("frameworks:node-edit", args=[fw.pk, leaf.pk]),
        reverse("frameworks:node-delete", args=[fw.pk, leaf.pk]),
    ]


OBJECT_PAGES = slice(5, None)


def test_every_page_opens_for_the_admin(login, demo, province):
    client = login(province.admin)
    for url in urls(demo):
        assert client.get(url).status_code == 200, url


def test_the_system_admin_sees_everything(login, demo, province):
    client = login(province.sysadmin)
    for url in urls(demo):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["outsider", "officer", "leader", "appraiser", "chair"])
def test_other_roles_get_403_or_404(login, demo, province, who):
    client = login(getattr(province, who))
    for url in urls(demo)[: OBJECT_PAGES.start]:
        assert client.get(url).status_code == 403, url
    for url in urls(demo)[OBJECT_PAGES]:
        assert client.get(url).status_code == 404, url


def test_write_actions_are_refused_to_an_outsider(client, login, demo, province):
    client = login(province.outsider)
    leaf = demo.nodes.get(code="1.2")
    for url in [
        reverse("frameworks:status", args=[demo.pk, "activate"]),
        reverse("frameworks:node-move", args=[demo.pk, leaf.pk, "down"]),
        reverse("frameworks:node-delete", args=[demo.pk, leaf.pk]),
        reverse("frameworks:copy", args=[demo.pk]),
    ]:
        assert client.post(url, {"year": 2030}).status_code == 404, url
    assert Framework.objects.count() == 1
    assert demo.nodes.filter(code="1.2").exists()


def test_a_district_admin_cannot_see_the_provinces_frameworks(login, demo, province):
    client = login(province.district_admin)
    assert "SO-DEMO-2024" not in client.get(reverse("frameworks:list")).content.decode()
    for url in urls(demo)[OBJECT_PAGES]:
        assert client.get(url).status_code == 404, url


def test_the_province_admin_reads_but_cannot_change_a_district_framework(
    login, province, demo_data
):
    data = {**demo_data, "code": "XA-2024", "block": "xa"}
    fw = framework_import(
        actor=province.district_admin, owner=province.pnv, data=data, source="xa.yaml"
    )
    client = login(province.admin)
    assert client.get(reverse("frameworks:detail", args=[fw.pk])).status_code == 200
    assert client.get(reverse("frameworks:edit", args=[fw.pk])).status_code == 403
    assert client.post(reverse("frameworks:status", args=[fw.pk, "activate"])).status_code == 403
    district = login(province.district_admin)
    assert district.get(reverse("frameworks:edit", args=[fw.pk])).status_code == 200


def test_anonymous_is_sent_to_login(client, demo):
    for url in urls(demo):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"]


def test_the_list_shows_frameworks_by_year_with_a_fixed_number_of_queries(
    login, demo, province, django_assert_num_queries
):
    framework_copy(actor=province.admin, framework=demo, year=2025)
    framework_copy(actor=province.admin, framework=demo, year=2026)
    client = login(province.admin)
    client.get(reverse("frameworks:list"))  # warm the session
    with django_assert_num_queries(5):  # +1: the menu asks for a council seat
        response = client.get(reverse("frameworks:list"))
    html = response.content.decode()
    assert html.index("Năm 2026") < html.index("Năm 2025") < html.index("Năm 2024")
    assert "SO-DEMO-2025" in html and "Dự thảo" in html


def test_the_tree_page_does_not_grow_with_the_number_of_nodes(
    login, demo, province, django_assert_num_queries
):
    client = login(province.admin)
    url = reverse("frameworks:detail", args=[demo.pk])
    client.get(url)
    with django_assert_num_queries(8) as small:  # +1: the menu asks for a council seat
        client.get(url)
    for i in range(10):
        node_add(
            actor=province.admin,
            framework=demo,
            parent=demo.nodes.get(code="2"),
            code=f"2.{10 + i}",
            title="Thêm",
            max=Decimal(1),
            rule_type="boolean",
        )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_tree_page_shows_totals_rules_and_badges(login, demo, province):
    html = login(province.admin).get(reverse("frameworks:detail", args=[demo.pk])).content.decode()
    assert "Tổng điểm tối đa: 100" in html
    assert "tổng các cấp khớp nhau" in html
    assert "Tỷ lệ: ≥100% được 2 điểm; ≥80% được 1 điểm; ≥70% được 0,5 điểm" in html
    assert "Có: 1 điểm; Không: 0" in html
    assert "Ban hành đúng thời hạn: 1 điểm; Ban hành chậm: 0,5 điểm" in html
    assert "Điều tra XHH" in html
    assert "KAD" in html
    assert "Điểm thưởng" in html
    assert "Quyết định ban hành kế hoạch CCHC năm" in html  # evidence


def test_a_locked_framework_shows_no_edit_buttons_and_refuses_edit_pages(login, demo, province):
    lock(demo, province.stp)
    client = login(province.admin)
    html = client.get(reverse("frameworks:detail", args=[demo.pk])).content.decode()
    assert "không sửa được" in html
    assert reverse("frameworks:node-edit", args=[demo.pk, demo.nodes.first().pk]) not in html
    leaf = demo.nodes.get(code="1.2")
    response = client.get(reverse("frameworks:node-edit", args=[demo.pk, leaf.pk]))
    assert response.status_code == 302
    response = client.post(
        reverse("frameworks:node-edit", args=[demo.pk, leaf.pk]),
        {"code": "1.2", "title": "X", "max": "1", "rule_type": "boolean"},
    )
    leaf.refresh_from_db()
    assert leaf.title != "X"


def test_import_of_the_example_yaml(login, province):
    client = login(province.admin)
    upload = SimpleUploadedFile("so-demo.yaml", EXAMPLE.read_bytes())
    response = client.post(reverse("frameworks:import"), {"file": upload, "owner": province.snv.pk})
    fw = Framework.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks:detail", args=[fw.pk])
    assert fw.owner == province.snv
    assert fw.created_by == province.admin


def test_import_lists_every_problem_and_saves_nothing(login, province):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["block"] = "khong-co"
    data["nodes"][0]["children"][1]["max"] = 0
    upload = SimpleUploadedFile("sai.json", json.dumps(data).encode())
    response = login(province.admin).post(reverse("frameworks:import"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "sai.json:node 1.2: max phải lớn hơn 0" in html
    assert "khối &#x27;khong-co&#x27; không có trong hệ thống" in html
    assert "chưa lưu gì" in html
    assert not Framework.objects.exists()


def test_import_refuses_broken_yaml_and_other_extensions(login, province):
    client = login(province.admin)
    bad = SimpleUploadedFile("x.yaml", b"code: [1,\n")
    html = client.post(reverse("frameworks:import"), {"file": bad}).content.decode()
    assert "YAML không hợp lệ" in html
    doc = SimpleUploadedFile("x.docx", b"...")
    html = client.post(reverse("frameworks:import"), {"file": doc}).content.decode()
    assert "Chỉ nhận tệp .yaml, .yml, .json hoặc .xlsx" in html
    assert not Framework.objects.exists()


def test_import_of_an_exported_xlsx(login, demo, province):
    client = login(province.admin)
    content = client.get(reverse("frameworks:export", args=[demo.pk, "xlsx"])).content
    wb = load_workbook(io.BytesIO(content))
    wb["Thông tin"]["B2"] = "SO-XLSX-2024"
    out = io.BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile("SO.xlsx", out.getvalue())
    response = client.post(reverse("frameworks:import"), {"file": upload})
    assert response.status_code == 302
    assert Framework.objects.get(code="SO-XLSX-2024").max_total == Decimal(100)


def test_exports_have_the_file_name_and_content(login, demo, province):
    client = login(province.admin)
    response = client.get(reverse("frameworks:export", args=[demo.pk, "yaml"]))
    assert response["Content-Disposition"] == 'attachment; filename="SO-DEMO-2024.yaml"'
    assert yaml.safe_load(response.content.decode())["nodes"][0]["code"] == "1"
    response = client.get(reverse("frameworks:export", args=[demo.pk, "json"]))
    assert json.loads(response.content)["code"] == "SO-DEMO-2024"
    response = client.get(reverse("frameworks:export", args=[demo.pk, "xlsx"]))
    assert response["Content-Disposition"] == 'attachment; filename="SO-DEMO-2024.xlsx"'
    assert load_workbook(io.BytesIO(response.content))["Tiêu chí"]["A2"].value == "1"
    assert client.get(reverse("frameworks:export", args=[demo.pk, "csv"])).status_code == 404


def test_copy_view_creates_the_next_year(login, demo, province):
    response = login(province.admin).post(
        reverse("frameworks:copy", args=[demo.pk]), {"year": 2025}
    )
    copy = Framework.objects.get(code="SO-DEMO-2025")
    assert response["Location"] == reverse("frameworks:detail", args=[copy.pk])


def test_edit_view_changes_title_and_bands(login, demo, province):
    response = login(province.admin).post(
        reverse("frameworks:edit", args=[demo.pk]),
        {"title": "Bộ mới", "bands": "90 | Xuất sắc\n75,5 | Tốt\n0 | Khá", "reason": "Kế hoạch"},
    )
    assert response.status_code == 302
    demo.refresh_from_db()
    assert demo.bands[1] == {"min": "75.5", "label": "Tốt"}


def test_status_views_activate_and_archive(login, demo, province):
    client = login(province.admin)
    client.post(reverse("frameworks:status", args=[demo.pk, "activate"]))
    demo.refresh_from_db()
    assert demo.status == Framework.Status.ACTIVE
    client.post(reverse("frameworks:status", args=[demo.pk, "archive"]))
    demo.refresh_from_db()
    assert demo.status == Framework.Status.ARCHIVED


def test_node_edit_view_saves_a_choice_rule(login, demo, province):
    leaf = demo.nodes.get(code="1.1.1")
    response = login(province.admin).post(
        reverse("frameworks:node-edit", args=[demo.pk, leaf.pk]),
        {
            "code": "1.1.1",
            "title": "Ban hành kế hoạch",
            "max": "1,5",
            "rule_type": "choice",
            "options": "a | Đúng thời hạn | 1,5\nb | Chậm | 0,5\nc | Không ban hành | 0",
            "reason": "Năm mới",
        },
    )
    assert response.status_code == 302
    leaf.refresh_from_db()
    assert leaf.max == Decimal("1.5")
    assert leaf.rule_params["options"][0] == {"key": "a", "label": "Đúng thời hạn", "points": "1.5"}
    assert AuditEvent.objects.get(verb="node.update").reason == "Năm mới"


def test_node_edit_view_saves_steps(login, demo, province):
    leaf = demo.nodes.get(code="1.6")
    login(province.admin).post(
        reverse("frameworks:node-edit", args=[demo.pk, leaf.pk]),
        {"code": "1.6", "title": "Tỷ lệ", "max": "1", "rule_type": "ratio", "mode": "steps",
         "steps": "100 | 1\n80% | 0,5", "when_zero": "full"},
    )  # fmt: skip
    leaf.refresh_from_db()
    assert leaf.rule_params == {
        "mode": "steps",
        "steps": [{"min_percent": "100", "points": "1"}, {"min_percent": "80", "points": "0.5"}],
        "when_zero": "full",
    }


def test_node_edit_view_shows_engine_problems_and_saves_nothing(login, demo, province):
    leaf = demo.nodes.get(code="1.1.1")
    response = login(province.admin).post(
        reverse("frameworks:node-edit", args=[demo.pk, leaf.pk]),
        {"code": "1.1.1", "title": "X", "max": "1", "rule_type": "choice",
         "options": "a | Đúng | 2"},
    )  # fmt: skip
    html = response.content.decode()
    assert "Tiêu chí 1.1.1: rule: options[0]: điểm 2 lớn hơn max 1" in html
    leaf.refresh_from_db()
    assert leaf.title != "X"


def test_node_edit_view_reports_a_badly_written_option_line(login, demo, province):
    leaf = demo.nodes.get(code="1.1.1")
    response = login(province.admin).post(
        reverse("frameworks:node-edit", args=[demo.pk, leaf.pk]),
        {"code": "1.1.1", "title": "X", "max": "1", "rule_type": "choice", "options": "a - 1"},
    )
    assert "Dòng 1: «a - 1» phải có dạng «a | Đúng thời hạn | 1»" in response.content.decode()


def test_node_add_and_delete_and_move_views(login, demo, province):
    client = login(province.admin)
    domain = demo.nodes.get(code="2")
    response = client.post(
        reverse("frameworks:node-add", args=[demo.pk]) + f"?parent={domain.pk}",
        {"code": "2.7", "title": "Mới", "max": "1", "rule_type": "count", "per": "0,25"},
    )
    assert response.status_code == 302
    new = demo.nodes.get(code="2.7")
    assert new.parent == domain and new.rule_params == {"per": "0.25"}
    client.post(reverse("frameworks:node-move", args=[demo.pk, new.pk, "up"]))
    new.refresh_from_db()
    assert new.position < demo.nodes.get(code="2.6").position
    client.post(reverse("frameworks:node-delete", args=[demo.pk, new.pk]), {"reason": "Thừa"})
    assert not demo.nodes.filter(code="2.7").exists()


def test_the_diff_page_compares_two_versions(login, demo, province):
    new = framework_copy(actor=province.admin, framework=demo, year=2025)
    node_add(
        actor=province.admin, framework=new, parent=None, code="10", title="Lĩnh vực mới",
        max=Decimal(1), rule_type="boolean",
    )  # fmt: skip
    client = login(province.admin)
    html = client.get(reverse("frameworks:diff"), {"a": demo.pk, "b": new.pk}).content.decode()
    assert "Lĩnh vực mới" in html
    assert "1 thêm mới" in html


def test_the_diff_page_refuses_a_framework_of_another_organizer(login, demo, province):
    client = login(province.district_admin)
    response = client.get(reverse("frameworks:diff"), {"a": demo.pk, "b": demo.pk})
    assert response.status_code == 200
    assert "Lĩnh vực" not in response.content.decode()  # the choice is invalid: no diff shown
