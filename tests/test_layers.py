"""The layers of kg, held by reading every module's imports (plain ``ast``).

A module may import from its own layer or a lower one, never a higher one,
and no chain of imports may lead back to where it started. Imports inside
functions count too: a deferred import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "kg"

# Lowest first. A module's layer is that of the longest prefix listed here.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("kg.errors", "kg.records", "kg.namespace", "kg.text", "kg.data", "kg.templates", "kg.progress", "kg.sizes"),
    ("kg.io",),
    ("kg.extractors", "kg.topics", "kg.extract"),
    ("kg.resolve",),
    ("kg.rdf",),
    ("kg.graph", "kg.store", "kg.query", "kg.sparql_guard", "kg.validate", "kg.queries", "kg.ontology"),
    ("kg.pipeline", "kg.cluster", "kg.network"),
    ("kg.analysis", "kg.remote"),
    ("kg.export",),
    ("kg.cli", "kg.__main__"),
)
_COMMANDS = "extract|build|validate|add|remove|check|source|query|topics|export|analyze|viz|serve|push|stats"
FLAG_OR_COMMAND = re.compile(rf"(^|\s)--\w|\bkg ({_COMMANDS})\b")
# Only the command line may talk to a terminal or parse arguments.
CLI_ONLY = ("argparse", "rich")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    best, rank = -1, None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), index
    if rank is None:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS in tests/test_layers.py")
    return rank


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The kg modules ``path`` imports (``from kg import x`` names the module kg.x when there is one)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name in modules}


def third_party_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def dependency_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    graph = {}
    for name, path in paths.items():
        # A package's own __init__ is imported with any of its modules: not an edge to follow.
        graph[name] = {m for m in imports_of(path, modules) if m != name and not name.startswith(m + ".")}
    return graph


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a higher layer in ``graph`` (module -> modules it imports)."""
    upward = []
    for module, imported in sorted(graph.items()):
        if module == "kg":
            continue  # the package's public API is the top: it may name anything
        for target in sorted(imported):
            if target == "kg":
                upward.append(f"{module} imports the kg package itself")
            elif layer_of(target) > layer_of(module):
                upward.append(f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)})")
    return upward


def test_every_module_sits_in_a_layer_and_imports_only_downwards():
    upward = upward_imports(dependency_graph())
    assert not upward, "imports from a higher layer:\n" + "\n".join(upward)


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import cycles in ``graph``, each as the chain of modules that closes it."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if target == "kg":
                continue
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return cycles


def test_no_import_cycles():
    cycles = find_cycles(dependency_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_only_the_command_line_names_argparse_or_rich():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        if name == "kg" or layer_of(name) == len(LAYERS) - 1:
            continue
        used = third_party_imports(path) & set(CLI_ONLY)
        if used:
            offenders.append(f"{name}: {', '.join(sorted(used))}")
    assert not offenders, "library modules that import CLI-only packages:\n" + "\n".join(offenders)


def test_the_check_sees_an_upward_import_and_a_cycle():
    assert upward_imports({"kg.records": {"kg.graph"}, "kg.rdf.writer": {"kg.resolve.people"}}) == [
        "kg.records (layer 0) imports kg.graph (layer 5)"
    ]
    assert find_cycles({"kg.graph": {"kg.store"}, "kg.store": {"kg.graph"}}) == [["kg.graph", "kg.store", "kg.graph"]]


def flag_messages(path: Path) -> list[str]:
    """Strings of ``path`` (docstrings aside) that name a flag or a kg command in a message.

    A string that is one flag alone (``"--bind"``) is an argument for another program, not a message.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            text = node.value
            if FLAG_OR_COMMAND.search(text) and not re.fullmatch(r"--[\w-]+", text):
                found.append(f"{path.name}:{node.lineno}: {text}")
    return found


def test_only_the_command_line_names_a_flag():
    """Library messages name options by keyword (kg.errors); the command line renders the flags."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if not module_name(path).startswith("kg.cli"):
            found.extend(flag_messages(path))
    assert not found, "library strings naming a flag or a kg command:\n" + "\n".join(found)


def test_imports_are_absolute():
    """Relative imports would hide a module's layer from the checks above."""
    relative = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                relative.append(f"{module_name(path)}:{node.lineno}")
    assert not relative, "relative imports: " + ", ".join(relative)
