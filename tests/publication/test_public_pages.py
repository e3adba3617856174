"""The public pages: anonymous 200 once published, 404 before; numbers from the snapshot;
the cache cleared on a new version; English; query counts; the publish button's access."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from decimal import Decimal

from django.core.cache import cache

from parindex.assessments import scoring
from parindex.assessments.models import Assessment, Entry
from parindex.common.numbers import vn_number
from parindex.publication.models import Publication
from parindex.publication.services import publication_new_version
from tests.publication.conftest import ranking_url


def test_an_unpublished_period_has_no_public_page(approved, client):
    ns = approved
    url = ranking_url(ns)
    assert client.get(url).status_code == 404
    assert client.get(url + "don-vi/STP/").status_code == 404
    assert client.get(url + "du-lieu-mo.zip").status_code == 404
    assert client.get(url + "quyet-dinh-cong-bo.pdf").status_code == 404
    assert "Chưa có kết quả nào được công bố" in client.get("/cong-khai/").content.decode()


def test_anyone_reads_the_published_ranking_with_the_snapshots_numbers(published, client):
    ns = published
    response = client.get(ranking_url(ns))
    assert response.status_code == 200
    html = response.content.decode()
    for u in ns.state.snapshot["blocks"]["so"]["results"]["units"]:
        assert f'data-unit="{u["unit"]}"' in html
        assert vn_number(u["index"]) in html  # 85,41 as published, decimal comma
    assert "345/QĐ-UBND" in html and "29/12/2026" in html
    assert "Nhóm đạt điểm cao nhất" in html
    assert client.get("/cong-khai/").status_code == 200
    assert (
        f"/cong-khai/{ns.period.organizer.code}/2026/so/"
        in client.get("/cong-khai/").content.decode()
    )


def test_the_scorecard_shows_the_units_domains_and_where_it_lost(published, client):
    ns = published
    response = client.get(ranking_url(ns) + "don-vi/STP/")
    assert response.status_code == 200
    html = response.content.decode()
    unit = next(
        u for u in ns.state.snapshot["blocks"]["so"]["results"]["units"] if u["unit"] == "STP"
    )
    assert vn_number(unit["index"]) in html
    assert 'id="domain-chart"' in html and "chart.umd.min.js" in html
    block = ns.publication.content["blocks"][0]
    leaves = [n["code"] for n in block["tree"] if n["leaf"] and not n["bonus"]]
    lost = sorted(
        (Decimal(str(unit["nodes"][c]["max"])) - Decimal(str(unit["nodes"][c]["points"])), c)
        for c in leaves
    )
    worst = max(lost)[1]
    assert f'data-criterion="{worst}"' in html  # the leaf it lost most on
    assert client.get(ranking_url(ns) + "don-vi/KHONGCO/").status_code == 404


def test_the_open_data_zip_and_files_match_the_manifest(published, client):
    ns = published
    response = client.get(ranking_url(ns) + "du-lieu-mo.zip")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = {n.split("/", 1)[1]: archive.read(n) for n in archive.namelist()}
    manifest = json.loads(names["manifest.json"])
    for name, meta in manifest["files"].items():
        assert hashlib.sha256(names[name]).hexdigest() == meta["sha256"]
    one = client.get(ranking_url(ns) + "du-lieu-mo/results.json")
    assert one.status_code == 200 and one.content == names["results.json"]
    assert client.get(ranking_url(ns) + "du-lieu-mo/khong-co.csv").status_code == 404


def test_the_english_page_sits_beside_the_vietnamese_one(published, client):
    ns = published
    html = client.get(ranking_url(ns) + "?lang=en").content.decode()
    assert '<html lang="en">' in html and "Ranking" in html and "Open data" in html
    unit = ns.state.snapshot["blocks"]["so"]["results"]["units"][0]
    assert vn_number(unit["index"]).replace(",", ".") in html  # 85.41 in English
    vi = client.get(ranking_url(ns)).content.decode()
    assert "Bảng xếp hạng" in vi and "Ranking" not in vi


def test_pages_are_cached_and_a_new_version_clears_them(
    published, client, django_capture_on_commit_callbacks
):
    ns = published
    url = ranking_url(ns)
    first = client.get(url).content
    assert client.get(url).content == first  # from the cache
    entry = Entry.objects.select_related("node").get(assessment=ns.stp, node__code="1.6")
    Entry.objects.filter(pk=entry.pk).update(round2_score=entry.node.max)
    group = list(Assessment.objects.filter(period=ns.period).select_related("unit", "framework"))
    assert cache.get("pub:keys")  # the page's key is listed
    with django_capture_on_commit_callbacks(execute=True):
        publication_new_version(
            actor=ns.province.admin,
            period=ns.period,
            results={"so": scoring.results_document(group)},
            note="Sửa tiêu chí 1.6 của Sở Tư pháp",
        )
    html = client.get(url).content.decode()
    assert "Phiên bản 2" in html and "Sửa tiêu chí 1.6 của Sở Tư pháp" in html
    assert len(cache.get("pub:keys")) == 1  # the old page's key was dropped on commit
    assert Publication.objects.count() == 2


def test_the_ranking_page_reads_a_fixed_number_of_queries(
    published, client, django_assert_num_queries
):
    ns = published
    url = ranking_url(ns)
    with django_assert_num_queries(5):  # stamp, versions, content, files, organizers below
        assert client.get(url).status_code == 200
    with django_assert_num_queries(1):  # the stamp; the page from the cache
        assert client.get(url).status_code == 200


def test_the_organizer_publishes_from_the_results_page(approved, client, login):
    ns = approved
    login(ns.province.admin)
    page = client.get(f"/ket-qua/dot/{ns.period.pk}/").content.decode()
    assert 'id="publish-button"' in page
    response = client.post(f"/cong-bo/dot/{ns.period.pk}/", {"note": ""})
    assert response.status_code == 302
    assert Publication.objects.filter(period=ns.period, version=1).exists()
    page = client.get(f"/ket-qua/dot/{ns.period.pk}/").content.decode()
    assert "Đã công bố phiên bản 1" in page and 'id="publish-button"' not in page
    again = client.post(f"/cong-bo/dot/{ns.period.pk}/", {"note": ""}, follow=True)
    assert "nội dung không thay đổi nên không công bố lại" in again.content.decode()


def test_nobody_else_publishes(approved, client, login):
    ns = approved
    for user, status in (
        (ns.province.officer, 404),
        (ns.province.chair, 404),
        (ns.province.district_admin, 404),
    ):
        login(user)
        assert client.post(f"/cong-bo/dot/{ns.period.pk}/", {}).status_code == status
    client.logout()
    assert client.post(f"/cong-bo/dot/{ns.period.pk}/", {}).status_code == 302  # to log in
    assert not Publication.objects.exists()


def test_the_scorecard_shows_the_units_earlier_published_years(published, client):
    from django.utils import timezone

    from parindex.periods.models import Period

    ns = published
    earlier = Period.objects.create(organizer=ns.period.organizer, year=2025, name="Năm 2025")
    content = json.loads(json.dumps(ns.publication.content))
    stp = next(u for u in content["blocks"][0]["results"]["units"] if u["unit"] == "STP")
    stp["index"], stp["nodes"]["1"]["index"] = 51.25, 40.5
    Publication.objects.create(
        period=earlier,
        version=1,
        published_at=timezone.now(),
        content=content,
        content_sha256="0" * 64,
    )
    html = client.get(ranking_url(ns) + "don-vi/STP/").content.decode()
    assert 'data-year="2025"' in html and "51,25" in html and "40,50" in html
    assert client.get("/cong-khai/").status_code == 200
