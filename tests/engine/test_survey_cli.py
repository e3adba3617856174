"""``parindex survey`` on the public example and on invalid input."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from parindex.cli import main as parindex_main
from parindex.engine.cli import main as score_main
from parindex.engine.cli import survey_main


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = survey_main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def survey_args(examples: Path, *, framework: bool = True) -> list[str]:
    args = [str(examples / "so-demo-survey.yaml"), str(examples / "so-demo-responses.csv")]
    if framework:
        args += ["--framework", str(examples / "so-demo.yaml")]
    return args


HEADER = "response,group,unit,question,answer,status\n"


def test_survey_on_the_example_is_byte_identical_to_the_published_results(capsys, examples):
    code, out, err = run(capsys, *survey_args(examples))
    assert (code, err) == (0, "")
    assert out == (examples / "so-demo-survey-results.json").read_text(encoding="utf-8")


def test_format_values_is_byte_identical_to_the_published_values(capsysbinary, examples):
    code = survey_main([*survey_args(examples, framework=False), "--format", "values"])
    out, err = capsysbinary.readouterr()
    assert (code, err) == (0, b"")
    assert out == (examples / "so-demo-survey-values.csv").read_bytes()


def test_output_files_are_byte_identical_too(capsys, examples, tmp_path):
    for fmt, name in (
        ("json", "so-demo-survey-results.json"),
        ("values", "so-demo-survey-values.csv"),
    ):
        target = tmp_path / f"out-{fmt}"
        code, out, err = run(capsys, *survey_args(examples), "--format", fmt, "-o", str(target))
        assert (code, out, err) == (0, "", "")
        assert target.read_bytes() == (examples / name).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out-json", "out-values"]


def test_survey_values_and_self_values_score_as_the_published_results(capsys, examples, tmp_path):
    values = tmp_path / "survey-values.csv"
    assert survey_main([*survey_args(examples), "--format", "values", "-o", str(values)]) == 0
    code = score_main(
        [
            str(examples / "so-demo.yaml"),
            str(examples / "so-demo-self-values.csv"),
            str(values),
            "--units",
            str(examples / "so-demo-units.csv"),
        ]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out == (examples / "so-demo-results-with-survey.json").read_text(encoding="utf-8")


def test_console_script_runs_survey_and_score_on_several_values_files(examples):
    exe = shutil.which("parindex", path=str(Path(sys.executable).parent))
    argv = [exe] if exe else [sys.executable, "-m", "parindex.cli"]
    proc = subprocess.run(
        [*argv, "survey", *survey_args(examples)], capture_output=True, check=False
    )
    assert (proc.returncode, proc.stderr) == (0, b"")
    assert proc.stdout == (examples / "so-demo-survey-results.json").read_bytes()
    proc = subprocess.run(
        [
            *argv,
            "score",
            str(examples / "so-demo.yaml"),
            str(examples / "so-demo-self-values.csv"),
            str(examples / "so-demo-survey-values.csv"),
            "--units",
            str(examples / "so-demo-units.csv"),
        ],
        capture_output=True,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (0, b"")
    assert proc.stdout == (examples / "so-demo-results-with-survey.json").read_bytes()


def test_parindex_dispatches_survey_to_the_engine(capsys, examples):
    assert parindex_main(["survey", *survey_args(examples)]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith('{\n "format": "parindex.survey-results/v1"')


def test_invalid_responses_exit_2_with_every_problem_and_no_output(capsys, examples, tmp_path):
    responses = tmp_path / "responses.csv"
    responses.write_text(
        HEADER
        + "P1,HDND,STP,Q01,A,\n"
        + "P1,HDND,STP,Q01,B,\n"
        + "\n"
        + "P2,DAN,STP,Q01,A,\n"
        + "P3,HDND,STP,Q01,F,\n"
        + "P4,HDND,STP,Q01,A,huy\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.json"
    code, out, err = run(
        capsys, str(examples / "so-demo-survey.yaml"), str(responses), "-o", str(target)
    )
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "responses.csv:3: response P1: question Q01 is answered twice (first on line 2)",
        "responses.csv:5: response P2: question Q01 is not asked of group DAN",
        "responses.csv:6: response P3: question Q01: unknown answer 'F' (expected one of A, B, C, D, E)",
        "responses.csv:7: response P4: status must be empty, valid or void, not 'huy'",
    ]
    assert sorted(tmp_path.iterdir()) == [responses]


def test_problems_in_vietnamese_with_lang_vi(capsys, examples, tmp_path):
    responses = tmp_path / "phieu.csv"
    responses.write_text(HEADER + "P1,HDND,STP,Q01,A,\nP1,LDSO,STP,Q02,A,\n", encoding="utf-8")
    code, out, err = run(
        capsys, str(examples / "so-demo-survey.yaml"), str(responses), "--lang", "vi"
    )
    assert (code, out) == (2, "")
    assert err == (
        "phieu.csv:3: phiếu P1: nhóm đối tượng LDSO khác với dòng đầu của phiếu (dòng 2: HDND)\n"
    )


def test_warnings_go_to_stderr_and_the_exit_status_stays_0(capsys, examples, tmp_path):
    responses = tmp_path / "responses.csv"
    responses.write_text(HEADER + "P1,HDND,STP,Q01,A,\nP2,HDND,SYT,Q01,E,\n", encoding="utf-8")
    code, out, err = run(
        capsys, str(examples / "so-demo-survey.yaml"), str(responses), "--format", "values"
    )
    assert code == 0
    assert out == "unit,criterion,value,value2\r\nSTP,1.7,1.000000,\r\n"
    lines = err.splitlines()
    assert lines[0] == (
        "responses.csv: warning: unit STP, criterion 2.6: no weighted answer, no value is "
        "written (the criterion scores 0)"
    )
    assert len(lines) == 9 + 10  # STP: every criterion but 1.7; SYT (only "E"): all ten
    assert lines[-1].startswith("responses.csv: warning: unit SYT, criterion 8.3:")
    code, _, err = run(
        capsys, str(examples / "so-demo-survey.yaml"), str(responses), "--lang", "vi"
    )
    assert code == 0
    assert err.splitlines()[0] == (
        "responses.csv: cảnh báo: đơn vị STP, tiêu chí 2.6: không có câu trả lời có trọng số, "
        "không ghi giá trị (tiêu chí được 0 điểm)"
    )


def test_a_survey_that_does_not_match_its_framework_exits_2(capsys, examples, tmp_path):
    survey = tmp_path / "survey.yaml"
    text = (examples / "so-demo-survey.yaml").read_text(encoding="utf-8")
    survey.write_text(
        text.replace("year: 2024", "year: 2025").replace("criterion: '2.6'", "criterion: '2.5'"),
        encoding="utf-8",
    )
    code, out, err = run(
        capsys,
        str(survey),
        str(examples / "so-demo-responses.csv"),
        "--framework",
        str(examples / "so-demo.yaml"),
    )
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "survey.yaml:year: year 2025 does not match the framework's year 2024",
        "survey.yaml:question Q02: criterion 2.5 is not scored by the survey (it needs source: survey)",
    ]
    # without --framework the same survey is fine
    code, _, err = run(capsys, str(survey), str(examples / "so-demo-responses.csv"))
    assert (code, err) == (0, "")


def test_missing_files_are_all_reported(capsys, tmp_path):
    code, out, err = run(
        capsys,
        str(tmp_path / "s.yaml"),
        str(tmp_path / "r.csv"),
        "--framework",
        str(tmp_path / "fw.yaml"),
    )
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "fw.yaml: cannot read file: No such file or directory",
        "s.yaml: cannot read file: No such file or directory",
        "r.csv: cannot read file: No such file or directory",
    ]


def test_an_invalid_framework_and_an_invalid_survey_are_both_reported(capsys, examples, tmp_path):
    fw = tmp_path / "fw.yaml"
    fw.write_text("format: parindex.framework/v1\n", encoding="utf-8")
    survey = tmp_path / "s.yaml"
    survey.write_text("format: parindex.survey/v1\ncode: X\n", encoding="utf-8")
    code, out, err = run(
        capsys, str(survey), str(examples / "so-demo-responses.csv"), "--framework", str(fw)
    )
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == "fw.yaml:code: code is missing"
    assert "s.yaml:groups: groups must be a non-empty list" in lines
    assert all(line.startswith(("fw.yaml:", "s.yaml:")) for line in lines)


def test_bad_arguments_exit_2(capsys, examples):
    with pytest.raises(SystemExit) as info:
        survey_main([str(examples / "so-demo-survey.yaml")])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        survey_main([*survey_args(examples), "--format", "xlsx"])
    assert info.value.code == 2
    capsys.readouterr()
