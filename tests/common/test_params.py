import pytest

from parindex.common.params import MAX_ID, int_param


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("99999999999999999999999", None),
        ("9" * 5000, None),
        ("0", None),
        ("-1", None),
        ("+3", None),
        ("1.5", None),
        ("abc", None),
        ("١٢٣", None),
        ("１２", None),
        ("", None),
        (None, None),
    ],
)
def test_an_integer_parameter_is_plain_digits_within_range(text, expected):
    assert int_param(text) == expected


def test_the_range_can_be_narrowed():
    assert int_param("0", low=0) == 0
    assert int_param("2101", low=2000, high=2100) is None


def test_a_text_parameter_loses_nul_and_control_characters_and_is_capped():
    from parindex.common.params import text_param

    assert text_param(" Sở\x00 Tư\x07 pháp ") == "Sở Tư pháp"
    assert text_param(None) == ""
    assert len(text_param("a" * 5000)) == 200
