"""The architecture's rules, read from the source: which layer may import what, no import cycle in `game/`,
and every third-party import declared by the dependency list that serves its file.

Imports are found with `ast`, inside functions too (a lazy import is still a dependency and still closes a
cycle); only imports under `if TYPE_CHECKING:` are left out, because they never run.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.metadata as metadata
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GAME = REPO / "game"

# layer → top-level names (third-party modules or game packages) it must never import
FORBIDDEN: dict[str, set[str]] = {
    "game.scenario": {"numpy", "pygame", "pygame_gui", "game.engine", "game.play", "game.ui", "game.report"},
    "game.engine": {"pydantic", "pygame", "pygame_gui", "game.play", "game.ui", "game.report"},
    "game.play": {"pygame", "pygame_gui", "game.ui"},
    "game.report": {"pygame", "pygame_gui", "game.ui"},
    "game.geography": {"pygame", "pygame_gui", "pydantic", "game.ui", "game.play", "game.engine", "game.scenario"},
    "game.server": {"pygame", "pygame_gui", "game.ui"},
    "game.translation": {"numpy", "pydantic", "pygame", "pygame_gui", "game.scenario", "game.engine", "game.play",
                         "game.ui"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(tree: ast.AST, *, module_level_only: bool = False) -> Iterator[tuple[int, str, bool]]:
    """(line, imported module, at module level?) for every import that runs, anywhere in the tree."""
    def walk(node: ast.AST, top: bool) -> Iterator[tuple[int, str, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    yield from walk(other, top)
                continue
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield child.lineno, alias.name, top
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                yield child.lineno, child.module, top
                for alias in child.names:  # `from game.ui import screens` imports game.ui.screens
                    yield child.lineno, f"{child.module}.{alias.name}", top
            inner = top and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.Try)
            if module_level_only and not inner:
                continue
            yield from walk(child, inner)

    yield from walk(tree, True)


def game_sources() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(GAME.rglob("*.py"))}


def _layer_of(module: str) -> str | None:
    return next((layer for layer in FORBIDDEN if module == layer or module.startswith(layer + ".")), None)


def test_each_layer_imports_only_what_it_may() -> None:
    problems = []
    for module, path in game_sources().items():
        layer = _layer_of(module)
        if layer is None:
            continue
        for line, imported, _top in imports_of(ast.parse(path.read_text(encoding="utf-8"))):
            for banned in FORBIDDEN[layer]:
                if imported == banned or imported.startswith(banned + "."):
                    problems.append(f"{path.relative_to(REPO)}:{line}: {layer} imports {imported}")
    assert problems == [], "\n".join(problems)


def test_the_layer_rules_catch_a_forbidden_import() -> None:
    tree = ast.parse("def f():\n    import pygame\nif TYPE_CHECKING:\n    import numpy\n")
    found = {name for _line, name, _top in imports_of(tree)}
    assert "pygame" in found and "numpy" not in found


def import_graph() -> dict[str, set[str]]:
    """game module → the game modules it imports (that exist)."""
    sources = game_sources()
    graph: dict[str, set[str]] = {}
    for module, path in sources.items():
        targets = set()
        for _line, imported, _top in imports_of(ast.parse(path.read_text(encoding="utf-8"))):
            if imported in sources and imported != module:
                targets.add(imported)
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_game_has_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


# --- declared dependencies -------------------------------------------------------------------------


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _names(requirements: list[str]) -> set[str]:
    return {_normalise(re.split(r"[\s<>=!~;\[(@]", r.strip(), maxsplit=1)[0]) for r in requirements}


def _with_their_requirements(dists: set[str]) -> set[str]:
    """The declared distributions and what they install themselves (pydantic brings pydantic-core)."""
    found = set(dists)
    for dist in dists:
        with contextlib.suppress(metadata.PackageNotFoundError):  # declared but not installed: nothing it brings
            found |= _names([r for r in metadata.requires(dist) or [] if "extra ==" not in r])
    return found


def allowed_distributions() -> dict[str, set[str]]:
    """Folder → the distributions its files may import at module level."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = _with_their_requirements(_names(project["dependencies"]))
    extras = {k: _with_their_requirements(_names(v)) for k, v in project["optional-dependencies"].items()}
    return {
        "game": core,
        "main.py": core,
        "tests": core | extras["test"],
        "benchmarks": core | extras["test"],
        "tools": core | extras["tools"] | extras["test"],
    }


# Modules of `game` built on an optional extra (file → extra): they may import its distributions at module
# level because nothing imports them at module level; they are loaded on demand, behind an ImportError guard.
OPTIONAL_MODULES = {"game/engine/phase4_numba.py": "fast"}


def test_optional_modules_are_only_loaded_on_demand() -> None:
    optional = {module_name(REPO / path) for path in OPTIONAL_MODULES}
    problems = [
        f"{path.relative_to(REPO)}:{line}: imports {name} at module level"
        for path in sorted(GAME.rglob("*.py"))
        for line, name, top in imports_of(ast.parse(path.read_text(encoding="utf-8")))
        if top and name in optional
    ]
    assert problems == []
    tree = ast.parse("from game.engine import phase4_numba\ndef f():\n    from game.engine import phase4_numba\n")
    assert [(line, top) for line, name, top in imports_of(tree) if name in optional] == [(1, True), (3, False)]


def test_every_module_level_import_is_declared_for_its_file() -> None:
    allowed = allowed_distributions()
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for path, extra in OPTIONAL_MODULES.items():
        allowed[path] = allowed["game"] | _with_their_requirements(_names(project["optional-dependencies"][extra]))
    providers = metadata.packages_distributions()
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    files = [REPO / "main.py", *sorted(p for folder in ("game", "tests", "benchmarks", "tools")
                                       for p in (REPO / folder).rglob("*.py"))]
    local = {p.stem for p in files} | {"game", "tests", "benchmarks", "tools"}
    problems = []
    for path in files:
        relative = path.relative_to(REPO)
        may_use = allowed.get(relative.as_posix(), allowed[relative.parts[0]])
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, imported, top in imports_of(tree, module_level_only=True):
            name = imported.split(".")[0]
            if not top or name in stdlib or name in local:
                continue
            dists = {_normalise(d) for d in providers.get(name, [])}
            if not dists & may_use:
                problems.append(f"{relative}:{line}: imports {name} ({', '.join(sorted(dists)) or 'not installed'}), "
                                f"which no dependency list serving {relative.parts[0]} declares")
    assert problems == [], "\n".join(sorted(set(problems)))


@pytest.mark.parametrize("folder", ["game", "tests", "tools"])
def test_the_declared_imports_check_knows_each_folder(folder: str) -> None:
    assert allowed_distributions()[folder] >= {"numpy", "pyyaml", "pydantic"}
