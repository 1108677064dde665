"""
**What it does**

Replaces the conftest hook that pytest-asyncio 0.24/0.25 documented for running every
async test in the session loop::

    def pytest_collection_modifyitems(items):
        pytest_asyncio_tests = (item for item in items if is_async_test(item))
        session_scope_marker = pytest.mark.asyncio(loop_scope="session")
        for async_test in pytest_asyncio_tests:
            async_test.add_marker(session_scope_marker, append=False)

with the settings that say the same thing: ``asyncio_default_test_loop_scope`` (and
``asyncio_default_fixture_loop_scope`` when it is unset) set to the hook's scope. The
hook is deleted, and its ``is_async_test`` import when nothing else uses it.

**Why**

pytest-asyncio 0.26 added ``asyncio_default_test_loop_scope`` and its documentation
replaced the hook with it. The setting is one line a reader understands, it applies to
every async test whatever plugin collected it, and it does not depend on conftest
loading order.

**Example**

Before (``pyproject.toml``)::

    [tool.pytest.ini_options]
    asyncio_mode = "auto"

Before (``conftest.py``)::

    import pytest
    from pytest_asyncio import is_async_test

    def pytest_collection_modifyitems(items):
        pytest_asyncio_tests = (item for item in items if is_async_test(item))
        session_scope_marker = pytest.mark.asyncio(loop_scope="session")
        for async_test in pytest_asyncio_tests:
            async_test.add_marker(session_scope_marker, append=False)

    @pytest.fixture
    def settings():
        return {"debug": True}

After (``pyproject.toml``)::

    [tool.pytest.ini_options]
    asyncio_mode = "auto"
    asyncio_default_test_loop_scope = "session"
    asyncio_default_fixture_loop_scope = "session"

After (``conftest.py``)::

    import pytest

    @pytest.fixture
    def settings():
        return {"debug": True}

**When it refuses**

Only the documented shape is rewritten (any names, the two assignments in either order,
a list instead of a generator, 0.23's ``scope=`` instead of ``loop_scope=``, a
docstring). A hook that does anything else (filters by path, adds other marks, uses
``append=True``) is reported, not changed. One difference remains: with
``append=False`` the hook's mark came before a test's own
``pytest.mark.asyncio(loop_scope=...)``, so it even overrode explicit scopes, while the
setting only applies to tests without one; explicit marks now win, as their authors
presumably meant.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from async_test_upgrade.cst import CodemodTransformer, FileContext
from async_test_upgrade.registry import codemod

HOOK = "pytest_collection_modifyitems"


@codemod(
    name="session-hook-to-default-test-loop-scope",
    summary="conftest hook marking all async tests loop_scope=X -> asyncio_default_test_loop_scope",
    after=("remove-event-loop-override",),
    safety="safe",
    triggers=(HOOK,),
    min_target=(0, 26),
)
class SessionHookToDefaultTestLoopScope(CodemodTransformer):
    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.depth = 0

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False  # a hook is a module-level function

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef | cst.RemovalSentinel:
        self.depth -= 1
        if self.depth or original_node.name.value != HOOK or not self.ctx.is_conftest:
            return updated_node
        found = self.ctx.facts.session_loop_hooks.get(self.ctx.path)
        if found is None:
            if _mentions_asyncio_marks(original_node):
                self.review(
                    original_node,
                    f"{HOOK} adds asyncio marks in a shape other than the documented one; if it "
                    "puts every async test in one loop, replace it with "
                    "asyncio_default_test_loop_scope by hand",
                )
            return updated_node
        _, scope = found
        self.request_setting(
            "asyncio_default_test_loop_scope",
            scope,
            f"replaces the {HOOK} hook that marked every async test loop_scope={scope!r}",
            original_node,
        )
        configured = self.ctx.facts.default_fixture_loop_scope
        if configured is None:
            self.request_setting(
                "asyncio_default_fixture_loop_scope",
                scope,
                f"async fixtures join the {scope} loop of the tests (pytest-asyncio's own "
                "replacement for the hook sets both)",
                original_node,
            )
        self.changed(
            original_node,
            f"removed the {HOOK} hook marking every async test loop_scope={scope!r}: "
            "asyncio_default_test_loop_scope says the same",
        )
        self.drop_import_if_unused("pytest_asyncio", "is_async_test")
        self.drop_import_if_unused("pytest_asyncio")
        self.drop_import_if_unused("pytest")
        return cst.RemovalSentinel.REMOVE


ASYNCIO_MARK_OR_SELECTION = (
    m.Name("is_async_test")
    | m.Attribute(attr=m.Name("is_async_test"))
    | m.Attribute(value=m.Attribute(attr=m.Name("mark")), attr=m.Name("asyncio"))
)


def _mentions_asyncio_marks(node: cst.FunctionDef) -> bool:
    return bool(m.findall(node, ASYNCIO_MARK_OR_SELECTION))
