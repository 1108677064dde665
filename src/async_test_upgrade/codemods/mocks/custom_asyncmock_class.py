"""
**What it does**

Retires a home-made awaitable mock class in favour of ``unittest.mock.AsyncMock``.
The class must have the exact shape suites wrote before Python 3.8::

    class AsyncMock(MagicMock):            # or Mock; also named CoroMock / CoroutineMock
        async def __call__(self, *args, **kwargs):
            return super().__call__(*args, **kwargs)   # or super(AsyncMock, self)

(a docstring may precede the method). A ``try: from unittest.mock import AsyncMock`` /
``except ImportError:`` fallback to such a class shrinks to the import. In the file that
defines it, the class gives way
to ``from unittest.mock import AsyncMock`` (a ``CoroMock`` keeps its name as
``CoroMock = AsyncMock``, so nothing that imports it breaks). In every other file,
``from tests.helpers import AsyncMock`` (or ``CoroMock``, aliased or not) becomes
``from unittest.mock import AsyncMock`` and the uses follow the new name. The project
index tells which classes have the shape, so every file agrees.

**Why**

Since Python 3.8 the standard ``AsyncMock`` does what the home-made class did (calling
it returns an awaitable giving ``return_value`` or applying ``side_effect``; attribute
children are async too) and adds ``await_count`` and ``assert_awaited*``, which the
other mock codemods rely on to tighten assertions. One class fewer to maintain.

**Example**

Before (``tests/helpers.py``)::

    from unittest.mock import MagicMock

    class AsyncMock(MagicMock):
        async def __call__(self, *args, **kwargs):
            return super().__call__(*args, **kwargs)

Before (``tests/test_api.py``)::

    from tests.helpers import AsyncMock

After (``tests/helpers.py``)::

    from unittest.mock import AsyncMock

After (``tests/test_api.py``)::

    from unittest.mock import AsyncMock

**When it refuses**

A look-alike class with anything more (other methods, attributes, decorators, another
base, a ``__call__`` that does more than delegate) is reported and kept, as is a
``def AsyncMock(*args, **kwargs)`` helper function (a factory wrapping a ``MagicMock``
in a coroutine behaves differently: report only). The replacement is noted for review
in the defining file: the standard class is not a ``MagicMock`` subclass, so an
``isinstance(m, MagicMock)`` check on such a mock turns false.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import ClassVar

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (
    ImportAssignment,
    PositionProvider,
    ProviderT,
    QualifiedNameProvider,
    ScopeProvider,
)

from async_test_upgrade.cst import CodemodTransformer, FileContext
from async_test_upgrade.registry import codemod

NAMES = ("AsyncMock", "CoroMock", "CoroutineMock")


@codemod(
    name="custom-asyncmock-class",
    summary="home-made class AsyncMock(MagicMock) with async __call__ -> unittest.mock.AsyncMock",
    after=("asynctest-to-stdlib",),
    safety="safe",
    triggers=NAMES,
    needs={"python": (3, 8)},
    produces=(
        "AsyncMock",
        "unittest",
        "mock",
        "unittest.mock",
    ),
)
class CustomAsyncMockClass(CodemodTransformer):
    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (
        PositionProvider,
        QualifiedNameProvider,
        ScopeProvider,
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.depth = 0
        #: id(ImportAlias) of imports of a replaceable class from another module.
        self.imported: set[int] = set()
        #: id(Name) of uses to respell ``AsyncMock``.
        self.renamed: set[int] = set()
        self.replaced_classes: set[int] = set()
        #: id(Try) of ``try: from unittest.mock import AsyncMock`` / ``except ImportError:``
        #: the home-made class.
        self.shims: set[int] = set()

    # --- planning ----------------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        facts = self.ctx.facts
        # Where the classes are defined; an import is matched through re-exports below
        # (resolving the class names themselves could lead to the stdlib AsyncMock that
        # a fallback shim imports first).
        replaceable = set(facts.replaceable_asyncmock_classes)
        if not replaceable and not facts.custom_asyncmock_classes:
            self._report_helpers(node)
            return
        for statement in node.body:
            if isinstance(statement, cst.ClassDef):
                self._plan_class(statement, replaceable)
            elif isinstance(statement, cst.Try) and self._is_fallback_shim(statement, replaceable):
                self.shims.add(id(statement))
            elif isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.ImportFrom):
                        self._plan_import(small, replaceable, node)
        self._report_helpers(node)

    def _is_fallback_shim(self, node: cst.Try, replaceable: set[str]) -> bool:
        """``try: from unittest.mock import AsyncMock`` with the home-made class (and the
        imports it needs) as its only ``except ImportError`` fallback."""
        if node.orelse is not None or node.finalbody is not None or len(node.handlers) != 1:
            return False
        if not (
            len(node.body.body) == 1
            and m.matches(
                node.body.body[0],
                m.SimpleStatementLine(
                    body=[
                        m.ImportFrom(
                            module=m.Attribute(value=m.Name("unittest"), attr=m.Name("mock")),
                            names=[m.ImportAlias(name=m.Name("AsyncMock"), asname=None)],
                        )
                    ]
                ),
            )
        ):
            return False
        handler = node.handlers[0]
        if (
            handler.name is not None
            or handler.type is None
            or not m.matches(handler.type, m.Name("ImportError") | m.Name("ModuleNotFoundError"))
        ):
            return False
        found = False
        for statement in handler.body.body:
            if isinstance(statement, cst.ClassDef):
                qualified = ".".join(p for p in (self.ctx.module_name, statement.name.value) if p)
                if statement.name.value != "AsyncMock" or qualified not in replaceable:
                    return False
                found = True
            elif not m.matches(
                statement, m.SimpleStatementLine(body=[m.Import() | m.ImportFrom()])
            ):
                return False
        return found

    def _plan_class(self, node: cst.ClassDef, replaceable: set[str]) -> None:
        name = node.name.value
        if name not in NAMES:
            return
        qualified = f"{self.ctx.module_name}.{name}" if self.ctx.module_name else name
        if qualified in replaceable:
            self.replaced_classes.add(id(node))
        elif qualified in self.ctx.facts.custom_asyncmock_classes:
            self.review(
                node,
                f"home-made {name} class is not exactly `async def __call__` delegating to "
                "super().__call__: compare it with unittest.mock.AsyncMock by hand",
            )

    def _plan_import(
        self, node: cst.ImportFrom, replaceable: set[str], module_node: cst.Module
    ) -> None:
        if isinstance(node.names, cst.ImportStar) or (node.module is None and not node.relative):
            return
        module = self.import_source(node)
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            target = f"{module}.{alias.name.value}"
            if target not in replaceable:
                target = self.ctx.facts.resolve(target)
            if target not in replaceable or module == self.ctx.module_name:
                continue
            # The scope analysis only for an import of a home-made class.
            scope = self.get_metadata(ScopeProvider, module_node, None)
            if scope is None:
                return
            local = alias.evaluated_alias or alias.name.value
            assignments = [
                a for a in scope[local] if isinstance(a, ImportAssignment) and a.node is node
            ]
            taken = [
                a
                for a in scope["AsyncMock"]
                if not (isinstance(a, ImportAssignment) and a.node is node)
                and not _is_stdlib_asyncmock(a)
            ]
            if local != "AsyncMock" and taken:
                self.review(
                    node,
                    f"{local} comes from the home-made {target}, but AsyncMock already names "
                    "something else here; left alone",
                )
                continue
            self.imported.add(id(alias))
            if local != "AsyncMock":
                for assignment in assignments:
                    for reference in assignment.references:
                        if isinstance(reference.node, cst.Name):
                            self.renamed.add(id(reference.node))

    def _report_helpers(self, module: cst.Module) -> None:
        for statement in module.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value in NAMES:
                self.review(
                    statement,
                    f"def {statement.name.value}(...) helper builds an awaitable mock: consider "
                    "unittest.mock.AsyncMock (not rewritten: a factory may differ in behaviour)",
                )

    # --- rewriting ---------------------------------------------------------------------------

    def leave_Try(
        self, original_node: cst.Try, updated_node: cst.Try
    ) -> cst.BaseStatement | cst.RemovalSentinel:
        if id(original_node) not in self.shims:
            return updated_node
        self.changed(
            original_node,
            "dropped the pre-3.8 fallback (a home-made AsyncMock class of the plain async "
            "__call__ shape) around `from unittest.mock import AsyncMock`",
        )
        line = updated_node.body.body[0]
        assert isinstance(line, cst.SimpleStatementLine)
        return line.with_changes(leading_lines=updated_node.leading_lines)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.depth += 1

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.BaseStatement | cst.RemovalSentinel:
        self.depth -= 1
        if id(original_node) not in self.replaced_classes:
            return updated_node
        name = original_node.name.value
        self.changed(
            original_node,
            f"home-made {name}(MagicMock) with only an async __call__ delegating to "
            "super().__call__ -> unittest.mock.AsyncMock",
        )
        self.review(
            original_node,
            f"{name} is now unittest.mock.AsyncMock, which is not a MagicMock subclass: "
            "isinstance(..., MagicMock) checks on it turn false",
        )
        self.add_import("unittest.mock", "AsyncMock")
        for base in original_node.bases:
            for qualified in self.qualified_names(base.value):
                module, _, obj = qualified.rpartition(".")
                if module:
                    self.drop_import_if_unused(module, obj)
        if name == "AsyncMock":
            return cst.RemovalSentinel.REMOVE
        # Keep the public name: other modules (and this one) may still use it.
        return cst.SimpleStatementLine(
            body=[
                cst.Assign(
                    targets=[cst.AssignTarget(target=cst.Name(name))],
                    value=cst.Name("AsyncMock"),
                )
            ],
            leading_lines=updated_node.leading_lines,
        )

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if id(original_node) not in self.renamed:
            return updated_node
        self.changed(
            original_node,
            f"{original_node.value} (the home-made class, replaced) -> AsyncMock",
        )
        return updated_node.with_changes(value="AsyncMock")

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        if isinstance(original_node.names, cst.ImportStar) or isinstance(
            updated_node.names, cst.ImportStar
        ):
            return updated_node
        gone = [id(a) in self.imported for a in original_node.names]
        if not any(gone):
            return updated_node
        self.changed(
            original_node,
            "import of the home-made AsyncMock class -> from unittest.mock import AsyncMock "
            "(the index shows the class is the plain async __call__ shape)",
        )
        self.add_import("unittest.mock", "AsyncMock")
        kept: list[cst.ImportAlias] = [
            alias for alias, drop in zip(updated_node.names, gone, strict=True) if not drop
        ]
        if not kept:
            return cst.RemovalSentinel.REMOVE
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(names=kept)


def _is_stdlib_asyncmock(assignment: object) -> bool:
    if not isinstance(assignment, ImportAssignment):
        return False
    names: Sequence[str] = [q.name for q in assignment.get_qualified_names_for("AsyncMock")]
    return any(n in ("unittest.mock.AsyncMock", "mock.AsyncMock") for n in names)


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""
