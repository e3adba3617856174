"""A unit's QR poster (A4 PDF, WeasyPrint with the reports' bundled fonts, nothing fetched
from the network): the survey's title, the unit's name, the QR code of the public link
(segno, inline SVG) and short instructions in Vietnamese."""

from __future__ import annotations

from typing import Any

import segno
from django.template.loader import render_to_string
from weasyprint import HTML

from parindex.accounts.models import Unit
from parindex.reports.renderers.pdf import FONTS_DIR, BundledFontsOnly, font_urls
from parindex.survey.models import Survey


def qr_svg(url: str, *, scale: int = 10) -> str:
    """The QR code of ``url`` as an inline ``<svg>`` (error correction M, quiet zone 4)."""
    return segno.make(url, error="m").svg_inline(scale=scale, dark="#000", omitsize=True)


def qr_data_uri(url: str, *, scale: int = 4) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=scale)


def poster_html(survey: Survey, unit: Unit, url: str) -> str:
    return render_to_string(
        "survey/public/poster.html",
        {
            "survey": survey,
            "title": survey.definition.get("title") or str(survey),
            "unit": unit,
            "url": url,
            "qr": qr_svg(url),
            "fonts": font_urls(),
            "closes_on": survey.closes_on,
        },
    )


def poster_pdf(survey: Survey, unit: Unit, url: str) -> bytes:
    html = HTML(
        string=poster_html(survey, unit, url),
        base_url=FONTS_DIR.as_uri() + "/",
        url_fetcher=BundledFontsOnly(),
    )
    pdf: Any = html.write_pdf()
    assert pdf is not None  # noqa: S101 - narrows the type for mypy
    return bytes(pdf)
