import re
import shutil
import subprocess
import zlib

import pytest

from parindex.reports.renderers import render_pdf
from parindex.reports.renderers.pdf import BundledFontsOnly
from parindex.reports.selectors import self_assessment_report_data


def _decompressed(pdf: bytes) -> bytes:
    """Every Flate stream of the PDF, inflated (font names live in compressed object streams)."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


@pytest.fixture
def pdf(report_case):
    return render_pdf(self_assessment_report_data(report_case.assessment))


def test_it_is_a_pdf_with_the_bundled_liberation_serif_embedded(pdf):
    assert pdf.startswith(b"%PDF")
    names = set(re.findall(rb"/BaseFont\s*/([A-Z]{6}\+[^\s/<>\[\]]+)", _decompressed(pdf)))
    assert names, "no embedded font"
    assert all(b"LiberationSerif" in name for name in names), names


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) missing")
def test_the_text_extracts_with_correct_vietnamese(pdf, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    text = " ".join(text.split())  # table cells wrap
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ TƯ PHÁP",
        "Bắc Giang, ngày",
        "Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2026",
        "Kính gửi: Sở Nội vụ",
        "1.068/1.200 (89,00%)",
        "Đánh giá qua điều tra XHH",
        "Lê Quang Huy",
        "Trang 1/",
    ]:
        assert expected in text, expected


def test_the_pdf_renderer_loads_nothing_but_the_bundled_fonts():
    fetcher = BundledFontsOnly()
    with pytest.raises(ValueError):
        fetcher.fetch("https://fonts.googleapis.com/css?family=Tinos")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
