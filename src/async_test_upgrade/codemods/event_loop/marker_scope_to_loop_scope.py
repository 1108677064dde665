"""
**What it does**

Rewrites the loop scope of asyncio marks to the ``loop_scope`` keyword:
``pytest.mark.asyncio(scope="module")`` and the positional
``pytest.mark.asyncio("module")`` become ``pytest.mark.asyncio(loop_scope="module")``;
the ``asyncio_event_loop`` mark of pytest-asyncio 0.22 becomes
``pytest.mark.asyncio(loop_scope="class")`` on a class and
``pytest.mark.asyncio(loop_scope="module")`` in a module's ``pytestmark``. The mark is
found wherever it appears: decorators, ``pytestmark = ...`` (single or list),
``pytest.param(..., marks=...)`` and ``item.add_marker(...)``, with names resolved
through imports (``from pytest import mark``, ``import pytest as pt``).

**Why**

pytest-asyncio 0.24 added ``loop_scope`` and deprecated ``scope`` on the mark
(``The "scope" keyword argument to the asyncio marker has been deprecated. Please use
the "loop_scope" argument instead.``); positional arguments have been rejected since
0.24 (``mark.asyncio accepts only a keyword argument 'loop_scope'``). The
``asyncio_event_loop`` mark only existed in the yanked 0.22 release.

**Example**

Before::

    import pytest

    pytestmark = pytest.mark.asyncio(scope="module")

    @pytest.mark.asyncio("session")
    async def test_x(): ...

    @pytest.mark.asyncio_event_loop
    class TestGroup: ...

After::

    import pytest

    pytestmark = pytest.mark.asyncio(loop_scope="module")

    @pytest.mark.asyncio(loop_scope="session")
    async def test_x(): ...

    @pytest.mark.asyncio(loop_scope="class")
    class TestGroup: ...

**When it refuses**

A mark carrying both ``scope`` and ``loop_scope`` with different values, an
``asyncio_event_loop`` mark with a ``policy`` argument, or one whose placement does not
say which scope it meant (inside a function or hook) is left as it is and reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.cst import (
    CodemodTransformer,
    FileContext,
    keyword,
    string_literal,
    string_value,
)
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

MARK = "pytest.mark.asyncio"
LEGACY_MARK = "pytest.mark.asyncio_event_loop"


@codemod(
    name="marker-scope-to-loop-scope",
    summary="pytest.mark.asyncio(scope=X) / asyncio(X) / asyncio_event_loop -> loop_scope=X",
    after=("remove-event-loop-override",),
    safety="safe",
    triggers=("asyncio(", "asyncio_event_loop"),
    min_target=(0, 24),
    produces=(
        "loop_scope",
        "asyncio",
        "mark",
    ),
)
class MarkerScopeToLoopScope(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """An ``asyncio_event_loop`` mark, or an ``asyncio`` mark (with a scope to move)."""
        return code.has("asyncio_event_loop") or (code.has("asyncio") and code.mentions("mark"))

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.stack: list[str] = []  # "class" / "function" for the enclosing definitions
        self.decorator_owner: list[str] = []
        self.pytestmark_level: str | None = None
        self.called_legacy: set[int] = set()

    # --- where are we ------------------------------------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.stack.append("class")

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self.stack.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.stack.append("function")

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.stack.pop()
        return updated_node

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self.decorator_owner.append(self.stack[-1])

    def leave_Decorator(
        self, original_node: cst.Decorator, updated_node: cst.Decorator
    ) -> cst.Decorator:
        self.decorator_owner.pop()
        return updated_node

    def visit_Assign(self, node: cst.Assign) -> None:
        if any(
            isinstance(t.target, cst.Name) and t.target.value == "pytestmark" for t in node.targets
        ):
            if not self.stack:
                self.pytestmark_level = "module"
            elif self.stack[-1] == "class":
                self.pytestmark_level = "class"

    def leave_Assign(
        self, original_node: cst.Assign, updated_node: cst.Assign
    ) -> cst.BaseSmallStatement:
        self.pytestmark_level = None
        return updated_node

    def _legacy_scope(self) -> str | None:
        """The loop scope an ``asyncio_event_loop`` mark here stood for."""
        if self.decorator_owner:
            return "class" if self.decorator_owner[-1] == "class" else None
        return self.pytestmark_level

    # --- the marks ----------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        if self.is_name(node.func, LEGACY_MARK):
            self.called_legacy.add(id(node.func))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.is_name(original_node.func, LEGACY_MARK):
            if original_node.args:
                self.review(
                    original_node,
                    "asyncio_event_loop mark with arguments (an event loop policy): move the "
                    "policy to a pytest_asyncio_loop_factories hook by hand",
                )
                return updated_node
            return self._legacy(original_node, updated_node.func)
        if not self.is_name(original_node.func, MARK):
            return updated_node
        return self._rescope(original_node, updated_node)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if id(original_node) in self.called_legacy or not self.is_name(original_node, LEGACY_MARK):
            return updated_node
        return self._legacy(original_node, updated_node)

    def _legacy(self, original: cst.CSTNode, mark: cst.BaseExpression) -> cst.BaseExpression:
        scope = self._legacy_scope()
        if scope is None or not isinstance(mark, cst.Attribute):
            self.review(
                original,
                "asyncio_event_loop mark outside a class decorator or pytestmark: choose "
                'pytest.mark.asyncio(loop_scope="class" or "module") by hand',
            )
            return mark
        self.changed(original, f"asyncio_event_loop mark (0.22) -> asyncio(loop_scope={scope!r})")
        return cst.Call(
            func=mark.with_changes(attr=cst.Name("asyncio")),
            args=[_loop_scope_arg(string_literal(scope))],
        )

    def _rescope(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        scope_kw = keyword(updated, "scope")
        loop_scope_kw = keyword(updated, "loop_scope")
        positional = [a for a in updated.args if a.keyword is None and not a.star]
        if scope_kw is None and not positional:
            return updated
        if positional and len(positional) > 1:
            self.review(original, "asyncio mark with several positional arguments; left alone")
            return updated
        given = scope_kw if scope_kw is not None else positional[0]
        if loop_scope_kw is not None:
            if _same_value(loop_scope_kw.value, given.value):
                self.changed(original, "dropped the deprecated scope= beside loop_scope=")
                return _drop(updated, given)
            self.review(
                original,
                "asyncio mark gives scope= and loop_scope= with different values; left alone",
            )
            return updated
        args = [
            _loop_scope_arg(given.value, given.comma) if arg is given else arg
            for arg in updated.args
        ]
        # Keyword arguments must follow the positional one we turned into a keyword.
        args.sort(key=lambda a: a.keyword is not None)
        what = "scope=" if scope_kw is not None else "positional scope"
        self.changed(original, f"asyncio mark {what} -> loop_scope=")
        return updated.with_changes(args=args)


def _loop_scope_arg(
    value: cst.BaseExpression, comma: cst.Comma | cst.MaybeSentinel = cst.MaybeSentinel.DEFAULT
) -> cst.Arg:
    return cst.Arg(
        keyword=cst.Name("loop_scope"),
        value=value,
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
        comma=comma,
    )


def _same_value(a: cst.BaseExpression, b: cst.BaseExpression) -> bool:
    left, right = string_value(a), string_value(b)
    return left is not None and left == right


def _drop(call: cst.Call, arg: cst.Arg) -> cst.Call:
    args = [a for a in call.args if a is not arg]
    if args and call.args[-1] is arg:
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return call.with_changes(args=args)
