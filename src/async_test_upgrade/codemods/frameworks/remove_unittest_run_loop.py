"""
**What it does**

Removes aiohttp's ``@unittest_run_loop`` decorator from test methods (typically those of
an ``AioHTTPTestCase``) and drops its import when nothing else uses it. The decorator is
recognised through imports and aliases (``from aiohttp.test_utils import
unittest_run_loop as run_loop``, ``import aiohttp.test_utils as tu`` then
``@tu.unittest_run_loop``).

**Why**

Since aiohttp 3.8 ``AioHTTPTestCase`` derives from ``unittest.IsolatedAsyncioTestCase``,
which runs ``async def`` test methods itself; ``unittest_run_loop`` became a no-op that
returns the function unchanged and warns ``Decorator `@unittest_run_loop` is no longer
needed in aiohttp 3.8+``. It is gone from aiohttp's development branch. Removing it
changes nothing at run time on aiohttp 3.8 or newer (the stack this tool targets).

**Example**

Before::

    from aiohttp.test_utils import AioHTTPTestCase, unittest_run_loop

    class TestHandlers(AioHTTPTestCase):
        @unittest_run_loop
        async def test_index(self):
            resp = await self.client.get("/")
            assert resp.status == 200

After::

    from aiohttp.test_utils import AioHTTPTestCase

    class TestHandlers(AioHTTPTestCase):
        async def test_index(self):
            resp = await self.client.get("/")
            assert resp.status == 200

**When it refuses**

Any other use of the name (called as ``unittest_run_loop(func)``, passed around, or used
as ``@unittest_run_loop(...)``) is reported and left alone, and then the import stays.
A project function that happens to be named ``unittest_run_loop`` is not aiohttp's and
is never touched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.cst import CodemodTransformer, FileContext
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

DECORATOR = "aiohttp.test_utils.unittest_run_loop"


@codemod(
    name="remove-unittest-run-loop",
    summary="drop aiohttp's no-op @unittest_run_loop decorator (aiohttp 3.8+)",
    after=("pytest-aiohttp-fixtures", "unittest-async-to-isolated"),
    safety="safe",
    triggers=("unittest_run_loop",),
    needs={"aiohttp": (3, 8)},
)
class RemoveUnittestRunLoop(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """The decorator's own name (imports keep it, even under an alias)."""
        return code.has("unittest_run_loop")

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.removed_any = False
        self.in_removed_decorator = 0
        #: Local aliases of the decorator from ``from aiohttp.test_utils import ... as x``.
        self.aliases: set[str | None] = set()

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            if isinstance(alias.name, cst.Name) and alias.name.value == "unittest_run_loop":
                asname = alias.asname.name if alias.asname else None
                self.aliases.add(asname.value if isinstance(asname, cst.Name) else None)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        kept = [
            d
            for d in updated_node.decorators
            if not (
                isinstance(d.decorator, cst.Name | cst.Attribute)
                and self.is_name(d.decorator, DECORATOR)
            )
        ]
        if len(kept) == len(updated_node.decorators):
            return updated_node
        self.removed_any = True
        self.changed(
            original_node,
            f"removed @unittest_run_loop from {original_node.name.value}: a no-op since "
            "aiohttp 3.8 (AioHTTPTestCase is an IsolatedAsyncioTestCase)",
        )
        if updated_node.decorators[0] not in kept and kept:
            # The first decorator carried the leading lines (comments, blank lines).
            kept[0] = kept[0].with_changes(leading_lines=updated_node.decorators[0].leading_lines)
        if not kept:
            # Comments above the removed decorator stay above the def.
            return updated_node.with_changes(
                decorators=[],
                leading_lines=[
                    *updated_node.leading_lines,
                    *updated_node.decorators[0].leading_lines,
                ],
            )
        return updated_node.with_changes(decorators=kept)

    def visit_Decorator(self, node: cst.Decorator) -> bool:
        # Bare decorators are handled in leave_FunctionDef; don't report their names.
        return not (
            isinstance(node.decorator, cst.Name | cst.Attribute)
            and self.is_name(node.decorator, DECORATOR)
        )

    def visit_Name(self, node: cst.Name) -> None:
        self._other_use(node)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return not self._other_use(node)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
        return False  # an import is not a use

    def _other_use(self, node: cst.Name | cst.Attribute) -> bool:
        if not self.is_name(node, DECORATOR):
            return False
        self.review(
            node,
            "unittest_run_loop used other than as a plain decorator: it is a no-op since "
            "aiohttp 3.8; remove it by hand",
        )
        return True

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.removed_any:
            for asname in self.aliases or {None}:
                self.drop_import_if_unused("aiohttp.test_utils", "unittest_run_loop", asname)
        return updated_node
