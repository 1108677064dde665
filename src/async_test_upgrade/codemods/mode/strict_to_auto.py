"""
**What it does**

Switches a strict-mode suite to pytest-asyncio's *auto* mode: writes
``asyncio_mode = auto`` into the configuration pytest reads (removing a conflicting
``--asyncio-mode=strict`` from ``addopts``), then removes the markers auto mode makes
redundant: a bare ``@pytest.mark.asyncio`` on async tests and on classes,
``pytestmark = pytest.mark.asyncio`` (or that element of a ``pytestmark`` list or tuple;
the assignment goes when nothing is left), and the imports that become unused.

**Why**

In strict mode (pytest-asyncio's default since 0.19) an async test runs only when it is
marked and an async fixture only when it is decorated with ``@pytest_asyncio.fixture``.
A test someone forgot to mark was skipped with a warning up to pytest 8.3 (and fails
since 8.4); a fixture under a bare ``@pytest.fixture`` handed its test a coroutine object
instead of a value. Auto mode, "the recommended default" for projects that only use
asyncio, handles every async test and fixture, so those tests start running for real
(``verify`` lists them as newly running) and the markers become noise. Each async
fixture that was under a bare ``@pytest.fixture`` is listed for review, because what its
tests receive changes from a coroutine object to the fixture's value.

**Example**

Before (``pytest.ini``)::

    [pytest]
    asyncio_mode = strict

Before (``tests/test_api.py``)::

    import pytest

    pytestmark = [pytest.mark.asyncio, pytest.mark.slow]

    @pytest.mark.asyncio
    async def test_fetch(client):
        assert await client.get("/") == 200

After (``pytest.ini``)::

    [pytest]
    asyncio_mode = auto

After (``tests/test_api.py``)::

    import pytest

    pytestmark = [pytest.mark.slow]

    async def test_fetch(client):
        assert await client.get("/") == 200

**When it refuses**

When the project also runs anyio or trio tests (``pytest.mark.anyio``/``trio``, an
``anyio_backend`` fixture, pytest-trio, ``anyio_mode``/``trio_mode``), auto mode would
take over the async fixtures those tests use: it writes nothing, says why in one note at
the configuration file, and the suite stays strict (``strict-markers`` then adds the
markers strict mode needs). The same holds when you chose ``--asyncio-mode strict``.
Marks carrying arguments (``loop_scope=...``, ``loop_factories=...``) stay, and marks on
fixtures or synchronous tests are left to ``remove-asyncio-mark-from-fixtures``. In a
project already configured for auto mode the bare marks are redundant too, and dropped
(so a run stopped after writing the config ends, when run again, where an
uninterrupted run ends); its configuration is left as it is. A project with no async
tests or fixtures gets no setting at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.codemods.mode._marks import (
    DropsPytestImports,
    comment_lines,
    fixture_decorator,
    is_async,
    is_bare_asyncio_mark,
    is_fixture,
    pytestmark_value,
    remove_decorators,
    without_elements,
)
from async_test_upgrade.codemods.mode._mode import (
    bare_fixture_history,
    configured_mode,
    guard_reason,
    has_asyncio_tests,
    legacy_ran_bare_async_fixtures,
    target_mode,
)
from async_test_upgrade.cst import FileContext, callee
from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.model import ConfigEdit, Note, Options
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.gate import CodeIndex

NAME = "strict-to-auto"


@codemod(
    name=NAME,
    summary="asyncio_mode = auto; drop the bare asyncio marks auto mode makes redundant",
    # Async tests and fixtures the event-loop codemods made need their marks too.
    after=("legacy-asyncio-mode", "async-fixture-loop-scope", "event-loop-sync-to-async"),
    safety="safe",
    defers_to=("legacy-asyncio-mode",),
    # "async def": a bare async fixture is reported even in a file without any mark.
    triggers=("asyncio", "async def"),
)
class StrictToAuto(DropsPytestImports):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """It works in a project that has asyncio tests, on a file with an asyncio mark to
        drop or (not yet in auto mode) an async fixture to report."""
        if not has_asyncio_tests(facts):
            return False
        mark = code.has("asyncio") and code.mentions("mark")  # pytest.mark / pytest.mark import
        if configured_mode(facts) == "auto":
            return mark
        return mark or (code.has("async def") and code.has("fixture"))

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        # Also in a project already in auto mode: a run stopped after writing the config
        # (written first) must end, when run again, where an uninterrupted run ends.
        self.active = target_mode(ctx.facts, ctx.options) == "auto" and has_asyncio_tests(ctx.facts)

    @staticmethod
    def configure(facts: ProjectFacts, options: Options) -> Sequence[ConfigEdit | Note]:
        configured = configured_mode(facts)
        if target_mode(facts, options) == "auto":
            if not has_asyncio_tests(facts):
                return []  # nothing for pytest-asyncio to run: no setting to write
            if configured == "auto" or (
                configured == "legacy" and options.runs("legacy-asyncio-mode")
            ):
                return []  # already auto, or written by legacy-asyncio-mode
            was = "strict" if facts.asyncio_mode else "unset, so strict by default"
            runners: list[ConfigEdit | Note] = [
                Note(
                    where.partition(":")[0],
                    int(where.partition(":")[2] or 0),
                    NAME,
                    "this pytest_pyfunc_call hook runs coroutine tests itself, and with "
                    "asyncio_mode = auto pytest-asyncio runs them too: keep one of the two "
                    "(remove the hook, or keep the suite off auto mode)",
                )
                for where in facts.async_runner_hooks
            ]
            return [
                ConfigEdit(
                    "asyncio_mode",
                    "auto",
                    NAME,
                    f"was {was}: auto mode runs every async test and fixture, including "
                    "those a missing marker or decorator kept from running",
                ),
                *runners,
            ]
        reason = guard_reason(facts)
        if reason and options.asyncio_mode != "strict" and configured != "auto":
            then = (
                "strict"
                if facts.foreign_mode_signals
                else "strict and strict-markers adds the marks and decorators it needs"
            )
            return [
                Note(
                    facts.config_path,
                    0,
                    NAME,
                    f"not switching to asyncio_mode = auto: anyio/trio tests found ({reason}); "
                    f"auto mode would take over the async fixtures they use. The suite stays "
                    f"{then}",
                )
            ]
        return []

    # --- source -------------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> bool:
        return self.active

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if is_async(original_node):
            self._check_bare_fixture(original_node)
        if (
            not is_async(original_node)
            or not original_node.name.value.startswith("test")
            or is_fixture(self, original_node)
        ):
            return updated_node
        result = self._drop_marks(original_node, updated_node, "async test")
        assert isinstance(result, cst.FunctionDef)
        return result

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        result = self._drop_marks(original_node, updated_node, "class")
        assert isinstance(result, cst.ClassDef)
        if isinstance(result.body, cst.IndentedBlock) and isinstance(
            original_node.body, cst.IndentedBlock
        ):
            body = self._strip_pytestmark(original_node.body.body, result.body.body, "class")
            if body is not None:
                if not body:
                    body = [cst.SimpleStatementLine([cst.Pass()])]
                result = result.with_changes(body=result.body.with_changes(body=body))
        return result

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.active:
            return updated_node
        body = self._strip_pytestmark(original_node.body, updated_node.body, "module")
        if body is not None:
            updated_node = updated_node.with_changes(body=body)
        self.drop_unused_pytest_imports()
        return updated_node

    # --- helpers ------------------------------------------------------------------------

    def _check_bare_fixture(self, node: cst.FunctionDef) -> None:
        """An async fixture strict mode never ran starts running: say so."""
        if legacy_ran_bare_async_fixtures(self.ctx.facts) is not None:
            return  # the legacy stack ran every async fixture already
        decorator = fixture_decorator(self, node)
        if decorator is None or not self.is_name(callee(decorator.decorator), "pytest.fixture"):
            return
        self.review(
            node,
            f"async fixture {node.name.value} under @pytest.fixture "
            f"{bare_fixture_history(self.ctx.facts)}; in auto mode it runs, so check the "
            "tests using it",
        )

    def _drop_marks(
        self,
        original: cst.FunctionDef | cst.ClassDef,
        updated: cst.FunctionDef | cst.ClassDef,
        what: str,
    ) -> cst.FunctionDef | cst.ClassDef:
        drop = [
            updated.decorators[i]
            for i, d in enumerate(original.decorators)
            if is_bare_asyncio_mark(self, d.decorator)
        ]
        if not drop:
            return updated
        self.changed(
            original,
            f"bare asyncio mark on {what} {original.name.value} is redundant in auto mode",
        )
        return remove_decorators(updated, drop)

    def _strip_pytestmark(
        self,
        original: Sequence[cst.BaseStatement],
        updated: Sequence[cst.BaseStatement],
        level: str,
    ) -> list[cst.BaseStatement] | None:
        """The body with bare asyncio marks gone from ``pytestmark``; None if unchanged."""
        result: list[cst.BaseStatement] = []
        carried: list[cst.EmptyLine] = []
        touched = False
        for old, new in zip(original, updated, strict=True):
            value = pytestmark_value(old)
            replacement: cst.BaseStatement | None = new
            if value is not None:
                replacement = self._without_bare_mark(old, new, value, level)
                touched = touched or replacement is not new
            if replacement is None:
                assert isinstance(new, cst.SimpleStatementLine)
                carried.extend(comment_lines(new.leading_lines))
                continue
            if carried and isinstance(
                replacement, cst.SimpleStatementLine | cst.BaseCompoundStatement
            ):
                replacement = replacement.with_changes(
                    leading_lines=[*carried, *replacement.leading_lines]
                )
                carried = []
            result.append(replacement)
        if not touched:
            return None
        return result

    def _without_bare_mark(
        self,
        old: cst.BaseStatement,
        new: cst.BaseStatement,
        value: cst.BaseExpression,
        level: str,
    ) -> cst.BaseStatement | None:
        if is_bare_asyncio_mark(self, value):
            self.changed(old, f"{level} pytestmark = asyncio mark is redundant in auto mode")
            return None
        if not isinstance(value, cst.List | cst.Tuple):
            return new
        indices = [i for i, e in enumerate(value.elements) if is_bare_asyncio_mark(self, e.value)]
        if not indices:
            return new
        assert isinstance(new, cst.SimpleStatementLine)
        assign = new.body[0]
        assert isinstance(assign, cst.Assign)
        new_value = assign.value
        assert isinstance(new_value, cst.List | cst.Tuple)
        remaining = without_elements(new_value, [new_value.elements[i] for i in indices])
        if remaining is None:
            self.changed(old, f"{level} pytestmark held only the asyncio mark; removed")
            return None
        self.changed(old, f"asyncio mark in the {level} pytestmark is redundant in auto mode")
        return new.with_changes(body=[assign.with_changes(value=remaining)])
