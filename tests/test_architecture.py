"""The package's shape: imports go one way, the facts module stays small, and a codemod
names another codemod only where its record declares the relation.

Read from the source with ``ast``, so a rule broken in a module no test imports still
fails here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import async_test_upgrade
from async_test_upgrade import registry

PACKAGE = Path(async_test_upgrade.__file__).resolve().parent
PACKAGE_NAME = "async_test_upgrade"
CODEMODS = PACKAGE / "codemods"


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = [PACKAGE_NAME, *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that can run: at module level, in functions and classes,
    but not under ``if TYPE_CHECKING:`` (only a type checker reads those)."""
    if isinstance(tree, ast.If) and _is_type_checking(tree.test):
        for statement in tree.orelse:
            yield from _runtime_imports(statement)
        return
    if isinstance(tree, ast.Import | ast.ImportFrom):
        yield tree
        return
    for child in ast.iter_child_nodes(tree):
        yield from _runtime_imports(child)


def _imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package modules that module ``name`` imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for statement in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(statement, ast.Import):
            found.update(alias.name for alias in statement.names)
            continue
        base = statement.module or ""
        if statement.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - (statement.level - 1)]
            base = ".".join([*anchor, *([base] if base else [])])
        found.add(base)
        # ``from pkg import mod`` imports the module ``pkg.mod``.
        found.update(f"{base}.{alias.name}" for alias in statement.names)
    return {m for m in found if m in modules and m != name}


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imported(name, path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (its modules, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                cycle = visit(target)
                if cycle is not None:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start)
            if cycle is not None:
                return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_names_a_cycle_through_function_level_imports() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import x\nelse:\n    import y\n"
        "def f():\n    import z\n"
    )
    assert sorted(a.name for s in _runtime_imports(tree) for a in s.names) == [
        "TYPE_CHECKING",
        "y",
        "z",
    ]


def test_the_facts_module_stays_the_model_and_the_scan_driver() -> None:
    lines = (PACKAGE / "facts.py").read_text(encoding="utf-8").count("\n")
    assert lines < 400, f"facts.py has {lines} lines"


def _codemod_decorator(tree: ast.Module) -> ast.Call | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef | ast.FunctionDef):
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Name)
                    and decorator.func.id == "codemod"
                ):
                    return decorator
    return None


def _is_runs_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "runs"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
    )


def named_codemods(path: Path, names: set[str], own: str) -> list[str]:
    """The other codemods a codemod module names outside its declarations: string
    literals equal to a codemod's name, except in its ``@codemod(...)`` ``after=`` and
    ``defers_to=`` and in ``options.runs("name")`` calls for names in ``defers_to``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    declared: set[str] = set()
    allowed: set[int] = set()  # ids of the Constant nodes that are declarations
    decorator = _codemod_decorator(tree)
    if decorator is not None:
        for keyword in decorator.keywords:
            if keyword.arg in ("after", "defers_to"):
                for node in ast.walk(keyword.value):
                    allowed.add(id(node))
                    if keyword.arg == "defers_to" and isinstance(node, ast.Constant):
                        declared.add(str(node.value))
    for node in ast.walk(tree):
        if _is_runs_call(node):
            assert isinstance(node, ast.Call)
            argument = node.args[0]
            if isinstance(argument, ast.Constant) and argument.value in declared:
                allowed.add(id(argument))
    where = path.relative_to(PACKAGE) if path.is_relative_to(PACKAGE) else path.name
    return sorted(
        f"{where}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and node.value in names
        and node.value != own
        and id(node) not in allowed
    )


def _codemod_modules() -> dict[str, Path]:
    """The module of each codemod in the catalogue, by codemod name."""
    found: dict[str, Path] = {}
    for record in registry.catalogue():
        target = record.transformer or record.configure
        module = getattr(target, "__module__", "")
        if module.startswith(f"{PACKAGE_NAME}.codemods."):
            found[record.name] = _modules()[module]
    return found


def test_no_codemod_names_another_outside_its_declarations() -> None:
    modules = _codemod_modules()
    assert len(modules) == len(registry.catalogue())
    names = set(modules)
    found = [line for own, path in modules.items() for line in named_codemods(path, names, own)]
    assert found == []


def test_a_codemod_naming_another_is_found(tmp_path: Path) -> None:
    source = tmp_path / "codemod.py"
    source.write_text(
        "@codemod(name='a', after=('b',), defers_to=('c',))\n"
        "class A:\n"
        "    def f(self):\n"
        "        if self.ctx.options.runs('c'):\n"
        "            return 'c'\n"
        "        return self.ctx.options.runs('b')\n",
        encoding="utf-8",
    )
    found = named_codemods(source, {"a", "b", "c"}, "a")
    assert found == ["codemod.py:5: 'c'", "codemod.py:6: 'b'"]
