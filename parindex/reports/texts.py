"""Plain Vietnamese for a report: declared values, dates, header lines, places.

Pure functions (no database): the selector hands them model values, the tests call them
directly.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from parindex.common.numbers import vn_number, vn_points
from parindex.engine import boolean_word

SURVEY_TEXT = "Đánh giá qua điều tra XHH"
NOT_DECLARED = "Chưa kê khai"
NOT_APPLICABLE = "Không áp dụng"


def _num(text: str) -> Decimal | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        dec = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return dec if dec.is_finite() else None


def vn_plain(value: Decimal) -> str:
    """A declared number as written in Vietnamese: 1234 -> '1.234'; 0.9137 -> '0,9137'."""
    if value == value.to_integral_value():
        return vn_number(value, 0)
    places = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    return vn_number(value, min(int(places), 4))


def ratio_text(num: Decimal, den: Decimal) -> str:
    """412, 430 -> '412/430 (95,81%)'; a zero denominator has no percentage."""
    base = f"{vn_plain(num)}/{vn_plain(den)}"
    if den == 0:
        return f"{base} (mẫu số bằng 0)"
    return f"{base} ({vn_number(num * 100 / den, 2)}%)"


def is_not_applicable(rule_type: str, params: dict[str, Any], value: str, value2: str) -> bool:
    """NA declared, or a ratio whose zero denominator makes the leaf not applicable."""
    if (value or "").strip().upper() == "NA":
        return True
    if rule_type == "ratio" and (params or {}).get("when_zero") == "na":
        den = _num(value2)
        return den is not None and den == 0 and _num(value) is not None
    return False


def declared_value_text(
    rule_type: str,
    params: dict[str, Any] | None,
    value: str | None,
    value2: str | None = None,
    *,
    not_applicable: bool = False,
) -> str:
    """The unit's declared data for one leaf, readable: the choice's label, 'Có'/'Không',
    '412/430 (95,81%)', '2 vi phạm'… A value the rule does not understand is shown as given."""
    p = params or {}
    value = (value or "").strip()
    value2 = (value2 or "").strip()
    if rule_type == "survey":
        return SURVEY_TEXT
    if not_applicable or value.upper() == "NA":
        return NOT_APPLICABLE
    if not value:
        return NOT_DECLARED
    if rule_type == "choice":
        for option in p.get("options", []):
            if str(option.get("key", "")).strip().lower() == value.lower():
                return str(option.get("label", value))
        return value
    if rule_type == "boolean":
        word = boolean_word(value)
        return value if word is None else "Có" if word else "Không"
    num = _num(value)
    if num is None:
        return value
    if rule_type == "ratio":
        den = _num(value2)
        if den is None:
            return vn_plain(num)
        text = ratio_text(num, den)
        if den == 0 and p.get("when_zero") == "na":
            text += f" — {NOT_APPLICABLE.lower()}"
        return text
    if rule_type == "number":
        return f"Tự chấm {vn_points(num)} điểm"
    if rule_type == "count":
        return f"{vn_plain(num)} trường hợp"
    if rule_type == "deduction":
        return "Không có vi phạm" if num == 0 else f"{vn_plain(num)} vi phạm"
    return vn_plain(num)


# -- dates, places, header ------------------------------------------------------------------


# The kinds of document a plan reference may already start with (lower case, first words).
_DOCUMENT_KINDS = (
    "kế hoạch",
    "quyết định",
    "công văn",
    "hướng dẫn",
    "văn bản",
    "thông báo",
    "chỉ thị",
    "nghị quyết",
)


def plan_document(reference: str) -> str:
    """The period's plan reference as the document it names, written once.

    "Kế hoạch số 215/KH-UBND…" and "Quyết định số …" stay as typed; "số 203/KH-UBND…" becomes
    "Kế hoạch số 203/KH-UBND…" (not "Kế hoạch số số"); a bare "203/KH-UBND…" becomes
    "Kế hoạch số 203/KH-UBND…". Empty stays empty.
    """
    ref = " ".join((reference or "").split())
    if not ref:
        return ""
    lower = ref.lower()
    if lower.startswith(_DOCUMENT_KINDS):
        return ref
    if re.match(r"số\b", lower):
        return f"Kế hoạch số {ref[2:].lstrip(' .:')}"
    return f"Kế hoạch số {ref}"


def vn_long_date(day: dt.date) -> str:
    """'ngày 22 tháng 11 năm 2026'; days below 10 and months 1, 2 take a leading zero
    (Nghị định 30/2020/NĐ-CP, Phụ lục I): 'ngày 05 tháng 02 năm 2027'."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


UBND_RE = re.compile(r"^(ủy|uỷ) ban nhân dân\s+", re.IGNORECASE)
LOCAL_PREFIXES = (
    "tỉnh",
    "thành phố",
    "thị xã",
    "huyện",
    "quận",
    "xã",
    "phường",
    "thị trấn",
    "đặc khu",
)


def strip_ubnd(name: str) -> str:
    """'UBND huyện Yên Dũng' / 'Ủy ban nhân dân huyện Yên Dũng' -> 'huyện Yên Dũng'."""
    name = name.strip()
    if name.upper().startswith("UBND "):
        return name[5:].strip()
    return UBND_RE.sub("", name)


def full_name(name: str) -> str:
    """A name as the body of a document writes it: 'UBND huyện Yên Dũng' ->
    'Ủy ban nhân dân huyện Yên Dũng' (other names unchanged)."""
    name = name.strip()
    if name.upper().startswith("UBND "):
        return "Ủy ban nhân dân " + name[5:].strip()
    return name


def place_name(name: str) -> str:
    """'Tỉnh Bắc Giang' -> 'Bắc Giang'; 'UBND xã Tiến Dũng' -> 'Tiến Dũng'."""
    rest = strip_ubnd(name)
    low = rest.lower()
    for prefix in LOCAL_PREFIXES:
        if low.startswith(prefix + " "):
            return rest[len(prefix) + 1 :].strip()
    return rest


def governing_line(name: str, kind: str) -> str:
    """The line naming the governing body, abbreviated as Nghị định 30 allows:
    'Tỉnh Bắc Giang' (province) -> 'UBND TỈNH BẮC GIANG'."""
    if kind in {"province", "district", "commune"}:
        return f"UBND {strip_ubnd(name)}".upper()
    return name.upper()


def own_name_lines(name: str, kind: str) -> list[str]:
    """The issuing body's name, in full and in capitals: 'UBND huyện Yên Dũng' ->
    ['ỦY BAN NHÂN DÂN', 'HUYỆN YÊN DŨNG']; 'Sở Tư pháp' -> ['SỞ TƯ PHÁP']."""
    if kind in {"district", "commune", "province"}:
        return ["ỦY BAN NHÂN DÂN", strip_ubnd(name).upper()]
    return [name.upper()]


def ascii_slug(text: str) -> str:
    """'Sở Tư pháp' -> 'so-tu-phap' (đ -> d); for ASCII file names."""
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
