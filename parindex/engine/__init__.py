"""The scoring engine of parindex: pure Python (no Django), exact decimal arithmetic.

Public API::

    parse_framework(data, *, source) -> Framework       load_framework(path) -> Framework
    framework_to_dict(fw) -> dict                      evaluate_leaf(node, value, value2, *, best)
    load_values(path, fw) -> UnitValues                UnitValues.from_rows(fw, rows, *, source)
    load_units(path) -> dict[str, str]                 compute(fw, values, names) -> Results
    results_to_dict(results) -> dict                   results_to_json(results) -> str
    load_values_files(paths, fw) -> UnitValues         (several values files read as one)
    parse_survey(data, *, source, framework=None)      load_survey(path, framework=None) -> Survey
    compute_survey(survey, rows) -> SurveyResults      compute_survey_file(survey, path)
    survey_results_to_json(results) -> str             survey_values_csv(results) -> str
    survey_to_dict(survey) -> dict                     SurveyResults.values_rows() -> rows
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
- Several values files (``parindex score FW A.csv B.csv``) are read in the order given; a
  unit and leaf in two of them is reported on the later row, naming the first file and line
  (a duplicate within one file keeps its own message). ``relative`` best values are taken
  over all the files.

Survey (spec §5-7)
- The survey is checked like a framework (unknown keys ignored; codes as text or whole
  numbers, a float code such as ``criterion: 1.7`` must be quoted). Problems name
  ``scale[2]``, ``groups[1]``/``group DAN``, ``questions[3]``/``question Q03``,
  ``question Q03 options[1]``. ``scale`` is optional, but a question without ``options``
  needs it; an options list must be non-empty; option keys are unique ignoring case and
  answers match them ignoring case. ``label`` is required on options, ``title`` on groups,
  ``text`` on questions; ``groups`` of a question must be non-empty, known and not
  repeated; ``groups`` and ``questions`` must be non-empty lists. An option list with no
  weight at all is allowed (that question never gives a mean).
- With a framework, a question's criterion must be a leaf with ``source: survey``; every
  mismatch (block, year, framework code) is reported; survey leaves fed by no question are
  not an error (they score 0 like any leaf without a row).
- Responses: columns found by header name (``status`` optional: every response valid),
  other columns ignored, blank lines skipped, cells stripped. ``status`` is matched ignoring
  case; empty and ``valid`` are the same status. A row with an empty response code, unit,
  group, question or answer is an error. Void responses are checked like valid ones but
  counted nowhere except ``responses.total``/``void``; their units are still listed.
  A disagreement of group, unit or status is reported on the row that differs, naming the
  response's first row; a duplicate question names the first line that answered it.
- Computation is exact (``Fraction``); each published figure is rounded once from the exact
  number: value and group score half up to 6 decimals, factor index and SIPAS half up to 2
  (SIPAS is the mean of the exact factor indices). The result objects hold those rounded
  figures. A group is listed under a criterion only where it has s(g, c), groups in the
  survey's order; a factor without a weighted answer is left out of ``factors``.
- Warnings (a listed unit and a criterion of the survey with no weighted answer, units with
  no valid response included) are ``SurveyResults.warnings``, by unit then criterion; the
  CLI prints them to stderr as ``responses.csv: warning: unit U, criterion C: …`` and exits 0.
- The values CSV is written by the csv module (CRLF line ends, as the published example),
  the value with exactly 6 decimals, ``value2`` empty.
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
from .survey import (
    SURVEY_FORMAT,
    Question,
    Survey,
    SurveyGroup,
    SurveyOption,
    load_survey,
    parse_survey,
    survey_to_dict,
)
from .survey_scores import (
    RESPONSE_COLUMNS,
    SURVEY_RESULTS_FORMAT,
    CriterionValue,
    GroupScore,
    ResponseRow,
    SurveyResults,
    SurveyWarning,
    UnitSurvey,
    compute_survey,
    compute_survey_file,
    survey_results_to_dict,
    survey_results_to_json,
    survey_values_csv,
)
from .values import (
    POINTS_COLUMNS,
    PointsRow,
    Row,
    UnitValues,
    load_units,
    load_values,
    load_values_files,
)

__all__ = [
    "NO_WORDS",
    "POINTS_COLUMNS",
    "RESPONSE_COLUMNS",
    "RULE_TYPES",
    "SURVEY_FORMAT",
    "SURVEY_RESULTS_FORMAT",
    "YES_WORDS",
    "BadValue",
    "Band",
    "BooleanRule",
    "ChoiceRule",
    "CountRule",
    "CriterionValue",
    "DeductionRule",
    "Framework",
    "GroupScore",
    "InvalidInput",
    "Node",
    "NumberRule",
    "Option",
    "PointsRow",
    "Problem",
    "Question",
    "RatioRule",
    "RelativeRule",
    "ResponseRow",
    "Results",
    "Row",
    "Rule",
    "Score",
    "Step",
    "Summary",
    "Survey",
    "SurveyGroup",
    "SurveyOption",
    "SurveyResults",
    "SurveyRule",
    "SurveyWarning",
    "UnitResult",
    "UnitSurvey",
    "UnitValues",
    "boolean_word",
    "compute",
    "compute_survey",
    "compute_survey_file",
    "evaluate_leaf",
    "framework_to_dict",
    "iter_results_json",
    "load_framework",
    "load_survey",
    "load_units",
    "load_values",
    "load_values_files",
    "parse_framework",
    "parse_survey",
    "results_to_dict",
    "results_to_json",
    "score_range",
    "survey_results_to_dict",
    "survey_results_to_json",
    "survey_to_dict",
    "survey_values_csv",
]
