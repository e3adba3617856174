"""The appraisal's documents: the minutes of one unit (Biên bản thẩm định) and the report of
the period (Báo cáo kết quả thẩm định), in Word and PDF, with the national header, the
engine's numbers written with the decimal comma, and the same readers as their pages."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from parindex.appraisal.documents import minutes_html, report_html
from parindex.appraisal.selectors.consolidation import minutes_data, results_report_data
from parindex.appraisal.services import chair_approve, consolidation_submit
from parindex.assessments import scoring
from parindex.assessments.models import Entry
from parindex.common.numbers import vn_number
from parindex.reports.renderers.pdf import FONTS_DIR
from tests.appraisal.test_flow import _through_round_one, _through_round_two

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def _minutes(ns, fmt):
    return reverse("appraisal:minutes", kwargs={"assessment_pk": ns.stp.pk, "fmt": fmt})


def _report(ns, fmt):
    return reverse("appraisal:report", kwargs={"period_pk": ns.period.pk, "fmt": fmt})


def _docx_text(content: bytes) -> tuple[str, list[list[str]]]:
    """The paragraphs' text and every table row's cells (nested tables included)."""
    doc = Document(io.BytesIO(content))
    paragraphs = [p.text for p in doc.paragraphs]
    rows = []
    for table in doc.tables:
        for row in table.rows:
            rows.append([c.text for c in row.cells])
    cells = "\n".join(" | ".join(r) for r in rows)
    return "\n".join(paragraphs) + "\n" + cells, rows


def test_the_minutes_list_the_adjusted_leaf_with_its_reason_and_appraiser(appraisal, login):
    ns = appraisal
    _through_round_two(ns)
    response = login(ns.province.admin).get(_minutes(ns, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    text, rows = _docx_text(response.content)
    for line in MOTTO:
        assert line in text
    assert "BIÊN BẢN" in text and "Sở Tư pháp" in text
    assert "Bắc Giang, ngày 12 tháng 12 năm 2026" in text  # the day round 2 closed
    # 1.6 declared 9/10 (0,9), round 1 adjusted to 1/2 (0,5), round 2 agreed
    (leaf,) = [r for r in rows if r[0] == "1.6"]
    assert leaf[2:6] == ["0,90", "0,50", "0,50", "0,50"]
    assert "Lần 1: Chỉ chứng minh 1/2" in leaf[6]
    assert leaf[7] == "Đinh Văn Sơn"
    # the request on 1.2 and the unit's answer
    (asked,) = [r for r in rows if r[0] == "1.2"]
    assert "Bổ sung quyết định ban hành kế hoạch" in asked[1]
    assert asked[2] == "KH số 5" and asked[3] == "Đồng ý"
    # the totals are the bridge's (the period computed together)
    final = scoring.period_scores([ns.stp, ns.syt])[ns.stp.pk][scoring.FINAL]
    (total,) = [r for r in rows if r[0] == "Sau thẩm định"]
    assert total[1] == vn_number(final.points, 2) and total[3] == vn_number(final.index, 2)
    # the council and its chair sign
    assert "Vũ Mạnh Hùng" in text and "CHỦ TỊCH HỘI ĐỒNG" in text


def test_the_minutes_pdf_is_a_pdf_with_the_bundled_fonts_only(appraisal, login, tmp_path):
    ns = appraisal
    _through_round_two(ns)
    response = login(ns.appraiser2).get(_minutes(ns, "pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    html = minutes_html(minutes_data(ns.stp))
    assert "http" not in html.split("<body>")[0].replace("http-equiv", "")
    assert FONTS_DIR.as_uri() in html
    pdf = tmp_path / "bb.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Lần 1: Chỉ chứng" in text  # the reason, in its narrow column
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout  # fmt: skip
    assert "LiberationSerif" in fonts


def test_the_unit_reads_its_minutes_only_once_round_two_is_closed(appraisal, login):
    ns = appraisal
    _through_round_one(ns)
    ns.at("supplement")
    # the unit, and the council's seat from the unit, wait for round 2 to close
    for user in (ns.province.officer, ns.province.leader, ns.province.appraiser):
        assert login(user).get(_minutes(ns, "docx")).status_code == 404
    for user in (ns.province.admin, ns.province.chair, ns.appraiser2):
        assert login(user).get(_minutes(ns, "docx")).status_code == 200


def test_the_unit_reads_its_minutes_after_round_two(appraisal, login):
    ns = appraisal
    _through_round_two(ns)
    for user in (ns.province.officer, ns.province.appraiser):
        assert login(user).get(_minutes(ns, "pdf")).status_code == 200
    for user in (ns.province.outsider, ns.syt_leader, ns.province.district_admin):
        assert login(user).get(_minutes(ns, "docx")).status_code == 404
        assert login(user).get(_minutes(ns, "pdf")).status_code == 404


def test_the_report_ranks_each_block_with_the_results_documents_numbers(appraisal, login):
    ns = appraisal
    _through_round_two(ns)
    document = scoring.results_document([ns.stp, ns.syt])
    response = login(ns.province.admin).get(_report(ns, "docx"))
    assert response.status_code == 200
    text, rows = _docx_text(response.content)
    for line in MOTTO:
        assert line in text
    assert "SỞ NỘI VỤ" in text and "UBND TỈNH BẮC GIANG" in text
    assert "PHỤ LỤC 1" in text
    for u in document["units"]:
        (row,) = [r for r in rows if r[1] == u["name"]]
        assert row == [
            str(u["rank"]),
            u["name"],
            vn_number(u["points"], 2),
            vn_number(u["max"], 2).rstrip("0").rstrip(","),
            vn_number(u["index"], 2),
            u["band"],
        ]
    (summary,) = [r for r in rows if r[1] == "Khối sở, ban, ngành"]
    s = document["summary"]
    assert summary[2:] == [str(s["units"]), vn_number(s["mean_index"], 2),
                           vn_number(s["min_index"], 2), vn_number(s["max_index"], 2)]  # fmt: skip
    assert "," in summary[3]  # 85,41 — the decimal comma
    pdf = login(ns.province.chair).get(_report(ns, "pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_report_after_approval_is_the_snapshot(appraisal, login):
    ns = appraisal
    _through_round_two(ns)
    ns.at("approval")
    consolidation_submit(actor=ns.province.admin, period=ns.period)
    state = chair_approve(actor=ns.province.chair, period=ns.period)
    frozen = state.snapshot["blocks"]["so"]["results"]
    Entry.objects.filter(assessment=ns.stp, node__code="1.6").update(round2_score=Decimal("0"))
    data = results_report_data(ns.period)
    (block,) = data.blocks
    assert [(r.unit, r.points) for r in block.ranking] == [
        (u["unit"], Decimal(str(u["points"])))
        for u in sorted(frozen["units"], key=lambda u: u["rank"])
    ]
    assert "phê duyệt ngày 27/12/2026" in data.status_text
    html = report_html(data)
    assert "Kết quả đã được Chủ tịch Hội đồng phê duyệt ngày 27/12/2026" in html
    minutes = minutes_data(ns.stp)
    stp = next(u for u in frozen["units"] if u["unit"] == "STP")
    assert minutes.frozen and minutes.final_points == Decimal(str(stp["points"]))
    (leaf,) = [x for x in minutes.leaves if x.code == "1.6"]
    assert leaf.final == Decimal(str(stp["nodes"]["1.6"]["points"]))


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_outsiders_get_404_on_the_documents(appraisal, login, fmt):
    ns = appraisal
    _through_round_two(ns)
    for user in (ns.province.outsider, ns.province.officer, ns.province.appraiser,
                 ns.province.district_admin):  # fmt: skip
        assert login(user).get(_report(ns, fmt)).status_code == 404, user
    assert (
        login(ns.province.admin)
        .get(reverse("appraisal:report", kwargs={"period_pk": 987654321, "fmt": fmt}))
        .status_code
        == 404
    )
