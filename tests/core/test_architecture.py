"""The floors of the house: every import, deferred ones included, goes down or stays on its floor, and no
two modules import each other, however indirectly (docs/architecture.md draws the same floors)."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterator, List, Set

import pytest

import cmdai

PACKAGE = Path(cmdai.__file__).parent

#: Lowest first. A module belongs to the floor of its longest listed prefix.
FLOORS: List[List[str]] = [
    # values and utilities every floor may use
    ["cmdai", "cmdai.errors", "cmdai.records", "cmdai.discovery", "cmdai.lazy_regex", "cmdai.values", "cmdai.safety.levels",
     "cmdai.sanitize", "cmdai.terminal", "cmdai.paths", "cmdai.disk_store", "cmdai.deadline", "cmdai.interrupts",
     "cmdai.streams", "cmdai.settings", "cmdai.config_cache"],
    # what differs per shell, and the facts of the machine
    ["cmdai.shells", "cmdai.environment", "cmdai.context"],
    # engines that know nothing of configuration files or of the request path
    ["cmdai.safety", "cmdai.explain", "cmdai.redaction", "cmdai.refine", "cmdai.usage", "cmdai.backends.base",
     "cmdai.remote"],
    # one home per backend, and the registry that finds them
    ["cmdai.backends"],
    # the settings of every backend, shell and feature, resolved from their layers
    ["cmdai.config"],
    # one request, from the configuration to the answer, and the tools around it
    ["cmdai.orchestrator", "cmdai.response_cache", "cmdai.audit", "cmdai.session_memory",
     "cmdai.widget", "cmdai.widget_session", "cmdai.execute", "cmdai.explain.describe", "cmdai.doctor",
     "cmdai.setup_wizard", "cmdai.config_writer", "cmdai.completions", "cmdai.shell_integration"],
    # the command line
    ["cmdai.cli", "cmdai.entry", "cmdai.__main__"],
]

#: Debts being paid: each line goes when its import does. The tests below fail on anything not listed and on a
#: listed line that no longer exists, so this list only shrinks.
KNOWN_UPWARD: Set[str] = set()
KNOWN_CYCLES: Set[str] = set()


def _modules() -> Dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def floor_of(module: str) -> int:
    best, floor = -1, None
    for number, prefixes in enumerate(FLOORS):
        for prefix in prefixes:
            # "cmdai" is the package's own __init__ only; every other entry holds what is below it.
            if (module == prefix or prefix != "cmdai" and module.startswith(prefix + ".")) and len(prefix) > best:
                best, floor = len(prefix), number
    assert floor is not None, f"{module} is on no floor: add it to FLOORS and docs/architecture.md"
    return floor


def _is_type_checking(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.dump(node.test)


def _imports(module: str, path: Path) -> Iterator[str]:
    """Every cmdai module ``module`` imports, at any depth of its code, except under ``if TYPE_CHECKING``."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    stack: List[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            if target.split(".")[0] == "cmdai":
                for alias in node.names:
                    full = f"{target}.{alias.name}"
                    yield full if full in MODULES else target
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.split(".")[0] == "cmdai")
        stack.extend(ast.iter_child_nodes(node))


GRAPH: Dict[str, Set[str]] = {module: set(_imports(module, path)) - {module} for module, path in MODULES.items()}


def test_every_module_is_on_a_floor():
    for module in MODULES:
        floor_of(module)


def test_no_import_runs_up_a_floor():
    upward = {f"{module} imports {target}" for module, targets in GRAPH.items() for target in targets
              if target in MODULES and floor_of(target) > floor_of(module)}
    assert sorted(upward) == sorted(KNOWN_UPWARD)


def test_no_import_cycles():
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    cycles: List[str] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in GRAPH[module]:
            if target not in MODULES:
                continue
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(" ".join(sorted(component)))

    for module in sorted(MODULES):
        if module not in index:
            visit(module)
    assert sorted(cycles) == sorted(KNOWN_CYCLES)


def test_the_checker_sees_deferred_and_relative_imports():
    # cmdai.cli imports most of the house inside functions, relatively; a checker blind to either would pass anything.
    assert {"cmdai.orchestrator", "cmdai.config", "cmdai.errors"} <= GRAPH["cmdai.cli"]
    assert floor_of("cmdai.explain.describe") > floor_of("cmdai.explain.engine")
    with pytest.raises(AssertionError, match="on no floor"):
        floor_of("cmdai.brand_new_module")
