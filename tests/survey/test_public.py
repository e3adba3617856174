"""The citizens' public link and QR code: the anonymous form counted for the unit, the groups
of the public link, the rate limits (429, nothing stored), the poster and the QR list."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.survey.definition import engine_survey, questions_for
from parindex.survey.models import Response, Survey
from parindex.survey.services import public
from parindex.survey.services.public import public_groups, survey_set_public_groups

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def form_url(survey, code="STP"):
    return reverse("survey_public:public_form", kwargs={"survey_pk": survey.pk, "unit_code": code})


def citizen_answers(survey) -> dict[str, str]:
    es = engine_survey(survey)
    return {q.code: q.options[1].key for q in questions_for(es, "DAN")}


def post_form(client, survey, code="STP", *, addr="203.0.113.7", **extra):
    page = client.get(form_url(survey, code), REMOTE_ADDR=addr)
    start = page.context["start"] if page.status_code == 200 else ""
    data = {"group": "DAN", "start": start, **citizen_answers(survey), **extra}
    return client.post(form_url(survey, code), data, REMOTE_ADDR=addr)


def test_the_citizens_group_is_guessed_and_the_organizer_may_choose(surveyed):
    survey = surveyed.survey
    assert [g.code for g in public_groups(survey)] == ["DAN"]
    survey_set_public_groups(actor=surveyed.province.admin, survey=survey, groups=["DAN", "HDND"])
    survey.refresh_from_db()
    assert [g.code for g in public_groups(survey)] == ["HDND", "DAN"]  # the definition's order
    assert AuditEvent.objects.filter(verb="survey.public_groups").count() == 1
    with pytest.raises(DomainError, match="XYZ"):
        survey_set_public_groups(actor=surveyed.province.admin, survey=survey, groups=["XYZ"])
    with pytest.raises(DomainError):
        survey_set_public_groups(actor=surveyed.province.officer, survey=survey, groups=["DAN"])


def test_the_public_form_stores_an_anonymous_response_counted_for_the_unit(surveyed, client):
    page = client.get(form_url(surveyed.survey))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sở Tư pháp" in text and "bảo vệ dữ liệu cá nhân" in text and "Số điện thoại" in text
    assert public.DEVICE_COOKIE in page.cookies
    r = post_form(client, surveyed.survey, phone="0912 345 678")
    assert r.status_code == 302
    assert r["Location"].endswith("/cam-on/")
    thanks = client.get(r["Location"])
    assert "Cảm ơn" in thanks.content.decode()
    resp = Response.objects.get()
    assert (resp.unit, resp.group, resp.channel) == (surveyed.province.stp, "DAN", "public")
    assert resp.phone == "0912 345 678"
    assert resp.started_at is not None  # from the signed hidden field
    assert len(resp.address_hash) == 64 and "203.0.113.7" not in resp.address_hash
    assert len(resp.device_hash) == 64
    assert resp.enumerator is None and resp.serial == ""
    assert resp.answers.count() == len(citizen_answers(surveyed.survey))


def test_a_missing_answer_or_a_bad_phone_stores_nothing(surveyed, client):
    answers = citizen_answers(surveyed.survey)
    first = next(iter(answers))
    answers.pop(first)
    r = client.post(form_url(surveyed.survey), {"group": "DAN", **answers})
    assert r.status_code == 400
    assert "Chọn một phương án" in r.content.decode()
    r = post_form(client, surveyed.survey, phone="gọi tôi")
    assert r.status_code == 400
    assert "Số điện thoại không đúng" in r.content.decode()
    assert Response.objects.count() == 0


def test_a_forged_start_time_is_ignored(surveyed, client):
    data = {"group": "DAN", "start": "1.2.3", **citizen_answers(surveyed.survey)}
    assert client.post(form_url(surveyed.survey), data).status_code == 302
    assert Response.objects.get().started_at is None


def test_several_public_groups_the_respondent_picks_first(surveyed, client):
    survey_set_public_groups(
        actor=surveyed.province.admin, survey=surveyed.survey, groups=["DAN", "HDND"]
    )
    page = client.get(form_url(surveyed.survey))
    assert page.status_code == 200
    assert "thuộc nhóm nào" in page.content.decode()
    assert "?nhom=DAN" in page.content.decode()
    form = client.get(form_url(surveyed.survey) + "?nhom=HDND")
    assert "Đại biểu HĐND tỉnh" in form.content.decode()
    assert "Q01" in {f for f in form.context["form"].fields}


def test_a_group_not_on_the_public_link_is_refused(surveyed, client):
    data = {"group": "HDND", "Q01": "A"}
    r = client.post(form_url(surveyed.survey), data)  # one public group: always DAN
    assert r.status_code == 400
    assert Response.objects.count() == 0


def test_rate_limit_per_address(surveyed, client, monkeypatch):
    monkeypatch.setattr(public, "ADDRESS_PER_HOUR", 2)
    monkeypatch.setattr(public, "DEVICE_PER_DAY", 100)
    for _ in range(2):
        client.cookies.clear()  # a new device each time, the same address
        assert post_form(client, surveyed.survey).status_code == 302
    client.cookies.clear()
    r = post_form(client, surveyed.survey)
    assert r.status_code == 429
    assert "Phiếu chưa được gửi" in r.content.decode()
    assert Response.objects.count() == 2
    # another address is not limited
    client.cookies.clear()
    assert post_form(client, surveyed.survey, addr="198.51.100.9").status_code == 302
    assert Response.objects.count() == 3


def test_rate_limit_per_device_cookie(surveyed, client, monkeypatch):
    monkeypatch.setattr(public, "ADDRESS_PER_HOUR", 100)
    monkeypatch.setattr(public, "DEVICE_PER_DAY", 2)
    addrs = ["192.0.2.1", "192.0.2.2", "192.0.2.3"]
    assert post_form(client, surveyed.survey, addr=addrs[0]).status_code == 302
    assert post_form(client, surveyed.survey, "SYT", addr=addrs[1]).status_code == 302
    r = post_form(client, surveyed.survey, addr=addrs[2])  # same device cookie, new address
    assert r.status_code == 429
    assert Response.objects.count() == 2


def test_the_rate_limit_helper_counts_only_what_is_counted(surveyed, monkeypatch):
    monkeypatch.setattr(public, "ADDRESS_PER_HOUR", 1)
    sid = surveyed.survey.pk
    assert not public.rate_limited(sid, "a" * 64, "")
    public.rate_count(sid, "a" * 64, "")
    assert public.rate_limited(sid, "a" * 64, "")
    assert not public.rate_limited(sid, "b" * 64, "")
    assert not public.rate_limited(sid + 1, "a" * 64, "")  # per survey


@pytest.mark.parametrize("case", ["closed", "unknown_unit", "other_block", "not_public"])
def test_the_public_form_is_404_when_it_cannot_answer(surveyed, client, case):
    survey = surveyed.survey
    code = "STP"
    if case == "closed":
        Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    elif case == "unknown_unit":
        code = "KHONGCO"
    elif case == "other_block":
        code = "YDU"
    else:
        Survey.objects.filter(pk=survey.pk).update(public_enabled=False)
    assert client.get(form_url(survey, code)).status_code == 404
    data = {"group": "DAN", **citizen_answers(survey)}
    assert client.post(form_url(survey, code), data).status_code == 404
    assert Response.objects.count() == 0


# --- the organizer's QR list and poster ----------------------------------------------------


def test_the_poster_is_an_a4_pdf_with_the_qr_of_the_public_url(surveyed, login, monkeypatch):
    import parindex.survey.poster as poster

    seen: list[str] = []
    real = poster.qr_svg

    def spy(url, **kw):
        seen.append(url)
        return real(url, **kw)

    monkeypatch.setattr(poster, "qr_svg", spy)
    client = login(surveyed.province.admin)
    url = reverse("survey:poster", kwargs={"survey_pk": surveyed.survey.pk, "unit_code": "STP"})
    r = client.get(url)
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("attachment;")
    assert r.content.startswith(b"%PDF")
    assert seen and seen[0].endswith(form_url(surveyed.survey))
    html = poster.poster_html(surveyed.survey, surveyed.province.stp, seen[0])
    assert "<svg" in html and "Sở Tư pháp" in html and seen[0] in html


def test_the_qr_list_shows_every_unit_with_its_link_and_poster(
    surveyed, login, django_assert_max_num_queries
):
    client = login(surveyed.province.admin)
    url = reverse("survey:posters", kwargs={"survey_pk": surveyed.survey.pk})
    with django_assert_max_num_queries(14):
        r = client.get(url)
    assert r.status_code == 200
    text = r.content.decode()
    for code in ("STP", "SYT"):
        assert form_url(surveyed.survey, code) in text
        assert f"/qr/{code}.pdf" in text
    assert "data:image/svg+xml" in text


def test_the_organizer_saves_the_public_groups_on_the_qr_page(surveyed, login):
    client = login(surveyed.province.admin)
    url = reverse("survey:posters_groups", kwargs={"survey_pk": surveyed.survey.pk})
    r = client.post(url, {"groups": ["HDND", "DAN"]})
    assert r.status_code == 302
    surveyed.survey.refresh_from_db()
    assert surveyed.survey.public_groups == ["HDND", "DAN"]


@pytest.mark.parametrize("who", ["officer", "district_admin", "enumerator"])
def test_outsiders_get_404_on_the_qr_pages(surveyed, login, who):
    user = surveyed.enumerator if who == "enumerator" else getattr(surveyed.province, who)
    client = login(user)
    pk = surveyed.survey.pk
    for url in (
        reverse("survey:posters", kwargs={"survey_pk": pk}),
        reverse("survey:poster", kwargs={"survey_pk": pk, "unit_code": "STP"}),
    ):
        assert client.get(url).status_code == 404
    r = client.post(reverse("survey:posters_groups", kwargs={"survey_pk": pk}), {"groups": "DAN"})
    assert r.status_code == 404


def test_anonymous_is_sent_to_login_on_the_qr_pages(surveyed, client):
    pk = surveyed.survey.pk
    for url in (
        reverse("survey:posters", kwargs={"survey_pk": pk}),
        reverse("survey:poster", kwargs={"survey_pk": pk, "unit_code": "STP"}),
    ):
        r = client.get(url)
        assert r.status_code == 302 and "/dang-nhap/" in r["Location"]


def test_the_poster_of_an_unknown_unit_is_404(surveyed, login):
    client = login(surveyed.province.admin)
    url = reverse("survey:poster", kwargs={"survey_pk": surveyed.survey.pk, "unit_code": "YDU"})
    assert client.get(url).status_code == 404
