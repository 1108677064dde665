"""
**What it does**

Removes ``pytest.mark.asyncio`` (with or without arguments) from fixtures and from
synchronous test functions, and the imports that become unused.

**Why**

A mark on a fixture never did anything: pytest applies marks to tests only. pytest 7.4
deprecated it and pytest 9 refuses to collect the module: ``Marks cannot be applied to
fixtures.`` On a synchronous test the mark is meaningless too, and pytest-asyncio (since
0.18) warns ``The test <Function test_x> is marked with '@pytest.mark.asyncio' but it is
not an async function. Please remove the asyncio mark.``

**Example**

Before::

    import pytest

    @pytest.fixture
    @pytest.mark.asyncio
    async def client():
        return await make_client()

    @pytest.mark.asyncio
    def test_parse():
        assert parse("1") == 1

After::

    import pytest

    @pytest.fixture
    async def client():
        return await make_client()

    def test_parse():
        assert parse("1") == 1

**When it refuses**

Marks on async tests, on classes and in ``pytestmark`` stay: they apply to the async
tests beside the synchronous ones (pytest-asyncio ignores marks inherited that way on a
synchronous test). A synchronous function whose name pytest would not collect is left
alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.codemods.mode._marks import (
    DropsPytestImports,
    is_async,
    is_asyncio_mark,
    is_fixture,
    remove_decorators,
)
from async_test_upgrade.cst import FileContext
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex


@codemod(
    name="remove-asyncio-mark-from-fixtures",
    summary="drop pytest.mark.asyncio from fixtures (an error in pytest 9) and sync tests",
    after=("strict-to-auto", "strict-markers"),
    safety="safe",
    triggers=("asyncio",),
)
class RemoveAsyncioMarkFromFixtures(DropsPytestImports):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """An asyncio mark (``mark`` and ``asyncio`` words) on a fixture or a ``test*``."""
        return (
            code.has("asyncio")
            and code.mentions("mark")
            and (code.has("fixture") or code.mentions("test"))
        )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        indices = [
            i for i, d in enumerate(original_node.decorators) if is_asyncio_mark(self, d.decorator)
        ]
        if not indices:
            return updated_node
        name = original_node.name.value
        if is_fixture(self, original_node):
            why = f"fixture {name}: pytest 9 rejects marks on fixtures, and they never applied"
        elif not is_async(original_node) and name.startswith("test"):
            why = f"synchronous test {name}: the mark does nothing there but warn"
        else:
            return updated_node
        self.changed(original_node, f"asyncio mark removed from {why}")
        result = remove_decorators(updated_node, [updated_node.decorators[i] for i in indices])
        assert isinstance(result, cst.FunctionDef)
        return result

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        self.drop_unused_pytest_imports()
        return updated_node
