"""Names and sizes as the user sees them; download headers (RFC 6266 / 5987)."""

from __future__ import annotations

import pytest

from parindex.evidence.formatting import file_size_vi
from parindex.evidence.services import clean_filename
from parindex.evidence.views import ascii_fallback, content_disposition


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\tmp\\a.pdf", "a.pdf"),
        ("../", "tai-lieu-kiem-chung.pdf"),
        ("", "tai-lieu-kiem-chung.pdf"),
        (None, "tai-lieu-kiem-chung.pdf"),
        ("  Báo   cáo\tquý 3 .pdf", "Báo cáo quý 3.pdf"),
        ("a\u202eb.pdf", "ab.pdf"),  # right-to-left override (a format control) removed
        ("bao-cao.pdf.html", "bao-cao.pdf.html.pdf"),
    ],
)
def test_clean_filename(given, kept):
    assert clean_filename(given) == kept


def test_a_300_character_name_is_cut_to_200_keeping_the_extension():
    name = "Báo cáo kết quả thực hiện công tác cải cách hành chính " * 6 + ".pdf"
    assert len(name) > 300
    cleaned = clean_filename(name)
    assert 190 <= len(cleaned) <= 200
    assert cleaned.endswith(".pdf")


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (800, "800 byte"),
        (1536, "1,5 KB"),
        (10 * 1024, "10 KB"),
        (2_621_440, "2,5 MB"),
        (20 * 1024 * 1024, "20 MB"),
        (None, "—"),
    ],
)
def test_file_size_in_vietnamese(size, text):
    assert file_size_vi(size) == text


def test_ascii_fallback_drops_diacritics_and_quotes():
    assert ascii_fallback('Đề án "CCHC" năm 2026.pdf') == "De an _CCHC_ nam 2026.pdf"


def test_content_disposition_has_both_forms():
    header = content_disposition("Báo cáo.pdf", inline=False)
    assert header == (
        "attachment; filename=\"Bao cao.pdf\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o.pdf"
    )
    assert content_disposition("a.pdf", inline=True).startswith('inline; filename="a.pdf"')
