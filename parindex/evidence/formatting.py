"""Vietnamese display helpers for evidence files."""

from __future__ import annotations

from decimal import Decimal

from parindex.common.numbers import vn_number


def file_size_vi(size: int | None) -> str:
    """1536 -> '1,5 KB'; 2_621_440 -> '2,5 MB'; 800 -> '800 byte' (1 KB = 1024 byte)."""
    if size is None:
        return "—"
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        value, unit = Decimal(size) / 1024, "KB"
    else:
        value, unit = Decimal(size) / (1024 * 1024), "MB"
    text = vn_number(value, 1)
    if text.endswith(",0"):
        text = text[:-2]
    return f"{text} {unit}"
