"""Imports point down the layers of ARCHITECTURE.md and close no cycle.

The package's import graph is read from its source with ``ast``: every ``import`` and
``from … import`` of the package's own modules, at module level and inside functions alike
(a deferred import is still a dependency; it only runs later). An import may point to a
lower layer or to a module of its own layer, and no chain of imports may lead back to where
it started.

Today's exceptions are listed below, each with what removes it. The lists must shrink, never
grow: a new upward import or cycle fails, and so does a listed one that is gone (take it off).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src" / "safetylist"

# Top first; a package covers its submodules. Every module is in exactly one layer.
LAYERS: list[tuple[str, set[str]]] = [
    ("cli", {"__main__", "cli"}),
    ("services", {"report", "undo", "office", "importer", "merge"}),
    ("query", {"query"}),
    ("store", {"store"}),
    ("formats", {"render", "tables"}),
    ("loading", {"registry"}),
    ("validation", {"validate", "rules"}),
    ("parts", {"models", "yamlio", "layout", "departments", "dates", "recurrence", "status",
               "manifest", "typed", "ids", "search", "cache", "fastcache", "platform_dirs",
               "fileops", "lock", "shares"}),
    ("base", {"errors", ""}),  # "": the package itself (its __version__)
]

# Imports that point up today: (importer, imported) -> what removes it.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}  # none today; a new one fails the test below

# Import cycles today (the modules of each strongly connected part of the graph).
KNOWN_CYCLES: set[frozenset[str]] = set()  # none today; a new one fails the test below


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The package's modules that ``name`` imports, wherever in it the import is."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.removeprefix("safetylist").lstrip(".") for a in node.names
                      if a.name == "safetylist" or a.name.startswith("safetylist.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module == "safetylist" or (node.module or "").startswith("safetylist."):
                target = node.module.removeprefix("safetylist").lstrip(".")
            else:
                continue
            for alias in node.names:  # `from . import render` imports a module
                sub = f"{target}.{alias.name}" if target else alias.name
                found.add(sub if sub in MODULES else target)
    found.discard(name)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def layer_of(name: str) -> int:
    top = name.split(".")[0]
    (index,) = [i for i, (_, members) in enumerate(LAYERS) if top in members]
    return index


def strongly_connected(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """Tarjan's algorithm: the parts of the graph where every module reaches every other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    parts: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = set()
            while True:
                member = stack.pop()
                part.add(member)
                if member == node:
                    break
            if len(part) > 1:
                parts.add(frozenset(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return parts


def test_the_graph_is_read_whole():
    # Module-level, function-level, relative, `from . import module` and package imports.
    assert len(MODULES) > 40 and {"cli", "cli.ask", "office.ledger", "importer.plan"} <= set(MODULES)
    assert "validate" in GRAPH["registry"]  # inside a function
    assert "models" in GRAPH["validate"]  # at the top
    assert "render" in GRAPH["cli.ask"]  # `from .. import render`, in a function
    assert "rules.whole" in GRAPH["rules"]  # `from . import whole`, in a package
    assert "" in GRAPH["cache"]  # `from . import __version__`: the package itself
    assert all(target in MODULES for targets in GRAPH.values() for target in targets)


def test_every_module_has_one_layer():
    for name in MODULES:
        assert layer_of(name) >= 0, name


def test_imports_point_down_or_sideways():
    upward = {(name, target) for name, targets in GRAPH.items() for target in targets
              if layer_of(target) < layer_of(name)}
    assert upward - set(KNOWN_UPWARD) == set(), "imports that point up (see ARCHITECTURE.md)"
    assert set(KNOWN_UPWARD) - upward == set(), "gone: take them off KNOWN_UPWARD"


def test_no_import_cycle():
    cycles = strongly_connected(GRAPH)
    assert cycles - KNOWN_CYCLES == set(), "new import cycles"
    assert KNOWN_CYCLES - cycles == set(), "gone or changed: update KNOWN_CYCLES"


def test_the_cycle_finder_finds_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert strongly_connected(graph) == {frozenset("abc")}


def test_architecture_md_draws_these_layers():
    doc = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    drawing = doc.split("```\n", 2)[1]
    rows = [line.split()[0] for line in drawing.splitlines() if line[:1].isalpha()]
    assert rows == [name for name, _ in LAYERS]
    for _, members in LAYERS:
        for member in members - {""}:
            assert re.search(rf"(?<![\w.]){member}\b", drawing), member
