"""What the mode codemods share: recognising asyncio marks, fixtures and tests in a tree."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node

from async_test_upgrade.cst import (
    CodemodTransformer,
    FileContext,
    Visitor,
)
from async_test_upgrade.cst import (
    fixture_decorator as fixture_decorator,  # shared by the family's codemods
)
from async_test_upgrade.cst import (
    is_fixture as is_fixture,  # shared by the family's codemods
)

ASYNCIO_MARK = "pytest.mark.asyncio"
FOREIGN_MARKS = ("pytest.mark.anyio", "pytest.mark.trio")
UNITTEST_CASES = (
    "unittest.TestCase",
    "unittest.case.TestCase",
    "unittest.IsolatedAsyncioTestCase",
    "unittest.async_case.IsolatedAsyncioTestCase",
)


def is_asyncio_mark(t: CodemodTransformer, expr: cst.BaseExpression) -> bool:
    """``pytest.mark.asyncio`` in any spelling, with or without arguments."""
    target = expr.func if isinstance(expr, cst.Call) else expr
    return t.is_name(target, ASYNCIO_MARK)


def is_bare_asyncio_mark(t: CodemodTransformer, expr: cst.BaseExpression) -> bool:
    """``pytest.mark.asyncio`` or ``pytest.mark.asyncio()``: no loop scope, no factories."""
    if isinstance(expr, cst.Call):
        return not expr.args and t.is_name(expr.func, ASYNCIO_MARK)
    return t.is_name(expr, ASYNCIO_MARK)


def mentions(t: CodemodTransformer, expr: cst.BaseExpression, names: Sequence[str]) -> bool:
    """Whether ``expr`` (a decorator or a ``pytestmark`` value) contains one of the marks."""
    finder = _NameFinder(t, names)
    expr.visit(finder)
    return finder.found


class _NameFinder(Visitor):
    def __init__(self, t: CodemodTransformer, names: Sequence[str]) -> None:
        self.t = t
        self.names = names
        self.found = False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if self.t.is_name(node, *self.names):
            self.found = True
        return not self.found

    def visit_Name(self, node: cst.Name) -> bool:
        if self.t.is_name(node, *self.names):
            self.found = True
        return False


def is_async(node: cst.FunctionDef) -> bool:
    return node.asynchronous is not None


def pytestmark_value(stmt: cst.BaseStatement) -> cst.BaseExpression | None:
    """The value of a ``pytestmark = ...`` statement line, else None."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    assign = stmt.body[0]
    if (
        isinstance(assign, cst.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0].target, cst.Name)
        and assign.targets[0].target.value == "pytestmark"
    ):
        return assign.value
    return None


def without_elements(
    value: cst.List | cst.Tuple, drop: Sequence[cst.BaseElement]
) -> cst.List | cst.Tuple | None:
    """``value`` minus ``drop``, commas tidied; None when nothing is left."""
    kept = [e for e in value.elements if not any(e is d for d in drop)]
    if not kept:
        return None
    last_original = value.elements[-1]
    if kept[-1] is not last_original:
        kept[-1] = kept[-1].with_changes(comma=last_original.comma)
    if isinstance(value, cst.Tuple) and len(kept) == 1 and not isinstance(kept[0].comma, cst.Comma):
        # A one-element tuple needs its comma to stay a tuple.
        kept[0] = kept[0].with_changes(comma=cst.Comma())
    return value.with_changes(elements=kept)


def comment_lines(lines: Sequence[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """The lines among ``lines`` that carry a comment (worth keeping when a node goes)."""
    return [line for line in lines if line.comment is not None]


def remove_decorators(
    node: cst.FunctionDef | cst.ClassDef, drop: Sequence[cst.Decorator]
) -> cst.FunctionDef | cst.ClassDef:
    """``node`` without the ``drop`` decorators; comments above them move down a line."""
    kept: list[cst.Decorator] = []
    carried: list[cst.EmptyLine] = []
    for decorator in node.decorators:
        if any(decorator is d for d in drop):
            carried.extend(comment_lines(decorator.leading_lines))
            continue
        if carried:
            decorator = decorator.with_changes(leading_lines=[*carried, *decorator.leading_lines])
            carried = []
        kept.append(decorator)
    if carried:
        return node.with_changes(
            decorators=kept, lines_after_decorators=[*carried, *node.lines_after_decorators]
        )
    return node.with_changes(decorators=kept)


def mark_decorator(module_alias: str = "pytest") -> cst.Decorator:
    """A fresh ``@pytest.mark.asyncio`` decorator line."""
    return cst.Decorator(decorator=cst.parse_expression(f"{module_alias}.mark.asyncio"))


class DropsPytestImports(CodemodTransformer):
    """Base of the codemods that remove asyncio marks: it remembers how the file imports
    pytest (or ``pytest.mark``), so that the import can go with the last mark."""

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.pytest_imports: list[tuple[str, str | None, str | None]] = []

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            if alias.evaluated_name == "pytest":
                self.pytest_imports.append(("pytest", None, alias.evaluated_alias))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        if get_full_name_for_node(node.module) != "pytest":
            return
        for alias in node.names:
            if alias.evaluated_name == "mark":
                self.pytest_imports.append(("pytest", "mark", alias.evaluated_alias))

    def drop_unused_pytest_imports(self) -> None:
        if self.ctx.changes:
            for module, obj, asname in self.pytest_imports:
                self.drop_import_if_unused(module, obj, asname)
