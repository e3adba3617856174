from decimal import Decimal

from parindex.reports.renderers.common import points, score


def test_earned_points_always_show_two_decimals_so_the_column_reads_evenly():
    assert [score(Decimal(v)) for v in ("9", "8.925", "0", "-0.5")] == [
        "9,00",
        "8,93",
        "0,00",
        "−0,50",
    ]


def test_maximum_points_are_written_as_officers_write_them():
    assert [points(Decimal(v)) for v in ("9", "1.5", "0.75")] == ["9", "1,5", "0,75"]
