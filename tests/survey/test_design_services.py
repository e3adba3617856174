"""The organizer's survey design: creating a block's survey from a file, from last year's or
from the default; the editor's definition; the round trip YAML/JSON/XLSX; the quota matrix.
Bad input: every problem listed in Vietnamese, nothing saved."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest
import yaml
from openpyxl import load_workbook

from parindex import engine
from parindex.assessments.participation import period_add_units
from parindex.audit.models import AuditEvent
from parindex.common.errors import DomainError
from parindex.frameworks.selectors import framework_to_engine
from parindex.survey.forms_design import (
    apply_op,
    definition_from_state,
    state_from_definition,
)
from parindex.survey.models import Quota, Survey
from parindex.survey.selectors.design import framework_check, period_surveys, quota_matrix
from parindex.survey.services import design
from parindex.survey.services.lifecycle import survey_create, survey_set_window, survey_transition
from parindex.survey.services.quota import Cell, quota_bulk_fill, quota_set
from parindex.survey.xlsx_design import build_definition_xlsx, parse_definition_xlsx
from tests.periods.factories import make_framework, make_period
from tests.survey.conftest import survey_data


@pytest.fixture
def design_ns(province):
    """A 2026 period of the Sở Nội vụ (block sở, so-demo framework), STP and SYT taking part,
    no survey yet."""
    ns = SimpleNamespace(province=province)
    ns.period = make_period(province)
    ns.pb = ns.period.blocks.select_related("framework", "block", "period").get()
    period_add_units(actor=province.admin, period=ns.period, units=[province.stp, province.syt])
    ns.data = survey_data(ns.pb.framework)
    return ns


def _canonical(ns, data):
    fw = framework_to_engine(ns.pb.framework)
    return engine.survey_to_dict(engine.parse_survey(data, source="t", framework=fw))


# ---------------------------------------------------------------- files


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx"])
def test_a_survey_is_created_from_a_file_and_exported_back_the_same(design_ns, fmt):
    ns = design_ns
    canonical = _canonical(ns, ns.data)
    if fmt == "yaml":
        content = yaml.safe_dump(ns.data, allow_unicode=True).encode()
    elif fmt == "json":
        content = json.dumps(ns.data, ensure_ascii=False).encode()
    else:
        content = build_definition_xlsx(canonical)
    survey = design.survey_create_from_file(
        actor=ns.province.admin, period_block=ns.pb, name=f"phieu.{fmt}", content=content
    )
    assert survey.definition == canonical
    assert AuditEvent.objects.filter(verb="survey.create").count() == 1


def test_the_xlsx_round_trip_keeps_every_field_and_guards_formulas(design_ns):
    ns = design_ns
    data = dict(ns.data)
    data["title"] = '=HYPERLINK("http://x")'
    data["groups"] = [dict(g) for g in data["groups"]]
    data["groups"][0]["title"] = "-Đại biểu"
    data["groups"][1]["weight"] = 1.5
    data["questions"] = [dict(q) for q in data["questions"]]
    data["questions"][0]["text"] = "'trích dẫn"
    canonical = _canonical(ns, data)
    content = build_definition_xlsx(canonical)
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Thông tin", "Thang đo", "Nhóm", "Câu hỏi"]
    info = {r[0]: r[1] for r in wb["Thông tin"].iter_rows(values_only=True)}
    assert info["Tên phiếu"] == '\'=HYPERLINK("http://x")'
    assert wb["Nhóm"]["B2"].value == "'-Đại biểu"
    assert wb["Câu hỏi"]["C2"].data_type == "s"  # criterion "1.7" stays text
    back = parse_definition_xlsx(content)
    assert _canonical(ns, back) == canonical


def test_an_xlsx_with_a_missing_sheet_or_column_lists_the_problems(design_ns):
    ns = design_ns
    content = build_definition_xlsx(_canonical(ns, ns.data))
    wb = load_workbook(io.BytesIO(content))
    del wb["Nhóm"]
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(DomainError) as exc:
        design.survey_create_from_file(
            actor=ns.province.admin, period_block=ns.pb, name="a.xlsx", content=out.getvalue()
        )
    assert exc.value.problems == ["Bảng tính thiếu trang “Nhóm”."]
    wb = load_workbook(io.BytesIO(content))
    wb["Câu hỏi"]["B1"] = "Câu"
    wb["Thang đo"].append(["Q99", "1", "x", 1, ""])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(DomainError) as exc:
        design.survey_create_from_file(
            actor=ns.province.admin, period_block=ns.pb, name="a.xlsx", content=out.getvalue()
        )
    assert any("thiếu cột Nội dung" in p for p in exc.value.problems)
    assert not Survey.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.txt", b"x", "Chọn tệp phiếu điều tra .yaml"),
        ("a.yaml", b"", "rỗng"),
        ("a.yaml", b"a: [1", "không phải YAML hợp lệ"),
        ("a.json", b"{", "không phải JSON hợp lệ"),
        ("a.yaml", b"- 1\n- 2\n", "không phải phiếu điều tra"),
        ("a.xlsx", b"PK not a zip", "không phải bảng tính Excel"),
        ("a.yaml", "\ufeffa".encode("utf-16"), "không phải văn bản UTF-8"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(design_ns, name, content, message):
    ns = design_ns
    with pytest.raises(DomainError) as exc:
        design.survey_create_from_file(
            actor=ns.province.admin, period_block=ns.pb, name=name, content=content
        )
    assert message in exc.value.message + " ".join(exc.value.problems)
    assert not Survey.objects.exists()


def test_every_engine_problem_is_listed_in_vietnamese_and_nothing_saved(design_ns):
    ns = design_ns
    data = json.loads(json.dumps(ns.data))
    data["year"] = 2025
    data["groups"][3]["weight"] = 0
    data["questions"][0]["criterion"] = "1.2"  # a self-assessed leaf
    data["questions"][2]["groups"] = ["KHONG"]
    content = yaml.safe_dump(data, allow_unicode=True).encode()
    with pytest.raises(DomainError) as exc:
        design.survey_create_from_file(
            actor=ns.province.admin, period_block=ns.pb, name="p.yaml", content=content
        )
    problems = exc.value.problems
    assert "chưa lưu gì" in exc.value.message
    assert len(problems) == 4
    text = "\n".join(problems)
    assert "năm: năm 2025 không khớp" in text
    assert "nhóm DAN: trọng số phải lớn hơn 0" in text
    assert "câu hỏi Q01: tiêu chí 1.2 không lấy điểm từ điều tra" in text
    assert "câu hỏi Q03:" in text and "KHONG" in text
    assert not Survey.objects.exists()


def test_another_organizer_cannot_create_the_survey(design_ns):
    ns = design_ns
    with pytest.raises(DomainError):
        design.survey_create_default(actor=ns.province.district_admin, period_block=ns.pb)
    assert not Survey.objects.exists()


# ---------------------------------------------------------------- default and copy


def test_the_default_has_the_standard_scale_and_one_question_per_survey_leaf(design_ns):
    ns = design_ns
    survey = design.survey_create_default(actor=ns.province.admin, period_block=ns.pb)
    d = survey.definition
    assert [o["label"] for o in d["scale"]] == [
        "Rất tốt", "Tốt", "Chưa tốt", "Kém", "Không đánh giá được",
    ]  # fmt: skip
    assert "weight" not in d["scale"][-1]
    assert len(d["groups"]) == 1
    leaves = [q["criterion"] for q in d["questions"]]
    assert leaves == ["1.7", "2.6", "3.8", "4.5", "5.6", "6.5", "7.8", "8.1", "8.2", "8.3"]
    assert d["questions"][0]["text"] == "Đánh giá về chất lượng chỉ đạo, điều hành CCHC"
    check = framework_check(survey)
    assert check.not_fed == [] and check.problems == []
    assert d["year"] == 2026 and d["framework"] == ns.pb.framework.code


def _last_year(ns, **changes):
    fw25 = make_framework(ns.province.snv, ns.province.so, year=2025)
    p25 = make_period(ns.province, year=2025, frameworks={ns.province.so: fw25})
    pb25 = p25.blocks.select_related("framework", "block", "period").get()
    data = survey_data(fw25)
    data.update(changes)
    return survey_create(actor=ns.province.admin, period_block=pb25, data=data)


def test_last_years_survey_is_copied_with_the_year_and_framework_adapted(design_ns):
    ns = design_ns
    old = _last_year(ns)
    assert old.definition["code"].endswith("2025")
    assert period_surveys(ns.period)[0].last_year == old
    assert design.copy_problems(ns.pb) == []
    survey = design.copy_from_last_year(actor=ns.province.admin, period_block=ns.pb)
    d = survey.definition
    assert d["year"] == 2026 and d["framework"] == ns.pb.framework.code
    assert d["code"] == old.definition["code"].replace("2025", "2026")
    assert d["questions"] == old.definition["questions"]


def test_a_copy_that_no_longer_fits_lists_the_problems_and_creates_nothing(design_ns):
    ns = design_ns
    old = _last_year(ns)
    definition = json.loads(json.dumps(old.definition))
    definition["questions"][0]["criterion"] = "1.2"  # fits no year: change the stored row
    Survey.objects.filter(pk=old.pk).update(definition=definition)
    (row,) = period_surveys(ns.period)
    assert row.last_year == old and any("câu hỏi Q01" in p for p in row.copy_problems)
    with pytest.raises(DomainError) as exc:
        design.copy_from_last_year(actor=ns.province.admin, period_block=ns.pb)
    assert "không khớp bộ tiêu chí năm 2026" in exc.value.message
    assert any("câu hỏi Q01" in p for p in exc.value.problems)
    assert Survey.objects.count() == 1


def test_no_last_year_survey_is_a_clear_message(design_ns):
    with pytest.raises(DomainError, match="Không có cuộc điều tra"):
        design.copy_from_last_year(actor=design_ns.province.admin, period_block=design_ns.pb)


# ---------------------------------------------------------------- the editor's definition


def test_the_editor_state_gives_back_the_same_definition(design_ns):
    ns = design_ns
    canonical = _canonical(ns, ns.data)
    state = state_from_definition(canonical)
    assert _canonical(ns, definition_from_state(state)) == canonical


def test_removing_a_group_renumbers_the_questions_groups(design_ns):
    ns = design_ns
    state = state_from_definition(_canonical(ns, ns.data))
    apply_op(state, "del-g-0")  # HDND
    data = definition_from_state(state)
    assert [g["code"] for g in data["groups"]] == ["LDSO", "LDHUYEN", "DAN"]
    assert data["questions"][0]["groups"] == ["LDSO", "LDHUYEN"]
    assert data["questions"][2]["groups"] == ["DAN"]
    apply_op(state, "add-q")
    assert state.questions[-1]["groups"] == ["0", "1", "2"]


def test_editing_saves_all_or_nothing(design_ns):
    ns = design_ns
    survey = design.survey_create_default(actor=ns.province.admin, period_block=ns.pb)
    before = survey.definition
    state = state_from_definition(before)
    state.questions[0]["text"] = "Câu hỏi đã sửa"
    state.scale[0]["weight"] = "62,5"
    survey = design.survey_edit(
        actor=ns.province.admin, survey=survey, data=definition_from_state(state)
    )
    assert survey.definition["questions"][0]["text"] == "Câu hỏi đã sửa"
    assert survey.definition["scale"][0]["weight"] == 62.5
    state.scale[1]["weight"] = "150"
    state.groups[0]["code"] = ""
    with pytest.raises(DomainError) as exc:
        design.survey_edit(
            actor=ns.province.admin, survey=survey, data=definition_from_state(state)
        )
    assert len(exc.value.problems) >= 2
    assert any("trọng số 150 phải từ 0 đến 100" in p for p in exc.value.problems)
    survey.refresh_from_db()
    assert survey.definition["scale"][1]["weight"] == 60


def test_an_open_survey_cannot_be_edited(design_ns):
    ns = design_ns
    survey = design.survey_create_default(actor=ns.province.admin, period_block=ns.pb)
    import datetime as dt

    survey_set_window(actor=ns.province.admin, survey=survey, opens_on=dt.date(2026, 3, 18),
                      closes_on=dt.date(2026, 3, 31), lists_due_on=None, public_enabled=True)  # fmt: skip
    survey_transition(actor=ns.province.admin, survey=survey, to="open")
    with pytest.raises(DomainError, match="đã bắt đầu"):
        design.survey_edit(actor=ns.province.admin, survey=survey, data=survey.definition)


# ---------------------------------------------------------------- the quota matrix


@pytest.fixture
def quota_ns(design_ns):
    ns = design_ns
    ns.survey = survey_create(actor=ns.province.admin, period_block=ns.pb, data=ns.data)
    return ns


def test_quota_set_writes_the_cells_and_audits(quota_ns, django_assert_max_num_queries):
    ns = quota_ns
    stp, syt = ns.province.stp, ns.province.syt
    cells = [Cell("DAN", stp.pk, 30), Cell("DAN", syt.pk, 25), Cell("LDSO", stp.pk, 0, True)]
    assert quota_set(actor=ns.province.admin, survey=ns.survey, cells=cells) == 3
    m = quota_matrix(ns.survey)
    dan = next(g for g in m.groups if g.code == "DAN")
    assert dan.total == 55
    assert m.total == 55
    ldso = next(g for g in m.groups if g.code == "LDSO")
    assert ldso.n_census == 1 and not ldso.all_census
    assert AuditEvent.objects.filter(verb="survey.quota").count() == 1
    # unchanged cells: nothing written
    assert quota_set(actor=ns.province.admin, survey=ns.survey, cells=cells) == 0
    cells = [Cell("DAN", stp.pk, 31), Cell("DAN", syt.pk, 26)]
    with django_assert_max_num_queries(10):
        quota_set(actor=ns.province.admin, survey=ns.survey, cells=cells)
    assert Quota.objects.get(group="DAN", unit=stp).target == 31


def test_quota_bulk_fill_and_census(quota_ns):
    ns = quota_ns
    quota_set(actor=ns.province.admin, survey=ns.survey,
              cells=[Cell("LDSO", ns.province.stp.pk, 7)])  # fmt: skip
    assert quota_bulk_fill(actor=ns.province.admin, survey=ns.survey, group="LDSO", target=3) == 2
    assert set(Quota.objects.filter(group="LDSO").values_list("target", flat=True)) == {3}
    quota_bulk_fill(actor=ns.province.admin, survey=ns.survey, group="LDSO", census=True)
    assert set(Quota.objects.filter(group="LDSO").values_list("target", "census")) == {(3, True)}
    assert quota_matrix(ns.survey).groups[1].all_census


def test_bad_quota_cells_are_refused_and_nothing_saved(quota_ns):
    ns = quota_ns
    cells = [
        Cell("DAN", ns.province.stp.pk, 5),
        Cell("KHONG", ns.province.stp.pk, 5),
        Cell("DAN", ns.province.district.pk, 5),
        Cell("DAN", ns.province.syt.pk, 10**7),
    ]
    with pytest.raises(DomainError) as exc:
        quota_set(actor=ns.province.admin, survey=ns.survey, cells=cells)
    assert len(exc.value.problems) == 3
    assert "Nhóm KHONG không có trong phiếu điều tra." in exc.value.problems
    assert not Quota.objects.exists()
    with pytest.raises(DomainError):
        quota_bulk_fill(actor=ns.province.admin, survey=ns.survey, group="KHONG", target=3)
    with pytest.raises(DomainError):
        quota_bulk_fill(actor=ns.province.admin, survey=ns.survey, group="DAN")
    with pytest.raises(DomainError):
        quota_bulk_fill(actor=ns.province.district_admin, survey=ns.survey, group="DAN", target=1)
    assert not Quota.objects.exists()
