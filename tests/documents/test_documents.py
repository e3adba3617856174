"""The report to the chair of the People's Committee and the draft decision: their figures
are the results' selectors' (with the decimal comma), the Word files open with python-docx
and carry the annex rows, the PDFs embed only the bundled fonts; who may download them."""

from __future__ import annotations

import io
import re
import zlib

from django.urls import reverse
from docx import Document

from parindex.common.numbers import vn_number
from parindex.documents import render
from parindex.documents.selectors import period_docs
from parindex.results.selectors import period_results


def _text(docx_bytes: bytes) -> str:
    doc = Document(io.BytesIO(docx_bytes))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def _decompressed(pdf: bytes) -> bytes:
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


def test_the_report_prints_the_selectors_figures_with_the_decimal_comma(approved):
    ns = approved
    (block,) = period_results(ns.period).blocks
    text = _text(render.report_docx(period_docs(ns.period)))
    s = block.summary
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Bắc Giang." in text
    assert "Kết quả xác định Chỉ số cải cách hành chính năm 2026" in text
    assert "có 02 cơ quan, đơn vị" in text
    summary = f"1 | {block.name} | 2 | {vn_number(s['mean_index'])} | " + (
        f"{vn_number(s['min_index'])} | {vn_number(s['max_index'])}"
    )
    assert summary in text
    assert f"Chỉ số CCHC bình quân đạt {vn_number(s['mean_index'])}%" in text
    for band in block.bands:
        assert f"{band.label}: " in text
    assert "phê duyệt ngày 27/12/2026" in text
    # the annex: a row per unit with its rank, index, band and every domain's index
    for u in block.units:
        cells = [str(u.rank), u.name, vn_number(u.index), u.band or "—"]
        cells += [vn_number(c.points if d.bonus else c.index) for d, c in zip(
            block.domains, u.domains, strict=True)]  # fmt: skip
        assert " | ".join(cells) in text


def test_the_docx_annex_table_has_a_row_per_unit(approved):
    ns = approved
    doc = Document(io.BytesIO(render.report_docx(period_docs(ns.period))))
    annex = doc.tables[-1]
    assert annex.rows[0].cells[0].text == "Xếp hạng"
    assert [r.cells[1].text for r in annex.rows[1:]] == [
        u.name for u in period_results(ns.period).blocks[0].units
    ]
    assert doc.sections[-1].orientation == 1  # the annex is landscape


def test_the_draft_decision_has_its_articles_and_the_ranking_annex(approved):
    ns = approved
    (block,) = period_results(ns.period).blocks
    content = render.decision_docx(period_docs(ns.period))
    text = _text(content)
    assert text.startswith("DỰ THẢO") or "DỰ THẢO" in text.split("\n")[0:3] or "DỰ THẢO" in text
    assert "QUYẾT ĐỊNH" in text and "QUYẾT ĐỊNH:" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC GIANG" in text
    for label in ("Điều 1.", "Điều 2.", "Điều 3."):
        assert label in text
    assert "Căn cứ" in text and "Nơi nhận:" in text
    annex = Document(io.BytesIO(content)).tables[-1]
    assert [c.text for c in annex.rows[0].cells][:2] == ["STT", "Đơn vị"]
    rows = [[c.text for c in r.cells] for r in annex.rows[1:]]
    assert rows == [
        [str(i), u.name, vn_number(u.points), rows[i - 1][3], vn_number(u.index), str(u.rank),
         u.band or "—"]
        for i, u in enumerate(block.units, 1)
    ]  # fmt: skip


def test_the_pdfs_are_pdfs_with_only_the_bundled_fonts(approved):
    data = period_docs(approved.period)
    for pdf in (render.report_pdf(data), render.decision_pdf(data)):
        assert pdf.startswith(b"%PDF")
        names = set(re.findall(rb"/BaseFont\s*/([A-Z]{6}\+[^\s/<>\[\]]+)", _decompressed(pdf)))
        assert names
        assert all(b"LiberationSerif" in n for n in names), names


def test_the_decision_html_keeps_the_blank_day_and_number(approved):
    html = render.decision_html(period_docs(approved.period))
    assert "ngày\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0tháng" in html
    assert "DỰ THẢO" in html


def test_the_organizer_and_the_chair_download_outsiders_get_404(approved, login):
    ns = approved
    for user in (ns.province.admin, ns.province.chair):
        client = login(user)
        assert client.get(reverse("documents:page", args=[ns.period.pk])).status_code == 200
        response = client.get(reverse("documents:report", args=[ns.period.pk, "docx"]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert "private" in response["Cache-Control"]
        response = client.get(reverse("documents:decision", args=[ns.period.pk, "pdf"]))
        assert response.content.startswith(b"%PDF")
    for user in (ns.province.officer, ns.province.outsider, ns.province.district_admin):
        client = login(user)
        assert client.get(reverse("documents:page", args=[ns.period.pk])).status_code == 404
        url = reverse("documents:report", args=[ns.period.pk, "pdf"])
        assert client.get(url).status_code == 404
    client = login(ns.province.admin)
    assert client.get(reverse("documents:report", args=[ns.period.pk, "xlsx"])).status_code == 404


def test_a_large_period_is_sent_to_the_worker(approved, login, monkeypatch):
    from parindex.documents import views

    monkeypatch.setattr(views, "SYNC_MAX_CELLS", 1)
    client = login(approved.province.admin)
    response = client.get(reverse("documents:report", args=[approved.period.pk, "pdf"]))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "tạo trong nền" in page.content.decode()
    assert 'id="large-note"' in page.content.decode()


def test_the_results_page_links_the_documents(approved, login):
    ns = approved
    html = login(ns.province.admin).get(reverse("results:period", args=[ns.period.pk]))
    html = html.content.decode()
    assert 'id="van-ban"' in html
    for name, fmt in (("report", "docx"), ("report", "pdf"), ("decision", "pdf")):
        assert reverse(f"documents:{name}", args=[ns.period.pk, fmt]) in html
    assert reverse("documents:page", args=[ns.period.pk]) in html


def test_before_the_approval_the_report_says_it_is_a_preview(appraisal):
    from tests.results.conftest import through_round_two

    ns = appraisal
    through_round_two(ns)
    (block,) = period_results(ns.period).blocks
    text = _text(render.report_docx(period_docs(ns.period)))
    assert "chưa được Chủ tịch Hội đồng thẩm định phê duyệt" in text
    assert "tạm tính" in text
    assert f"Chỉ số CCHC bình quân đạt {vn_number(block.summary['mean_index'])}%" in text
    decision = _text(render.decision_docx(period_docs(ns.period)))
    assert "đã được Chủ tịch Hội đồng phê duyệt" not in decision
