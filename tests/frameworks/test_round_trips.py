"""spec YAML -> DB -> YAML/JSON, and DB -> XLSX -> DB, give the same framework."""

import json
from pathlib import Path

import pytest
import yaml

from parindex.frameworks.files import (
    dump_json,
    dump_yaml,
    read_upload,
    read_xlsx,
    spec_numbers,
    xlsx_bytes,
)
from parindex.frameworks.selectors import framework_nodes, framework_to_spec_dict
from parindex.frameworks.services import framework_import
from tests.frameworks.conftest import EXAMPLE

SHARED = Path(__file__).resolve().parents[3] / "shared/spec/examples/so-demo.yaml"

SPEC_KEYS = {
    "node": {"code", "title", "max", "children", "rule", "source", "allow_na", "bonus",
             "evidence", "guide"},
    "option": {"key", "label", "points"},
}  # fmt: skip


def known_keys_only(data):
    """The framework as the format defines it (the spec says unknown keys are ignored)."""

    def node(n):
        out = {k: v for k, v in n.items() if k in SPEC_KEYS["node"]}
        if "children" in out:
            out["children"] = [node(c) for c in out["children"]]
        if "rule" in out and "options" in out["rule"]:
            out["rule"] = {
                **out["rule"],
                "options": [
                    {k: v for k, v in o.items() if k in SPEC_KEYS["option"]}
                    for o in out["rule"]["options"]
                ],
            }
        return out

    return {**data, "nodes": [node(n) for n in data["nodes"]]}


def tree_of(framework):
    return [
        (
            n.code,
            n.parent.code if n.parent_id else None,
            n.title,
            n.max,
            n.rule_type,
            n.rule_params,
            n.source,
            n.allow_na,
            n.bonus,
            n.evidence,
            n.guide,
            n.depth,
        )
        for n in framework.nodes.select_related("parent").order_by("position")
    ]


def test_the_shipped_example_is_the_spec_example():
    if not SHARED.exists():
        pytest.skip("shared/spec is not beside the repository")
    assert EXAMPLE.read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8")


def test_yaml_to_db_to_yaml_gives_the_same_data(demo, demo_data):
    text = dump_yaml(framework_to_spec_dict(demo))
    assert yaml.safe_load(text) == known_keys_only(demo_data)


def test_the_yaml_export_is_readable(demo):
    text = dump_yaml(framework_to_spec_dict(demo))
    assert text.startswith('format: parindex.framework/v1\ncode: "SO-DEMO-2024"\n')
    assert 'code: "1.1.1"' in text
    assert "Cải cách thể chế" in text  # allow_unicode: not \u escapes
    first_leaf = text.index('code: "1.1.1"')
    assert text.index("title:", first_leaf) < text.index("max:", first_leaf)
    assert (
        "rule: {type: choice, options: [{key: a, label: Ban hành đúng thời hạn, points: 1}" in text
    )


def test_json_to_db_to_json_gives_the_same_data(demo, demo_data, province):
    text = dump_json(framework_to_spec_dict(demo))
    assert json.loads(text) == known_keys_only(demo_data)
    data, _ = read_upload("SO.json", text.replace("SO-DEMO-2024", "SO-JSON").encode())
    again = framework_import(actor=province.admin, owner=province.snv, data=data, source="SO.json")
    assert tree_of(again) == tree_of(demo)


def test_db_to_xlsx_to_db_gives_the_same_tree(demo, province):
    content = xlsx_bytes(framework_to_spec_dict(demo))
    data, describe = read_xlsx("SO.xlsx", content)
    assert spec_numbers(data) == framework_to_spec_dict(demo)
    data["code"] = "SO-XLSX"
    again = framework_import(
        actor=province.admin,
        owner=province.snv,
        data=data,
        source="SO.xlsx",
        describe_problem=describe,
    )
    assert tree_of(again) == tree_of(demo)
    assert again.bands == demo.bands
    assert again.max_total == demo.max_total


def test_an_edited_tree_round_trips_through_xlsx(demo, province):
    from parindex.frameworks.services import node_update

    node = demo.nodes.get(code="5.5")  # deduction with a floor below 0
    node_update(actor=province.admin, node=node, title="Kỷ luật; kỷ cương: «trừ» điểm")
    data, _ = read_xlsx("SO.xlsx", xlsx_bytes(framework_to_spec_dict(demo)))
    data["code"] = "SO-2"
    again = framework_import(actor=province.admin, owner=province.snv, data=data, source="x")
    assert tree_of(again) == tree_of(demo)
    assert [n.code for n in framework_nodes(again)] == [n.code for n in framework_nodes(demo)]
