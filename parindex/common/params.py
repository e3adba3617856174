"""Integer query parameters (``?don_vi=12``, ``?parent=3``): one range-checked reader for
every view, so a huge, negative, non-numeric or Unicode-digit value is "no filter" (or a 404
where the view needs the object), never a database overflow and a 500."""

from __future__ import annotations

import re

#: The largest id PostgreSQL's bigint (and SQLite's INTEGER) can hold.
MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}\Z")


def int_param(value: str | None, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """``value`` as an int in ``low..high``, or ``None`` when it is absent, empty, not plain
    ASCII digits (``١٢٣``, ``１２``, ``-1``, ``1.5`` are not) or out of that range."""
    if value is None:
        return None
    text = value.strip()
    if _ASCII_DIGITS.match(text) is None:
        return None
    number = int(text)
    return number if low <= number <= high else None


def text_param(value: str | None, *, max_length: int = 200) -> str:
    """A text query parameter (``?q=…``): stripped, at most ``max_length`` characters, without
    NUL and other control characters (PostgreSQL refuses a NUL in a string: a 500)."""
    text = "".join(ch for ch in (value or "") if ch >= " " and ch != "\x7f")
    return text.strip()[:max_length]
