"""Unit values (``unit,criterion,value,value2`` CSV or in-memory rows) and units files."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

from .errors import BadValue, InvalidInput, Problem
from .evaluate import PRECISION, Evaluator, compile_leaf, parse_number, relative_points, score_range
from .model import ZERO, Framework, Node, RelativeRule
from .parse import fmt_dec, read_text

#: A row as the web application gives it: (unit, criterion, value, value2).
Row = tuple[str, str, str | None, str | None]
#: The same with the appraised points (spec §2, optional column ``points``).
PointsRow = tuple[str, str, str | None, str | None, str | None]

COLUMNS = ("unit", "criterion", "value", "value2")
#: The columns of a values file that carries appraised points.
POINTS_COLUMNS = (*COLUMNS, "points")


class UnitValues:
    """Validated leaf points per unit, ready for :func:`compute`.

    ``points[unit]`` is a list aligned with ``framework.leaves()``: the leaf's points
    (``Decimal``), ``None`` when not applicable, and ``0`` for a leaf without a row.
    ``units`` lists the units in order of first appearance. Build it with
    :meth:`from_rows` or :func:`load_values`; both raise :class:`InvalidInput` with every
    problem found.
    """

    def __init__(
        self,
        framework: Framework,
        source: str,
        units: list[str],
        points: dict[str, list[Decimal | None]],
        best: dict[str, Decimal],
    ) -> None:
        self.framework = framework
        self.source = source
        self.units = units
        self.points = points
        #: largest value per relative leaf code
        self.best = best

    @classmethod
    def from_rows(
        cls,
        framework: Framework,
        rows: Iterable[Row | PointsRow],
        *,
        source: str = "values",
        start: int = 1,
    ) -> UnitValues:
        """Validate in-memory rows; problems name the row number (``start`` for the first).

        A row may carry a fifth item, the appraised points (``None`` or ``""``: none)."""

        def numbered() -> Iterator[tuple[str, str, str, str, str, str]]:
            for i, row in enumerate(rows, start):
                unit, criterion, value, value2 = row[0], row[1], row[2], row[3]
                points = row[4] if len(row) > 4 else None
                yield (
                    str(i),
                    (unit or "").strip(),
                    (criterion or "").strip(),
                    (value or "").strip(),
                    (value2 or "").strip(),
                    (points or "").strip(),
                )

        return _build(framework, [(source, numbered())], [])


#: A checked row of a values file: (line, unit, criterion, value, value2, points), stripped.
_Cells = tuple[str, str, str, str, str, str]


def _leaf_index(fw: Framework) -> tuple[dict[str, tuple[int, Evaluator]], set[str], list[int]]:
    """Each leaf's position and compiled rule by code, the inner nodes' codes, and the
    positions of the relative leaves: the framework's part of ``_build`` (memoized)."""
    index: dict[str, tuple[int, Evaluator]] = {}
    inner: set[str] = set()
    for node in fw.iter_nodes():
        if node.is_leaf:
            index[node.code] = (len(index), compile_leaf(node))
        else:
            inner.add(node.code)
    relative = [i for i, leaf in enumerate(fw.leaves()) if isinstance(leaf.rule, RelativeRule)]
    return index, inner, relative


def _build(
    fw: Framework,
    files: Iterable[tuple[str, Iterable[_Cells]]],
    problems: list[Problem],
) -> UnitValues:
    """Validate the rows of one or several files (``(source, rows)``) read as one."""
    leaves = fw.leaves()
    nleaves = len(leaves)
    index, inner, relative = fw.memo("values.leaf_index", lambda: _leaf_index(fw))
    # per unit: (points by leaf, line of the row that gave each leaf, and its file)
    state: dict[str, tuple[list[Decimal | None], list[str | None], list[int]]] = {}
    sources: list[str] = []
    # appraised points (column ``points``) by unit and leaf position: applied last
    fixed: dict[str, dict[int, Decimal]] = {}
    points: dict[str, list[Decimal | None]] = {}
    units: list[str] = []
    add = problems.append
    get_leaf = index.get
    get_state = state.get

    source = ""

    def bad(where: str, unit: str, crit: str, en: str, vi: str) -> None:
        add(
            Problem(
                source,
                where,
                f"unit {unit}, criterion {crit}: {en}",
                f"đơn vị {unit}, tiêu chí {crit}: {vi}",
            )
        )

    with localcontext(prec=PRECISION):
        for file_no, (source, rows) in enumerate(files):
            sources.append(source)
            for where, unit, crit, value, value2, given in rows:
                found = get_leaf(crit)
                if found is None or not unit:
                    if not unit:
                        add(Problem(source, where, "unit code is missing", "thiếu mã đơn vị"))
                    elif not crit:
                        bad(where, unit, "?", "criterion code is missing", "thiếu mã tiêu chí")
                    elif crit in inner:
                        bad(
                            where, unit, crit,
                            "this is a group of criteria, not a leaf: give values for its sub-criteria",
                            "đây là nhóm tiêu chí, không phải tiêu chí lá: hãy nhập giá trị cho các tiêu chí con",
                        )  # fmt: skip
                    else:
                        bad(
                            where, unit, crit, "unknown criterion code",
                            "mã tiêu chí không có trong bộ tiêu chí",
                        )  # fmt: skip
                    continue
                pos, evaluator = found
                unit_state = get_state(unit)
                if unit_state is None:
                    unit_state = state[unit] = (
                        [ZERO] * nleaves,
                        [None] * nleaves,
                        [0] * nleaves,
                    )
                    points[unit] = unit_state[0]
                    units.append(unit)
                unit_points, unit_lines, unit_files = unit_state
                first = unit_lines[pos]
                if first is not None:
                    first_file = sources[unit_files[pos]]
                    if unit_files[pos] == file_no:
                        bad(
                            where, unit, crit, f"duplicate row (first given on line {first})",
                            f"dòng bị trùng (đã có ở dòng {first})",
                        )  # fmt: skip
                    else:
                        bad(
                            where, unit, crit,
                            f"given in two values files (first in {first_file} on line {first})",
                            f"có ở hai tệp giá trị (lần đầu ở tệp {first_file}, dòng {first})",
                        )  # fmt: skip
                    continue
                unit_lines[pos] = where
                unit_files[pos] = file_no
                if given:
                    leaf = leaves[pos]
                    try:
                        if value.upper() == "NA":
                            raise BadValue(
                                "points cannot be given with the value NA",
                                "không ghi điểm (points) cùng giá trị NA",
                            )
                        fixed_points = parse_number(given, "points", "điểm")
                        low, high = score_range(leaf)
                        if not low <= fixed_points <= high:
                            raise BadValue(
                                f"points {given} are outside [{fmt_dec(low)}, {fmt_dec(high)}]",
                                f"điểm {given} nằm ngoài khoảng [{fmt_dec(low)}, {fmt_dec(high)}]",
                            )
                        if value or value2:
                            unit_points[pos] = evaluator(value, value2)  # still checked
                    except BadValue as exc:
                        bad(where, unit, crit, exc.message, exc.message_vi)
                        continue
                    fixed.setdefault(unit, {})[pos] = fixed_points
                    continue
                try:
                    unit_points[pos] = evaluator(value, value2)
                except BadValue as exc:
                    bad(where, unit, crit, exc.message, exc.message_vi)
        if problems:
            raise InvalidInput(problems)
        best: dict[str, Decimal] = {}
        for pos in relative:
            leaf = leaves[pos]
            assert leaf.max is not None  # noqa: S101 - narrows the type for mypy: an invariant, not a check
            top = ZERO
            for unit in units:
                raw = points[unit][pos]
                if raw is not None and raw > top:
                    top = raw
            best[leaf.code] = top
            for unit in units:
                raw = points[unit][pos]
                if raw is not None:
                    points[unit][pos] = relative_points(leaf.max, raw, top)
        for unit, given_points in fixed.items():
            for pos, value_points in given_points.items():
                points[unit][pos] = value_points
    return UnitValues(fw, ", ".join(sources), units, points, best)


def _nonblank(reader: Any) -> Iterator[tuple[int, list[str]]]:
    for row in reader:
        if row and any(row):
            yield reader.line_num, row


def _csv_rows(
    text: str, source: str, required: tuple[str, ...], problems: list[Problem]
) -> tuple[dict[str, int], Iterator[tuple[int, list[str]]]] | None:
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    for row in reader:
        if any(cell.strip() for cell in row):
            header = [cell.strip().lower() for cell in row]
            break
    if header is None:
        problems.append(
            Problem(
                source,
                "1",
                f"the file is empty (expected a header {','.join(required)})",
                f"tệp rỗng (cần dòng tiêu đề {','.join(required)})",
            )
        )
        return None
    columns: dict[str, int] = {}
    for i, name in enumerate(header):
        columns.setdefault(name, i)
    missing = [c for c in required if c not in columns]
    if missing:
        problems.append(
            Problem(
                source,
                str(reader.line_num),
                f"the header must have the columns {','.join(required)} (missing: {', '.join(missing)})",
                f"dòng tiêu đề phải có các cột {','.join(required)} (thiếu: {', '.join(missing)})",
            )
        )
        return None

    def body() -> Iterator[tuple[int, list[str]]]:
        try:
            yield from _nonblank(reader)
        except csv.Error as exc:
            problems.append(
                Problem(
                    source,
                    str(reader.line_num),
                    f"invalid CSV: {exc}",
                    f"CSV không hợp lệ: {exc}",
                )
            )

    return columns, body()


def load_values(path: str | Path, fw: Framework) -> UnitValues:
    """Read and validate a values CSV (``unit,criterion,value[,value2]``, more columns ignored)."""
    return load_values_files([path], fw)


def load_values_files(paths: Sequence[str | Path], fw: Framework) -> UnitValues:
    """Several values files read as one (spec §2): a unit and criterion given in two of them
    is an error naming both. Every problem of every file is reported."""
    problems: list[Problem] = []

    def files() -> Iterator[tuple[str, Iterator[_Cells]]]:
        for path in paths:  # one after the other: problems come file by file
            source = Path(path).name
            try:
                text = read_text(path, source)
            except InvalidInput as exc:
                problems.extend(exc.problems)
                continue
            rows = _value_rows(text, source, problems)
            if rows is not None:
                yield source, rows

    return _build(fw, files(), problems)


def _value_rows(text: str, source: str, problems: list[Problem]) -> Iterator[_Cells] | None:
    parsed = _csv_rows(text, source, ("unit", "criterion", "value"), problems)
    if parsed is None:
        return None
    columns, body = parsed
    cu, cc, cv = columns["unit"], columns["criterion"], columns["value"]
    c2 = columns.get("value2", -1)
    cp = columns.get("points", -1)
    width = max(cu, cc, cv, c2, cp) + 1
    simple = (cu, cc, cv, c2, cp) == (0, 1, 2, 3, -1)

    def rows() -> Iterator[tuple[str, str, str, str, str, str]]:
        for line, row in body:
            if simple and len(row) == 4:
                unit, crit, value, value2 = row
                yield str(line), unit.strip(), crit.strip(), value.strip(), value2.strip(), ""
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            yield (
                str(line),
                row[cu].strip(),
                row[cc].strip(),
                row[cv].strip(),
                row[c2].strip() if c2 >= 0 else "",
                row[cp].strip() if cp >= 0 else "",
            )

    return rows()


def load_units(path: str | Path) -> dict[str, str]:
    """Read a units file (``code,name``, more columns allowed): code -> display name."""
    source = Path(path).name
    text = read_text(path, source)
    problems: list[Problem] = []
    parsed = _csv_rows(text, source, ("code", "name"), problems)
    if parsed is None:
        raise InvalidInput(problems)
    columns, body = parsed
    cc, cn = columns["code"], columns["name"]
    width = max(cc, cn) + 1
    names: dict[str, str] = {}
    first: dict[str, int] = {}
    for line, row in body:
        if len(row) < width:
            row = row + [""] * (width - len(row))
        code, name = row[cc].strip(), row[cn].strip()
        if not code and not name:
            continue
        if not code:
            problems.append(Problem(source, str(line), "unit code is missing", "thiếu mã đơn vị"))
        elif code in first:
            problems.append(
                Problem(
                    source,
                    str(line),
                    f"unit {code} is listed twice (first on line {first[code]})",
                    f"đơn vị {code} bị liệt kê hai lần (lần đầu ở dòng {first[code]})",
                )
            )
        else:
            first[code] = line
            names[code] = name or code
    if problems:
        raise InvalidInput(problems)
    return names


def leaf_index(fw: Framework) -> dict[str, int]:
    """Leaf code -> position in ``framework.leaves()``."""
    return {leaf.code: i for i, leaf in enumerate(fw.leaves())}


__all__ = [
    "COLUMNS",
    "POINTS_COLUMNS",
    "Node",
    "PointsRow",
    "Row",
    "UnitValues",
    "leaf_index",
    "load_units",
    "load_values",
    "load_values_files",
]
