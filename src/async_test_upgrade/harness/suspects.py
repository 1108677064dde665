"""The weaker evidence: which codemods' edits a failing test passes through.

A codemod's edits in a file are where the full migration differs from the migration
without that codemod: the very edits ``--rollback`` leaves out. A failing test passes
through an edit when an entry of its traceback inside the project is on a line the
codemod wrote, or when the codemod rewrote what pytest runs for that test: its function
(decorators included), a mark that reaches it (``pytestmark`` of its module or class,
its class's decorators), its class's ``setUp``-style methods, or a fixture it requests,
directly or through other fixtures (autouse ones included). Lines a codemod removed count
too: they are looked for in the file as it is without that codemod.

This names a suspect, not a cause: no re-run has shown that the edit breaks the test.
"""

from __future__ import annotations

import ast
import difflib
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

#: relpath -> the file's content in one version of the tree (None: no such file).
Reader = Callable[[str], bytes | None]

_SETUP_METHODS = frozenset(
    {
        "setUp",
        "tearDown",
        "asyncSetUp",
        "asyncTearDown",
        "setUpClass",
        "tearDownClass",
        "setup_method",
        "teardown_method",
        "setup_class",
        "teardown_class",
    }
)
_FIXTURE_DECORATORS = frozenset({"fixture", "yield_fixture"})


@dataclass(frozen=True)
class EditedLines:
    """One codemod's edit of one file."""

    #: Lines of the migrated file the codemod wrote.
    written: frozenset[int]
    #: Lines of the file without the codemod that it replaced or removed -> the line of
    #: the migrated file where that happened.
    replaced: dict[int, int]

    def __bool__(self) -> bool:
        return bool(self.written or self.replaced)


def edited_lines(without: bytes | None, migrated: bytes | None) -> EditedLines:
    old, new = _lines(without), _lines(migrated)
    written: set[int] = set()
    replaced: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        written.update(range(j1 + 1, j2 + 1))
        last = max(j2, j1 + 1, 1)
        for offset, line in enumerate(range(i1 + 1, i2 + 1)):
            replaced[line] = min(j1 + 1 + offset, last)
    return EditedLines(frozenset(written), replaced)


def _lines(data: bytes | None) -> list[bytes]:
    return data.splitlines() if data else []


@dataclass(frozen=True)
class Region:
    """Lines of one file that pytest runs (or reads) for a test."""

    path: str
    start: int
    end: int
    #: What they are to the test: "its function", "its fixture 'client'", ...
    what: str


@dataclass(frozen=True)
class Touch:
    """A codemod's edit that a failing test passes through."""

    path: str
    #: The line in the migrated file.
    line: int
    what: str

    def describe(self) -> str:
        return f"{self.what} ({self.path}:{self.line})"


def touches(
    nodeid: str,
    frames: Sequence[tuple[str, int]],
    migrated: Reader,
    without: Reader,
    edits: dict[str, EditedLines],
) -> list[Touch]:
    """Where the test ``nodeid`` passes through ``edits`` (one codemod's, by file).

    ``frames`` are its traceback entries inside the project (lines of the migrated
    files); ``migrated`` and ``without`` read the tree with and without the codemod.
    """
    found: dict[tuple[str, str], int] = {}

    def add(path: str, line: int, what: str) -> None:
        key = (path, what)
        found[key] = min(found.get(key, line), line)

    for path, line in frames:
        edit = edits.get(path)
        if edit is not None and line in edit.written:
            add(path, line, "a line of its traceback")
    for region in regions(nodeid, migrated):
        edit = edits.get(region.path)
        if edit is None:
            continue
        lines = [n for n in edit.written if region.start <= n <= region.end]
        if lines:
            add(region.path, min(lines), region.what)
    for region in regions(nodeid, without):
        edit = edits.get(region.path)
        if edit is None:
            continue
        lines = [edit.replaced[n] for n in edit.replaced if region.start <= n <= region.end]
        if lines:
            add(region.path, min(lines), region.what)
    return [Touch(path, line, what) for (path, what), line in sorted(found.items())]


def regions(nodeid: str, read: Reader) -> list[Region]:
    """The lines pytest runs for ``nodeid`` (``path::Class::test[param]``) besides the
    library: the test function, the marks reaching it, setup methods, and the fixtures it
    requests, directly or not, wherever the project defines them."""
    path, _, rest = nodeid.partition("::")
    names = [part for part in rest.split("::") if part]
    module = _parse(read(path))
    if module is None or not names:
        return []
    found = _pytestmarks(module.body, path)
    body: list[ast.stmt] = module.body
    classes: list[ast.ClassDef] = []
    for name in names[:-1]:
        node = _named(body, name)
        if not isinstance(node, ast.ClassDef):
            return found
        classes.append(node)
        found.append(Region(path, _first_line(node), node.lineno, "its class's decorators"))
        found.extend(_pytestmarks(node.body, path))
        body = node.body
    function = _named(body, names[-1].split("[", 1)[0])
    if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return found
    found.append(Region(path, _first_line(function), _last_line(function), "its function"))
    if classes:
        for statement in classes[-1].body:
            if (
                isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
                and statement.name in _SETUP_METHODS
            ):
                where = (_first_line(statement), _last_line(statement))
                found.append(Region(path, *where, f"its class's {statement.name}"))
    found.extend(_fixture_regions(path, module, classes, function, read))
    return found


def _fixture_regions(
    path: str,
    module: ast.Module,
    classes: Sequence[ast.ClassDef],
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    read: Reader,
) -> list[Region]:
    # The places a fixture name resolves in, nearest first: the test's classes, its
    # module, then each conftest.py from its directory up to the root.
    scopes: list[dict[str, tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, bool]]] = []
    for node in reversed(classes):
        scopes.append(_fixtures(path, node.body))
    scopes.append(_fixtures(path, module.body))
    for conftest in _conftests(path):
        tree = _parse(read(conftest))
        if tree is not None:
            scopes.append(_fixtures(conftest, tree.body))
    wanted = [*_parameters(function), *_used_fixtures(function)]
    wanted += [name for scope in scopes for name, entry in scope.items() if entry[2]]
    found: list[Region] = []
    seen: set[str] = set()
    while wanted:
        name = wanted.pop(0)
        if name in seen:
            continue
        seen.add(name)
        entry = next((scope[name] for scope in scopes if name in scope), None)
        if entry is None:
            continue  # a plugin's fixture, or a parametrized argument
        where, fixture, _ = entry
        lines = (_first_line(fixture), _last_line(fixture))
        found.append(Region(where, *lines, f"its fixture {name!r}"))
        wanted.extend(_parameters(fixture))
    return found


def _conftests(path: str) -> Iterable[str]:
    directory = PurePosixPath(path).parent
    while True:
        yield (directory / "conftest.py").as_posix()
        if directory == directory.parent:
            return
        directory = directory.parent


def _fixtures(
    path: str, body: Iterable[ast.stmt]
) -> dict[str, tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, bool]]:
    """Fixtures defined in ``body``: name -> (file, definition, autouse)."""
    found = {}
    for node in body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call is not None else decorator
            if _last_name(target) not in _FIXTURE_DECORATORS:
                continue
            name, autouse = node.name, False
            for keyword in call.keywords if call is not None else ():
                value = keyword.value
                if keyword.arg == "name" and isinstance(value, ast.Constant):
                    name = str(value.value)
                elif keyword.arg == "autouse" and isinstance(value, ast.Constant):
                    autouse = bool(value.value)
            found[name] = (path, node, autouse)
            break
    return found


def _used_fixtures(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """Names given to ``@pytest.mark.usefixtures(...)`` on the function."""
    names = []
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and _last_name(decorator.func) == "usefixtures":
            names += [
                str(arg.value)
                for arg in decorator.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
    return names


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    arguments = function.args
    names = [a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]
    return [name for name in names if name not in ("self", "cls")]


def _pytestmarks(body: Iterable[ast.stmt], path: str) -> list[Region]:
    found = []
    for node in body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in targets):
            found.append(Region(path, node.lineno, _last_line(node), "a mark that reaches it"))
    return found


def _named(body: Iterable[ast.stmt], name: str) -> ast.stmt | None:
    found = None
    for node in body:  # the last definition wins, as at import time
        definition = ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        if isinstance(node, definition) and node.name == name:
            found = node
    return found


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _first_line(node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    return min([node.lineno, *(d.lineno for d in node.decorator_list)])


def _last_line(node: ast.stmt) -> int:
    return node.end_lineno or node.lineno


def _parse(data: bytes | None) -> ast.Module | None:
    return None if data is None else _parsed(data)


@functools.lru_cache(maxsize=256)
def _parsed(data: bytes) -> ast.Module | None:
    # Every codemod's version of a file is read for every failing test: most are equal.
    try:
        return ast.parse(data)
    except (SyntaxError, ValueError):
        return None
