"""Scoring one leaf from its raw value(s).

:func:`compile_leaf` turns a leaf into a fast function ``(value, value2) -> points``; it is
used for every row of a values file. :func:`evaluate_leaf` is the one-off convenience
used by the web self-assessment. Arithmetic runs in a local decimal context of
:data:`PRECISION` significant digits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, localcontext

from .errors import BadValue
from .model import (
    ZERO,
    BooleanRule,
    ChoiceRule,
    CountRule,
    DeductionRule,
    Node,
    NumberRule,
    RatioRule,
    RelativeRule,
    SurveyRule,
)
from .parse import fmt_dec

PRECISION = 50
HUNDRED = Decimal(100)
ONE = Decimal(1)

#: A compiled leaf: ``(value, value2) -> points`` (``None`` = not applicable).
#: For ``relative`` leaves the result is the raw value; see :func:`relative_points`.
Evaluator = Callable[[str, str], Decimal | None]

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")  # ASCII digits only
#: The words a ``boolean`` leaf accepts (case-insensitive, NFC): the one list the web app,
#: its templates and its scripts use too.
YES_WORDS: tuple[str, ...] = ("yes", "có", "1", "true")
NO_WORDS: tuple[str, ...] = ("no", "không", "0", "false")
_YES = frozenset(YES_WORDS)
_NO = frozenset(NO_WORDS)


def boolean_word(value: str) -> bool | None:
    """True for a yes word, False for a no word, None for anything else (see YES_WORDS)."""
    folded = unicodedata.normalize("NFC", value.strip().casefold())
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return None


def parse_number(text: str, what: str = "value", what_vi: str = "giá trị") -> Decimal:
    """Plain decimal notation only (``12``, ``0.9137``, ``-1``); no exponents, NaN or commas."""
    if _NUMBER.match(text) is None:
        if not text:
            raise BadValue(f"{what} is missing", f"thiếu {what_vi}")
        raise BadValue(f"{what} {text!r} is not a number", f"{what_vi} {text!r} không phải là số")
    return Decimal(text)


def _whole(text: str) -> Decimal:
    count = parse_number(text, "count", "số lượng")
    if count < 0:
        raise BadValue(f"count {text} is negative", f"số lượng {text} là số âm")
    if count != count.to_integral_value():
        raise BadValue(
            f"count {text} is not a whole number", f"số lượng {text} không phải là số nguyên"
        )
    return count


def compile_leaf(node: Node) -> Evaluator:
    """A function scoring raw text values for ``node`` (values already stripped)."""
    rule = node.rule
    max_ = node.max
    if rule is None or max_ is None:
        raise ValueError(f"node {node.code} is not a leaf")
    allow_na = node.allow_na

    def na_check(value: str) -> bool:
        if value.upper() == "NA":
            if allow_na:
                return True
            raise BadValue(
                "NA is not allowed for this criterion",
                "tiêu chí này không cho phép giá trị NA",
            )
        return False

    if isinstance(rule, ChoiceRule):
        by_key = {o.key: o.points for o in rule.options}
        by_fold = {o.key.casefold(): o.points for o in rule.options}
        keys = ", ".join(o.key for o in rule.options)

        def choice(value: str, value2: str) -> Decimal | None:
            points = by_key.get(value)
            if points is not None:
                return points
            points = by_fold.get(value.casefold())
            if points is not None:
                return points
            if na_check(value):
                return None
            if not value:
                raise BadValue("value is missing", "thiếu giá trị")
            raise BadValue(
                f"unknown option {value!r} (expected one of {keys})",
                f"phương án {value!r} không có (phải là một trong {keys})",
            )

        return choice

    if isinstance(rule, BooleanRule):

        def boolean(value: str, value2: str) -> Decimal | None:
            folded = value.casefold()
            if folded not in _YES and folded not in _NO:
                folded = unicodedata.normalize("NFC", folded)
            if folded in _YES:
                return max_
            if folded in _NO:
                return ZERO
            if na_check(value):
                return None
            if not value:
                raise BadValue("value is missing", "thiếu giá trị")
            raise BadValue(
                f"{value!r} is not yes or no (expected yes, no, có, không, 1, 0, true or false)",
                f"{value!r} không phải có/không (phải là yes, no, có, không, 1, 0, true hoặc false)",
            )

        return boolean

    if isinstance(rule, NumberRule):
        low = rule.min

        def number(value: str, value2: str) -> Decimal | None:
            if na_check(value):
                return None
            points = parse_number(value)
            if not low <= points <= max_:
                raise BadValue(
                    f"value {value} is outside [{fmt_dec(low)}, {fmt_dec(max_)}]",
                    f"giá trị {value} nằm ngoài khoảng [{fmt_dec(low)}, {fmt_dec(max_)}]",
                )
            return points

        return number

    if isinstance(rule, RatioRule):
        when_zero = rule.when_zero
        zero_points: Decimal | None = (
            None if when_zero == "na" else max_ if when_zero == "full" else ZERO
        )
        steps = tuple((s.min_percent, s.points) for s in rule.steps)
        proportional = rule.mode == "proportional"

        def ratio(value: str, value2: str) -> Decimal | None:
            if na_check(value):
                return None
            num = parse_number(value, "numerator", "tử số")
            if not value2:
                raise BadValue("denominator (value2) is missing", "thiếu mẫu số (value2)")
            den = parse_number(value2, "denominator", "mẫu số")
            if num < 0:
                raise BadValue(f"numerator {value} is negative", f"tử số {value} là số âm")
            if den < 0:
                raise BadValue(f"denominator {value2} is negative", f"mẫu số {value2} là số âm")
            if num > den:
                raise BadValue(
                    f"numerator {value} is larger than denominator {value2}",
                    f"tử số {value} lớn hơn mẫu số {value2}",
                )
            if den == 0:
                return zero_points
            if proportional:
                return max_ * num / den
            scaled = num * HUNDRED
            for min_percent, points in steps:
                if scaled >= min_percent * den:
                    return points
            return ZERO

        return ratio

    if isinstance(rule, CountRule):
        per = rule.per

        def count(value: str, value2: str) -> Decimal | None:
            if na_check(value):
                return None
            return min(max_, per * _whole(value))

        return count

    if isinstance(rule, DeductionRule):
        per = rule.per
        floor = rule.floor

        def deduction(value: str, value2: str) -> Decimal | None:
            if na_check(value):
                return None
            return max(floor, max_ - per * _whole(value))

        return deduction

    if isinstance(rule, RelativeRule):

        def relative(value: str, value2: str) -> Decimal | None:
            if na_check(value):
                return None
            raw = parse_number(value)
            if raw < 0:
                raise BadValue(f"value {value} is negative", f"giá trị {value} là số âm")
            return raw

        return relative

    assert isinstance(rule, SurveyRule)  # noqa: S101 - narrows the type for mypy: an invariant, not a check

    def survey(value: str, value2: str) -> Decimal | None:
        if na_check(value):
            return None
        fraction = parse_number(value)
        if not ZERO <= fraction <= ONE:
            raise BadValue(
                f"value {value} is not a fraction between 0 and 1",
                f"giá trị {value} không phải là tỷ lệ từ 0 đến 1",
            )
        return max_ * fraction

    return survey


def score_range(node: Node) -> tuple[Decimal, Decimal]:
    """The lowest and highest points a leaf can be given (its rule's lowest, never above 0,
    up to its max): the range of an appraised ``points`` value (spec §2)."""
    rule = node.rule
    max_ = node.max
    if rule is None or max_ is None:
        raise ValueError(f"node {node.code} is not a leaf")
    low = ZERO
    if isinstance(rule, DeductionRule):
        low = min(low, rule.floor)
    elif isinstance(rule, ChoiceRule):
        low = min([low, *(o.points for o in rule.options)])
    elif isinstance(rule, RatioRule):
        low = min([low, *(s.points for s in rule.steps)])
    elif isinstance(rule, NumberRule):
        low = min(low, rule.min)
    return low, max_


def relative_points(max_: Decimal, value: Decimal, best: Decimal) -> Decimal:
    """``max × value / best`` (0 when best is 0)."""
    if best == 0:
        return ZERO
    return max_ * value / best


def evaluate_leaf(
    node: Node, value: str | None, value2: str | None = None, *, best: Decimal | None = None
) -> Decimal | None:
    """The points of one leaf for raw text values.

    ``value`` ``None`` means no row (0 points). Returns ``None`` when the leaf is not
    applicable (``NA``, or a ratio with denominator 0 and ``when_zero: na``). Raises
    :class:`BadValue` for a value the rule does not accept. For a ``relative`` leaf,
    ``best`` is the largest value among the units (default, or if smaller than the value:
    the value itself, i.e. full points).
    """
    if value is None:
        return ZERO
    with localcontext(prec=PRECISION):
        points = compile_leaf(node)(value.strip(), (value2 or "").strip())
        if points is not None and isinstance(node.rule, RelativeRule):
            assert node.max is not None  # noqa: S101 - narrows the type for mypy: an invariant, not a check
            return relative_points(node.max, points, points if best is None else max(best, points))
        return points
