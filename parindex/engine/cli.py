"""The engine's commands (no Django is imported)::

    parindex score FRAMEWORK VALUES [VALUES...] [--units UNITS.csv] [--format json|table|xlsx]
                   [-o FILE] [--lang en|vi]
    parindex survey SURVEY RESPONSES [--framework FRAMEWORK] [--format json|values] [-o FILE]
                    [--lang en|vi]

Exit status 0 on success, 2 on invalid input (every problem on stderr, one per line,
nothing on stdout and no output file). ``parindex survey`` writes its warnings (a unit and
criterion without a weighted answer) to stderr and still exits 0.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

from .errors import InvalidInput, Problem
from .fmt import number_vi, pad, width, xlsx_text_cells
from .model import Framework
from .parse import load_framework
from .results import Results, compute, iter_results_json, round2
from .survey import Survey, load_survey
from .survey_scores import (
    SurveyResults,
    compute_survey_file,
    survey_results_to_json,
    survey_values_csv,
)
from .values import load_units, load_values_files

HEADERS = ("Hạng", "Mã", "Đơn vị", "Điểm", "Tối đa", "Chỉ số", "Xếp loại")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parindex score",
        description="Compute the PAR Index (Chỉ số CCHC) of units from a framework and values.",
    )
    parser.add_argument("framework", help="criteria framework (.yaml, .yml or .json)")
    parser.add_argument(
        "values",
        nargs="+",
        help="unit values (.csv: unit,criterion,value,value2); several files are read as one",
    )
    parser.add_argument("--units", help="units file (.csv: code,name) for display names")
    parser.add_argument("--format", choices=("json", "table", "xlsx"), default="json")
    parser.add_argument("-o", "--output", help="write to this file instead of stdout")
    parser.add_argument("--lang", choices=("en", "vi"), default="en", help="language of messages")
    return parser


def _write(stream: IO[str], text: str) -> None:
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        stream.write(text)


def render_table(results: Results) -> str:
    """A ranking for a terminal, Vietnamese headers and numbers (``85,41``)."""
    rows = [list(HEADERS)]
    for u in results.units:
        rows.append(
            [
                str(u.rank),
                u.unit,
                u.name,
                number_vi(u.points),
                number_vi(u.max),
                number_vi(u.index),
                u.band or "—",
            ]
        )
    widths = [max(width(row[c]) for row in rows) for c in range(len(HEADERS))]
    right = (True, False, False, True, True, True, False)
    lines = []
    for n, row in enumerate(rows):
        cells = [pad(cell, widths[c], right=right[c]) for c, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    fw = results.framework
    s = results.summary
    lines.append("")
    lines.append(f"{fw.title} ({fw.code}) — {s.units} đơn vị")
    lines.append(
        f"Chỉ số bình quân: {number_vi(s.mean_index)}; thấp nhất: {number_vi(s.min_index)}; "
        f"cao nhất: {number_vi(s.max_index)}"
    )
    return "\n".join(lines) + "\n"


def write_xlsx(results: Results, path: str | Path) -> None:
    """Two sheets: "Xếp hạng" (the ranking) and "Theo lĩnh vực" (per top-level domain)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def number(value: object) -> float | None:
        from decimal import Decimal

        return round2(value) if isinstance(value, Decimal) else None

    wb = Workbook()
    ranking = wb.active
    assert ranking is not None  # noqa: S101 - narrows the type for mypy: an invariant, not a check
    ranking.title = "Xếp hạng"
    ranking.append(list(HEADERS))
    for u in results.units:
        ranking.append(
            [u.rank, u.unit, u.name, number(u.points), number(u.max), number(u.index), u.band]
        )
    domains = results.framework.nodes
    by_domain = wb.create_sheet("Theo lĩnh vực")
    header: list[str] = ["Hạng", "Mã", "Đơn vị"]
    for d in domains:
        header += [f"{d.code} Điểm", f"{d.code} Tối đa", f"{d.code} Chỉ số"]
    by_domain.append(header)
    for u in results.units:
        row: list[object] = [u.rank, u.unit, u.name]
        for d in domains:
            score = u.node(d.code)
            row += [number(score.points), number(score.max), number(score.index)]
        by_domain.append(row)
    for sheet, number_from in ((ranking, 4), (by_domain, 4)):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for col in sheet.iter_cols(min_row=2, min_col=number_from, max_col=sheet.max_column):
            for cell in col:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
        for c, column in enumerate(sheet.iter_cols(), 1):
            longest = max(
                width(str(cell.value)) if cell.value is not None else 0 for cell in column
            )
            sheet.column_dimensions[get_column_letter(c)].width = min(60, max(8, longest + 2))
    xlsx_text_cells(wb)
    wb.save(str(path))


def _atomic_write(path: str, data: Iterable[str] | None, results: Results | None = None) -> None:
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".parindex-", dir=directory)
    try:
        if data is not None:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                for chunk in data:
                    handle.write(chunk)
        else:
            os.close(fd)
            assert results is not None  # noqa: S101 - narrows the type for mypy: an invariant, not a check
            write_xlsx(results, tmp)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _unreadable(path: str) -> Problem | None:
    """The problem with a file that cannot even be opened (``None`` if it can)."""
    try:
        open(path, encoding="utf-8").close()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return Problem(
            Path(path).name, "", f"cannot read file: {reason}", f"không đọc được tệp: {reason}"
        )
    return None


def load_all(
    framework: str, values: str | Sequence[str], units: str | None
) -> tuple[Framework, Results]:
    """Read every input, collecting all problems (raises :class:`InvalidInput`).

    ``values`` is one values file or several, read as one."""
    paths = [values] if isinstance(values, str) else list(values)
    problems: list[Problem] = []
    fw: Framework | None = None
    names: dict[str, str] | None = None
    try:
        fw = load_framework(framework)
    except InvalidInput as exc:
        problems += exc.problems
    if units:
        try:
            names = load_units(units)
        except InvalidInput as exc:
            problems += exc.problems
    if fw is None:
        for path in paths:
            problem = _unreadable(path)
            if problem is not None:
                problems.append(problem)
        raise InvalidInput(problems)
    try:
        unit_values = load_values_files(paths, fw)
    except InvalidInput as exc:
        problems += exc.problems
        raise InvalidInput(problems) from None
    if problems:
        raise InvalidInput(problems)
    return fw, compute(fw, unit_values, names)


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.format == "xlsx" and not args.output:
        message = (
            "--format xlsx needs an output file: add -o FILE.xlsx"
            if args.lang == "en"
            else "--format xlsx cần tệp đầu ra: thêm -o TỆP.xlsx"
        )
        _write(sys.stderr, f"parindex score: {message}\n")
        return 2
    try:
        _fw, results = load_all(args.framework, args.values, args.units)
    except InvalidInput as exc:
        lines = [p.vi() if args.lang == "vi" else str(p) for p in exc.problems]
        _write(sys.stderr, "".join(line + "\n" for line in lines))
        return 2
    if args.format == "xlsx":
        _atomic_write(args.output, None, results)
        return 0
    chunks: Iterable[str]
    if args.format == "table":
        chunks = [render_table(results)]
    else:
        chunks = iter_results_json(results)
    if args.output:
        _atomic_write(args.output, chunks)
    else:
        _write(sys.stdout, "".join(chunks))
    return 0


# -- parindex survey ---------------------------------------------------------------------


def _survey_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parindex survey",
        description="Compute the sociological survey's scores (điều tra xã hội học) of units: "
        "the values of the survey criteria and the satisfaction index (SIPAS).",
    )
    parser.add_argument("survey", help="survey definition (.yaml, .yml or .json)")
    parser.add_argument(
        "responses", help="responses (.csv: response,group,unit,question,answer,status)"
    )
    parser.add_argument(
        "--framework", help="check the survey against this criteria framework (.yaml or .json)"
    )
    parser.add_argument(
        "--format",
        choices=("json", "values"),
        default="json",
        help="json: parindex.survey-results/v1; values: unit,criterion,value,value2 for score",
    )
    parser.add_argument("-o", "--output", help="write to this file instead of stdout")
    parser.add_argument("--lang", choices=("en", "vi"), default="en", help="language of messages")
    return parser


def load_survey_all(
    survey: str, responses: str, framework: str | None
) -> tuple[Survey, SurveyResults]:
    """Read every input of ``parindex survey``, collecting all problems (:class:`InvalidInput`)."""
    problems: list[Problem] = []
    fw: Framework | None = None
    fw_ok = True
    if framework:
        try:
            fw = load_framework(framework)
        except InvalidInput as exc:
            problems += exc.problems
            fw_ok = False
    parsed: Survey | None = None
    try:
        parsed = load_survey(survey, fw)
    except InvalidInput as exc:
        problems += exc.problems
    if parsed is None or not fw_ok:
        problem = _unreadable(responses)
        if problem is not None:
            problems.append(problem)
        raise InvalidInput(problems)
    try:
        results = compute_survey_file(parsed, responses)
    except InvalidInput as exc:
        problems += exc.problems
        raise InvalidInput(problems) from None
    return parsed, results


def survey_main(argv: list[str]) -> int:
    args = _survey_parser().parse_args(argv)
    vi = args.lang == "vi"
    try:
        _survey, results = load_survey_all(args.survey, args.responses, args.framework)
    except InvalidInput as exc:
        lines = [p.vi() if vi else str(p) for p in exc.problems]
        _write(sys.stderr, "".join(line + "\n" for line in lines))
        return 2
    if results.warnings:
        source = Path(args.responses).name
        label = "cảnh báo" if vi else "warning"
        _write(
            sys.stderr,
            "".join(f"{source}: {label}: {w.vi() if vi else w}\n" for w in results.warnings),
        )
    text = (
        survey_values_csv(results) if args.format == "values" else survey_results_to_json(results)
    )
    if args.output:
        _atomic_write(args.output, [text])
    else:
        _write(sys.stdout, text)
    return 0
