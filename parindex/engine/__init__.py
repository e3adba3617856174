"""The scoring engine of parindex: pure Python (no Django), exact decimal arithmetic.

Public API::

    parse_framework(data, *, source) -> Framework       load_framework(path) -> Framework
    framework_to_dict(fw) -> dict                      evaluate_leaf(node, value, value2, *, best)
    load_values(path, fw) -> UnitValues                UnitValues.from_rows(fw, rows, *, source)
    load_units(path) -> dict[str, str]                 compute(fw, values, names) -> Results
    results_to_dict(results) -> dict                   results_to_json(results) -> str
    Problem, InvalidInput, BadValue

Decisions where the spec (``formats.md``) is silent:

Framework
- Unknown keys are ignored (the format is extended compatibly with new optional keys).
- Codes may be written as text or whole numbers (``code: 1`` is ``"1"``); a code that
  YAML read as a float (``code: 1.10`` is 1.1) is an error asking to quote it.
- Numbers must be YAML/JSON numbers (not quoted text); ``year`` a whole number.
- An inner node's ``total_max`` is the sum of its children's: bonus children do not count
  in a non-bonus parent; inside a bonus node every child counts (so node ``9`` of the
  example totals 2). A declared inner ``max`` must equal that sum. An inner node must not
  have ``rule``, ``source`` or ``allow_na``; ``children`` must be a non-empty list.
- ``bonus`` on an inner node makes its whole subtree bonus.
- A ``survey`` rule requires ``source: survey`` and ``source: survey`` requires a
  ``survey`` rule. ``number`` needs ``min`` < ``max``; ratio ``steps`` need
  ``min_percent`` in 0..100, strictly decreasing, points <= max (may be negative);
  ``steps`` with ``mode: proportional`` is an error. Choice keys are unique ignoring case.
- Bands must have strictly decreasing ``min`` (any number, negative allowed).

Values
- Columns are found by header name (``unit,criterion,value`` required, ``value2``
  optional, other columns ignored); blank lines are skipped; cells are stripped.
- Numbers are plain decimals (``12``, ``0.9137``); no exponents, thousands separators or
  decimal commas. An empty value is an error ("value is missing"). ``value2`` is ignored
  except by ``ratio``. ``NA`` is case-insensitive and needs ``allow_na`` (a ratio with
  ``when_zero: na`` needs no ``allow_na`` for a zero denominator, but does for ``NA``).
- Choice keys match case-insensitively. Booleans: yes/no, có/không, 1/0, true/false,
  case-insensitive (NFC-normalized). Counts must be whole numbers >= 0 (``2.0`` is 2).
- Only units with at least one row are scored; the units file only gives names (a unit
  without a name is shown by its code; units listed there without rows are ignored).
  A unit listed twice in the units file is an error.
- ``relative``: best is the largest value of that leaf among all units; an ``NA`` unit
  does not take part.
- ``points`` (optional column, spec §2 v1.1): the appraised points replace what the rule
  gives, after the relative leaves are scaled (a relative value given with points still
  takes part in the best value). Range: :func:`score_range`.

Results
- Decimal context of 50 significant digits; every total and index is then snapped to 20
  decimal places (so 1/3 + 2/3 == 1 exactly) before comparing, banding or rounding.
  Output is rounded half up to 2 decimals; ``-0.0`` is written ``0.0``.
- Units whose applicable max is 0 (index ``null``) rank last, sharing the rank after the
  last unit with an index, with no band; they do not enter the summary indices.
- Node ``index`` is computed on the node's own points/max (bonus subtree: max 0, null).
"""

from __future__ import annotations

from .errors import BadValue, InvalidInput, Problem
from .evaluate import NO_WORDS, YES_WORDS, boolean_word, evaluate_leaf, score_range
from .model import (
    RULE_TYPES,
    Band,
    BooleanRule,
    ChoiceRule,
    CountRule,
    DeductionRule,
    Framework,
    Node,
    NumberRule,
    Option,
    RatioRule,
    RelativeRule,
    Rule,
    Step,
    SurveyRule,
)
from .parse import framework_to_dict, load_framework, parse_framework
from .results import (
    Results,
    Score,
    Summary,
    UnitResult,
    compute,
    iter_results_json,
    results_to_dict,
    results_to_json,
)
from .values import POINTS_COLUMNS, PointsRow, Row, UnitValues, load_units, load_values

__all__ = [
    "NO_WORDS",
    "POINTS_COLUMNS",
    "RULE_TYPES",
    "YES_WORDS",
    "Band",
    "BadValue",
    "BooleanRule",
    "ChoiceRule",
    "CountRule",
    "DeductionRule",
    "Framework",
    "InvalidInput",
    "Node",
    "NumberRule",
    "Option",
    "PointsRow",
    "Problem",
    "RatioRule",
    "RelativeRule",
    "Results",
    "Row",
    "Rule",
    "Score",
    "Step",
    "Summary",
    "SurveyRule",
    "UnitResult",
    "UnitValues",
    "boolean_word",
    "compute",
    "evaluate_leaf",
    "framework_to_dict",
    "iter_results_json",
    "load_framework",
    "load_units",
    "load_values",
    "parse_framework",
    "results_to_dict",
    "results_to_json",
    "score_range",
]
