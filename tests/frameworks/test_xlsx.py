"""The XLSX layout of docs/framework-xlsx.md: reading, writing, problems by sheet row."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from parindex.common.errors import DomainError
from parindex.frameworks.files import COLUMNS, read_xlsx, xlsx_bytes
from parindex.frameworks.models import Framework
from parindex.frameworks.selectors import framework_to_spec_dict
from parindex.frameworks.services import framework_import

HEADERS = [title for _, title, _ in COLUMNS]


def workbook(rows, info=None, bands=(("90", "Xuất sắc"), (0, "Trung bình"))):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Thông tin"
    ws.append(["Thuộc tính", "Giá trị"])
    info = info or {
        "Mã bộ tiêu chí": "X-2026",
        "Tên bộ tiêu chí": "Bộ thử",
        "Năm": 2026,
        "Khối": "so",
    }
    for k, v in info.items():
        ws.append([k, v])
    ws.append([])
    ws.append(["Chỉ số từ", "Xếp loại"])
    for b in bands:
        ws.append(list(b))
    nodes = wb.create_sheet("Tiêu chí")
    nodes.append(HEADERS)
    for row in rows:
        nodes.append([row.get(key) for key, _, _ in COLUMNS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_export_has_one_row_per_node_with_numbers_as_numbers(demo):
    wb = load_workbook(io.BytesIO(xlsx_bytes(framework_to_spec_dict(demo))))
    assert wb.sheetnames[:2] == ["Thông tin", "Tiêu chí"]
    ws = wb["Tiêu chí"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.max_row == 1 + demo.nodes.count()
    row = {h: c.value for h, c in zip(HEADERS, ws[4], strict=True)}  # 1.1.1
    assert row["Mã"] == "1.1.1"
    assert row["Mã cấp trên"] == "1.1"
    assert row["Điểm tối đa"] == 1
    assert row["Cách tính điểm"] == "choice"
    assert row["Các mức lựa chọn"] == (
        "a=Ban hành đúng thời hạn:1; b=Ban hành chậm:0,5; c=Không ban hành:0"
    )
    steps = {h: c.value for h, c in zip(HEADERS, ws[5], strict=True)}
    assert steps["Kiểu tỷ lệ"] == "steps"
    assert steps["Các ngưỡng"] == "100%:2; 80%:1; 70%:0,5"
    info = wb["Thông tin"]
    assert [info.cell(row=r, column=2).value for r in range(2, 6)] == [
        "SO-DEMO-2024",
        demo.title,
        2024,
        "so",
    ]


def test_it_reads_vietnamese_labels_and_decimal_commas(province):
    content = workbook(
        [
            {"code": "1", "title": "Lĩnh vực"},
            {"code": "1.1", "parent": "1", "title": "Kế hoạch", "max": 1, "rule": "Chọn một mức",
             "options": "a=Đúng hạn:1; b=Chậm:0,5"},
            {"code": "1.2", "parent": "1", "title": "Tỷ lệ", "max": "1,5", "rule": "ratio",
             "mode": "Theo ngưỡng", "steps": "100%:1,5\n80%:1", "when_zero": "na"},
            {"code": "1.3", "parent": "1", "title": "Vi phạm", "max": 1, "rule": "deduction",
             "per": 0.5, "floor": -0.5, "allow_na": "x"},
        ]
    )  # fmt: skip
    data, describe = read_xlsx("t.xlsx", content)
    fw = framework_import(
        actor=province.admin, owner=province.snv, data=data, source="t.xlsx",
        describe_problem=describe,
    )  # fmt: skip
    assert fw.max_total == Decimal("3.5")
    assert fw.nodes.get(code="1.1").rule_params["options"][1]["points"] == "0.5"
    ratio = fw.nodes.get(code="1.2")
    assert ratio.rule_params == {
        "mode": "steps",
        "steps": [{"min_percent": "100", "points": "1.5"}, {"min_percent": "80", "points": "1"}],
        "when_zero": "na",
    }
    assert fw.nodes.get(code="1.3").allow_na is True
    assert fw.bands == [{"min": "90", "label": "Xuất sắc"}, {"min": "0", "label": "Trung bình"}]


def test_problems_are_named_by_sheet_row_and_nothing_is_saved(province):
    content = workbook(
        [
            {"code": "1", "title": "Lĩnh vực"},
            {"code": "1.1", "parent": "1", "title": "Không có điểm", "rule": "boolean"},
            {"code": "1.2", "parent": "9", "title": "Cấp trên sai", "max": 1, "rule": "boolean"},
            {"code": "1.3", "parent": "1", "title": "Quy tắc lạ", "max": 1, "rule": "xyz"},
            {"code": "1.4", "parent": "1", "title": "Ngưỡng sai", "max": 1, "rule": "ratio",
             "mode": "steps", "steps": "80%:1; 90%:1"},
        ]
    )  # fmt: skip
    with pytest.raises(DomainError) as exc:
        data, describe = read_xlsx("t.xlsx", content)
        framework_import(
            actor=province.admin, owner=province.snv, data=data, source="t.xlsx",
            describe_problem=describe,
        )  # fmt: skip
    text = "\n".join(exc.value.problems)
    assert "Tiêu chí!3 (mã 1.1): nút lá phải có max" in text
    assert "Tiêu chí!4: mã cấp trên 9 không có ở các dòng phía trên" in text
    assert "Tiêu chí!5: Cách tính điểm: 'xyz' không hợp lệ" in text
    assert "Tiêu chí!6 (mã 1.4): rule: steps[1]: các bậc phải xếp từ cao xuống thấp" in text
    assert not Framework.objects.exists()


def test_an_engine_only_problem_is_named_by_row(province):
    content = workbook(
        [
            {"code": "1", "title": "Lĩnh vực"},
            {"code": "1.1", "parent": "1", "title": "Tỷ lệ", "max": 1, "rule": "count"},
        ]
    )
    data, describe = read_xlsx("t.xlsx", content)
    with pytest.raises(DomainError) as exc:
        framework_import(
            actor=province.admin, owner=province.snv, data=data, source="t.xlsx",
            describe_problem=describe,
        )  # fmt: skip
    assert exc.value.problems == ["Tiêu chí!3 (mã 1.1): rule: thiếu per"]


def test_a_code_read_as_a_number_is_refused_with_a_hint(province):
    content = workbook([{"code": 1.1, "title": "Lĩnh vực"}])
    with pytest.raises(DomainError) as exc:
        read_xlsx("t.xlsx", content)
    assert "hãy định dạng ô là văn bản" in exc.value.problems[0]


def test_a_file_that_is_not_xlsx_is_refused():
    with pytest.raises(DomainError) as exc:
        read_xlsx("t.xlsx", b"not a zip")
    assert "không phải tệp Excel" in exc.value.problems[0]


def test_the_empty_template_has_the_layout_and_imports_nothing(province):
    wb = load_workbook(io.BytesIO(xlsx_bytes(None)))
    assert wb.sheetnames == ["Thông tin", "Tiêu chí", "Hướng dẫn"]
    assert [c.value for c in wb["Tiêu chí"][1]] == HEADERS
    data, describe = read_xlsx("mau.xlsx", xlsx_bytes(None))
    with pytest.raises(DomainError) as exc:
        framework_import(
            actor=province.admin, owner=province.snv, data=data, source="mau.xlsx",
            describe_problem=describe,
        )  # fmt: skip
    text = "\n".join(exc.value.problems)
    assert "Thông tin!2: thiếu mã (code)" in text
    assert "Tiêu chí: nodes phải là danh sách không rỗng" in text
