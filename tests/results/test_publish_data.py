"""``parindex publish-data``: the open data of an approved block, from which ``parindex score``
recomputes ``results.json`` byte for byte; the manifest's hashes; exit status 2 with a
Vietnamese message (and nothing written) when the period is missing, ambiguous, not approved,
or its data no longer give the approved results."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pytest

from parindex.assessments import scoring
from parindex.assessments.models import Entry
from parindex.cli import main
from parindex.engine.cli import main as score_main
from tests.results.conftest import through_round_two


@pytest.fixture(autouse=True)
def keep_connection(monkeypatch):
    """A management command run from argv closes every connection when it ends: on
    PostgreSQL that would close the test's own, inside its transaction."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def _publish(tmp_path, capsys, *args):
    """The command through the ``parindex`` entry point: (exit status, stdout, stderr)."""
    try:
        status = main(["publish-data", *args, "--out", str(tmp_path / "out")])
    except SystemExit as exc:  # Django's CommandError exits
        status = exc.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_it_writes_files_that_recompute_the_approved_results(approved, tmp_path, capsys):
    status, out, _err = _publish(tmp_path, capsys, "--year", "2026", "--block", "so")
    assert status == 0, out
    folder = tmp_path / "out"
    names = {p.name for p in folder.iterdir()}
    assert names == {"framework.yaml", "units.csv", "values.csv", "results.json", "manifest.json"}
    frozen = approved.state.snapshot["blocks"]["so"]["results"]
    assert json.loads((folder / "results.json").read_text(encoding="utf-8")) == frozen
    recomputed = tmp_path / "recomputed.json"
    assert (
        score_main(
            [
                str(folder / "framework.yaml"),
                str(folder / "values.csv"),
                "--units",
                str(folder / "units.csv"),
                "-o",
                str(recomputed),
            ]
        )
        == 0
    )
    assert recomputed.read_bytes() == (folder / "results.json").read_bytes()
    # the council's points: Sở Tư pháp's 1.6 adjusted to 0.5; the survey leaf's points
    values = (folder / "values.csv").read_text(encoding="utf-8").splitlines()
    assert values[0] == "unit,criterion,value,value2,points"
    assert "STP,1.6,9,10,0.500000" in values
    assert "STP,1.7,,,3.000000" in values
    assert (folder / "units.csv").read_text(encoding="utf-8").splitlines() == [
        "code,name",
        "STP,Sở Tư pháp",
        "SYT,Sở Y tế",
    ]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["decision"] == {
        "number": "345/QĐ-UBND",
        "date": "2026-12-29",
        "signer": "Vũ Mạnh Hùng",
    }
    assert manifest["corrections"] == []  # no appeal corrected these results
    for name, meta in manifest["files"].items():
        content = (folder / name).read_bytes()
        assert meta == {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
    assert set(manifest["files"]) == names - {"manifest.json"}
    assert "Đã ghi dữ liệu mở" in out


def test_the_same_approved_period_gives_the_same_bytes(approved, tmp_path, capsys):
    _publish(tmp_path, capsys, "--year", "2026", "--block", "so")
    first = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    _publish(tmp_path, capsys, "--year", "2026", "--block", "so", "--organizer", "SNV")
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2031", "--block", "so"], "Không có đợt đánh giá nào năm 2031, khối “so”"),
        (["--year", "2026", "--block", "xa"], "Không có đợt đánh giá nào năm 2026, khối “xa”"),
        (
            ["--year", "2026", "--block", "so", "--organizer", "YDU-PNV"],
            "cơ quan tổ chức YDU-PNV",
        ),
    ],
)
def test_a_missing_period_is_refused_with_status_2(approved, tmp_path, capsys, args, message):
    status, _out, err = _publish(tmp_path, capsys, *args)
    assert status == 2
    assert message in err
    assert not (tmp_path / "out").exists()


def test_results_not_approved_are_not_published(appraisal, tmp_path, capsys):
    through_round_two(appraisal)
    status, _out, err = _publish(tmp_path, capsys, "--year", "2026", "--block", "so")
    assert status == 2
    assert "chưa được Chủ tịch Hội đồng phê duyệt" in err
    assert not (tmp_path / "out").exists()


def test_data_changed_after_approval_are_not_published(approved, tmp_path, capsys):
    Entry.objects.filter(assessment=approved.stp, node__code="1.6").update(
        round2_score=Decimal("0")
    )
    status, _out, err = _publish(tmp_path, capsys, "--year", "2026", "--block", "so")
    assert status == 2
    assert "không tính lại đúng kết quả đã phê duyệt" in err
    assert not (tmp_path / "out").exists()


def test_a_corrected_snapshot_is_published_with_its_correction(approved, tmp_path, capsys):
    """An appeal corrects an entry and replaces the block's document with the bridge's
    (appeals app): the open data follow the corrected results and name the correction."""
    ns = approved
    Entry.objects.filter(assessment=ns.stp, node__code="1.6").update(round2_score=Decimal("1"))
    state = ns.state
    state.refresh_from_db()
    snapshot = dict(state.snapshot)
    corrected = scoring.results_document([ns.stp, ns.syt])
    snapshot["blocks"] = {"so": {**snapshot["blocks"]["so"], "results": corrected}}
    snapshot["corrections"] = [
        {"appeal": 1, "block": "so", "at": "2027-01-05T09:00:00+07:00", "note": "Sửa 1.6"},
        {"appeal": 2, "block": "huyen", "at": "2027-01-06T09:00:00+07:00", "note": "khác"},
    ]
    state.snapshot = snapshot
    state.save(update_fields=["snapshot"])
    status, out, _err = _publish(tmp_path, capsys, "--year", "2026", "--block", "so")
    assert status == 0, out
    folder = tmp_path / "out"
    assert json.loads((folder / "results.json").read_text(encoding="utf-8")) == json.loads(
        json.dumps(corrected)
    )
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["corrections"] == [{"at": "2027-01-05T09:00:00+07:00", "note": "Sửa 1.6"}]
