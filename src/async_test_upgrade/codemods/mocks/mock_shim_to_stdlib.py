"""
**What it does**

Retires a test helper module that picks its mock library by Python version::

    # tests/compat.py
    import sys

    if sys.version_info < (3, 8):
        from asynctest.mock import *  # noqa
        AsyncMock = CoroutineMock
    else:
        from unittest.mock import *  # noqa

(or ``try: from unittest.mock import AsyncMock`` / ``except ImportError: from
asynctest.mock import CoroutineMock as AsyncMock``). In the helper, the branch that can
no longer run on Python 3.11+ goes and the ``unittest.mock`` one stays, at module level.
In every module importing from the helper, the names that are ``unittest.mock``'s (and
that the helper binds nowhere else) are imported from ``unittest.mock`` directly:
``from tests.compat import AsyncMock, patch, wait_for_calls`` becomes ``from unittest.mock
import AsyncMock, patch`` plus ``from tests.compat import wait_for_calls``. The project
index tells which modules are such helpers and what they export, so every file agrees.

**Why**

The old branch imports asynctest, which does not import on Python 3.11; it is dead code
on every Python the migrated suite supports. Importing the mock names straight from
``unittest.mock`` lets the other mock codemods see them for what they are: behind the
helper, ``AsyncMock`` looks like a home-made class, and they leave the file alone.

**Example**

Before (``tests/compat.py``)::

    import sys

    if sys.version_info < (3, 8):
        from asynctest.mock import *  # noqa
        AsyncMock = CoroutineMock
    else:
        from unittest.mock import *  # noqa

Before (``tests/test_api.py``)::

    from tests.compat import AsyncMock, patch

After (``tests/compat.py``, whose ``sys`` import served only the version test)::

    from unittest.mock import *  # noqa

After (``tests/test_api.py``)::

    from unittest.mock import AsyncMock, patch

**When it refuses**

A version test that is not a plain ``sys.version_info`` comparison with a tuple, or
whose outcome depends on the Python version within 3.11+, is left alone; so is a branch
holding anything but imports and aliases (it may define helpers). A star import from
the helper (``from tests.compat import *``) is reported: which names a module uses is
not visible there. Names the helper rebinds elsewhere (its own ``patch`` wrapper, say)
keep coming from the helper.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

import libcst as cst
from libcst.metadata import ProviderT, QualifiedNameProvider, ScopeProvider

from async_test_upgrade.codemods.mocks import _side_effects as side_effects
from async_test_upgrade.codemods.mocks._facts import mock_shim
from async_test_upgrade.cst import FileContext
from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.gate import CodeIndex
from async_test_upgrade.registry import codemod


@codemod(
    name="mock-shim-to-stdlib",
    summary="version-switched asynctest/unittest.mock helper modules -> unittest.mock",
    after=("pytest-removed-apis",),
    safety="safe",
    # The helper mentions one of the first two; a module importing from it, a mock name.
    triggers=("version_info", "ImportError", "Mock", "patch"),
    needs={"python": (3, 8)},
    produces=(
        "unittest",
        "mock",
        "unittest.mock",
        "AsyncMock",
        "MagicMock",
        "Mock",
        "patch",
    ),
)
class MockShimToStdlib(side_effects.AwaitingSideEffects):
    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (
        QualifiedNameProvider,
        ScopeProvider,
    )

    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """A project with such a helper, and a file that is it or may import from it."""
        if not facts.mock_shims:
            return False
        if facts.module_names.get(code.path) in facts.mock_shims:
            return True
        return any(code.mentions(module.rpartition(".")[2]) for module in facts.mock_shims)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.is_shim = ctx.module_name in ctx.facts.mock_shims

    # --- the helper itself -----------------------------------------------------------------

    def leave_If(
        self, original_node: cst.If, updated_node: cst.If
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        return self._live_branch(original_node, updated_node)

    def leave_Try(
        self, original_node: cst.Try, updated_node: cst.Try
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        return self._live_branch(original_node, updated_node)

    def _live_branch(
        self, original: cst.If | cst.Try, updated: cst.If | cst.Try
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        if not self.is_shim or not self._at_module_level(original):
            return updated
        import ast

        parsed = ast.parse(cst.Module([]).code_for_node(original).strip()).body
        shim = mock_shim(parsed[0]) if len(parsed) == 1 else None
        if shim is None:
            return updated
        live = _live_block(updated, shim[0], parsed[0])
        if live is None:
            return updated
        self.changed(
            original,
            "dropped the branch of a version-switched mock import that no Python 3.11+ "
            "runs (it imports the backport); the unittest.mock branch stays",
        )
        self.drop_import_if_unused("sys")
        statements = list(live.body)
        if not statements:
            return cst.RemovalSentinel.REMOVE
        statements[0] = statements[0].with_changes(leading_lines=updated.leading_lines)
        return cst.FlattenSentinel(statements)

    def _at_module_level(self, node: cst.CSTNode) -> bool:
        module = self._module
        return module is not None and any(s is node for s in module.body)

    _module: cst.Module | None = None

    def visit_Module(self, node: cst.Module) -> None:
        self._module = node
        coroutine_mocks = self._coroutine_mock_names(node)
        if coroutine_mocks:
            self.init_side_effects(node, "AsyncMock (asynctest's CoroutineMock on Python < 3.8)")
            node.visit(
                side_effects.SideEffectFinder(
                    self,
                    lambda callee: isinstance(callee, cst.Name) and callee.value in coroutine_mocks,
                )
            )

    def _coroutine_mock_names(self, module: cst.Module) -> set[str]:
        """Local names this module imports from a helper that bound them to asynctest's
        CoroutineMock on the legacy Python: their side effects were awaited."""
        found: set[str] = set()
        for statement in module.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                    continue
                legacy = self.ctx.facts.mock_shim_coroutine_mocks.get(self.import_source(small), ())
                for alias in small.names:
                    if isinstance(alias.name, cst.Name) and alias.name.value in legacy:
                        found.add(alias.evaluated_alias or alias.name.value)
        return found

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self.side_effect_replacement(original_node) or updated_node

    # --- modules importing from it ------------------------------------------------------------

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        """``from <helper> import A, B as C, own`` -> ``from unittest.mock import A, B as C``
        (in its place) and ``from <helper> import own``."""
        if len(updated_node.body) != 1 or not isinstance(updated_node.body[0], cst.ImportFrom):
            return updated_node
        statement = updated_node.body[0]
        module = self.import_source(statement)
        exported = self.ctx.facts.mock_shims.get(module)
        if exported is None or module == self.ctx.module_name:
            return updated_node
        if isinstance(statement.names, cst.ImportStar):
            self.review(
                original_node,
                f"from {module} import *: some of these names are unittest.mock's; import "
                "them from unittest.mock by name (which ones this module uses is not visible)",
            )
            return updated_node
        moved = [
            a for a in statement.names if isinstance(a.name, cst.Name) and a.name.value in exported
        ]
        if not moved:
            return updated_node
        kept = [a for a in statement.names if a not in moved]
        self.changed(
            original_node,
            f"{', '.join(cst.Module([]).code_for_node(a.name) for a in moved)} from "
            f"unittest.mock directly ({module} only re-exported them, choosing the library "
            "by Python version)",
        )
        stdlib = cst.ImportFrom(
            module=cst.Attribute(value=cst.Name("unittest"), attr=cst.Name("mock")),
            names=_tidy(moved),
        )
        lines = [updated_node.with_changes(body=[stdlib])]
        if kept:
            remaining = statement.with_changes(names=_tidy(kept), lpar=None, rpar=None)
            lines.append(cst.SimpleStatementLine(body=[remaining]))
        return cst.FlattenSentinel(lines)


def _live_block(node: cst.If | cst.Try, live: object, parsed: object) -> cst.IndentedBlock | None:
    """The LibCST block holding the live branch the ``ast`` recogniser chose."""
    import ast

    if isinstance(node, cst.Try):
        return node.body if isinstance(node.body, cst.IndentedBlock) else None
    assert isinstance(parsed, ast.If)
    if live is parsed.body:
        return node.body if isinstance(node.body, cst.IndentedBlock) else None
    orelse = node.orelse
    if isinstance(orelse, cst.Else) and isinstance(orelse.body, cst.IndentedBlock):
        return orelse.body
    return None


def _tidy(aliases: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    """The aliases as one line: ``a, b as c``."""
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return [
        alias.with_changes(comma=comma if i < len(aliases) - 1 else cst.MaybeSentinel.DEFAULT)
        for i, alias in enumerate(aliases)
    ]
