"""
**What it does**

Gives every async fixture whose caching scope is wider than ``function`` and that has no
``loop_scope`` an explicit ``loop_scope``: the scope of the ``event_loop`` override it
ran under in the legacy suite, or else its own caching scope. ``@pytest.fixture`` becomes
``@pytest_asyncio.fixture`` (and ``import pytest_asyncio`` is added), because
``pytest.fixture`` does not accept ``loop_scope``. The tests that use the fixture are
listed for review: by parameter name in the same file, with a note at the fixture when
it lives in a conftest.

**Why**

pytest-asyncio 0.24 separated a fixture's caching scope from the scope of the loop it
runs in. When ``asyncio_default_fixture_loop_scope`` is ``function`` (the value the
migration guide recommends, and the future default), a module- or session-scoped async
fixture without ``loop_scope`` fails with ``ScopeMismatch: You tried to access the
function scoped fixture _function_scoped_runner with a session scoped request object``.
An explicit ``loop_scope`` equal to the loop it used before keeps it working whatever
the default is.

**Example**

Before::

    import pytest

    @pytest.fixture(scope="session")
    async def pool():
        pool = await create_pool()
        yield pool
        await pool.close()

After::

    import pytest
    import pytest_asyncio

    @pytest_asyncio.fixture(scope="session", loop_scope="session")
    async def pool():
        pool = await create_pool()
        yield pool
        await pool.close()

**When it refuses**

A ``scope=`` that is not a string literal (a callable, a variable) is reported, not
guessed. A fixture wider than the ``event_loop`` override it ran under (a combination
that failed with ``ScopeMismatch`` before) gets its own scope and a note. The tests that
use the fixture must run in the same loop to use what it made (``attached to a different
loop``): they are named in a review note, not changed.
"""

from __future__ import annotations

import libcst as cst

from async_test_upgrade.codemods.event_loop._loop_scopes import (
    configured_test_loop_scope,
    covering_override,
    fixture_decorator,
    fixture_name,
    imports_module,
    marks_scope,
    scope_rank,
    with_fixture_loop_scope,
)
from async_test_upgrade.cst import CodemodTransformer, FileContext, keyword, string_value
from async_test_upgrade.facts import WIDE_SCOPES, ProjectFacts
from async_test_upgrade.gate import CodeIndex
from async_test_upgrade.registry import codemod


@codemod(
    name="async-fixture-loop-scope",
    summary="async fixtures with scope wider than function get loop_scope equal to it",
    after=("event-loop-sync-to-async", "marker-scope-to-loop-scope"),
    safety="safe",
    defers_to=("session-hook-to-default-test-loop-scope",),
    triggers=("async def",),
    min_target=(0, 24),
    produces=(
        "loop_scope",
        "pytest_asyncio",
        "fixture",
    ),
)
class AsyncFixtureLoopScope(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """Some async fixture of the project lacks loop_scope with a wide or unknown scope."""
        return (
            code.has("async def")
            and code.mentions("fixture")
            and any(
                not f.has_loop_scope and (not f.scope_is_literal or f.scope in WIDE_SCOPES)
                for f in facts.async_fixtures
            )
        )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.depth = 0
        #: fixture name -> (its node, the loop scope given), for the consumer report.
        self.scoped: dict[str, tuple[cst.FunctionDef, str]] = {}
        self.consumers: dict[str, list[str]] = {}
        self.imports_pytest_asyncio = False

    def visit_Module(self, node: cst.Module) -> None:
        self.imports_pytest_asyncio = imports_module(node, "pytest_asyncio")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1
        if node.name.value.startswith("test"):
            for param in (*node.params.params, *node.params.kwonly_params):
                self.consumers.setdefault(param.name.value, []).append(
                    f"{node.name.value} (line {self.line(node)})"
                )

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.depth -= 1
        if original_node.asynchronous is None or self.depth:
            return updated_node
        decorator = fixture_decorator(self, original_node)
        if decorator is None:
            return updated_node
        call = decorator.decorator
        if not isinstance(call, cst.Call) or keyword(call, "loop_scope") is not None:
            return updated_node
        given = keyword(call, "scope")
        if given is None:
            return updated_node
        scope = string_value(given.value)
        name = fixture_name(decorator, original_node)
        if scope is None:
            self.review(
                original_node,
                f"async fixture {name}: scope is not a string literal; give it loop_scope= "
                "by hand (the scope of the loop the tests using it run in)",
            )
            return updated_node
        if scope not in WIDE_SCOPES:
            return updated_node
        loop_scope = scope
        override = covering_override(self.ctx.facts, self.ctx.path)
        evidence = "its caching scope"
        if override is not None and override.scope_is_literal:
            legacy = override.scope or "function"
            if scope_rank(legacy) >= scope_rank(scope):
                loop_scope = legacy
                evidence = f"the event_loop override at {override.path}:{override.line}"
            else:
                self.review(
                    original_node,
                    f"async fixture {name} is {scope}-scoped but the event_loop override at "
                    f"{override.path}:{override.line} was {legacy}-scoped (a ScopeMismatch "
                    f"before); loop_scope={scope!r} given",
                )
        index = next(i for i, d in enumerate(original_node.decorators) if d is decorator)
        decorators = list(updated_node.decorators)
        decorators[index] = with_fixture_loop_scope(
            self, decorator, loop_scope, self.imports_pytest_asyncio
        )
        self.changed(
            original_node,
            f"{scope}-scoped async fixture {name} gets loop_scope={loop_scope!r} ({evidence})",
        )
        self.scoped[name] = (original_node, loop_scope)
        return updated_node.with_changes(decorators=decorators)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        for name, (node, loop_scope) in self.scoped.items():
            if self._tests_share(loop_scope):
                continue
            users = self.consumers.get(name, [])
            if users:
                self.review(
                    node,
                    f"async fixture {name} now runs in a {loop_scope}-scoped loop; the tests "
                    f"using it must run in that loop too (loop_scope={loop_scope!r} mark or "
                    f"asyncio_default_test_loop_scope): {', '.join(users)}",
                )
            elif not self.ctx.is_test_module:
                self.review(
                    node,
                    f"async fixture {name} now runs in a {loop_scope}-scoped loop; tests in "
                    "other files that use what it made must run in that loop too "
                    f"(loop_scope={loop_scope!r} mark or asyncio_default_test_loop_scope)",
                )
        return updated_node

    def _tests_share(self, loop_scope: str) -> bool:
        """Whether the tests will run in a loop of this scope anyway (settings, marks)."""
        facts, options = self.ctx.facts, self.ctx.options
        if configured_test_loop_scope(facts, options) == loop_scope:
            return True
        marked = marks_scope(facts, options, self.ctx.path)
        return self.ctx.is_test_module and marked is not None and marked[0] == loop_scope
