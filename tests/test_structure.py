"""The shape of the code a maintainer relies on: the domain package imports no engine, no module
reaches into another's private names, and the modules' imports form no cycle (so the order
things are loaded in never matters)."""

from __future__ import annotations

import ast
from pathlib import Path

from support import ROOT

PACKAGE = ROOT / "hooks" / "cchc"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _top_level_imports(tree: ast.Module):
    """Imports run when the module loads (TYPE_CHECKING blocks included: a cycle there is still
    two modules that need each other); imports inside functions are deliberate late imports."""
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            for inner in node.body + node.orelse:
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    yield inner
        elif isinstance(node, ast.Try):
            for inner in node.body:
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    yield inner


def test_no_module_imports_another_modules_private_names():
    modules = _modules()
    found = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = _resolve(name, node, path.name == "__init__.py")
                if target.startswith("cchc") and target != name:
                    found += [f"{name}: from {target} import {a.name}" for a in node.names
                              if a.name.startswith("_") and not a.name.startswith("__")]
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if node.attr.startswith("_") and not node.attr.startswith("__") and node.value.id in {
                        "cli", "plan", "legal", "content", "reader", "convert", "search", "feeds", "report",
                        "settings", "text", "listings", "buildcache", "workers", "failures"}:
                    found.append(f"{name}: {node.value.id}.{node.attr}")
    assert found == []


def test_the_modules_import_each_other_in_one_direction():
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _top_level_imports(tree):
            if isinstance(node, ast.ImportFrom):
                target = _resolve(name, node, path.name == "__init__.py")
                candidates = [target] + [f"{target}.{a.name}" for a in node.names]
            else:
                candidates = [a.name for a in node.names]
            for candidate in candidates:
                if candidate in modules and candidate != name and not name.startswith(candidate + "."):
                    graph[name].add(candidate)
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join(trail[trail.index(nxt):] + [nxt]) if nxt in trail else f"{node} → {nxt}")
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_one_type_for_a_document():
    """A plan's documents and documents.yml's are one type (cchc.documents.Document)."""
    from cchc import documents, legal, plan

    assert plan.Document is documents.Document and legal.Document is documents.Document
    assert not hasattr(legal, "DocumentInfo")
