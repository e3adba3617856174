"""The sociological survey definition (``parindex.survey/v1``, spec §5): read and checked.

Every problem is collected; :class:`InvalidInput` is raised with all of them at the end.
Problems name the place in the file: ``groups[1]``, ``questions[3]`` until the item's code is
known, then ``group DAN`` / ``question Q03``; the top-level keys by name (``year``).
The scores computed from the responses are in ``survey_scores.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .errors import InvalidInput, Problem
from .model import Framework
from .parse import _Parser, fmt_dec, read_text

SURVEY_FORMAT = "parindex.survey/v1"

ONE = Decimal(1)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class SurveyOption:
    """One answer of a question. ``weight`` (0..100) is ``None`` for "don't know"."""

    key: str
    label: str
    weight: Decimal | None = None
    satisfied: bool = False


@dataclass(frozen=True)
class SurveyGroup:
    """A respondent group (nhóm đối tượng) and its weight (> 0) in a criterion's value."""

    code: str
    title: str
    weight: Decimal = ONE


@dataclass(frozen=True)
class Question:
    """One question. ``options`` are its own, or the survey's scale (``own_options`` False).

    ``groups`` are the codes of the groups asked (every group when the file names none).
    """

    code: str
    text: str
    criterion: str | None
    groups: tuple[str, ...]
    options: tuple[SurveyOption, ...]
    factor: str | None = None
    own_options: bool = False


@dataclass(frozen=True)
class Survey:
    """A survey (``parindex.survey/v1``) of one block and year."""

    code: str
    title: str
    year: int
    block: str
    framework: str | None
    scale: tuple[SurveyOption, ...]
    groups: tuple[SurveyGroup, ...]
    questions: tuple[Question, ...]
    _groups: dict[str, SurveyGroup] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    _questions: dict[str, Question] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_groups", {g.code: g for g in self.groups})
        object.__setattr__(self, "_questions", {q.code: q for q in self.questions})

    def group(self, code: str) -> SurveyGroup:
        """The group with this code (``KeyError`` if there is none)."""
        return self._groups[code]

    def question(self, code: str) -> Question:
        """The question with this code (``KeyError`` if there is none)."""
        return self._questions[code]

    def criteria(self) -> list[str]:
        """The criteria fed by the questions, in the order they first appear."""
        return list(dict.fromkeys(q.criterion for q in self.questions if q.criterion))

    def factors(self) -> list[str]:
        """The satisfaction factors of the questions, in the order they first appear."""
        return list(dict.fromkeys(q.factor for q in self.questions if q.factor))


class _SurveyParser(_Parser):
    def survey(self, data: object, framework: Framework | None) -> Survey | None:
        if not isinstance(data, dict):
            self.add(
                "",
                "the survey must be a mapping with format, code, title, year, block, groups "
                "and questions",
                "cuộc điều tra phải là một ánh xạ gồm format, code, title, year, block, groups "
                "và questions",
            )
            return None
        fmt = data.get("format")
        if fmt is None:
            self.add(
                "format",
                f"format is missing (expected {SURVEY_FORMAT})",
                f"thiếu format (phải là {SURVEY_FORMAT})",
            )
        elif fmt != SURVEY_FORMAT:
            self.add(
                "format",
                f"format must be {SURVEY_FORMAT}, not {fmt!r}",
                f"format phải là {SURVEY_FORMAT}, không phải {fmt!r}",
            )
        code = self.code_of(data, "code")
        title = self.text(data, "title", "title", required=True)
        year = self.year(data)
        block = self.text(data, "block", "block", required=True)
        fw_code = self.key_code(
            data, "framework", "framework", "a framework code", "mã bộ tiêu chí"
        )
        scale: tuple[SurveyOption, ...] = ()
        if data.get("scale") is not None:
            scale = self.options(data["scale"], "scale", "scale")
        groups, group_codes = self.groups(data.get("groups"))
        questions = self.questions(
            data.get("questions"), scale, data.get("scale") is not None, group_codes
        )
        if framework is not None:
            self.match(framework, year, block, fw_code, questions)
        if self.problems or code is None or title is None or year is None or block is None:
            return None
        return Survey(
            code=code, title=title, year=year, block=block, framework=fw_code, scale=scale,
            groups=tuple(groups), questions=tuple(questions),
        )  # fmt: skip

    def year(self, data: dict[str, Any]) -> int | None:
        raw = data.get("year")
        if raw is None:
            self.add("year", "year is missing", "thiếu year")
        elif isinstance(raw, bool) or not isinstance(raw, int):
            self.add(
                "year",
                f"year must be a whole number, not {raw!r}",
                f"year phải là số nguyên, không phải {raw!r}",
            )
        else:
            return raw
        return None

    def key_code(
        self, raw: dict[str, Any], key: str, where: str, what: str, what_vi: str
    ) -> str | None:
        """An optional code under ``key`` (text or whole number; a float must be quoted)."""
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, float):
            self.add(
                where,
                f'{key} {value!r} was read as a number: quote it, e.g. {key}: "{value!r}"',
                f"{key} {value!r} bị đọc thành số: hãy đặt trong dấu nháy, ví dụ "
                f'{key}: "{value!r}"',
            )
            return None
        if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
            self.add(
                where,
                f"{key} must be {what} (non-empty text)",
                f"{key} phải là {what_vi} (chuỗi ký tự khác rỗng)",
            )
            return None
        return str(value).strip()

    # -- options -------------------------------------------------------------------------
    def options(self, raw: object, where: str, name: str) -> tuple[SurveyOption, ...]:
        """A list of options at ``where`` (``scale``, ``question Q1``); ``name`` names the key.

        Problems about one option name it ``scale[2]`` or ``question Q1 options[2]``."""
        if not isinstance(raw, list) or not raw:
            self.add(
                where, f"{name} must be a non-empty list", f"{name} phải là danh sách không rỗng"
            )
            return ()
        lead = "" if where == name else f"{where} "
        options: list[SurveyOption] = []
        keys: dict[str, str] = {}
        for i, item in enumerate(raw):
            at = f"{lead}{name}[{i}]"
            if not isinstance(item, dict):
                self.add(
                    at,
                    "an option must be a mapping with key, label and weight",
                    "mỗi phương án phải có key, label và weight",
                )
                continue
            key = self.key_code(item, "key", at, "an option key", "khóa phương án")
            if key is None and item.get("key") is None:
                self.add(at, "key is missing", "thiếu key")
            if key is not None:
                folded = key.casefold()
                if folded in keys:
                    self.add(
                        at,
                        f"option key {key} is used twice (first at {keys[folded]})",
                        f"khóa phương án {key} bị trùng (đã dùng ở {keys[folded]})",
                    )
                    key = None
                else:
                    keys[folded] = at
            label = self.text(item, "label", at, required=True)
            weight = self.number(item, "weight", at, required=False)
            if weight is not None and not 0 <= weight <= HUNDRED:
                self.add(
                    at,
                    f"weight {fmt_dec(weight)} must be between 0 and 100",
                    f"trọng số {fmt_dec(weight)} phải từ 0 đến 100",
                )
                key = None
            satisfied = self.flag(item, "satisfied", at)
            if key is not None and label is not None:
                options.append(SurveyOption(key, label, weight, satisfied))
        return tuple(options)

    # -- groups --------------------------------------------------------------------------
    def groups(self, raw: object) -> tuple[list[SurveyGroup], list[str]]:
        """The valid groups, and every group code read (a group with another problem still
        names a group, so that its questions raise no second problem)."""
        if not isinstance(raw, list) or not raw:
            self.add(
                "groups", "groups must be a non-empty list", "groups phải là danh sách không rỗng"
            )
            return [], []
        groups: list[SurveyGroup] = []
        seen: dict[str, str] = {}
        for i, item in enumerate(raw):
            path = f"groups[{i}]"
            if not isinstance(item, dict):
                self.add(
                    path,
                    "a group must be a mapping with code, title and weight",
                    "mỗi nhóm đối tượng phải có code, title và weight",
                )
                continue
            code = self.code_of(item, path)
            where = path
            if code is not None:
                if code in seen:
                    self.add(
                        path,
                        f"group code {code} is used twice (first at {seen[code]})",
                        f"mã nhóm đối tượng {code} bị trùng (đã dùng ở {seen[code]})",
                    )
                    code = None
                else:
                    seen[code] = path
                    where = f"group {code}"
            title = self.text(item, "title", where, required=True)
            weight = self.number(item, "weight", where, required=False)
            if weight is not None and weight <= 0:
                self.add(
                    where,
                    f"weight must be greater than 0, not {fmt_dec(weight)}",
                    f"trọng số phải lớn hơn 0, không phải {fmt_dec(weight)}",
                )
                weight = None
                code = None
            if code is not None and title is not None:
                groups.append(SurveyGroup(code, title, ONE if weight is None else weight))
        return groups, list(seen)

    # -- questions -----------------------------------------------------------------------
    def questions(
        self,
        raw: object,
        scale: tuple[SurveyOption, ...],
        has_scale: bool,
        group_codes: list[str],
    ) -> list[Question]:
        if not isinstance(raw, list) or not raw:
            self.add(
                "questions",
                "questions must be a non-empty list",
                "questions phải là danh sách không rỗng",
            )
            return []
        all_groups = tuple(group_codes)
        known = set(all_groups)
        questions: list[Question] = []
        seen: dict[str, str] = {}
        for i, item in enumerate(raw):
            path = f"questions[{i}]"
            if not isinstance(item, dict):
                self.add(
                    path,
                    "a question must be a mapping with code and text",
                    "mỗi câu hỏi phải có code và text",
                )
                continue
            n_before = len(self.problems)
            code = self.code_of(item, path)
            where = path
            if code is not None:
                if code in seen:
                    self.add(
                        path,
                        f"question code {code} is used twice (first at {seen[code]})",
                        f"mã câu hỏi {code} bị trùng (đã dùng ở {seen[code]})",
                    )
                else:
                    seen[code] = path
                    where = f"question {code}"
            text = self.text(item, "text", where, required=True)
            criterion = self.key_code(item, "criterion", where, "a criterion code", "mã tiêu chí")
            factor = self.key_code(
                item, "factor", where, "a satisfaction factor code", "mã yếu tố hài lòng"
            )
            asked = self.question_groups(item.get("groups"), where, all_groups, known)
            own = item.get("options") is not None
            if own:
                options = self.options(item["options"], where, "options")
            else:
                options = scale
                if not has_scale:
                    self.add(
                        where,
                        "the question has no options and the survey has no scale",
                        "câu hỏi không có phương án trả lời và cuộc điều tra không có thang (scale)",
                    )
            if len(self.problems) > n_before or code is None or text is None:
                continue
            questions.append(
                Question(code, text, criterion, asked, options, factor=factor, own_options=own)
            )
        return questions

    def question_groups(
        self, raw: object, where: str, all_groups: tuple[str, ...], known: set[str]
    ) -> tuple[str, ...]:
        if raw is None:
            return all_groups
        if not isinstance(raw, list) or not raw:
            self.add(
                where,
                "groups must be a non-empty list of group codes",
                "groups phải là danh sách mã nhóm đối tượng không rỗng",
            )
            return ()
        asked: list[str] = []
        for item in raw:
            if isinstance(item, bool) or not isinstance(item, str | int):
                self.add(
                    where,
                    f"groups: {item!r} is not a group code",
                    f"groups: {item!r} không phải là mã nhóm đối tượng",
                )
                continue
            code = str(item).strip()
            if code in asked:
                self.add(
                    where,
                    f"groups: group {code} is listed twice",
                    f"groups: nhóm đối tượng {code} bị liệt kê hai lần",
                )
            elif code not in known:
                self.add(
                    where,
                    f"groups: unknown group {code}",
                    f"groups: nhóm đối tượng {code} không có trong danh sách groups",
                )
            else:
                asked.append(code)
        return tuple(asked)

    # -- against the framework -----------------------------------------------------------
    def match(
        self,
        fw: Framework,
        year: int | None,
        block: str | None,
        fw_code: str | None,
        questions: list[Question],
    ) -> None:
        if block is not None and block != fw.block:
            self.add(
                "block",
                f"block {block} does not match the framework's block {fw.block}",
                f"khối {block} không khớp với khối của bộ tiêu chí ({fw.block})",
            )
        if year is not None and year != fw.year:
            self.add(
                "year",
                f"year {year} does not match the framework's year {fw.year}",
                f"năm {year} không khớp với năm của bộ tiêu chí ({fw.year})",
            )
        if fw_code is not None and fw_code != fw.code:
            self.add(
                "framework",
                f"framework {fw_code} does not match the framework given ({fw.code})",
                f"bộ tiêu chí {fw_code} không khớp với bộ tiêu chí đã cho ({fw.code})",
            )
        for q in questions:
            if q.criterion is None:
                continue
            where = f"question {q.code}"
            node = fw.get(q.criterion)
            if node is None:
                self.add(
                    where,
                    f"criterion {q.criterion} is not in the framework {fw.code}",
                    f"tiêu chí {q.criterion} không có trong bộ tiêu chí {fw.code}",
                )
            elif not node.is_leaf:
                self.add(
                    where,
                    f"criterion {q.criterion} is a group of criteria, not a leaf",
                    f"tiêu chí {q.criterion} là nhóm tiêu chí, không phải tiêu chí lá",
                )
            elif node.source != "survey":
                self.add(
                    where,
                    f"criterion {q.criterion} is not scored by the survey (it needs source: survey)",
                    f"tiêu chí {q.criterion} không lấy điểm từ điều tra (cần source: survey)",
                )


def parse_survey(data: object, *, source: str, framework: Framework | None = None) -> Survey:
    """Validate an already-loaded survey (a dict from YAML or JSON).

    With ``framework``, its criteria, block, year and code are checked against it.
    Raises :class:`InvalidInput` with every problem found.
    """
    parser = _SurveyParser(source)
    survey = parser.survey(data, framework)
    if parser.problems or survey is None:
        raise InvalidInput(parser.problems)
    return survey


def load_data(path: str | Path, source: str) -> object:
    """A YAML (or, for ``.json``, JSON) file's data; unreadable or invalid: :class:`InvalidInput`."""
    text = read_text(path, source)
    if Path(path).suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                [
                    Problem(
                        source,
                        str(exc.lineno),
                        f"invalid JSON: {exc.msg}",
                        f"JSON không hợp lệ: {exc.msg}",
                    )
                ]
            ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = str(mark.line + 1) if mark is not None else ""
        what = getattr(exc, "problem", None) or str(exc)
        raise InvalidInput(
            [Problem(source, line, f"invalid YAML: {what}", f"YAML không hợp lệ: {what}")]
        ) from None


def load_survey(path: str | Path, framework: Framework | None = None) -> Survey:
    """Read and validate a survey file (``.yaml``, ``.yml`` or ``.json``)."""
    source = Path(path).name
    return parse_survey(load_data(path, source), source=source, framework=framework)


def _number_out(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _options_to_list(options: tuple[SurveyOption, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for o in options:
        item: dict[str, Any] = {"key": o.key, "label": o.label}
        if o.weight is not None:
            item["weight"] = _number_out(o.weight)
        if o.satisfied:
            item["satisfied"] = True
        out.append(item)
    return out


def survey_to_dict(survey: Survey) -> dict[str, Any]:
    """The survey in the spec's structure (safe for ``json.dumps``/``yaml.safe_dump``)."""
    out: dict[str, Any] = {
        "format": SURVEY_FORMAT,
        "code": survey.code,
        "title": survey.title,
        "year": survey.year,
        "block": survey.block,
    }
    if survey.framework is not None:
        out["framework"] = survey.framework
    if survey.scale:
        out["scale"] = _options_to_list(survey.scale)
    out["groups"] = [
        {"code": g.code, "title": g.title, "weight": _number_out(g.weight)} for g in survey.groups
    ]
    everyone = tuple(g.code for g in survey.groups)
    questions: list[dict[str, Any]] = []
    for q in survey.questions:
        item: dict[str, Any] = {"code": q.code, "text": q.text}
        if q.criterion is not None:
            item["criterion"] = q.criterion
        if q.groups != everyone:
            item["groups"] = list(q.groups)
        if q.factor is not None:
            item["factor"] = q.factor
        if q.own_options:
            item["options"] = _options_to_list(q.options)
        questions.append(item)
    out["questions"] = questions
    return out


__all__ = [
    "SURVEY_FORMAT",
    "Question",
    "Survey",
    "SurveyGroup",
    "SurveyOption",
    "load_survey",
    "parse_survey",
    "survey_to_dict",
]
