import datetime as dt

import pytest

from parindex.reports.texts import (
    declared_value_text,
    full_name,
    governing_line,
    is_not_applicable,
    own_name_lines,
    place_name,
    vn_long_date,
)

CHOICE = {
    "options": [
        {"key": "a", "label": "Ban hành đúng thời hạn", "points": "1"},
        {"key": "b", "label": "Ban hành chậm", "points": "0.5"},
    ]
}


@pytest.mark.parametrize(
    ("rule", "params", "value", "value2", "expected"),
    [
        ("choice", CHOICE, "b", "", "Ban hành chậm"),
        ("choice", CHOICE, "A", "", "Ban hành đúng thời hạn"),
        ("boolean", {}, "có", "", "Có"),
        ("boolean", {}, "yes", "", "Có"),
        ("boolean", {}, "0", "", "Không"),
        ("ratio", {"mode": "proportional"}, "412", "430", "412/430 (95,81%)"),
        ("ratio", {"mode": "proportional"}, "1068", "1200", "1.068/1.200 (89,00%)"),
        ("ratio", {"when_zero": "na"}, "0", "0", "0/0 (mẫu số bằng 0) — không áp dụng"),
        ("count", {"per": "0.5"}, "3", "", "3 trường hợp"),
        ("deduction", {"per": "1"}, "2", "", "2 vi phạm"),
        ("deduction", {"per": "1"}, "0", "", "Không có vi phạm"),
        ("number", {}, "0.75", "", "Tự chấm 0,75 điểm"),
        ("relative", {}, "12.5", "", "12,5"),
        ("survey", {}, "0.91", "", "Đánh giá qua điều tra XHH"),
        ("boolean", {}, "NA", "", "Không áp dụng"),
        ("ratio", {}, "", "", "Chưa kê khai"),
    ],
)
def test_it_describes_the_declared_value_per_rule_type(rule, params, value, value2, expected):
    assert declared_value_text(rule, params, value, value2) == expected


def test_a_not_applicable_flag_wins_over_the_value():
    assert declared_value_text("boolean", {}, "có", not_applicable=True) == "Không áp dụng"


def test_a_zero_denominator_is_not_applicable_only_when_the_rule_says_so():
    assert is_not_applicable("ratio", {"when_zero": "na"}, "0", "0")
    assert not is_not_applicable("ratio", {"when_zero": "full"}, "0", "0")
    assert is_not_applicable("boolean", {}, "na", "")


def test_dates_take_leading_zeros_as_decree_30_asks():
    assert vn_long_date(dt.date(2026, 11, 22)) == "ngày 22 tháng 11 năm 2026"
    assert vn_long_date(dt.date(2027, 2, 5)) == "ngày 05 tháng 02 năm 2027"
    assert vn_long_date(dt.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"


def test_the_body_writes_a_peoples_committee_in_full():
    assert full_name("UBND xã Tiến Dũng") == "Ủy ban nhân dân xã Tiến Dũng"
    assert full_name("Sở Tư pháp") == "Sở Tư pháp"


def test_place_names_drop_the_administrative_prefix():
    assert place_name("Tỉnh Bắc Giang") == "Bắc Giang"
    assert place_name("UBND huyện Yên Dũng") == "Yên Dũng"
    assert place_name("Ủy ban nhân dân xã Tiến Dũng") == "Tiến Dũng"
    assert place_name("Thành phố Hà Nội") == "Hà Nội"


def test_header_lines_are_in_capitals_with_diacritics():
    assert governing_line("Tỉnh Bắc Giang", "province") == "UBND TỈNH BẮC GIANG"
    assert own_name_lines("Sở Tư pháp", "department") == ["SỞ TƯ PHÁP"]
    assert own_name_lines("UBND huyện Yên Dũng", "district") == [
        "ỦY BAN NHÂN DÂN",
        "HUYỆN YÊN DŨNG",
    ]
