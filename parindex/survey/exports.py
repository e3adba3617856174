"""The survey's exports (the organizer's): raw responses in the spec §6 format, the survey
results (``parindex.survey-results/v1``), the per-unit summary XLSX and the SIPAS XLSX.

Anonymous: a response's code is its sequence number in the export (``P000001``, in the
order the responses were stored), never its database id; no time, address, device, phone,
serial or enumerator leaves the database.

Status: ``valid`` for a counted response; ``void`` for a response set aside — voided after
review, *flagged and still waiting for review* (it counts nowhere until the organizer marks
it valid), or about a unit whose whole survey was voided (UnitVoid). So ``parindex survey``
on the exported definition and responses counts exactly what the web counts: its results
are the exported JSON, and value × max is each ``Entry.survey_score``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from parindex import engine
from parindex.engine.fmt import xlsx_text_cells
from parindex.survey.definition import engine_survey
from parindex.survey.models import Response, Survey, SurveyAnswer, UnitVoid
from parindex.survey.selectors.points import organizer_table
from parindex.survey.selectors.sipas import SipasTable, sipas_table

CHUNK = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")


def export_rows(survey: Survey) -> Iterator[engine.ResponseRow]:
    """Every answer of the survey as a §6 row, by response in stored order (one streaming
    query; flagged responses and voided units' responses as ``void``)."""
    voided = set(UnitVoid.objects.filter(survey_id=survey.pk).values_list("unit_id", flat=True))
    rows = (
        SurveyAnswer.objects.filter(response__survey_id=survey.pk)
        .order_by("response_id", "id")
        .values_list(
            "response_id",
            "response__group",
            "response__unit_id",
            "response__unit__code",
            "response__status",
            "question",
            "option",
        )
    )
    current = None
    number = 0
    code = ""
    for rid, group, unit_id, unit, status, question, option in rows.iterator(chunk_size=CHUNK):
        if rid != current:  # rows come by response: the next response, the next number
            current = rid
            number += 1
            code = f"P{number:06d}"
        counted = status == Response.Status.VALID and unit_id not in voided
        yield (code, group, unit, question, option, "valid" if counted else "void")


class _Echo:
    def write(self, value: str) -> str:
        return value


def responses_csv(survey: Survey) -> Iterator[str]:
    """The responses file (spec §6, UTF-8, CRLF) in chunks, for a streaming response."""
    writer = csv.writer(_Echo())
    yield writer.writerow(engine.RESPONSE_COLUMNS)
    batch: list[str] = []
    for row in export_rows(survey):
        batch.append(writer.writerow(row))
        if len(batch) >= CHUNK:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def definition_yaml(survey: Survey) -> str:
    """The stored definition as YAML (``parindex.survey/v1``), for ``parindex survey``."""
    return yaml.safe_dump(survey.definition, allow_unicode=True, sort_keys=False)


def results_document(survey: Survey) -> dict[str, Any]:
    """``parindex.survey-results/v1`` of the exported responses: exactly
    ``engine.survey_results_to_dict`` (what ``parindex survey`` writes on the exports)."""
    results = engine.compute_survey(engine_survey(survey), export_rows(survey))
    return engine.survey_results_to_dict(results)


# ---------------------------------------------------------------- XLSX


def _sheet_head(ws: Any, title: str, subtitle: str, headers: list[str]) -> None:
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([subtitle])
    ws.append([])
    ws.append(headers)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.freeze_panes = "D5"


def _widths(ws: Any, widths: list[int]) -> None:
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _save(wb: Workbook) -> bytes:
    xlsx_text_cells(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _title(survey: Survey) -> str:
    return str(survey.definition.get("title") or survey.period_block.block.name)


def summary_xlsx(survey: Survey) -> bytes:
    """Per unit: counted responses, per survey leaf the value and the points (as stored),
    the survey total, the factor indices and SIPAS (the engine's, 2 decimals)."""
    table = organizer_table(survey)
    sipas = sipas_table(survey)
    by_assessment = {r.assessment.pk: r for r in sipas.rows}
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    headers = ["STT", "Mã đơn vị", "Đơn vị", "Số phiếu hợp lệ"]
    for leaf in table.leaves:
        headers += [f"{leaf.code}: giá trị", f"{leaf.code}: điểm (tối đa {leaf.max_text})"]
    headers.append(f"Tổng điểm điều tra (tối đa {table.max_total_text})")
    headers += [f"SIPAS: {f.code}" for f in sipas.factors]
    headers += ["Chỉ số SIPAS", "Ghi chú"]
    subtitle = f"{survey.period_block.block.name} · {survey.period_block.period.name}"
    _sheet_head(ws, _title(survey), subtitle, headers)
    for i, row in enumerate(table.rows, 1):
        line: list[Any] = [i, row.assessment.unit.code, row.assessment.unit.name, row.responses]
        for cell in row.cells:
            line += [cell.value, cell.points]
        line.append(row.points)
        s = by_assessment.get(row.assessment.pk)
        line += list(s.factors) if s else [None] * len(sipas.factors)
        line.append(s.sipas if s else None)
        notes = []
        if row.voided:
            notes.append("Đã hủy kết quả khảo sát")
        elif row.missing:
            notes.append(f"{row.missing} tiêu chí chưa có kết quả điều tra")
        line.append("; ".join(notes))
        ws.append(line)
        for col in range(5, 5 + 2 * len(table.leaves) + 1):
            ws.cell(ws.max_row, col).number_format = "0.000000"
        first_factor = 5 + 2 * len(table.leaves) + 1
        for col in range(first_factor, first_factor + len(sipas.factors) + 1):
            ws.cell(ws.max_row, col).number_format = "0.00"
    _widths(ws, [6, 12, 36, 10] + [13] * (2 * len(table.leaves) + 1 + len(sipas.factors) + 1))
    return _save(wb)


def sipas_xlsx(survey: Survey, table: SipasTable) -> bytes:
    """The SIPAS page as a sheet (its sort kept), and the factors' questions."""
    wb = Workbook()
    ws = wb.active
    ws.title = "SIPAS"
    headers = ["STT", "Mã đơn vị", "Đơn vị", "Số phiếu hợp lệ"]
    headers += [f"Chỉ số {f.code}" for f in table.factors]
    headers.append("Chỉ số SIPAS")
    subtitle = f"Chỉ số hài lòng (SIPAS) · {survey.period_block.block.name}"
    _sheet_head(ws, _title(survey), subtitle, headers)
    for i, row in enumerate(table.rows, 1):
        ws.append(
            [i, row.assessment.unit.code, row.assessment.unit.name, row.responses,
             *row.factors, row.sipas]
        )  # fmt: skip
        for col in range(5, 5 + len(table.factors) + 1):
            ws.cell(ws.max_row, col).number_format = "0.00"
    _widths(ws, [6, 12, 36, 10] + [14] * (len(table.factors) + 1))
    legend = wb.create_sheet("Yếu tố")
    legend.append(["Yếu tố", "Câu hỏi", "Nội dung"])
    for cell in legend[1]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
    for f in table.factors:
        for q in f.questions:
            legend.append([f.code, q.code, q.text])
    _widths(legend, [16, 10, 80])
    return _save(wb)
