from django.urls import reverse


def test_login_page_is_public_and_vietnamese(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_home_needs_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_home_shows_the_admin_role(login, province):
    response = login(province.admin).get(reverse("home"))
    assert response.status_code == 200
    assert "Sở Nội vụ" in response.content.decode()


def test_unit_officer_cannot_open_back_office(login, province):
    response = login(province.officer).get(reverse("accounts:unit-list"))
    assert response.status_code == 403


def test_home_shows_the_organizers_running_period_with_counts(login, province):
    from pathlib import Path

    import yaml

    from parindex.assessments.services import assessment_create
    from parindex.frameworks.services import framework_activate, framework_import
    from parindex.periods.services import period_create

    data = yaml.safe_load(
        (
            Path(__file__).resolve().parents[2] / "parindex/frameworks/examples/so-demo.yaml"
        ).read_text()
    )
    data["year"] = 2026
    data["code"] = "SO-2026"
    framework = framework_import(
        actor=province.admin, owner=province.snv, data=data, source="so.yaml"
    )
    framework_activate(actor=province.admin, framework=framework)
    period = period_create(
        actor=province.admin,
        organizer=province.snv,
        year=2026,
        name="Chỉ số CCHC năm 2026 khối sở",
        blocks=[(province.so, framework)],
    )
    assessment_create(actor=province.admin, period=period, unit=province.stp)
    assessment_create(actor=province.admin, period=period, unit=province.syt)
    body = login(province.admin).get(reverse("home")).content.decode()
    assert "Chỉ số CCHC năm 2026 khối sở" in body
    assert "<strong>0/2</strong> đơn vị đã gửi" in body
    assert reverse("periods:progress", args=[period.pk]) in body


def test_home_shows_no_period_cards_to_a_unit_officer(login, province):
    body = login(province.officer).get(reverse("home")).content.decode()
    assert "Đợt đánh giá đang thực hiện" not in body
