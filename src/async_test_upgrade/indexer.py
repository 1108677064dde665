"""The ``ast`` index of one file: what it adds to the project facts.

:class:`FileIndexer` walks a file's syntax tree once; the questions that belong to one
family of codemods (an ``event_loop`` fixture's body, a version-switched mock import, an
ASGI app's handlers...) are answered by that family's recognisers, which know nothing of
the model they feed. ``facts.py`` decides which files are worth this walk.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from async_test_upgrade import syntax
from async_test_upgrade.codemods.event_loop import _facts as loop_facts
from async_test_upgrade.codemods.frameworks import _facts as framework_facts
from async_test_upgrade.codemods.mocks import _facts as mock_facts
from async_test_upgrade.codemods.mode import _facts as mode_facts
from async_test_upgrade.model import AsyncFixture, EventLoopOverride
from async_test_upgrade.pytest_api import FIXTURE_DECORATORS

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts


class FileIndexer(ast.NodeVisitor):
    """One file's contribution to the project facts, in one walk of its syntax tree."""

    def __init__(self, facts: ProjectFacts, relpath: str, module: str) -> None:
        self.facts = facts
        self.relpath = relpath
        self.module = module
        self.is_conftest = PurePosixPath(relpath).name == "conftest.py"
        self.aliases: dict[str, str] = {}
        self.scope_stack: list[str] = []
        self.module_level_names: set[str] = set()
        #: Whether the module / each enclosing class carries an anyio or trio mark.
        self.foreign_marked: list[bool] = [False]

    # imports ---------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                self.aliases[top] = top

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self._absolute(node)
        for alias in node.names:
            if alias.name == "*":
                if base == "pytest_trio.enable_trio_mode":
                    self._signal(node, "pytest-trio's trio mode enabled by import")
                    self.facts.foreign_mode_signals.append(self.facts.anyio_trio_signals[-1])
                continue
            target = f"{base}.{alias.name}" if base else alias.name
            local = alias.asname or alias.name
            self.aliases[local] = target
            if not self.scope_stack and self.module:
                self.facts.reexports[f"{self.module}.{local}"] = target

    def _absolute(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        package = self.module.split(".")
        if not self.relpath.endswith("__init__.py"):
            package = package[:-1]
        if node.level > 1:
            package = package[: len(package) - (node.level - 1)]
        return ".".join([*package, *([node.module] if node.module else [])])

    def qualify(self, node: ast.expr) -> str | None:
        dotted = syntax.dotted(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        if head in self.aliases:
            head = self.aliases[head]
        elif head in self.module_level_names and self.module:
            head = f"{self.module}.{head}"
        return f"{head}.{rest}" if rest else head

    # definitions -----------------------------------------------------------------------
    def visit_Module(self, node: ast.Module) -> None:
        self.module_level_names = {
            n.name
            for n in node.body
            if isinstance(n, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        }
        # Marks apply to the whole module wherever ``pytestmark`` is assigned in it.
        self.foreign_marked[0] = self._has_foreign_pytestmark(node.body)
        if self.module:
            for statement in node.body:
                exports = mock_facts.mock_shim_exports(node, statement)
                if exports is not None:
                    self.facts.mock_shims[self.module] = exports[0]
                    self.facts.mock_shim_coroutine_mocks[self.module] = exports[1]
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        qualname = ".".join([p for p in (self.module, *self.scope_stack, node.name) if p])
        bases = tuple(q for q in (self.qualify(b) for b in node.bases) if q)
        self.facts.class_bases[qualname] = bases
        if mock_facts.is_asyncmock_look_alike(node, bases):
            self.facts.custom_asyncmock_classes.add(qualname)
            if mock_facts.is_plain_async_call_mock(node, bases):
                self.facts.replaceable_asyncmock_classes.add(qualname)
        if bases and mock_facts.blocks_asynctest_conversion(node):
            self.facts.asynctest_blocking_classes.add(qualname)
        self._check_marks(node.decorator_list, node)
        self.foreign_marked.append(
            self.foreign_marked[-1]
            or self._has_foreign_mark(node.decorator_list)
            or self._has_foreign_pytestmark(node.body)
        )
        self.scope_stack.append(node.name)
        self.generic_visit(node)
        self.scope_stack.pop()
        self.foreign_marked.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._function(node, is_async=False)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._function(node, is_async=True)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, is_async: bool) -> None:
        nested_in_function = any(s.startswith("<") for s in self.scope_stack)
        if is_async and not nested_in_function:
            parts = [self.module, *self.scope_stack, node.name]
            self.facts.async_functions.add(".".join(p for p in parts if p))
        fixture = self._fixture_decorator(node)
        if fixture is not None and not nested_in_function:
            self._fixture(node, fixture, is_async)
            self.facts.fixture_names.add(self._fixture_name(node, fixture))
            self._testclient_fixture(node, fixture)
        if not is_async and not self.scope_stack and self.module:
            outcome = mock_facts.future_helper_outcome(node)
            if outcome is not None:
                self.facts.future_helpers[f"{self.module}.{node.name}"] = outcome
        if not is_async and not self.scope_stack and self.module:
            self._loop_factory(node)
        if not self.scope_stack and self.module:
            self._startup_decorators(node)
        if (
            not self.scope_stack
            and self.is_conftest
            and node.name == "pytest_pyfunc_call"
            and mode_facts.runs_coroutines(node)
        ):
            self.facts.async_runner_hooks.append(f"{self.relpath}:{node.lineno}")
        if not is_async and not self.scope_stack and self.is_conftest:
            scope = loop_facts.loop_scope_hook(node, self.qualify)
            if scope is not None:
                self.facts.session_loop_hooks[self.relpath] = (node.lineno, scope)
        self._check_marks(node.decorator_list, node)
        params = {a.arg for a in (*node.args.args, *node.args.kwonlyargs)} - {"self", "cls"}
        for arg in (*node.args.args, *node.args.kwonlyargs):
            if arg.arg == "anyio_backend":
                self._signal(node, f"{node.name} requests anyio_backend")
        if not nested_in_function:
            if fixture is not None:
                self.facts.fixture_requests.setdefault(self._fixture_name(node, fixture), set())
                self.facts.fixture_requests[self._fixture_name(node, fixture)] |= params
                if self._fixture_name(node, fixture) == "anyio_backend":
                    self._signal(node, "defines the anyio_backend fixture")
            elif (
                not is_async
                and node.name.startswith("test")
                and not self.is_conftest
                and not params & {"event_loop", "loop"}
            ):
                for name in params:
                    where = f"{self.relpath}:{node.lineno} {node.name}"
                    self.facts.sync_test_requests.setdefault(name, []).append(where)
            if fixture is None and (
                self.foreign_marked[-1]
                or self._has_foreign_mark(node.decorator_list)
                or "anyio_backend" in params
            ):
                self.facts.foreign_fixture_requests |= params
        self.scope_stack.append(f"<{node.name}>")
        self.generic_visit(node)
        self.scope_stack.pop()

    def _fixture_decorator(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = self.qualify(target) or ""
            # An unresolved ``fixture``/``something.fixture`` counts too: a project's own
            # re-export of pytest's decorator is still one.
            if (
                name in FIXTURE_DECORATORS
                or name in ("fixture", "yield_fixture")
                or name.endswith((".fixture", ".yield_fixture"))
            ):
                return decorator
        return None

    @staticmethod
    def _fixture_name(node: ast.FunctionDef | ast.AsyncFunctionDef, decorator: ast.expr) -> str:
        keywords = decorator.keywords if isinstance(decorator, ast.Call) else []
        name_node = next((k.value for k in keywords if k.arg == "name"), None)
        if isinstance(name_node, ast.Constant) and isinstance(name_node.value, str):
            return name_node.value
        return node.name

    def _has_foreign_mark(self, exprs: Iterable[ast.expr]) -> bool:
        """Whether any of ``exprs`` (decorators, pytestmark values) is an anyio/trio mark."""
        for expr in exprs:
            for value in ast.walk(expr):
                if isinstance(value, ast.Attribute | ast.Name) and (
                    self.qualify(value) in ("pytest.mark.anyio", "pytest.mark.trio")
                ):
                    return True
        return False

    def _has_foreign_pytestmark(self, body: Iterable[ast.stmt]) -> bool:
        return any(
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in stmt.targets)
            and self._has_foreign_mark([stmt.value])
            for stmt in body
        )

    def _fixture(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, decorator: ast.expr, is_async: bool
    ) -> None:
        keywords = decorator.keywords if isinstance(decorator, ast.Call) else []
        scope_node = next((k.value for k in keywords if k.arg == "scope"), None)
        name_node = next((k.value for k in keywords if k.arg == "name"), None)
        scope: str | None = None
        literal = True
        if scope_node is not None:
            if isinstance(scope_node, ast.Constant) and isinstance(scope_node.value, str):
                scope = scope_node.value
            else:
                literal = False
        name = node.name
        if isinstance(name_node, ast.Constant) and isinstance(name_node.value, str):
            name = name_node.value
        if name in ("event_loop", "event_loop_policy"):
            body = loop_facts.loop_body(node) if name == "event_loop" else None
            self.facts.event_loop_overrides.append(
                EventLoopOverride(
                    path=self.relpath,
                    line=node.lineno,
                    name=name,
                    scope=scope,
                    scope_is_literal=literal,
                    is_conftest=self.is_conftest,
                    plain_loop=name == "event_loop" and loop_facts.is_plain_loop_body(node),
                    makes_loop=loop_facts.makes_loop(node) or body is not None,
                    debug=body is not None and body.debug,
                    requests=tuple(
                        a.arg
                        for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)
                        if a.arg not in ("request", "event_loop", "self")
                    ),
                    in_class=bool(self.scope_stack),
                    loop_factory=(
                        loop_facts.custom_loop_factory(node, self.qualify)
                        if name == "event_loop"
                        else None
                    ),
                    fixture_arguments=tuple(k.arg for k in keywords if k.arg),
                )
            )
        elif is_async:
            self.facts.async_fixtures.append(
                AsyncFixture(
                    path=self.relpath,
                    line=node.lineno,
                    name=name,
                    scope=scope,
                    has_loop_scope=any(k.arg == "loop_scope" for k in keywords),
                    scope_is_literal=literal,
                )
            )

    def _check_marks(self, decorators: Iterable[ast.expr], node: ast.AST) -> None:
        for decorator in decorators:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = self.qualify(target) or ""
            if name in ("pytest.mark.anyio", "pytest.mark.trio"):
                self._signal(node, f"marked {name}")

    def _loop_factory(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        kind = framework_facts.loop_factory_kind(node)
        if kind is not None:
            self.facts.loop_factories[f"{self.module}.{node.name}"] = kind

    def _testclient_fixture(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, decorator: ast.expr
    ) -> None:
        call = framework_facts.testclient_call(node, self.qualify)
        if call is not None:
            name = self._fixture_name(node, decorator)
            self.facts.testclient_fixtures[name] = f"{self.relpath}:{call.lineno}"

    def _factory_call(self, node: ast.Call) -> None:
        """An app factory handed to aiohttp's client fixture, or called with arguments."""
        if not node.args:
            return
        handed = framework_facts.factory_handed_to_client(node)
        factory = None if handed is None else self.qualify(handed)
        if factory is not None:
            self.facts.factories_passed_to_clients.add(factory)
        callee = self.qualify(node.func)
        if callee is not None and "." in callee:
            self.facts.loop_factories_called_with_args.add(callee)

    def _startup_decorators(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """``@app.on_event("startup")`` on a module-level handler."""
        for app, event, line in framework_facts.startup_decorators(node):
            where = f"{self.relpath}:{line}: @on_event({event!r})"
            self.facts.lifespan_apps.setdefault(f"{self.module}.{app}", where)

    def visit_Call(self, node: ast.Call) -> None:
        self._factory_call(node)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "add_marker":
            for arg in (*node.args, *(k.value for k in node.keywords)):
                target = arg.func if isinstance(arg, ast.Call) else arg
                if self.qualify(target) == "pytest.mark.asyncio":
                    self.facts.asyncio_marks_added_by_hooks.append(f"{self.relpath}:{node.lineno}")
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        # ``app.add_event_handler("startup", connect)`` at module level.
        registered = framework_facts.event_handler_registration(node.value)
        if registered is not None and not self.scope_stack and self.module:
            app, event = registered
            where = f"{self.relpath}:{node.lineno}: add_event_handler({event!r})"
            self.facts.lifespan_apps.setdefault(f"{self.module}.{app}", where)
        self.generic_visit(node)

    def _lifespan_app(self, node: ast.Assign) -> None:
        """``app = FastAPI(lifespan=...)`` (or ``on_startup=``/``on_shutdown=``)."""
        if self.scope_stack or not self.module:
            return
        keyword = framework_facts.lifespan_keyword(node, self.qualify)
        if keyword is None:
            return
        for target in node.targets:
            if isinstance(target, ast.Name):
                where = f"{self.relpath}:{node.lineno}: {keyword}="
                self.facts.lifespan_apps[f"{self.module}.{target.id}"] = where

    def visit_Assign(self, node: ast.Assign) -> None:
        self._lifespan_app(node)
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if "pytest_plugins" in names and not self.scope_stack:
            plugins = [
                v.value
                for v in ast.walk(node.value)
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            ]
            if "aiohttp.pytest_plugin" in plugins:
                self.facts.aiohttp_plugin_loaded.append(f"{self.relpath}:{node.lineno}")
        if "pytestmark" in names:
            for value in ast.walk(node.value):
                if isinstance(value, ast.Attribute | ast.Name):
                    name = self.qualify(value) or ""
                    if name in ("pytest.mark.anyio", "pytest.mark.trio"):
                        self._signal(node, f"pytestmark = {name}")
        self.generic_visit(node)

    def _signal(self, node: ast.AST, what: str) -> None:
        line = getattr(node, "lineno", 0)
        self.facts.anyio_trio_signals.append(f"{self.relpath}:{line}: {what}")


#: A module-level ``from x import y``.
REEXPORT_TRIGGER = re.compile(rb"(?m)^from +[\w.]+ +import ")


#: The whole statement of a module-level ``from x import ...`` (parenthesised or with
#: backslash continuations).
_FROM_IMPORT_STATEMENT = re.compile(
    rb"(?m)^from[ \t]+[\w.]+[ \t]+import[ \t]*(?:\([^)]*\)|[^\n]*(?:\\\r?\n[^\n]*)*)"
)


def index_reexports(facts: ProjectFacts, relpath: str, module: str, source: bytes) -> None:
    # Most files of a project only reach here for their imports: parsing just those
    # statements costs a fraction of parsing the whole file.
    statements = b"\n".join(m.group(0) for m in _FROM_IMPORT_STATEMENT.finditer(source))
    try:
        tree = ast.parse(statements, filename=relpath)
    except (SyntaxError, ValueError):
        try:
            tree = ast.parse(source, filename=relpath)
        except (SyntaxError, ValueError):
            return
    indexer = FileIndexer(facts, relpath, module)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            indexer.visit_ImportFrom(node)
