"""The project index: facts no single file shows, computed once with ``ast``.

The codemods receive a :class:`ProjectFacts` (plain, picklable data). It is built in
one pass over the files that can contribute anything (a cheap byte test first), with
the standard library's ``ast``, which is an order of magnitude cheaper than LibCST.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TypeVar

from async_test_upgrade.pytest_api import FIXTURE_DECORATORS
from async_test_upgrade.textsearch import trie_pattern

T = TypeVar("T")

#: The words a file must contain to contribute a fact (one vocabulary, three forms below).
_FACT_PLAIN = (
    "async def",
    "event_loop",
    "anyio",
    "trio",
    "pytest_plugins",
    "AsyncMock",
    "CoroMock",
    "lifespan",
    "on_event",
    "on_startup",
    "asyncio_default_test_loop_scope",
    "pytest_collection_modifyitems",
    "pytest_pyfunc_call",
    "add_marker",
    "on_shutdown",
    "add_event_handler",
    "TestClient",
    # asynctest base classes: their subclasses elsewhere must learn the chain.
    "asynctest",
    # Version-switched imports (mock shims).
    "version_info",
)
#: A project's own fixture named like a pytest-aiohttp legacy one (``def loop``); aiohttp
#: app factories taking the loop (``def create_app(loop)``) are found by ``(loop``.
_FACT_FIXTURES = (
    "loop",
    "proactor_loop",
    "test_client",
    "test_server",
    "raw_test_server",
    "unused_port",
    "aiohttp_unused_port",
)
#: Helpers building a resolved Future for a mock's return_value.
_FACT_CALLS = ("set_result", "set_exception")

#: A file that contains none of these cannot contribute a fact.
FACT_TRIGGERS = re.compile(
    "|".join(
        [
            *(re.escape(w) for w in _FACT_PLAIN),
            rf"def (?:{'|'.join(_FACT_FIXTURES)})\b",
            r"\(loop\b",
            *(rf"{c}\(" for c in _FACT_CALLS),
        ]
    ).encode()
)

#: The classes whose ``lifespan=`` / ``on_startup=`` / ``on_shutdown=`` give an ASGI app
#: startup and shutdown handlers.
ASGI_APP_CLASSES = frozenset(
    {
        "fastapi.FastAPI",
        "fastapi.applications.FastAPI",
        "starlette.applications.Starlette",
        "starlette.Starlette",
    }
)
LIFESPAN_KEYWORDS = ("lifespan", "on_startup", "on_shutdown")
#: Starlette's synchronous test client (FastAPI re-exports it).
TEST_CLIENT_CLASSES = frozenset(
    {"starlette.testclient.TestClient", "fastapi.testclient.TestClient"}
)

WIDE_SCOPES = ("class", "module", "package", "session")


@dataclass(frozen=True)
class EventLoopOverride:
    """A user-defined ``event_loop`` (or ``event_loop_policy``) fixture."""

    path: str  # relative posix path of the defining file
    line: int
    name: str  # "event_loop" or "event_loop_policy"
    scope: str | None  # literal scope, None when absent or not a literal
    scope_is_literal: bool
    is_conftest: bool
    #: The body only creates, yields (or returns) and closes a plain asyncio loop.
    plain_loop: bool
    #: The body makes or fetches an event loop at all (plain, uvloop, a policy's): False
    #: means the project's ``event_loop`` fixture is something else that shares the name.
    makes_loop: bool = True
    #: Defined in a class body (it then only serves that class's tests).
    in_class: bool = False
    #: For the create/yield/close shape with another loop maker (``uvloop.new_event_loop``,
    #: ``asyncio.SelectorEventLoop``): that maker's qualified name.
    loop_factory: str | None = None
    #: Keyword arguments of the fixture decorator (``scope``, ``params``, ``autouse``...).
    fixture_arguments: tuple[str, ...] = ()
    #: The body also switches debug mode on (``loop.set_debug(True)``), or only wraps
    #: pytest-asyncio's own ``event_loop`` to do so.
    debug: bool = False
    #: The fixtures it requests (``request`` and ``event_loop`` aside): parametrized ones
    #: multiply every async test.
    requests: tuple[str, ...] = ()

    @property
    def directory(self) -> str:
        return str(PurePosixPath(self.path).parent)


@dataclass(frozen=True)
class AsyncFixture:
    path: str
    line: int
    name: str
    scope: str | None
    has_loop_scope: bool
    #: False when ``scope=`` is given but is not a string literal (a callable, a name).
    scope_is_literal: bool = True


@dataclass
class ProjectFacts:
    root: str = "."
    #: Qualified names ("pkg.mod.func", "pkg.mod.Class.meth") of every ``async def``.
    async_functions: set[str] = field(default_factory=set)
    #: "pkg.mod.Class" -> the qualified names of its bases (as written, resolved via imports).
    class_bases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: "pkg.mod.name" -> "other.mod.name" for module-level ``from other.mod import name``.
    reexports: dict[str, str] = field(default_factory=dict)
    event_loop_overrides: list[EventLoopOverride] = field(default_factory=list)
    async_fixtures: list[AsyncFixture] = field(default_factory=list)
    #: Relative posix paths of conftest.py files.
    conftests: set[str] = field(default_factory=set)
    #: Where anyio / trio tests are (path:line, what): never switch those to auto mode.
    anyio_trio_signals: list[str] = field(default_factory=list)
    #: The signals that hand *every* async test to anyio or trio (``anyio_mode = auto``,
    #: ``trio_mode``, pytest-trio's ``enable_trio_mode`` import): no asyncio marks then.
    foreign_mode_signals: list[str] = field(default_factory=list)
    #: Fixture names that anyio/trio tests request directly (their parameters).
    foreign_fixture_requests: set[str] = field(default_factory=set)
    #: Fixture name -> the fixture names it requests (its parameters), over all files.
    fixture_requests: dict[str, set[str]] = field(default_factory=dict)
    #: Fixture name -> the synchronous tests requesting it that request no loop fixture
    #: themselves ("path:line name"), in the files the index reads.
    sync_test_requests: dict[str, list[str]] = field(default_factory=dict)
    #: Where a hook marks tests asyncio itself (``item.add_marker(pytest.mark.asyncio...)``):
    #: a decorator added beside it could shadow the loop scope it gives.
    asyncio_marks_added_by_hooks: list[str] = field(default_factory=list)
    #: Qualified names of project-local AsyncMock look-alike classes.
    custom_asyncmock_classes: set[str] = field(default_factory=set)
    #: The subset whose body is exactly ``async def __call__`` returning
    #: ``super().__call__(*args, **kwargs)`` on a stdlib Mock/MagicMock base: the stdlib
    #: ``AsyncMock`` does the same, so every file can switch to it.
    replaceable_asyncmock_classes: set[str] = field(default_factory=set)
    #: Classes that cannot leave asynctest.TestCase as they are: they override its
    #: machinery (``run``, ``_init_loop``...) or use ``self.loop`` outside an ``async def``
    #: (or assign it). Consulted for the chain of every asynctest subclass.
    asynctest_blocking_classes: set[str] = field(default_factory=set)
    #: "pkg.helpers.async_return" -> "result" / "exception": a module-level
    #: ``def h(x): f = asyncio.Future(); f.set_result(x); return f`` (or set_exception).
    future_helpers: dict[str, str] = field(default_factory=dict)
    #: Configured pytest settings (from the config file pytest reads).
    config_path: str = ""
    config_exists: bool = False
    asyncio_mode: str | None = None
    default_fixture_loop_scope: str | None = None
    default_test_loop_scope: str | None = None
    #: Relative posix path -> dotted module name.
    module_names: dict[str, str] = field(default_factory=dict)
    #: conftest path -> (line, loop scope) of a ``pytest_collection_modifyitems`` hook of
    #: the documented shape that marks every async test ``asyncio(loop_scope=...)``.
    session_loop_hooks: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: Names of every fixture the project defines (in the files the index reads).
    fixture_names: set[str] = field(default_factory=set)
    #: Module-level sync functions whose first parameter is ``loop`` (aiohttp app
    #: factories of the ``aiohttp_client(create_app)`` era): qualified name -> "unused"
    #: (never read in the body), "optional" (has a default) or "required".
    loop_factories: dict[str, str] = field(default_factory=dict)
    #: Qualified names passed as the app to ``test_client(x)`` / ``aiohttp_client(x)``.
    factories_passed_to_clients: set[str] = field(default_factory=set)
    #: Qualified names of the loop factories above called with positional arguments
    #: somewhere (``create_app(loop)``): their ``loop`` parameter cannot simply go.
    loop_factories_called_with_args: set[str] = field(default_factory=set)
    #: Module-level ASGI app objects with startup/shutdown handlers: qualified name
    #: ("pkg.main.app") -> where and how ("pkg/main.py:12: lifespan=").
    lifespan_apps: dict[str, str] = field(default_factory=dict)
    #: Fixtures whose body builds a Starlette/FastAPI ``TestClient``: name -> "path:line".
    testclient_fixtures: dict[str, str] = field(default_factory=dict)
    #: Version-switched mock imports (``if sys.version_info < (3, 8): from asynctest.mock
    #: import *`` / ``else: from unittest.mock import *``, or a ``try/except ImportError``
    #: of that shape): module -> the names it re-exports from ``unittest.mock`` on every
    #: Python the migrated suite runs on (and binds nowhere else in the module).
    mock_shims: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Of those names, the ones that were asynctest's ``CoroutineMock`` on the legacy
    #: Python (``AsyncMock = CoroutineMock`` in the other branch): module -> names.
    mock_shim_coroutine_mocks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Conftest ``pytest_pyfunc_call`` hooks that run coroutine tests themselves (a
    #: home-made async runner): "path:line".
    async_runner_hooks: list[str] = field(default_factory=list)
    #: Where a module-level ``pytest_plugins`` loads aiohttp's own pytest plugin
    #: (``"aiohttp.pytest_plugin"``), which ran every async fixture itself: "path:line".
    aiohttp_plugin_loaded: list[str] = field(default_factory=list)
    #: Test plugins and HTTP libraries the project declares (requirements files,
    #: setup.py/setup.cfg, pyproject.toml, tox.ini): normalized name -> version
    #: specifiers ("" if unpinned).
    declared_packages: dict[str, str] = field(default_factory=dict)
    #: Dotted names of the modules out of the migration's scope (library code, see
    #: ``scope.py``): read for facts, never rewritten. Empty with ``--include-source``.
    library_modules: set[str] = field(default_factory=set)

    # --- derived indexes ----------------------------------------------------------------

    def derived(self, build: Callable[[ProjectFacts], T]) -> T:
        """``build(self)``, computed once per process and kept beside the facts: an index
        a gate asks on every file (names of classes with async tests, say). Facts do not
        change once the scan is done, so neither does the index; a copy or a pickle of the
        facts starts without it."""
        cache: dict[object, object] = self.__dict__.setdefault("_derived", {})
        if build not in cache:
            cache[build] = build(self)
        return cache[build]  # type: ignore[return-value]

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "_derived"}

    # --- queries ------------------------------------------------------------------------

    def resolve(self, qualname: str, _depth: int = 0) -> str:
        """Follow re-exports (``from a import f`` in ``b``: ``b.f`` -> ``a.f``)."""
        if _depth > 10:
            return qualname
        if qualname in self.reexports:
            return self.resolve(self.reexports[qualname], _depth + 1)
        head, _, tail = qualname.rpartition(".")
        if head and head in self.reexports:
            return self.resolve(f"{self.reexports[head]}.{tail}", _depth + 1)
        return qualname

    def is_async_function(self, qualname: str) -> bool:
        """Whether ``qualname`` names an ``async def`` of the project (methods via bases)."""
        target = self.resolve(qualname)
        if target in self.async_functions:
            return True
        owner, _, attribute = target.rpartition(".")
        return self._inherited_async(owner, attribute, 0)

    def _inherited_async(self, owner: str, attribute: str, depth: int) -> bool:
        if depth > 10:
            return False
        owner = self.resolve(owner)
        for base in self.class_bases.get(owner, ()):
            base = self.resolve(base)
            if f"{base}.{attribute}" in self.async_functions:
                return True
            if self._inherited_async(base, attribute, depth + 1):
                return True
        return False

    def is_library(self, qualname: str) -> bool:
        """Whether ``qualname`` (a module or something in one) is library code."""
        if not self.library_modules:
            return False
        parts = qualname.split(".")
        return any(".".join(parts[:n]) in self.library_modules for n in range(len(parts), 0, -1))

    @property
    def uses_anyio_or_trio(self) -> bool:
        return bool(self.anyio_trio_signals)

    def fixtures_used_by_anyio_or_trio(self) -> set[str]:
        """Fixture names anyio/trio tests request, directly or through other fixtures.

        By name, over the whole project: a name shared by an asyncio fixture elsewhere
        is treated as theirs too, which only ever leaves a fixture alone.
        """
        found: set[str] = set()
        pending = list(self.foreign_fixture_requests)
        while pending:
            name = pending.pop()
            if name in found:
                continue
            found.add(name)
            pending.extend(self.fixture_requests.get(name, ()))
        return found

    def wide_async_fixtures_without_loop_scope(self) -> list[AsyncFixture]:
        return [f for f in self.async_fixtures if f.scope in WIDE_SCOPES and not f.has_loop_scope]


# --- building -----------------------------------------------------------------------------


def module_name(relpath: str) -> str:
    """Dotted module name of a file, the way an import would spell it."""
    # String operations, not PurePosixPath: this runs for every file of the repository.
    parts = [p for p in relpath.split("/") if p and p != "."]
    if parts:
        last = parts[-1]
        dot = last.rfind(".")
        if dot > 0:
            parts[-1] = last[:dot]
    if parts and parts[0] == "src" and len(parts) > 1:
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


class _FileIndexer(ast.NodeVisitor):
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
        dotted = _dotted(node)
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
                shim = mock_shim(statement)
                if shim is not None:
                    others = _bound_names([s for s in node.body if s is not statement])
                    names = tuple(sorted(set(_stdlib_mock_names(shim[0])) - others))
                    self.facts.mock_shims[self.module] = names
                    legacy = _coroutine_mock_aliases(shim[1])
                    self.facts.mock_shim_coroutine_mocks[self.module] = tuple(
                        sorted(set(names) & legacy)
                    )
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        qualname = ".".join([p for p in (self.module, *self.scope_stack, node.name) if p])
        bases = tuple(q for q in (self.qualify(b) for b in node.bases) if q)
        self.facts.class_bases[qualname] = bases
        if node.name in ("AsyncMock", "CoroMock", "CoroutineMock") and any(
            b.endswith(("MagicMock", "Mock")) for b in bases
        ):
            self.facts.custom_asyncmock_classes.add(qualname)
            if _is_plain_async_call_mock(node, bases):
                self.facts.replaceable_asyncmock_classes.add(qualname)
        if bases and _blocks_asynctest_conversion(node):
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
            outcome = _future_helper_outcome(node)
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
            and _runs_coroutines(node)
        ):
            self.facts.async_runner_hooks.append(f"{self.relpath}:{node.lineno}")
        if not is_async and not self.scope_stack and self.is_conftest:
            scope = self._loop_scope_hook(node)
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
            body = _loop_body(node) if name == "event_loop" else None
            self.facts.event_loop_overrides.append(
                EventLoopOverride(
                    path=self.relpath,
                    line=node.lineno,
                    name=name,
                    scope=scope,
                    scope_is_literal=literal,
                    is_conftest=self.is_conftest,
                    plain_loop=name == "event_loop" and _is_plain_loop_body(node),
                    makes_loop=_makes_loop(node) or body is not None,
                    debug=body is not None and body.debug,
                    requests=tuple(
                        a.arg
                        for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)
                        if a.arg not in ("request", "event_loop", "self")
                    ),
                    in_class=bool(self.scope_stack),
                    loop_factory=self._custom_loop_factory(node) if name == "event_loop" else None,
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

    def _custom_loop_factory(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
        """The qualified maker of a create/yield/close body whose loop is not asyncio's."""
        maker = _loop_body_maker(node)
        if maker is None or _is_plain_loop_body(node):
            return None
        return self.qualify(maker)

    def _loop_scope_hook(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
        """The loop scope of the documented hook that marks every async test, else None::

            def pytest_collection_modifyitems(items):
                pytest_asyncio_tests = (item for item in items if is_async_test(item))
                session_scope_marker = pytest.mark.asyncio(loop_scope="session")
                for async_test in pytest_asyncio_tests:
                    async_test.add_marker(session_scope_marker, append=False)

        (names free, the two assignments in either order, a list comprehension allowed,
        ``scope=`` as in pytest-asyncio 0.23's version, a docstring allowed).
        """
        if node.name != "pytest_collection_modifyitems" or node.decorator_list:
            return None
        body = list(node.body)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        if len(body) != 3 or not all(isinstance(s, ast.Assign) for s in body[:2]):
            return None
        selection: str | None = None
        marker: tuple[str, str] | None = None
        for statement in body[:2]:
            assert isinstance(statement, ast.Assign)
            if len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name):
                return None
            target = statement.targets[0].id
            if self._selects_async_tests(statement.value):
                selection = target
            else:
                scope = self._asyncio_mark_scope(statement.value)
                if scope is None:
                    return None
                marker = (target, scope)
        loop = body[2]
        if selection is None or marker is None or not isinstance(loop, ast.For):
            return None
        if not (
            isinstance(loop.iter, ast.Name)
            and loop.iter.id == selection
            and isinstance(loop.target, ast.Name)
            and len(loop.body) == 1
            and not loop.orelse
            and isinstance(loop.body[0], ast.Expr)
        ):
            return None
        call = loop.body[0].value
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "add_marker"
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == loop.target.id
            and len(call.args) == 1
            and isinstance(call.args[0], ast.Name)
            and call.args[0].id == marker[0]
            and len(call.keywords) == 1
            and call.keywords[0].arg == "append"
            and isinstance(call.keywords[0].value, ast.Constant)
            and call.keywords[0].value.value is False
        ):
            return None
        return marker[1]

    def _selects_async_tests(self, value: ast.expr) -> bool:
        """``(item for item in items if is_async_test(item))`` (or a list of them)."""
        if not isinstance(value, ast.GeneratorExp | ast.ListComp) or len(value.generators) != 1:
            return False
        generator = value.generators[0]
        if not (
            isinstance(value.elt, ast.Name)
            and isinstance(generator.target, ast.Name)
            and generator.target.id == value.elt.id
            and isinstance(generator.iter, ast.Name)
            and generator.iter.id == "items"
            and len(generator.ifs) == 1
            and not generator.is_async
        ):
            return False
        test = generator.ifs[0]
        return (
            isinstance(test, ast.Call)
            and self.qualify(test.func) == "pytest_asyncio.is_async_test"
            and len(test.args) == 1
            and isinstance(test.args[0], ast.Name)
            and test.args[0].id == value.elt.id
            and not test.keywords
        )

    def _asyncio_mark_scope(self, value: ast.expr) -> str | None:
        """S for ``pytest.mark.asyncio(loop_scope="S")`` (or ``scope="S"``)."""
        if not (
            isinstance(value, ast.Call)
            and self.qualify(value.func) == "pytest.mark.asyncio"
            and not value.args
            and len(value.keywords) == 1
            and value.keywords[0].arg in ("loop_scope", "scope")
        ):
            return None
        given = value.keywords[0].value
        if isinstance(given, ast.Constant) and isinstance(given.value, str):
            return given.value
        return None

    def _check_marks(self, decorators: Iterable[ast.expr], node: ast.AST) -> None:
        for decorator in decorators:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = self.qualify(target) or ""
            if name in ("pytest.mark.anyio", "pytest.mark.trio"):
                self._signal(node, f"marked {name}")

    def _loop_factory(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        positional = [*node.args.posonlyargs, *node.args.args]
        if not positional or positional[0].arg != "loop":
            return
        defaults_from = len(positional) - len(node.args.defaults)
        used = any(
            isinstance(n, ast.Name) and n.id == "loop"
            for statement in node.body
            for n in ast.walk(statement)
        )
        kind = "optional" if defaults_from <= 0 else "required" if used else "unused"
        self.facts.loop_factories[f"{self.module}.{node.name}"] = kind

    def _testclient_fixture(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, decorator: ast.expr
    ) -> None:
        for statement in node.body:
            for call in ast.walk(statement):
                if isinstance(call, ast.Call) and self.qualify(call.func) in TEST_CLIENT_CLASSES:
                    name = self._fixture_name(node, decorator)
                    self.facts.testclient_fixtures[name] = f"{self.relpath}:{call.lineno}"
                    return

    def _factory_call(self, node: ast.Call) -> None:
        """An app factory handed to aiohttp's client fixture, or called with arguments."""
        if not node.args:
            return
        if (
            isinstance(node.func, ast.Name)
            and node.func.id in ("test_client", "aiohttp_client")
            and isinstance(node.args[0], ast.Name)
        ):
            factory = self.qualify(node.args[0])
            if factory is not None:
                self.facts.factories_passed_to_clients.add(factory)
        callee = self.qualify(node.func)
        if callee is not None and "." in callee:
            self.facts.loop_factories_called_with_args.add(callee)

    def _startup_decorators(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """``@app.on_event("startup")`` on a module-level handler."""
        for decorator in node.decorator_list:
            if (
                isinstance(decorator, ast.Call)
                and isinstance(decorator.func, ast.Attribute)
                and decorator.func.attr == "on_event"
                and isinstance(decorator.func.value, ast.Name)
                and decorator.args
                and isinstance(decorator.args[0], ast.Constant)
                and decorator.args[0].value in ("startup", "shutdown")
            ):
                app = f"{self.module}.{decorator.func.value.id}"
                line = decorator.lineno
                where = f"{self.relpath}:{line}: @on_event({decorator.args[0].value!r})"
                self.facts.lifespan_apps.setdefault(app, where)

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
        call = node.value
        if (
            not self.scope_stack
            and self.module
            and isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "add_event_handler"
            and isinstance(call.func.value, ast.Name)
            and call.args
            and isinstance(call.args[0], ast.Constant)
            and call.args[0].value in ("startup", "shutdown")
        ):
            app = f"{self.module}.{call.func.value.id}"
            where = f"{self.relpath}:{node.lineno}: add_event_handler({call.args[0].value!r})"
            self.facts.lifespan_apps.setdefault(app, where)
        self.generic_visit(node)

    def _lifespan_app(self, node: ast.Assign) -> None:
        """``app = FastAPI(lifespan=...)`` (or ``on_startup=``/``on_shutdown=``)."""
        if self.scope_stack or not self.module or not isinstance(node.value, ast.Call):
            return
        if self.qualify(node.value.func) not in ASGI_APP_CLASSES:
            return
        given = [k.arg for k in node.value.keywords if k.arg in LIFESPAN_KEYWORDS]
        if not given:
            return
        for target in node.targets:
            if isinstance(target, ast.Name):
                where = f"{self.relpath}:{node.lineno}: {given[0]}="
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


#: Callables whose result is an event loop, by their last name.
_LOOP_MAKERS = ("new_event_loop", "get_event_loop", "get_running_loop", "get_loop", "Loop")


def _runs_coroutines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A hook body that checks for coroutine functions or drives a loop itself."""
    words = ("iscoroutinefunction", "run_until_complete")
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and child.id in words:
            return True
        if isinstance(child, ast.Attribute) and (
            child.attr in words or _dotted(child) == "asyncio.run"
        ):
            return True
    return False


def _makes_loop(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether the fixture body calls anything that makes or fetches an event loop."""
    for child in ast.walk(node):
        if not isinstance(child, ast.Call):
            continue
        func = child.func
        last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if last in _LOOP_MAKERS or last.endswith("EventLoop") or last == "Runner":
            return True
    return False


@dataclass(frozen=True)
class _LoopBody:
    #: The call that makes the loop; None for a wrapper of pytest-asyncio's own fixture.
    maker: ast.Call | None
    #: The body switches the loop's debug mode on (``loop.set_debug(True)``).
    debug: bool


def _loop_body(node: ast.FunctionDef | ast.AsyncFunctionDef) -> _LoopBody | None:
    """The shape of an ``event_loop`` fixture that only makes, hands out and closes a loop
    (perhaps in debug mode), else None. Accepted, after a docstring::

        loop = maker()                      # no arguments; or "get or make":
                                            #   try: loop = asyncio.get_running_loop()
                                            #   except RuntimeError: loop = maker()
        asyncio.set_event_loop(loop)        # optional, as is
        loop.set_debug(True)                # debug mode
        yield loop                          # or ``return loop``
        loop.run_until_complete(loop.shutdown_asyncgens())  # optional, as are
        loop.close()                        # these teardown lines
        asyncio.set_event_loop(None)

    the same with ``try: yield loop`` / ``finally:`` teardown, and the wrapper that only
    switches debug mode on in pytest-asyncio's own loop::

        def event_loop(event_loop):
            event_loop.set_debug(True)
            yield event_loop

    An unused ``request`` parameter is allowed: old pytest-asyncio's own fixture had one,
    so copies have it.
    """
    if isinstance(node, ast.AsyncFunctionDef) or node.args.kwonlyargs:
        return None
    if node.args.vararg or node.args.kwarg or node.args.posonlyargs:
        return None
    params = [a.arg for a in node.args.args]
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if params == ["event_loop"]:
        wraps = (
            len(body) == 2
            and _is_set_debug(body[0], "event_loop")
            and _hands_out(body[1], "event_loop")
        )
        return _LoopBody(None, True) if wraps else None
    if params not in ([], ["request"]):
        return None
    if params and any(isinstance(n, ast.Name) and n.id == "request" for n in ast.walk(node)):
        return None
    if not body:
        return None
    made = _made_loop(body.pop(0))
    if made is None:
        return None
    maker, name = made
    debug = False
    while body and (_is_set_event_loop(body[0], name) or _is_set_debug(body[0], name)):
        statement = body.pop(0)
        debug = debug or _is_set_debug(statement, name)
    if len(body) == 1 and isinstance(body[0], ast.Try):
        attempt = body[0]
        if attempt.handlers or attempt.orelse or len(attempt.body) != 1:
            return None
        body = [attempt.body[0], *attempt.finalbody]
    if not body or not _hands_out(body[0], name):
        return None
    if not all(_is_teardown(statement, name) for statement in body[1:]):
        return None
    return _LoopBody(maker, debug)


def _loop_assignment(statement: ast.stmt, name: str | None = None) -> ast.Call | None:
    """The call of ``name = call()`` (no arguments; any single name when ``name`` is None)."""
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and (name is None or statement.targets[0].id == name)
        and isinstance(statement.value, ast.Call)
        and not statement.value.args
        and not statement.value.keywords
    ):
        return statement.value
    return None


#: What the "get" half of a get-or-make ``try`` may call.
_RUNNING_LOOP_GETTERS = ("asyncio.get_running_loop", "asyncio.get_event_loop")


def _made_loop(statement: ast.stmt) -> tuple[ast.Call, str] | None:
    """The maker call and the loop's name of ``loop = maker()``, or of the get-or-make
    ``try: loop = asyncio.get_running_loop() / except RuntimeError: loop = maker()``."""
    call = _loop_assignment(statement)
    if call is not None:
        assert isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name)
        return call, statement.targets[0].id
    if not isinstance(statement, ast.Try) or statement.orelse or statement.finalbody:
        return None
    if len(statement.body) != 1 or len(statement.handlers) != 1:
        return None
    getter = _loop_assignment(statement.body[0])
    if getter is None or _dotted(getter.func) not in _RUNNING_LOOP_GETTERS:
        return None
    assert isinstance(statement.body[0], ast.Assign)
    name = statement.body[0].targets[0].id  # type: ignore[attr-defined]
    handler = statement.handlers[0]
    if handler.type is not None and _dotted(handler.type) != "RuntimeError":
        return None
    if len(handler.body) != 1:
        return None
    maker = _loop_assignment(handler.body[0], name)
    return None if maker is None else (maker, name)


def _is_set_debug(statement: ast.stmt, name: str) -> bool:
    """``name.set_debug(True)``."""
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and _dotted(statement.value.func) == f"{name}.set_debug"
        and len(statement.value.args) == 1
        and isinstance(statement.value.args[0], ast.Constant)
        and statement.value.args[0].value is True
        and not statement.value.keywords
    )


def _is_set_event_loop(statement: ast.stmt, name: str | None) -> bool:
    """``asyncio.set_event_loop(name)`` (``name`` None: ``set_event_loop(None)``)."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    call = statement.value
    if (
        _dotted(call.func) not in ("asyncio.set_event_loop", "set_event_loop")
        or len(call.args) != 1
    ):
        return False
    argument = call.args[0]
    if name is None:
        return isinstance(argument, ast.Constant) and argument.value is None
    return isinstance(argument, ast.Name) and argument.id == name


def _hands_out(statement: ast.stmt, name: str) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Yield)
        and isinstance(statement.value.value, ast.Name)
        and statement.value.value.id == name
    ) or (
        isinstance(statement, ast.Return)
        and isinstance(statement.value, ast.Name)
        and statement.value.id == name
    )


def _is_teardown(statement: ast.stmt, name: str) -> bool:
    """``loop.close()``, ``asyncio.set_event_loop(None)``, or ``loop.run_until_complete(
    loop.shutdown_asyncgens())`` (or ``shutdown_default_executor()``)."""
    if _is_set_event_loop(statement, None):
        return True
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    call = statement.value
    if _dotted(call.func) == f"{name}.close" and not call.args and not call.keywords:
        return True
    if _dotted(call.func) != f"{name}.run_until_complete" or len(call.args) != 1:
        return False
    inner = call.args[0]
    return (
        isinstance(inner, ast.Call)
        and not inner.args
        and _dotted(inner.func)
        in (f"{name}.shutdown_asyncgens", f"{name}.shutdown_default_executor")
    )


def _loop_body_maker(node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
    """The ``maker`` of a make/hand out/close body (see :func:`_loop_body`)."""
    body = _loop_body(node)
    return None if body is None or body.maker is None else body.maker.func


def _future_helper_outcome(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """``"result"``/``"exception"`` for ``def h(x): f = Future(); f.set_result(x); return f``."""
    params = node.args.args
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # a docstring
    if len(params) != 1 or len(body) != 3 or node.args.kwonlyargs:
        return None
    create, resolve, ret = body
    if not (
        isinstance(create, ast.Assign)
        and len(create.targets) == 1
        and isinstance(create.targets[0], ast.Name)
        and isinstance(create.value, ast.Call)
    ):
        return None
    maker = create.value.func
    made_by = maker.attr if isinstance(maker, ast.Attribute) else getattr(maker, "id", "")
    if made_by not in ("Future", "create_future"):
        return None
    name = create.targets[0].id
    if not (
        isinstance(resolve, ast.Expr)
        and isinstance(resolve.value, ast.Call)
        and isinstance(resolve.value.func, ast.Attribute)
        and _dotted(resolve.value.func.value) == name
        and resolve.value.func.attr in ("set_result", "set_exception")
        and len(resolve.value.args) == 1
        and isinstance(resolve.value.args[0], ast.Name)
        and resolve.value.args[0].id == params[0].arg
    ):
        return None
    if not (isinstance(ret, ast.Return) and ret.value is not None and _dotted(ret.value) == name):
        return None
    return "result" if resolve.value.func.attr == "set_result" else "exception"


_STDLIB_MOCK_BASES = frozenset(
    {"unittest.mock.MagicMock", "unittest.mock.Mock", "mock.MagicMock", "mock.Mock"}
)


#: asynctest.TestCase internals a subclass may override; IsolatedAsyncioTestCase has none.
ASYNCTEST_MACHINERY = frozenset(
    {
        "run",
        "debug",
        "doCleanups",
        "_init_loop",
        "_unset_loop",
        "_patch_loop",
        "_setUp",
        "_tearDown",
        "_run_test_method",
        "loop",
    }
)


def _blocks_asynctest_conversion(node: ast.ClassDef) -> bool:
    """A class that cannot leave asynctest.TestCase as it is: it overrides the machinery
    (``run``, ``_init_loop``...) or assigns ``self.loop``. Reading ``self.loop`` does not
    block: in a coroutine it is the running loop, in sync code the current one."""
    for statement in node.body:
        if (
            isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
            and statement.name in ASYNCTEST_MACHINERY
        ):
            return True
    return any(_assigns_self_loop(statement) for statement in node.body)


def _assigns_self_loop(node: ast.AST) -> bool:
    if isinstance(node, ast.ClassDef):
        return False  # a nested class has its own self
    if (
        isinstance(node, ast.Attribute)
        and node.attr == "loop"
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        and isinstance(node.ctx, ast.Store | ast.Del)
    ):
        return True
    return any(_assigns_self_loop(child) for child in ast.iter_child_nodes(node))


def _is_plain_async_call_mock(node: ast.ClassDef, bases: tuple[str, ...]) -> bool:
    """``class AsyncMock(MagicMock)`` whose body (past a docstring) is only
    ``async def __call__(self, *args, **kwargs): return super().__call__(*args, **kwargs)``
    (``super(AsyncMock, self)`` too), with no decorators or keywords on the class."""
    if len(bases) != 1 or bases[0] not in _STDLIB_MOCK_BASES:
        return False
    if node.keywords or node.decorator_list:
        return False
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if len(body) != 1 or not isinstance(body[0], ast.AsyncFunctionDef):
        return False
    method = body[0]
    args = method.args
    if (
        method.name != "__call__"
        or method.decorator_list
        or len(args.args) != 1
        or args.posonlyargs
        or args.kwonlyargs
        or args.vararg is None
        or args.kwarg is None
        or len(method.body) != 1
        or not isinstance(method.body[0], ast.Return)
    ):
        return False
    call = method.body[0].value
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "__call__"
        and isinstance(call.func.value, ast.Call)
        and isinstance(call.func.value.func, ast.Name)
        and call.func.value.func.id == "super"
    ):
        return False
    super_args = call.func.value.args
    if super_args and not (
        len(super_args) == 2
        and isinstance(super_args[0], ast.Name)
        and super_args[0].id == node.name
        and isinstance(super_args[1], ast.Name)
        and super_args[1].id == args.args[0].arg
    ):
        return False
    return (
        len(call.args) == 1
        and isinstance(call.args[0], ast.Starred)
        and isinstance(call.args[0].value, ast.Name)
        and call.args[0].value.id == args.vararg.arg
        and len(call.keywords) == 1
        and call.keywords[0].arg is None
        and isinstance(call.keywords[0].value, ast.Name)
        and call.keywords[0].value.id == args.kwarg.arg
    )


def _is_plain_loop_body(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A make/hand out/close body (see :func:`_loop_body`) whose loop is asyncio's own:
    ``asyncio.new_event_loop()``, ``asyncio.get_event_loop_policy().new_event_loop()`` or
    ``asyncio.get_event_loop()``."""
    body = _loop_body(node)
    if body is None:
        return False
    if body.maker is None:
        return True  # pytest-asyncio's own loop, wrapped
    call = body.maker
    maker = _dotted(call.func) or ""
    if maker in ("asyncio.new_event_loop", "new_event_loop", "asyncio.get_event_loop"):
        return True
    # ``asyncio.get_event_loop_policy().new_event_loop`` is a Call inside an Attribute,
    # which _dotted does not render; check it structurally.
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "new_event_loop"
        and isinstance(func.value, ast.Call)
        and not func.value.args
        and (_dotted(func.value.func) or "")
        in ("asyncio.get_event_loop_policy", "get_event_loop_policy")
    )


def index_path(facts: ProjectFacts, relpath: str) -> str:
    """What a file contributes by its path alone (its module name, conftest or not)."""
    module = module_name(relpath)
    facts.module_names[relpath] = module
    if relpath.rpartition("/")[2] == "conftest.py":
        facts.conftests.add(relpath)
    return module


#: :data:`FACT_TRIGGERS` as plain words (a superset: no word boundaries). The scan looks
#: for them in the same pass as the codemods' triggers.
FACT_WORDS: tuple[bytes, ...] = tuple(
    w.encode()
    for w in (
        *_FACT_PLAIN,
        *(f"def {f}" for f in _FACT_FIXTURES),
        "(loop",
        *(f"{c}(" for c in _FACT_CALLS),
    )
)
_FACT_WORDS = re.compile(trie_pattern(FACT_WORDS))


def has_content_facts(source: bytes, fact_words_possible: bool = True) -> bool:
    """Whether :func:`index_file` may learn anything from ``source`` beyond its path.
    ``fact_words_possible=False``: a search that included :data:`FACT_WORDS` found none."""
    if fact_words_possible and _FACT_WORDS.search(source):
        return True
    return b"from" in source and REEXPORT_TRIGGER.search(source) is not None


#: :data:`FACT_TRIGGERS` read as code words (identifiers, string constants, ``async
#: def``): a match of the former in code is a match of this in the code's words.
CODE_FACT_TRIGGERS = re.compile("|".join([*_FACT_PLAIN, *_FACT_FIXTURES, *_FACT_CALLS]))


def index_file(facts: ProjectFacts, relpath: str, source: bytes) -> None:
    """Add what ``source`` (the file at ``relpath``) contributes to ``facts``."""
    module = index_path(facts, relpath)
    if not FACT_TRIGGERS.search(source) or not _triggers_in_code(source, relpath):
        # A module that only re-exports (``from pkg.repo import fetch``) is where tests
        # patch ("pkg.service.fetch"); its imports are needed to resolve the target.
        if REEXPORT_TRIGGER.search(source):
            _index_reexports(facts, relpath, module, source)
        return
    try:
        tree = ast.parse(source, filename=relpath)
    except (SyntaxError, ValueError):
        return  # reported by the transform stage
    _FileIndexer(facts, relpath, module).visit(tree)


def _triggers_in_code(source: bytes, relpath: str) -> bool:
    """Whether a fact trigger the text shows is in the code, not only in comments or
    docstrings (compiling costs a fifth of indexing the syntax tree)."""
    from async_test_upgrade.gate import parse_index

    code = parse_index(source, relpath)
    return code is None or CODE_FACT_TRIGGERS.search(code.text) is not None


#: A module-level ``from x import y``.
REEXPORT_TRIGGER = re.compile(rb"(?m)^from +[\w.]+ +import ")


#: The whole statement of a module-level ``from x import ...`` (parenthesised or with
#: backslash continuations).
_FROM_IMPORT_STATEMENT = re.compile(
    rb"(?m)^from[ \t]+[\w.]+[ \t]+import[ \t]*(?:\([^)]*\)|[^\n]*(?:\\\r?\n[^\n]*)*)"
)


def _index_reexports(facts: ProjectFacts, relpath: str, module: str, source: bytes) -> None:
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
    indexer = _FileIndexer(facts, relpath, module)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            indexer.visit_ImportFrom(node)


#: The packages whose declared versions decide what the legacy suite did, or which
#: codemods apply.
DECLARED_PACKAGES = (
    "pytest-asyncio",
    "pytest-aiohttp",
    "pytest-trio",
    "asynctest",
    "httpx",
    "respx",
    "pytest-httpx",
)
_DECLARATION = re.compile(
    r"(?<![\w.-])(?P<name>pytest[-_.]asyncio|pytest[-_.]aiohttp|pytest[-_.]trio|asynctest"
    r"|pytest[-_.]httpx|httpx|respx)"
    r"(?![\w-])\s*(?:\[[^\]]*\])?\s*(?P<spec>(?:[<>=!~]=?\s*[\w.*+]+\s*,?\s*)*)",
    re.IGNORECASE,
)


def declared_versions(text: str) -> dict[str, str]:
    """The plugins of :data:`DECLARED_PACKAGES` a requirements text names, with their
    version specifiers (``"==0.16.0"``, ``">=0.14,<0.17"``, ``""``), comments aside."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        for match in _DECLARATION.finditer(line):
            name = re.sub(r"[-_.]+", "-", match.group("name")).lower()
            spec = re.sub(r"\s+", "", match.group("spec")).rstrip(",")
            if name not in found or (spec and not found[name]):
                found[name] = spec
    return found


def allows_only_below(spec: str, version: tuple[int, ...]) -> bool:
    """Whether every version ``spec`` allows is older than ``version`` (an ``==`` pin or an
    upper bound below it); False for an open or unreadable spec."""
    for clause in spec.split(","):
        match = re.fullmatch(r"(==|<=|<|~=)([\d.]+)(?:\.\*)?", clause)
        if match is None:
            continue
        operator, text = match.groups()
        bound = tuple(int(part) for part in text.split(".") if part)
        if operator == "<" and bound <= version:
            return True
        if operator in ("==", "<=") and bound < version:
            return True
        if operator == "~=" and len(bound) > 1:
            # ~=X.Y.Z allows up to X.(Y+1) exclusive; ~=X.Y up to (X+1) exclusive.
            prefix = bound[:-1]
            if (*prefix[:-1], prefix[-1] + 1) <= version:
                return True
    return False


def index_requirements(facts: ProjectFacts, root: Path) -> None:
    """The test plugins the project declares, and anyio_mode / trio_mode settings."""
    candidates = [
        *root.glob("*requirements*.txt"),
        *root.glob("*requirements*.in"),
        *root.glob("requirements/*.txt"),
        root / "pyproject.toml",
        root / "setup.cfg",
        root / "setup.py",
        root / "tox.ini",
        # Only read for anyio_mode / trio_mode, which live in pytest's own config files.
        root / "pytest.ini",
        root / ".pytest.ini",
        root / "pytest.toml",
        root / ".pytest.toml",
    ]
    for path in candidates:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if path.name != "pytest.ini" and not path.name.startswith((".pytest", "pytest.")):
            for name, spec in declared_versions(text).items():
                if name not in facts.declared_packages or (
                    spec and not facts.declared_packages[name]
                ):
                    facts.declared_packages[name] = spec
        # A declared pytest-trio alone is no signal: trio tests carry the word ``trio``,
        # so the index finds them (or their trio_mode setting, below) where they exist.
        if re.search(r"(?m)^\s*(anyio_mode|trio_mode)\s*=", text):
            facts.anyio_trio_signals.append(f"{path.name}: anyio_mode/trio_mode configured")
            facts.foreign_mode_signals.append(facts.anyio_trio_signals[-1])


# --- version-switched mock imports -------------------------------------------------------

#: The Python the migrated suite runs on at the oldest.
TARGET_PYTHON = (3, 11)
_MOCK_BACKPORTS = ("asynctest", "asynctest.mock", "mock")


def _version_test(test: ast.expr) -> bool | None:
    """The value of ``sys.version_info <op> (3, N)`` (``sys.version_info[:2]`` too) on
    every Python from :data:`TARGET_PYTHON` on, or None when it is not such a test or
    depends on the version."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and len(test.comparators) == 1):
        return None
    left, right = test.left, test.comparators[0]
    if isinstance(left, ast.Subscript):
        left = left.value
    if _dotted(left) != "sys.version_info" or not isinstance(right, ast.Tuple):
        return None
    if not all(isinstance(e, ast.Constant) and isinstance(e.value, int) for e in right.elts):
        return None
    bound = tuple(e.value for e in right.elts)  # type: ignore[attr-defined]
    op = test.ops[0]
    oldest = TARGET_PYTHON[: len(bound)]
    if isinstance(op, ast.Lt | ast.LtE):
        # False for every version >= TARGET when the bound is below the oldest.
        return False if (bound < oldest or (isinstance(op, ast.Lt) and bound == oldest)) else None
    if isinstance(op, ast.Gt | ast.GtE):
        return True if (bound < oldest or (isinstance(op, ast.GtE) and bound == oldest)) else None
    return None


def _imports_from(statements: list[ast.stmt], modules: tuple[str, ...]) -> bool:
    return any(
        isinstance(s, ast.ImportFrom) and s.module in modules and not s.level for s in statements
    )


def _only_imports_and_aliases(statements: list[ast.stmt]) -> bool:
    return all(
        isinstance(s, ast.Import | ast.ImportFrom | ast.Pass)
        or (isinstance(s, ast.Assign) and isinstance(s.value, ast.Name | ast.Attribute))
        or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
        for s in statements
    )


def mock_shim(statement: ast.stmt) -> tuple[list[ast.stmt], list[ast.stmt]] | None:
    """(live, dead) statements of a version-switched mock import: one branch imports from
    ``unittest.mock`` and is the one that runs on the target Python, the other imports
    the backport (asynctest, mock). Both hold only imports and aliases."""
    if isinstance(statement, ast.If):
        outcome = _version_test(statement.test)
        if outcome is None:
            return None
        live, dead = (
            (statement.body, statement.orelse)
            if outcome
            else (
                statement.orelse,
                statement.body,
            )
        )
    elif isinstance(statement, ast.Try):
        if statement.orelse or statement.finalbody or len(statement.handlers) != 1:
            return None
        caught = statement.handlers[0].type
        if _dotted(caught) not in ("ImportError", "ModuleNotFoundError") if caught else True:
            return None
        live, dead = statement.body, statement.handlers[0].body
    else:
        return None
    if not (_imports_from(live, ("unittest.mock",)) and _imports_from(dead, _MOCK_BACKPORTS)):
        return None
    if not (_only_imports_and_aliases(live) and _only_imports_and_aliases(dead)):
        return None
    return live, dead


def _coroutine_mock_aliases(dead: list[ast.stmt]) -> set[str]:
    """Names the backport branch binds to asynctest's ``CoroutineMock``."""
    found: set[str] = set()
    for statement in dead:
        if isinstance(statement, ast.ImportFrom) and (statement.module or "").startswith(
            "asynctest"
        ):
            for alias in statement.names:
                if alias.name == "CoroutineMock":
                    found.add(alias.asname or alias.name)
        elif isinstance(statement, ast.Assign) and (_dotted(statement.value) or "").endswith(
            "CoroutineMock"
        ):
            found.update(t.id for t in statement.targets if isinstance(t, ast.Name))
    return found


def _stdlib_mock_names(live: list[ast.stmt]) -> list[str]:
    """The public ``unittest.mock`` names the live branch binds, under their own name."""
    import unittest.mock

    names: list[str] = []
    for statement in live:
        if isinstance(statement, ast.ImportFrom) and statement.module == "unittest.mock":
            for alias in statement.names:
                if alias.name == "*":
                    names.extend(unittest.mock.__all__)
                elif alias.asname in (None, alias.name):
                    names.append(alias.name)
    return names


def _bound_names(statements: list[ast.stmt]) -> set[str]:
    """Names the module binds at top level in these statements (nested blocks included)."""
    bound: set[str] = set()
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                bound.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                bound.add(node.id)
            elif isinstance(node, ast.alias):
                bound.add(node.asname or node.name.split(".")[0])
    return bound
