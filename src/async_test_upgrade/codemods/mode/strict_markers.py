"""
**What it does**

For a suite that stays in strict mode (anyio or trio tests live beside the asyncio
ones, or you chose ``--asyncio-mode strict``), makes strict mode see every asyncio test
and fixture: adds ``@pytest.mark.asyncio`` to each ``async def test*`` that has no
asyncio mark (on itself, its class or its module's ``pytestmark``), and turns
``@pytest.fixture`` on an ``async def`` fixture into ``@pytest_asyncio.fixture``
(adding the import).

**Why**

Strict mode (pytest-asyncio's default since 0.19) runs only marked async tests and only
fixtures decorated with ``@pytest_asyncio.fixture``. Up to pytest 8.3 an unmarked async
test was skipped with ``PytestUnhandledCoroutineWarning``, and a fixture under a bare
``@pytest.fixture`` handed its test a coroutine object (``RuntimeWarning: coroutine ...
was never awaited``), so such tests "passed" without running. pytest 8.4 fails unmarked
async tests and pytest 9 rejects async fixtures no plugin handles. These tests start
running for real after this rewrite; ``verify`` lists them as newly running.

**Example**

Before::

    import pytest

    @pytest.fixture
    async def db():
        return await connect()

    async def test_query(db):
        assert await db.fetch(1)

After::

    import pytest
    import pytest_asyncio

    @pytest_asyncio.fixture
    async def db():
        return await connect()

    @pytest.mark.asyncio
    async def test_query(db):
        assert await db.fetch(1)

When you chose ``--asyncio-mode strict`` for a project configured with
``asyncio_mode = auto``, the setting becomes ``strict`` too.

**When it refuses**

Nothing happens when the suite will run in auto mode (``strict-to-auto`` handles that).
It never marks synchronous functions, nor any test when a collection hook adds asyncio
marks itself (``item.add_marker(pytest.mark.asyncio...)``: reported, since a mark added
beside it could override the loop scope it gives), tests marked ``anyio``/``trio`` (on
themselves, their class or module), tests requesting ``anyio_backend``, or methods of
``unittest`` classes or of mixins unittest classes derive from (see
``unittest-async-to-isolated``). It never converts a fixture
that anyio or trio tests request, directly or through other fixtures (that plugin runs
it; converting it would move it to another event loop): that fixture is reported. A class with a
base the tool cannot see, or a ``pytestmark`` it cannot read, is reported rather than
marked. With ``anyio_mode = auto``, ``trio_mode`` or pytest-trio's ``enable_trio_mode``,
every async test belongs to anyio/trio: nothing is marked, one note says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst
from libcst.helpers import get_full_name_for_node

from async_test_upgrade.codemods.mode._marks import (
    ASYNCIO_MARK,
    FOREIGN_MARKS,
    UNITTEST_CASES,
    fixture_decorator,
    is_async,
    mark_decorator,
    mentions,
    pytestmark_value,
)
from async_test_upgrade.codemods.mode._mode import (
    bare_fixture_history,
    configured_mode,
    target_mode,
)
from async_test_upgrade.cst import CodemodTransformer, FileContext, keyword, string_value
from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.model import ConfigEdit, Note, Options
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.gate import CodeIndex

NAME = "strict-markers"


@dataclass(frozen=True)
class _Level:
    """What a module or class says about the async tests inside it."""

    asyncio: bool = False  # carries an asyncio mark
    foreign: bool = False  # carries an anyio/trio mark
    unreadable: str = ""  # why its marks (or its base classes) cannot be known
    unittest: bool = False


@codemod(
    name=NAME,
    summary="strict mode: mark unmarked async tests, async fixtures -> @pytest_asyncio.fixture",
    # Async tests and fixtures the event-loop codemods made need their marks too.
    after=("legacy-asyncio-mode", "async-fixture-loop-scope", "event-loop-sync-to-async"),
    safety="safe",
    defers_to=("legacy-asyncio-mode", "strict-to-auto"),
    triggers=("async def",),
    produces=(
        "pytest_asyncio",
        "fixture",
        "pytest",
        "mark",
        "asyncio",
        "loop_scope",
    ),
)
class StrictMarkers(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """Only async tests (``test*``) and async ``pytest.fixture`` s are marked, and never
        when every async test belongs to anyio/trio."""
        if facts.foreign_mode_signals:
            return False
        return code.has("async def") and (code.mentions("test") or code.has("fixture"))

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        facts = ctx.facts
        self.active = target_mode(facts, ctx.options) == "strict" and not (
            facts.foreign_mode_signals
        )
        self.foreign_fixtures = facts.fixtures_used_by_anyio_or_trio() if self.active else set()
        self.levels: list[_Level] = []
        self.class_names: list[str] = []
        self.function_depth = 0
        self.pytest_fixture_imports: list[tuple[str, str | None, str | None]] = []
        #: Unmarked async tests left alone because a hook marks tests itself.
        self.left_to_hook: list[cst.FunctionDef] = []

    @staticmethod
    def configure(facts: ProjectFacts, options: Options) -> Sequence[ConfigEdit | Note]:
        if target_mode(facts, options) != "strict":
            return []
        if facts.foreign_mode_signals:
            return [
                Note(
                    facts.config_path,
                    0,
                    NAME,
                    f"every async test belongs to anyio/trio ({facts.foreign_mode_signals[0]}): "
                    "no asyncio marks added; mark asyncio tests by hand if there are any",
                )
            ]
        configured = configured_mode(facts)
        if configured == "auto" or (
            configured == "legacy" and not options.runs("legacy-asyncio-mode")
        ):
            why = (
                "you chose --asyncio-mode strict"
                if options.asyncio_mode == "strict"
                else "anyio/trio tests found"
            )
            return [
                ConfigEdit(
                    "asyncio_mode",
                    "strict",
                    NAME,
                    f"{why}; the asyncio tests and fixtures are marked for strict mode",
                )
            ]
        return []

    # --- where are we -------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> bool:
        if not self.active:
            return False
        self.levels.append(self._level(node.body, ()))
        return True

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        if get_full_name_for_node(node.module) != "pytest":
            return
        for alias in node.names:
            if alias.evaluated_name == "fixture":
                self.pytest_fixture_imports.append(("pytest", "fixture", alias.evaluated_alias))

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            if alias.evaluated_name == "pytest":
                self.pytest_fixture_imports.append(("pytest", None, alias.evaluated_alias))

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        if self.function_depth:
            return False
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        level = self._level(body, node.decorators)
        outer = self.levels[-1]
        self.class_names.append(node.name.value)
        qualname = ".".join(p for p in (self.ctx.module_name, *self.class_names) if p)
        base_kind = self._base_kind(node)
        if not base_kind[0] and _mixed_into_unittest(self.ctx.facts, qualname):
            base_kind = (True, "")
        self.levels.append(
            _Level(
                asyncio=outer.asyncio or level.asyncio,
                foreign=outer.foreign or level.foreign,
                unreadable=outer.unreadable or level.unreadable or base_kind[1],
                unittest=outer.unittest or base_kind[0],
            )
        )
        return True

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self.levels.pop()
        self.class_names.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.function_depth += 1
        return False  # nothing nested in a function is a test or fixture pytest collects

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.function_depth -= 1
        if self.function_depth or not is_async(original_node):
            return updated_node
        decorator = fixture_decorator(self, original_node)
        if decorator is not None:
            return self._fixture(original_node, updated_node, decorator)
        if original_node.name.value.startswith("test") and self.ctx.is_test_module:
            return self._test(original_node, updated_node)
        return updated_node

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.left_to_hook:
            hook = self.ctx.facts.asyncio_marks_added_by_hooks[0]
            names = ", ".join(t.name.value for t in self.left_to_hook)
            self.review(
                self.left_to_hook[0],
                f"async tests without an asyncio mark left alone ({names}): the hook at {hook} "
                "marks tests itself, and a mark added here could override the loop scope it "
                "gives; check the hook marks these (in strict mode is_async_test() only "
                "sees tests that are already marked)",
            )
        if self.active and self.ctx.changes:
            for module, obj, asname in self.pytest_fixture_imports:
                self.drop_import_if_unused(module, obj, asname)
        return updated_node

    # --- tests ----------------------------------------------------------------------------

    def _test(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        level = self.levels[-1]
        decorators = [d.decorator for d in original.decorators]
        if level.asyncio or any(mentions(self, d, (ASYNCIO_MARK,)) for d in decorators):
            return updated
        if level.foreign or any(mentions(self, d, FOREIGN_MARKS) for d in decorators):
            return updated
        if level.unittest or _requests(original, "anyio_backend"):
            return updated
        if self.ctx.facts.asyncio_marks_added_by_hooks:
            self.left_to_hook.append(original)
            return updated
        if level.unreadable:
            self.review(
                original,
                f"async test {original.name.value} not marked: {level.unreadable}; add "
                "@pytest.mark.asyncio by hand if pytest-asyncio should run it",
            )
            return updated
        self.changed(
            original,
            f"async test {original.name.value} had no asyncio mark: strict mode never ran it",
        )
        self.add_import("pytest")
        return updated.with_changes(decorators=[mark_decorator(), *updated.decorators])

    # --- fixtures ---------------------------------------------------------------------------

    def _fixture(
        self, original: cst.FunctionDef, updated: cst.FunctionDef, decorator: cst.Decorator
    ) -> cst.FunctionDef:
        expr = decorator.decorator
        target = expr.func if isinstance(expr, cst.Call) else expr
        if not self.is_name(target, "pytest.fixture"):
            return updated  # already pytest_asyncio.fixture
        name = original.name.value
        given = keyword(expr, "name") if isinstance(expr, cst.Call) else None
        if given is not None:
            name = string_value(given.value) or name
        level = self.levels[-1]
        if name in self.foreign_fixtures or level.foreign or _requests(original, "anyio_backend"):
            self.review(
                original,
                f"async fixture {name} stays under @pytest.fixture: anyio/trio tests use it "
                "(that plugin runs it); an asyncio test requesting it would get a coroutine object",
            )
            return updated
        index = next(i for i, d in enumerate(original.decorators) if d is decorator)
        new_target = cst.Attribute(value=cst.Name("pytest_asyncio"), attr=cst.Name("fixture"))
        new_expr = (
            updated.decorators[index].decorator.with_changes(func=new_target)
            if isinstance(expr, cst.Call)
            else new_target
        )
        decorators = list(updated.decorators)
        decorators[index] = decorators[index].with_changes(decorator=new_expr)
        self.changed(
            original,
            f"async fixture {name} under @pytest.fixture {bare_fixture_history(self.ctx.facts)}",
        )
        self.add_import("pytest_asyncio")
        return updated.with_changes(decorators=decorators)

    # --- reading marks and bases ----------------------------------------------------------

    def _level(
        self, body: Sequence[cst.BaseStatement], decorators: Sequence[cst.Decorator]
    ) -> _Level:
        marks: list[cst.BaseExpression] = [d.decorator for d in decorators]
        unreadable = ""
        for stmt in body:
            value = pytestmark_value(stmt)
            if value is None:
                continue
            elements = (
                [e.value for e in value.elements]
                if isinstance(value, cst.List | cst.Tuple)
                else [value]
            )
            for element in elements:
                target = element.func if isinstance(element, cst.Call) else element
                if not any(q.startswith("pytest.mark.") for q in self.qualified_names(target)):
                    unreadable = f"its pytestmark holds {_source(element)}, which may be a mark"
            marks.extend(elements)
        return _Level(
            asyncio=any(mentions(self, m, (ASYNCIO_MARK,)) for m in marks),
            foreign=any(mentions(self, m, FOREIGN_MARKS) for m in marks),
            unreadable=unreadable,
        )

    def _base_kind(self, node: cst.ClassDef) -> tuple[bool, str]:
        """(derives from unittest.TestCase, why its bases are unknown or "")."""
        facts = self.ctx.facts
        for arg in node.bases:
            if arg.keyword is not None or arg.star:
                continue
            names = self.qualified_names(arg.value)
            if names & set(UNITTEST_CASES):
                return True, ""
            if "object" in names or "builtins.object" in names:
                continue
            # A class of this module is named without its module by QualifiedNameProvider.
            spelled = {*names, *(f"{self.ctx.module_name}.{n}" for n in names)}
            known = [n for n in spelled if facts.resolve(n) in facts.class_bases]
            if not known:
                return False, f"its class derives from {_source(arg.value)}, defined elsewhere"
            if _derives_from_unittest(facts, facts.resolve(known[0]), 0):
                return True, ""
        return False, ""


def _derives_from_unittest(facts: ProjectFacts, qualname: str, depth: int) -> bool:
    if depth > 10:
        return False
    for base in facts.class_bases.get(qualname, ()):
        base = facts.resolve(base)
        if base in UNITTEST_CASES or _derives_from_unittest(facts, base, depth + 1):
            return True
    return False


def _mixed_into_unittest(facts: ProjectFacts, qualname: str) -> bool:
    """Whether a class deriving from ``qualname`` is a unittest class (a test mixin)."""
    seen: set[str] = set()
    pending = [qualname]
    while pending:
        current = pending.pop()
        for subclass, bases in facts.class_bases.items():
            if subclass in seen or not any(facts.resolve(b) == current for b in bases):
                continue
            seen.add(subclass)
            if _derives_from_unittest(facts, subclass, 0):
                return True
            pending.append(subclass)
    return False


def _requests(node: cst.FunctionDef, name: str) -> bool:
    params = node.params
    return any(
        p.name.value == name
        for p in (*params.posonly_params, *params.params, *params.kwonly_params)
    )


def _source(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)
