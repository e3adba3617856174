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
