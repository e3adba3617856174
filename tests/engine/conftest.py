"""Helpers for the engine tests (pure Python: no Django fixture is used)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from parindex.engine import Framework, UnitValues, compute, parse_framework

EXAMPLES = Path("/work/shared/spec/examples")
if not EXAMPLES.is_dir():  # pragma: no cover - the spec may be vendored into the repo later
    EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "spec" / "examples"


def leaf(code: str, rule: dict[str, Any], max: float = 1, **extra: Any) -> dict[str, Any]:
    return {"code": code, "title": f"Tiêu chí {code}", "max": max, "rule": rule, **extra}


def group(code: str, *children: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"code": code, "title": f"Lĩnh vực {code}", "children": list(children), **extra}


def fw_dict(*nodes: dict[str, Any], bands: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "parindex.framework/v1",
        "code": "T-2024",
        "title": "Bộ tiêu chí thử",
        "year": 2024,
        "block": "so",
        "nodes": list(nodes),
    }
    if bands is not None:
        data["bands"] = bands
    return data


def make_fw(*nodes: dict[str, Any], bands: list[dict[str, Any]] | None = None) -> Framework:
    return parse_framework(fw_dict(*nodes, bands=bands), source="fw.yaml")


def score(fw: Framework, rows: list[tuple[str, str, str | None, str | None]]):  # type: ignore[no-untyped-def]
    return compute(fw, UnitValues.from_rows(fw, rows, source="values.csv", start=2))


@pytest.fixture
def examples() -> Path:
    return EXAMPLES
