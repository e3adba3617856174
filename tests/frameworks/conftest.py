"""Fixtures of the frameworks tests: the spec's example framework imported by the admin."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from parindex.frameworks.services import framework_import

EXAMPLE = Path(__file__).resolve().parents[2] / "parindex/frameworks/examples/so-demo.yaml"


@pytest.fixture
def demo_data():
    """so-demo.yaml (the spec's example, shipped with the app) as loaded from YAML."""
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def demo(province, demo_data):
    """so-demo imported by Sở Nội vụ's admin (a DRAFT, version 1)."""
    return framework_import(
        actor=province.admin, owner=province.snv, data=demo_data, source="so-demo.yaml"
    )
