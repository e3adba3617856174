import io
from decimal import Decimal

from openpyxl import load_workbook

from parindex.reports.renderers import render_xlsx
from parindex.reports.selectors import self_assessment_report_data


def test_the_workbook_stores_points_as_numbers(report_case):
    data = self_assessment_report_data(report_case.assessment)
    wb = load_workbook(io.BytesIO(render_xlsx(data)))
    assert wb.sheetnames == ["Tổng hợp", "Chi tiết"]
    summary = wb["Tổng hợp"]
    assert summary["A4"].value == "STT" and summary["A4"].font.bold
    assert summary.freeze_panes == "C5"
    first = [c.value for c in summary[5]]
    assert first[:5] == ["1", "Công tác chỉ đạo, điều hành cải cách hành chính", 9, 7.83, 87.04]
    assert summary["D5"].number_format == "0.00"
    total = next(r for r in summary.iter_rows(values_only=True) if r[1] == "Tổng điểm tự đánh giá")
    assert total[2:5] == (63, 59.37, 94.24)  # without the relative leaf 7.5 (max 2)


def test_the_detail_sheet_keeps_declared_numbers_as_numbers(report_case):
    data = self_assessment_report_data(report_case.assessment)
    ws = load_workbook(io.BytesIO(render_xlsx(data)))["Chi tiết"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    code, title, max_, text, value, value2, points, evidence, explanation = rows["3.2"]
    assert text == "1.068/1.200 (89,00%)"
    assert (value, value2, points) == (1068, 1200, 4.45)
    assert isinstance(points, float) and Decimal(str(points)) == Decimal("4.45")
    assert explanation.startswith("Có 132 hồ sơ trễ hạn")
    assert rows["1.7"][6] is None and rows["1.7"][3] == "Đánh giá qua điều tra XHH"
