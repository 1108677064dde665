"""The project facts: what no single file shows, computed once with ``ast``.

The codemods receive a :class:`ProjectFacts` (plain, picklable data): the vocabulary
many of them share. This module is that model and the scan driver, which decides from a
file's bytes whether it can contribute anything (a cheap byte test first, then its
compiled code words) before :class:`~async_test_upgrade.indexer.FileIndexer` walks it
with the standard library's ``ast``, an order of magnitude cheaper than LibCST. What a
single family of codemods recognises lives in that family.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from async_test_upgrade.gate import parse_index
from async_test_upgrade.indexer import REEXPORT_TRIGGER, FileIndexer, index_reexports
from async_test_upgrade.model import AsyncFixture, EventLoopOverride
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

WIDE_SCOPES = ("class", "module", "package", "session")


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


# --- the scan ---------------------------------------------------------------------------


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
            index_reexports(facts, relpath, module, source)
        return
    try:
        tree = ast.parse(source, filename=relpath)
    except (SyntaxError, ValueError):
        return  # reported by the transform stage
    FileIndexer(facts, relpath, module).visit(tree)


def _triggers_in_code(source: bytes, relpath: str) -> bool:
    """Whether a fact trigger the text shows is in the code, not only in comments or
    docstrings (compiling costs a fifth of indexing the syntax tree)."""
    code = parse_index(source, relpath)
    return code is None or CODE_FACT_TRIGGERS.search(code.text) is not None
