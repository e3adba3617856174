"""Vietnamese-style number formatting and terminal-width helpers."""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def number_vi(value: Decimal | None, places: int = 2, *, empty: str = "—") -> str:
    """``Decimal('1234.565')`` -> ``1.234,57`` (half up; ``.`` groups thousands, ``,`` decimals)."""
    if value is None:
        return empty
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    text = f"{rounded:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def width(text: str) -> int:
    """Display width of text: its length once NFC-normalized, combining marks not counted."""
    nfc = unicodedata.normalize("NFC", text)
    return sum(1 for ch in nfc if not unicodedata.combining(ch))


def pad(text: str, size: int, *, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def xlsx_text_cells(workbook: Any) -> None:
    """Write every text cell of an openpyxl workbook as text, just before saving it.

    openpyxl turns a string starting with ``=`` into a live formula, and a spreadsheet may
    read ``+``, ``-`` or ``@`` as the start of one: an explanation, a note, a file name or a
    title typed by a user (``=HYPERLINK(…)``) must come back exactly as typed. Every xlsx
    writer of parindex calls this (engine CLI, reports, framework export, account sheets).
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
