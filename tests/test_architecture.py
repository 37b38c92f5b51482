"""The house: no import cycle among the modules of ``newsgold`` (imports inside functions included), and each
layer imports nothing above it.

The imports are read from the source with ``ast``, wherever they stand (top level, inside a function, under
``TYPE_CHECKING``), together with ``importlib.import_module`` calls and module names written as strings (the
commands ``cli`` loads, the names ``newsgold.load/score/compare`` resolve lazily). A package's ``__init__``
is a module like any other: what it imports counts.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newsgold"

# Lower layers first: a module may import from its own layer and those before it, never from a later one. An
# entry names a module or a whole package (every module under it); the longest entry that names a module
# decides its layer, so ``newsgold.synth.release`` (and the command that runs it) sits above the rest of
# ``newsgold.synth``.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("newsgold.version", "newsgold.errors", "newsgold.helptext", "newsgold.tasks", "newsgold.spans",
     "newsgold.sentences", "newsgold.paths", "newsgold.jsonl", "newsgold.progress"),
    ("newsgold.corpus", "newsgold.records", "newsgold.schemas", "newsgold.columns"),
    ("newsgold.metrics",),
    ("newsgold.synth",),
    ("newsgold.release",),
    ("newsgold.scoring", "newsgold.synth.release", "newsgold.synth.cli"),
    ("newsgold.agreement", "newsgold.html", "newsgold.labelstudio"),
    ("newsgold.baselines",),
    ("newsgold", "newsgold.__main__", "newsgold.cli"),
)


@cache
def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of ``tree``: prose that names a module does not import it."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every newsgold module ``name`` imports, wherever the import stands."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    out = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # `from .pkg import mod` imports the module pkg.mod; `from .mod import name` imports mod.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                and node.value in known and node.value != "newsgold":  # "newsgold" is also the dataset's name
            targets = [node.value]  # import_module("newsgold.x"), a command list, a lazy attribute table
        for target in targets:
            while target not in known and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in known and target != name and target.startswith("newsgold"):
                out.add(target)
    return out


@cache
def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def layer(name: str) -> int | None:
    best: tuple[int, int] | None = None  # (length of the entry, layer)
    for index, entries in enumerate(LAYERS):
        for entry in entries:
            # The package itself names only its __init__; any other entry names a package and all under it.
            names_it = name == entry or (entry != "newsgold" and name.startswith(entry + "."))
            if names_it and (best is None or len(entry) > best[0]):
                best = (len(entry), index)
    return None if best is None else best[1]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_every_kind_of_import() -> None:
    edges = graph()
    assert "newsgold.release.loading" in edges["newsgold"]  # the lazy newsgold.load, by name
    assert "newsgold.synth.cli" in edges["newsgold.cli"]  # a command module, by name
    assert "newsgold.synth.release" in edges["newsgold.synth.cli"]  # the module a command runs, by name
    assert "newsgold.release.validate" in edges["newsgold.cli"]  # inside a function
    assert "newsgold.baselines.leaderboard" in edges["newsgold.baselines"]  # a package __init__
    assert "newsgold.labelstudio.core" in edges["newsgold.labelstudio.converter"]  # from . import module


def test_no_import_cycle() -> None:
    found = cycles(graph())
    assert not found, "import cycles: " + "; ".join(" <-> ".join(component) for component in found)


def test_every_module_has_a_layer() -> None:
    assert [name for name in modules() if layer(name) is None] == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_a_layer_imports_nothing_above_it(name: str) -> None:
    own = layer(name)
    assert own is not None
    above = sorted(target for target in graph()[name] if (layer(target) or 0) > own)
    assert not above, f"{name} (layer {own}) imports from a later layer: " + ", ".join(
        f"{target} (layer {layer(target)})" for target in above)


@pytest.mark.parametrize(("edges", "expected"), [
    ({"a": {"b"}, "b": {"a"}, "c": {"a"}}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}}, [["a", "b", "c"]]),
])
def test_cycles_finds_strongly_connected_modules(edges: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert cycles(edges) == expected
