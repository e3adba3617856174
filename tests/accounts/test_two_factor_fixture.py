"""The shared fixture (tests/conftest.py) passes the second factor for sessions signed in by
tests that test something else — only in the test process."""

from django.urls import reverse


def test_a_force_logged_in_organizer_admin_reaches_the_pages(province, login):
    client = login(province.admin)
    assert client.get(reverse("accounts:unit-list")).status_code == 200
    assert client.session["_pi_2fa"] == "verified"


def test_a_force_logged_in_system_admin_reaches_the_admin_site(province, login):
    assert login(province.sysadmin).get("/quan-tri-he-thong/").status_code == 200
