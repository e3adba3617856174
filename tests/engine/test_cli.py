"""``parindex score`` on the public example and on invalid input."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from parindex.engine.cli import main
from parindex.engine.fmt import width

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def example_args(examples: Path) -> list[str]:
    return [
        str(examples / "so-demo.yaml"),
        str(examples / "so-demo-values.csv"),
        "--units",
        str(examples / "so-demo-units.csv"),
    ]


def test_score_on_the_example_is_byte_identical_to_the_published_results(capsys, examples):
    code, out, err = run(capsys, *example_args(examples))
    assert (code, err) == (0, "")
    assert out == (examples / "so-demo-results.json").read_text(encoding="utf-8")


def test_score_writes_json_to_an_output_file(capsys, examples, tmp_path):
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, *example_args(examples), "-o", str(target))
    assert (code, out) == (0, "")
    expected = json.loads((examples / "so-demo-results.json").read_text(encoding="utf-8"))
    assert json.loads(target.read_text(encoding="utf-8")) == expected


def test_console_script_gives_the_same_bytes(examples):
    exe = shutil.which("parindex", path=str(Path(sys.executable).parent))
    argv = [exe] if exe else [sys.executable, "-m", "parindex.cli"]
    proc = subprocess.run(
        [*argv, "score", *example_args(examples)], capture_output=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (examples / "so-demo-results.json").read_bytes()


def test_invalid_values_exit_2_with_every_problem_on_stderr_and_nothing_on_stdout(
    capsys, examples, tmp_path
):
    values = tmp_path / "values.csv"
    values.write_text(
        "unit,criterion,value,value2\nSYT,3.2,120,100\nSYT,9.9,1,\n\nSYT,2.5,2,\n", encoding="utf-8"
    )
    target = tmp_path / "out.json"
    code, out, err = run(capsys, str(examples / "so-demo.yaml"), str(values), "-o", str(target))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "values.csv:2: unit SYT, criterion 3.2: numerator 120 is larger than denominator 100",
        "values.csv:3: unit SYT, criterion 9.9: unknown criterion code",
        "values.csv:5: unit SYT, criterion 2.5: value 2 is outside [0, 1]",
    ]
    assert not target.exists() and list(tmp_path.iterdir()) == [values]


def test_messages_in_vietnamese_with_lang_vi(capsys, examples, tmp_path):
    values = tmp_path / "values.csv"
    values.write_text("unit,criterion,value,value2\nSYT,3.2,120,100\n", encoding="utf-8")
    code, out, err = run(capsys, str(examples / "so-demo.yaml"), str(values), "--lang", "vi")
    assert (code, out) == (2, "")
    assert err == "values.csv:2: đơn vị SYT, tiêu chí 3.2: tử số 120 lớn hơn mẫu số 100\n"


def test_missing_files_are_all_reported(capsys, tmp_path):
    code, out, err = run(
        capsys,
        str(tmp_path / "fw.yaml"),
        str(tmp_path / "values.csv"),
        "--units",
        str(tmp_path / "u.csv"),
    )
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "fw.yaml: cannot read file: No such file or directory",
        "u.csv: cannot read file: No such file or directory",
        "values.csv: cannot read file: No such file or directory",
    ]


def test_invalid_framework_exits_2_with_node_paths(capsys, examples, tmp_path):
    fw = tmp_path / "fw.yaml"
    text = (examples / "so-demo.yaml").read_text(encoding="utf-8")
    fw.write_text(
        text.replace("max: 13", "max: 12").replace('code: "1.2"', "code: 1.2"), encoding="utf-8"
    )
    code, out, err = run(capsys, str(fw), str(examples / "so-demo-values.csv"))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        'fw.yaml:nodes[0].children[1]: code 1.2 was read as a number: quote it, e.g. code: "1.2"'
    ]


def test_table_shows_a_vietnamese_ranking(capsys, examples):
    code, out, _ = run(capsys, *example_args(examples), "--format", "table")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        "Hạng",
        "Mã",
        "Đơn",
        "vị",
        "Điểm",
        "Tối",
        "đa",
        "Chỉ",
        "số",
        "Xếp",
        "loại",
    ]
    assert lines[2].split() == [
        "1",
        "STP",
        "Sở",
        "Tư",
        "pháp",
        "94,64",
        "100,00",
        "94,64",
        "Xuất",
        "sắc",
    ]
    assert "Ban Dân tộc" in lines[4] and "80,50" in lines[4]
    # columns line up on screen (Vietnamese combining marks do not take a column)
    header_end = width(lines[0][: lines[0].index("Chỉ số") + len("Chỉ số")])
    for line in lines[2:7]:
        third_number = list(re.finditer(r"\d+,\d\d", line))[2]
        assert width(line[: third_number.end()]) == header_end


def test_xlsx_needs_an_output_file(capsys, examples):
    code, out, err = run(capsys, *example_args(examples), "--format", "xlsx")
    assert (code, out) == (2, "")
    assert "-o" in err


def test_xlsx_stores_numbers_as_numbers(capsys, examples, tmp_path):
    target = tmp_path / "kq.xlsx"
    code, _, _ = run(capsys, *example_args(examples), "--format", "xlsx", "-o", str(target))
    assert code == 0
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["Xếp hạng", "Theo lĩnh vực"]
    ranking = wb["Xếp hạng"]
    assert [c.value for c in ranking[1]] == [
        "Hạng",
        "Mã",
        "Đơn vị",
        "Điểm",
        "Tối đa",
        "Chỉ số",
        "Xếp loại",
    ]
    assert [c.value for c in ranking[2]] == [1, "STP", "Sở Tư pháp", 94.64, 100, 94.64, "Xuất sắc"]
    assert ranking["F2"].number_format == "0.00" and ranking.freeze_panes == "A2"
    assert ranking["A1"].font.bold
    domains = wb["Theo lĩnh vực"]
    assert [c.value for c in domains[1]][3:6] == ["1 Điểm", "1 Tối đa", "1 Chỉ số"]
    assert [c.value for c in domains[2]][3:6] == [11.49, 13, 88.37]
    assert domains.max_column == 3 + 3 * 9


def test_exit_codes_are_0_for_success(capsys, examples):
    assert main(example_args(examples)) == 0
    capsys.readouterr()
    assert Decimal("1") == 1
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2


# -- several values files (spec §2: read as one) -----------------------------------------


def test_several_values_files_are_read_as_one(capsys, examples, tmp_path):
    self_values = tmp_path / "self.csv"
    survey_values = tmp_path / "survey.csv"
    lines = (examples / "so-demo-values.csv").read_text(encoding="utf-8").splitlines()
    self_values.write_text("\n".join(lines[:100]) + "\n", encoding="utf-8")
    survey_values.write_text("\n".join([lines[0], *lines[100:]]) + "\n", encoding="utf-8")
    args = ["--units", str(examples / "so-demo-units.csv")]
    code, out, err = run(
        capsys, str(examples / "so-demo.yaml"), str(self_values), str(survey_values), *args
    )
    assert (code, err) == (0, "")
    assert out == (examples / "so-demo-results.json").read_text(encoding="utf-8")


def test_a_unit_and_criterion_in_two_values_files_is_an_error_naming_both(
    capsys, examples, tmp_path
):
    first = tmp_path / "self.csv"
    second = tmp_path / "survey.csv"
    first.write_text("unit,criterion,value,value2\nSTP,1.7,0.5,\nSTP,1.7,0.6,\n", encoding="utf-8")
    second.write_text(
        "unit,criterion,value,value2\nSYT,1.7,0.5,\n\nSTP,1.7,0.25,\n", encoding="utf-8"
    )
    target = tmp_path / "out.json"
    code, out, err = run(
        capsys, str(examples / "so-demo.yaml"), str(first), str(second), "-o", str(target)
    )
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "self.csv:3: unit STP, criterion 1.7: duplicate row (first given on line 2)",
        "survey.csv:4: unit STP, criterion 1.7: given in two values files "
        "(first in self.csv on line 2)",
    ]
    assert not target.exists()
    code, _, err = run(
        capsys, str(examples / "so-demo.yaml"), str(first), str(second), "--lang", "vi"
    )
    assert err.splitlines()[1] == (
        "survey.csv:4: đơn vị STP, tiêu chí 1.7: có ở hai tệp giá trị (lần đầu ở tệp self.csv, dòng 2)"
    )


def test_problems_of_every_values_file_are_reported_file_by_file(capsys, examples, tmp_path):
    bad_header = tmp_path / "a.csv"
    bad_header.write_text("unit,value\n", encoding="utf-8")
    bad_row = tmp_path / "b.csv"
    bad_row.write_text("unit,criterion,value\nSYT,9.9,1\n", encoding="utf-8")
    code, out, err = run(
        capsys,
        str(examples / "so-demo.yaml"),
        str(bad_header),
        str(tmp_path / "missing.csv"),
        str(bad_row),
    )
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "a.csv:1: the header must have the columns unit,criterion,value (missing: criterion)",
        "missing.csv: cannot read file: No such file or directory",
        "b.csv:2: unit SYT, criterion 9.9: unknown criterion code",
    ]


def test_with_an_invalid_framework_every_unreadable_values_file_is_reported(capsys, tmp_path):
    code, _, err = run(
        capsys, str(tmp_path / "fw.yaml"), str(tmp_path / "a.csv"), str(tmp_path / "b.csv")
    )
    assert code == 2
    assert err.splitlines() == [
        "fw.yaml: cannot read file: No such file or directory",
        "a.csv: cannot read file: No such file or directory",
        "b.csv: cannot read file: No such file or directory",
    ]


def test_relative_best_is_taken_over_every_values_file(tmp_path):
    from parindex.engine import compute, load_values_files

    from .conftest import leaf, make_fw

    fw = make_fw(leaf("1", {"type": "relative"}, 4))
    (tmp_path / "a.csv").write_text("unit,criterion,value\nA,1,5\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("unit,criterion,value\nB,1,10\n", encoding="utf-8")
    values = load_values_files([tmp_path / "a.csv", tmp_path / "b.csv"], fw)
    assert values.source == "a.csv, b.csv"
    points = {u.unit: u.points for u in compute(fw, values).units}
    assert points == {"A": Decimal(2), "B": Decimal(4)}
