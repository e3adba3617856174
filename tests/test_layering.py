"""Imports go down the layer order, never up or round: every module of parindex (migrations
excluded) is read with ast, module-level and function-level imports alike (a function-level
import used to dodge a cycle is still a cycle), including those under TYPE_CHECKING."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "parindex"

# Lower number = lower layer. An app may import its own modules and any app of a strictly lower
# layer; apps that share a layer may not import each other.
LAYERS: dict[str, float] = {
    "engine": 0,
    "formats": 0,
    "common": 1,
    "audit": 1,
    "accounts": 2,
    "ops": 2.5,  # logs, /healthz, /metrics, the worker's heartbeat and page (over accounts' roles)
    "frameworks": 3,
    "periods": 4,
    "assessments": 5,
    "evidence": 5.5,  # its files hang on the assessments' entries
    "notify": 6,
    "reports": 6,
    "appraisal": 7,
    "survey": 7.5,  # the survey points freeze with the appraisal's consolidation
    "results": 7.8,  # publishes the approved results and the survey's open data
    "documents": 7.85,  # the official documents and export jobs of the results
    "publication": 7.9,  # the published versions and the public site, over the results
    "appeals": 7.95,  # a correction after publication: a new published version
    "home": 8,  # the home pages read what every app waits for
    "api": 8.5,  # /api/v1/ reads and writes through every app's access helpers and services
    "demo": 9,  # builds a whole province through every app's services
    "backup": 9.5,  # dumps and restores every table and stored file (the app registry only)
    # project-level modules: settings, URLconf, WSGI, the CLI entry point
    "settings": 10,
    "settings_test": 11,  # the test settings extend the settings
    "urls": 10,
    "wsgi": 10,
    "cli": 10,
    "__init__": 10,
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "migrations" in rel.parts:
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(module: str, path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.append((node.lineno, target))
            # `from parindex.x import services` imports the module parindex.x.services
            out += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return [
        (line, name) for line, name in out if name == "parindex" or name.startswith("parindex.")
    ]


def _graph() -> tuple[dict[str, Path], dict[str, list[tuple[int, str]]]]:
    modules = _modules()
    graph = {}
    for module, path in modules.items():
        targets = []
        for line, name in _imports(module, path):
            if name in modules and name != module:
                targets.append((line, name))
        graph[module] = targets
    return modules, graph


def test_every_app_has_a_layer():
    modules, _ = _graph()
    assert sorted({_app(m) for m in modules} - set(LAYERS)) == []


def test_imports_go_down_the_layers():
    modules, graph = _graph()
    upward = []
    for module, targets in graph.items():
        app = _app(module)
        for line, target in targets:
            other = _app(target)
            if other == "__init__" or other == app:
                continue
            if LAYERS[other] >= LAYERS[app]:
                rel = modules[module].relative_to(ROOT)
                upward.append(f"{rel}:{line} ({app}) imports {target} ({other})")
    assert upward == []


def test_no_import_cycles_between_modules():
    _, graph = _graph()
    edges = {m: {t for _, t in targets if _app(t) != "__init__"} for m, targets in graph.items()}
    # a package's __init__ importing its own submodules is not a cycle
    for module in edges:
        edges[module] = {t for t in edges[module] if not t.startswith(module + ".")}
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                cycles.append(" -> ".join(stack[stack.index(target) :] + [target]))
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    assert cycles == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from parindex.assessments.models import Assessment\n", "parindex.assessments.models"),
        ("def f():\n    from parindex.notify import services\n", "parindex.notify.services"),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import parindex.reports\n",
            "parindex.reports",
        ),
    ],
)
def test_the_walk_sees_every_kind_of_import(tmp_path, source, expected):
    path = tmp_path / "mod.py"
    path.write_text(source, encoding="utf-8")
    names = [name for _, name in _imports("parindex.common.mod", path)]
    assert expected in names
