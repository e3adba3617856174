"""Numbers as Vietnamese officers type them (parse_vn_input) and shown back (vn_input_text)."""

import pytest

from parindex.common.numbers import MAX_INPUT_DIGITS, parse_vn_input, vn_input_text
from parindex.engine.errors import BadValue
from parindex.engine.evaluate import parse_number


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("1.000", "1000"),  # a dot before exactly three digits groups thousands
        ("12.345", "12345"),
        ("1.234.567", "1234567"),
        ("1,5", "1.5"),  # the decimal comma
        ("1.234,5", "1234.5"),
        ("-1,25", "-1.25"),
        (",5", "0.5"),
        ("1 000", "1000"),
        ("1.5", "1.5"),  # one dot, not three digits after: a decimal point
        ("0.9137", "0.9137"),
        ("0.500", "0.500"),  # a leading 0 is never "zero thousand"
        ("12.50", "12.50"),
        ("412", "412"),
        ("có", "có"),  # words are left to the engine
        ("b", "b"),
        ("NA", "NA"),
        ("", ""),
    ],
)
def test_a_typed_number_is_read_as_a_vietnamese_officer_means_it(typed, read):
    assert parse_vn_input(typed) == read


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("١٢٣", "không phải 0–9"),  # Arabic-Indic
        ("１２", "không phải 0–9"),  # fullwidth
        ("1,234.5", "đặt dấu sai chỗ"),
        ("1,2,3", "nhiều dấu phẩy"),
        ("1.2.3", "nhiều dấu chấm"),
        ("9" * (MAX_INPUT_DIGITS + 1), "quá dài"),
    ],
)
def test_a_strange_number_is_refused_with_a_vietnamese_reason(typed, words):
    with pytest.raises(ValueError, match=words):
        parse_vn_input(typed)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("1.00", "1,00"), ("1234.5", "1234,5"), ("-0.25", "-0,25"), ("1000", "1000"), ("b", "b")],
)
def test_a_stored_number_is_shown_back_with_the_decimal_comma(stored, shown):
    assert vn_input_text(stored) == shown
    assert parse_vn_input(shown) == stored


@pytest.mark.parametrize("text", ["١٢٣", "１２", "٣.٥"])
def test_the_engine_reads_ascii_digits_only(text):
    with pytest.raises(BadValue):
        parse_number(text)
