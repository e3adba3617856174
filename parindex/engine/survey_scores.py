"""Survey responses (spec §6) and the survey scores (spec §7): ``parindex.survey-results/v1``.

:func:`compute_survey` takes the responses as rows (``response, group, unit, question, answer,
status``) from any source (the web application's database); :func:`compute_survey_file`
reads them from a CSV file. Both check every row, then aggregate with counters only: one
count per unit, group, question and option, and per response its group, unit, status and the
line of each question it answered (to name duplicates), so a million answers take seconds.

Arithmetic is exact (``Fraction``) until the one rounding of each published figure: the
value of a unit and criterion and each group's score half up to 6 decimals, the factor
indices and SIPAS half up to 2 decimals (those are what the result objects hold).
"""

from __future__ import annotations

import csv
import io
import json
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from .errors import InvalidInput, Problem
from .survey import Survey

SURVEY_RESULTS_FORMAT = "parindex.survey-results/v1"
#: The columns of a responses file (``status`` may be left out: every response is valid).
RESPONSE_COLUMNS = ("response", "group", "unit", "question", "answer", "status")
#: A response row as the web application gives it:
#: (response, group, unit, question, answer, status); status ``None``/``""`` means valid.
ResponseRow = tuple[str, str, str, str, str, str | None]

_VALID = "valid"
_VOID = "void"
_STATUSES = {"": _VALID, "valid": _VALID, "void": _VOID}


def round_half_up(value: Fraction, places: int) -> Decimal:
    """An exact fraction rounded half up (away from zero) to ``places`` decimals."""
    scaled = abs(value) * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return Decimal(-whole if value < 0 else whole).scaleb(-places)


@dataclass(frozen=True)
class GroupScore:
    """A group's part of a criterion: its weighted answers and s(g, c), 6 decimals."""

    group: str
    answers: int
    score: Decimal


@dataclass(frozen=True)
class CriterionValue:
    """value(u, c), rounded half up to 6 decimals: the leaf's value in the unit values."""

    criterion: str
    value: Decimal
    groups: tuple[GroupScore, ...]


@dataclass(frozen=True)
class UnitSurvey:
    """One unit's survey results. ``criteria`` and ``factors`` keep the survey's order and
    hold only what is defined; ``sipas`` is ``None`` when no factor index is."""

    unit: str
    responses: int
    criteria: tuple[CriterionValue, ...]
    factors: tuple[tuple[str, Decimal], ...]
    sipas: Decimal | None

    def criterion(self, code: str) -> CriterionValue | None:
        for c in self.criteria:
            if c.criterion == code:
                return c
        return None


@dataclass(frozen=True)
class SurveyWarning:
    """No group has a weighted answer for this unit and criterion: no value is written."""

    unit: str
    criterion: str

    def __str__(self) -> str:
        return (
            f"unit {self.unit}, criterion {self.criterion}: no weighted answer, "
            "no value is written (the criterion scores 0)"
        )

    def vi(self) -> str:
        return (
            f"đơn vị {self.unit}, tiêu chí {self.criterion}: không có câu trả lời có trọng số, "
            "không ghi giá trị (tiêu chí được 0 điểm)"
        )


@dataclass(frozen=True)
class SurveyResults:
    """The results of one survey: units by code; ``warnings`` by unit, then criterion."""

    survey: Survey
    total: int
    valid: int
    void: int
    units: tuple[UnitSurvey, ...]
    warnings: tuple[SurveyWarning, ...]

    def unit(self, code: str) -> UnitSurvey:
        for u in self.units:
            if u.unit == code:
                return u
        raise KeyError(code)

    def values_rows(self) -> list[tuple[str, str, str, str]]:
        """The unit values (spec §2) as rows for ``UnitValues.from_rows``: one per unit and
        criterion with a value, value written with 6 decimals (``0.520000``)."""
        return [
            (u.unit, c.criterion, format(c.value, "f"), "") for u in self.units for c in u.criteria
        ]


class _Tally:
    """The checks of §6 row by row, and the counters of §7."""

    def __init__(self, survey: Survey, source: str) -> None:
        self.survey = survey
        self.source = source
        self.problems: list[Problem] = []
        groups = [g.code for g in survey.groups]
        self.known_groups = frozenset(groups)
        self.group_codes = ", ".join(groups)
        self.question_codes = {q.code: i for i, q in enumerate(survey.questions)}
        # the counter slots: one per (group, question asked of it, option)
        self.slot: dict[tuple[str, int], int] = {}
        size = 0
        for gcode in groups:
            for qi, q in enumerate(survey.questions):
                if gcode in q.groups:
                    self.slot[gcode, qi] = size
                    size += len(q.options)
        self.size = size
        self.option_index = [
            {o.key.casefold(): i for i, o in enumerate(q.options)} for q in survey.questions
        ]
        # (group, question, answer) -> (question index or -1, slot or -1, problems)
        self.combos: dict[tuple[str, str, str], tuple[int, int, tuple[tuple[str, str], ...]]] = {}
        self.responses: dict[str, int] = {}
        #: per response: (group, unit, status, first line)
        self.info: list[tuple[str, str, str, int]] = []
        self.nq = len(survey.questions)
        #: per response and question: the line that answered it (-1: none yet)
        self.lines = array("q")
        self.counts: dict[str, list[int]] = {}

    def combo(self, group: str, question: str, answer: str) -> tuple[int, int, tuple[Any, ...]]:
        survey = self.survey
        problems: list[tuple[str, str]] = []
        known_group = True
        if not group:
            problems.append(("group is missing", "thiếu nhóm đối tượng"))
            known_group = False
        elif group not in self.known_groups:
            problems.append(
                (
                    f"unknown group {group} (expected one of {self.group_codes})",
                    f"nhóm đối tượng {group} không có trong cuộc điều tra "
                    f"(phải là một trong {self.group_codes})",
                )
            )
            known_group = False
        qi = self.question_codes.get(question, -1)
        slot = -1
        if not question:
            problems.append(("question is missing", "thiếu mã câu hỏi"))
        elif qi < 0:
            problems.append(
                (
                    f"unknown question {question}",
                    f"câu hỏi {question} không có trong cuộc điều tra",
                )
            )
        else:
            q = survey.questions[qi]
            oi = self.option_index[qi].get(answer.casefold(), -1)
            if not answer:
                problems.append(
                    (
                        f"question {question}: answer is missing (a question not answered has no row)",
                        f"câu hỏi {question}: thiếu câu trả lời (câu hỏi không trả lời thì không "
                        "ghi dòng)",
                    )
                )
            elif oi < 0:
                keys = ", ".join(o.key for o in q.options)
                problems.append(
                    (
                        f"question {question}: unknown answer {answer!r} (expected one of {keys})",
                        f"câu hỏi {question}: phương án {answer!r} không có (phải là một trong "
                        f"{keys})",
                    )
                )
            if known_group and group not in q.groups:
                problems.append(
                    (
                        f"question {question} is not asked of group {group}",
                        f"câu hỏi {question} không dành cho nhóm đối tượng {group}",
                    )
                )
            elif known_group and oi >= 0:
                slot = self.slot[group, qi] + oi
        found = (qi, slot, tuple(problems))
        self.combos[group, question, answer] = found
        return found

    def feed(self, rows: Iterable[tuple[int, str, str, str, str, str, str]]) -> None:
        """Check and count rows ``(line, response, group, unit, question, answer, status)``."""
        problems = self.problems
        source = self.source
        combos = self.combos
        combo = self.combo
        responses = self.responses
        info = self.info
        lines = self.lines
        nq = self.nq
        unseen = array("q", [-1]) * nq
        counts = self.counts
        size = self.size
        statuses = _STATUSES

        def add(line: int, rid: str, en: str, vi: str) -> None:
            if rid:
                en, vi = f"response {rid}: {en}", f"phiếu {rid}: {vi}"
            problems.append(Problem(source, str(line), en, vi))

        for line, rid, group, unit, question, answer, status in rows:
            rid = rid.strip()
            group = group.strip()
            unit = unit.strip()
            question = question.strip()
            answer = answer.strip()
            found = combos.get((group, question, answer))
            if found is None:
                found = combo(group, question, answer)
            qi, slot, bad = found
            state = statuses.get(status) or statuses.get(status.strip().casefold())
            if state is None:
                state = status.strip()
                add(
                    line, rid,
                    f"status must be empty, valid or void, not {state!r}",
                    f"trạng thái phải để trống, valid hoặc void, không phải {state!r}",
                )  # fmt: skip
            if not rid:
                add(line, rid, "response code is missing", "thiếu mã phiếu")
            if not unit:
                add(line, rid, "unit code is missing", "thiếu mã đơn vị")
            for en, vi in bad:
                add(line, rid, en, vi)
            if rid:
                r = responses.get(rid)
                if r is None:
                    r = responses[rid] = len(info)
                    info.append((group, unit, state, line))
                    lines.extend(unseen)
                else:
                    first = info[r]
                    if first[0] != group or first[1] != unit or first[2] != state:
                        self.disagree(line, rid, first, group, unit, state)
                if qi >= 0:
                    at = r * nq + qi
                    seen = lines[at]
                    if seen >= 0:
                        add(
                            line, rid,
                            f"question {question} is answered twice (first on line {seen})",
                            f"câu hỏi {question} được trả lời hai lần (lần đầu ở dòng {seen})",
                        )  # fmt: skip
                    else:
                        lines[at] = line
            if unit:
                unit_counts = counts.get(unit)
                if unit_counts is None:
                    unit_counts = counts[unit] = [0] * size
                if slot >= 0 and state == _VALID:
                    unit_counts[slot] += 1

    def disagree(
        self,
        line: int,
        rid: str,
        first: tuple[str, str, str, int],
        group: str,
        unit: str,
        state: str,
    ) -> None:
        g0, u0, s0, line0 = first
        for what, vi_what, mine, theirs in (
            ("group", "nhóm đối tượng", group, g0),
            ("unit", "đơn vị", unit, u0),
            ("status", "trạng thái", state, s0),
        ):
            if mine != theirs:
                self.problems.append(
                    Problem(
                        self.source,
                        str(line),
                        f"response {rid}: {what} {mine or '(empty)'} differs from its first row "
                        f"(line {line0}: {theirs or '(empty)'})",
                        f"phiếu {rid}: {vi_what} {mine or '(trống)'} khác với dòng đầu của phiếu "
                        f"(dòng {line0}: {theirs or '(trống)'})",
                    )
                )

    def results(self) -> SurveyResults:
        survey = self.survey
        questions = survey.questions
        groups = survey.groups
        # per question: (option position, weight as a fraction, satisfied) of weighted options
        weighted = [
            [
                (i, Fraction(o.weight), o.satisfied)
                for i, o in enumerate(q.options)
                if o.weight is not None
            ]
            for q in questions
        ]
        # per criterion, per group (survey order): the slot bases of its questions
        plan: list[tuple[str, list[tuple[str, Fraction, list[int]]]]] = []
        for crit in survey.criteria():
            per_group: list[tuple[str, Fraction, list[int]]] = []
            for g in groups:
                qis = [
                    qi
                    for qi, q in enumerate(questions)
                    if q.criterion == crit and g.code in q.groups
                ]
                if qis:
                    per_group.append((g.code, Fraction(g.weight), qis))
            plan.append((crit, per_group))
        factor_plan: list[tuple[str, list[tuple[int, int]]]] = []
        for factor in survey.factors():
            pairs = [
                (qi, self.slot[g.code, qi])
                for qi, q in enumerate(questions)
                if q.factor == factor
                for g in groups
                if g.code in q.groups
            ]
            factor_plan.append((factor, pairs))

        valid_by_unit: dict[str, int] = dict.fromkeys(self.counts, 0)
        n_void = 0
        for _group, unit, state, _line in self.info:
            if state == _VALID:
                valid_by_unit[unit] += 1
            else:
                n_void += 1

        units: list[UnitSurvey] = []
        warnings: list[SurveyWarning] = []
        for unit in sorted(self.counts):
            counts = self.counts[unit]
            criteria: list[CriterionValue] = []
            for crit, per_group in plan:
                scores: list[GroupScore] = []
                top = Fraction(0)
                bottom = Fraction(0)
                for gcode, gweight, qis in per_group:
                    base_of = self.slot
                    means: list[Fraction] = []
                    answers = 0
                    for qi in qis:
                        base = base_of[gcode, qi]
                        n = 0
                        weight_sum = Fraction(0)
                        for oi, weight, _sat in weighted[qi]:
                            k = counts[base + oi]
                            if k:
                                n += k
                                weight_sum += k * weight
                        if n:
                            answers += n
                            means.append(weight_sum / (n * 100))
                    if means:
                        s = sum(means, Fraction(0)) / len(means)
                        scores.append(GroupScore(gcode, answers, round_half_up(s, 6)))
                        top += gweight * s
                        bottom += gweight
                if scores:
                    criteria.append(
                        CriterionValue(crit, round_half_up(top / bottom, 6), tuple(scores))
                    )
                else:
                    warnings.append(SurveyWarning(unit, crit))
            factors: list[tuple[str, Decimal]] = []
            exact: list[Fraction] = []
            for factor, pairs in factor_plan:
                n = 0
                satisfied = 0
                for qi, base in pairs:
                    for oi, _weight, sat in weighted[qi]:
                        k = counts[base + oi]
                        n += k
                        if sat:
                            satisfied += k
                if n:
                    index = Fraction(100 * satisfied, n)
                    exact.append(index)
                    factors.append((factor, round_half_up(index, 2)))
            sipas = round_half_up(sum(exact, Fraction(0)) / len(exact), 2) if exact else None
            units.append(
                UnitSurvey(unit, valid_by_unit[unit], tuple(criteria), tuple(factors), sipas)
            )
        total = len(self.info)
        return SurveyResults(survey, total, total - n_void, n_void, tuple(units), tuple(warnings))


def compute_survey(
    survey: Survey,
    rows: Iterable[ResponseRow | tuple[str, str, str, str, str]],
    *,
    source: str = "responses",
    start: int = 1,
) -> SurveyResults:
    """Check every response row and compute the survey results (spec §6, §7).

    A row is ``(response, group, unit, question, answer, status)``; status may be left out,
    ``None`` or ``""`` (valid). Problems name the row number (``start`` for the first).
    Raises :class:`InvalidInput` with every problem found.
    """

    def numbered() -> Iterator[tuple[int, str, str, str, str, str, str]]:
        for i, row in enumerate(rows, start):
            status = row[5] if len(row) > 5 else None
            yield (
                i,
                row[0] or "",
                row[1] or "",
                row[2] or "",
                row[3] or "",
                row[4] or "",
                status or "",
            )

    tally = _Tally(survey, source)
    tally.feed(numbered())
    if tally.problems:
        raise InvalidInput(tally.problems)
    return tally.results()


def _problem(source: str, line: str, en: str, vi: str) -> InvalidInput:
    return InvalidInput([Problem(source, line, en, vi)])


def _not_utf8(path: str | Path, source: str) -> InvalidInput:
    try:
        Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
    else:  # pragma: no cover - the stream decoder and the whole-file decoder agree
        start = 0
    return _problem(
        source,
        "",
        f"the file is not UTF-8 text (byte {start})",
        f"tệp không phải văn bản UTF-8 (byte {start})",
    )


def compute_survey_file(survey: Survey, path: str | Path) -> SurveyResults:
    """Read a responses CSV (spec §6; columns found by header name, more columns ignored,
    blank lines skipped) and compute the survey results. Raises :class:`InvalidInput`."""
    source = Path(path).name
    tally = _Tally(survey, source)
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise _problem(
            source, "", f"cannot read file: {reason}", f"không đọc được tệp: {reason}"
        ) from None
    with handle:
        reader = csv.reader(handle)
        try:
            header: list[str] | None = None
            for row in reader:
                if any(cell.strip() for cell in row):
                    header = [cell.strip().lower() for cell in row]
                    break
            required = RESPONSE_COLUMNS[:5]
            if header is None:
                raise _problem(
                    source,
                    "1",
                    f"the file is empty (expected a header {','.join(RESPONSE_COLUMNS)})",
                    f"tệp rỗng (cần dòng tiêu đề {','.join(RESPONSE_COLUMNS)})",
                )
            columns: dict[str, int] = {}
            for i, name in enumerate(header):
                columns.setdefault(name, i)
            missing = [c for c in required if c not in columns]
            if missing:
                raise _problem(
                    source,
                    str(reader.line_num),
                    f"the header must have the columns {','.join(RESPONSE_COLUMNS)} "
                    f"(missing: {', '.join(missing)})",
                    f"dòng tiêu đề phải có các cột {','.join(RESPONSE_COLUMNS)} "
                    f"(thiếu: {', '.join(missing)})",
                )
            picks = [columns[c] for c in required] + [columns.get("status", -1)]
            simple = picks == [0, 1, 2, 3, 4, 5]
            width = max(picks) + 1
            cr, cg, cu, cq, ca, cs = picks

            def body() -> Iterator[tuple[int, str, str, str, str, str, str]]:
                for row in reader:
                    if len(row) == 6 and simple:
                        rid, group, unit, question, answer, status = row
                        if rid or group or unit or question or answer or status:
                            yield reader.line_num, rid, group, unit, question, answer, status
                        continue
                    if not any(row):
                        continue
                    if len(row) < width:
                        row = row + [""] * (width - len(row))
                    yield (
                        reader.line_num,
                        row[cr], row[cg], row[cu], row[cq], row[ca],
                        row[cs] if cs >= 0 else "",
                    )  # fmt: skip

            tally.feed(body())
        except csv.Error as exc:
            tally.problems.append(
                Problem(
                    source, str(reader.line_num), f"invalid CSV: {exc}", f"CSV không hợp lệ: {exc}"
                )
            )
        except UnicodeDecodeError:
            raise _not_utf8(path, source) from None
    if tally.problems:
        raise InvalidInput(tally.problems)
    return tally.results()


def _number(value: Decimal) -> float:
    return float(value) + 0.0


def survey_results_to_dict(results: SurveyResults) -> dict[str, Any]:
    """The survey results document (spec §7)."""
    units: list[dict[str, Any]] = []
    for u in results.units:
        criteria: dict[str, Any] = {}
        for c in u.criteria:
            criteria[c.criterion] = {
                "value": _number(c.value),
                "groups": {
                    g.group: {"answers": g.answers, "score": _number(g.score)} for g in c.groups
                },
            }
        units.append(
            {
                "unit": u.unit,
                "responses": u.responses,
                "criteria": criteria,
                "sipas": {
                    "index": None if u.sipas is None else _number(u.sipas),
                    "factors": {code: _number(index) for code, index in u.factors},
                },
            }
        )
    return {
        "format": SURVEY_RESULTS_FORMAT,
        "survey": {"code": results.survey.code, "title": results.survey.title},
        "responses": {"total": results.total, "valid": results.valid, "void": results.void},
        "units": units,
    }


def survey_results_to_json(results: SurveyResults) -> str:
    """The survey results as JSON text (``indent=1``, UTF-8 characters kept, final newline)."""
    return json.dumps(survey_results_to_dict(results), indent=1, ensure_ascii=False) + "\n"


def survey_values_csv(results: SurveyResults) -> str:
    """The unit values of the survey leaves (spec §2: ``unit,criterion,value,value2``)."""
    out = io.StringIO()
    writer = csv.writer(out)  # the csv module's dialect: CRLF line ends, quoting as needed
    writer.writerow(("unit", "criterion", "value", "value2"))
    writer.writerows(results.values_rows())
    return out.getvalue()


__all__ = [
    "RESPONSE_COLUMNS",
    "SURVEY_RESULTS_FORMAT",
    "CriterionValue",
    "GroupScore",
    "ResponseRow",
    "SurveyResults",
    "SurveyWarning",
    "UnitSurvey",
    "compute_survey",
    "compute_survey_file",
    "round_half_up",
    "survey_results_to_dict",
    "survey_results_to_json",
    "survey_values_csv",
]
