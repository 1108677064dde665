"""
**What it does**

Replaces ``asyncio.coroutine(...)`` wrappers that turn a mock or a lambda into
something awaitable with ``unittest.mock.AsyncMock``:

* ``asyncio.coroutine(MagicMock(...))`` / ``asyncio.coroutine(Mock(...))`` becomes
  ``AsyncMock(...)`` with the same arguments (spelled like the mock:
  ``mock.MagicMock`` gives ``mock.AsyncMock``);
* ``asyncio.coroutine(AsyncMock(...))`` is just the ``AsyncMock`` (the wrapper returned
  coroutine functions unchanged);
* ``asyncio.coroutine(lambda *a, **k: value)`` becomes
  ``AsyncMock(side_effect=lambda *a, **k: value)`` (awaiting an ``AsyncMock`` returns
  what a function ``side_effect`` returns);
* a *named* stub the test also asserts on (``execute = asyncio.coroutine(execute_stub)``
  with ``execute_stub = MagicMock(...)``) is itself rebound to an ``AsyncMock`` and used
  where the wrapper was (``execute = execute_stub``), and reported: its ``assert_called*``
  checks still hold, and ``assert_awaited*`` would now be available too;
* a plain function of the file (``def handler(request): ...``, bound once, neither async
  nor a generator) becomes an ``async def handler_coroutine(*args, **kwargs)`` defined
  just before the statement, which calls it and awaits the result when it is awaitable:
  what ``asyncio.coroutine`` did with a plain function (a route handler an
  ``aiohttp`` router wants as a coroutine function, a patched method);
* a named stub that is an ``AsyncMock`` already (``future-mock-to-asyncmock``, which
  runs first, makes one of a stub returning a resolved Future) is used where the
  wrapper was: ``asyncio.coroutine`` returned coroutine functions unchanged.

**Why**

``asyncio.coroutine`` was deprecated in Python 3.8 and removed in 3.11:
``AttributeError: module 'asyncio' has no attribute 'coroutine'``. It was the usual way
to make an awaitable mock before ``AsyncMock`` (3.8), which records calls and awaits and
returns its ``return_value`` (or applies its ``side_effect``) when awaited.

**Example**

Before::

    import asyncio
    from unittest.mock import MagicMock

    async def test_query(db, rows):
        db.execute = asyncio.coroutine(MagicMock(return_value=rows))
        fetch = asyncio.coroutine(lambda url: 200)

        execute_stub = MagicMock(return_value=rows)
        execute = asyncio.coroutine(execute_stub)
        ...
        execute_stub.assert_called_once_with("SELECT 1")

After::

    from unittest.mock import AsyncMock

    async def test_query(db, rows):
        db.execute = AsyncMock(return_value=rows)
        fetch = AsyncMock(side_effect=lambda url: 200)

        execute_stub = AsyncMock(return_value=rows)
        execute = execute_stub
        ...
        execute_stub.assert_called_once_with("SELECT 1")

**When it refuses**

Reported and left alone: a mock whose ``return_value`` (or lambda whose result) is
visibly awaitable (a future, a resolved one from a project helper, a task, a coroutine:
the wrapper awaited it, an ``AsyncMock`` would hand it out), or whose ``side_effect``
sequence holds such items; a named stub configured that way through its attributes
(``stub.return_value = fut``, ``stub.side_effect = [f1, f2]``) or whose return value
the test uses as a Future (``stub.return_value.add_done_callback(...)``); a named stub
that is also called directly, passed around, rebound, or not built from
``Mock``/``MagicMock``/``AsyncMock`` in the same scope; a
wrapped function that is imported, rebound, a generator or wrapped in a class body (make
it ``async def`` instead); any other argument; a file
where ``AsyncMock`` already names something else. ``@asyncio.coroutine`` on a generator
function is ``asyncio-coroutine-to-async-def``'s.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import ClassVar

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (
    Assignment,
    BaseAssignment,
    PositionProvider,
    ProviderT,
    QualifiedNameProvider,
    ScopeProvider,
)

from async_test_upgrade.codemods.mocks._mocks import (
    FUTURE_METHODS,
    async_twin,
    code,
    defines_foreign_asyncmock,
    is_future_helper_call,
    mock_kind,
    module_mock_alias,
    new_async_mock,
)
from async_test_upgrade.cst import CodemodTransformer, FileContext, keyword
from async_test_upgrade.providers import ParentProvider
from async_test_upgrade.registry import codemod

COROUTINE = ("asyncio.coroutine", "asyncio.coroutines.coroutine")


def _is_generator(func: cst.FunctionDef) -> bool:
    """Whether ``func``'s own body yields (nested functions and lambdas aside)."""

    class Yields(cst.CSTVisitor):
        found = False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is func

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_Yield(self, node: cst.Yield) -> None:
            self.found = True

    finder = Yields()
    func.visit(finder)
    return finder.found


#: Calls whose result is an awaitable the wrapper would have awaited.
AWAITABLE_MAKERS = frozenset(
    {
        "asyncio.Future",
        "asyncio.futures.Future",
        "asyncio.ensure_future",
        "asyncio.create_task",
        "asyncio.gather",
        "asyncio.sleep",
        "asyncio.wait_for",
        "asyncio.shield",
    }
)
AWAITABLE_METHODS = frozenset({"create_future", "create_task", "run_in_executor"})


@codemod(
    name="coroutine-wrapper-to-asyncmock",
    summary="asyncio.coroutine(MagicMock(...) | lambda | stub) -> AsyncMock (removed in 3.11)",
    after=("future-mock-to-asyncmock",),
    safety="safe",
    triggers=("coroutine(",),
    needs={"python": (3, 8)},
    produces=(
        "AsyncMock",
        "side_effect",
        "return_value",
        "unittest",
        "mock",
        "unittest.mock",
    ),
)
class CoroutineWrapperToAsyncMock(CodemodTransformer):
    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (
        PositionProvider,
        QualifiedNameProvider,
        ScopeProvider,
        ParentProvider,
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        #: id(wrapper call) -> what replaces it, decided before rewriting.
        self.wrappers: dict[int, str] = {}
        #: id(stub constructor call) -> the stub's name.
        self.stubs: dict[int, str] = {}
        self.foreign_asyncmock = False
        self.mock_alias: str | None = None
        self.attribute_bases: set[int] = set()
        #: id(wrapper call) of a plain function -> the name of the async def replacing it.
        self.function_wrappers: dict[int, str] = {}
        #: id(original statement) -> the (async def name, function name) to define before it.
        self.inserted: dict[int, list[tuple[str, str]]] = {}
        self.module: cst.Module | None = None
        self.taken_names: set[str] | None = None

    # --- planning ----------------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        self.module = node
        self.foreign_asyncmock = defines_foreign_asyncmock(node, self.ctx.names)
        self.mock_alias = module_mock_alias(node)
        for attribute in m.findall(node, m.Attribute()):
            assert isinstance(attribute, cst.Attribute)
            self.attribute_bases.add(id(attribute.value))
        for call in m.findall(node, m.Call()):
            assert isinstance(call, cst.Call)
            if self.is_name(call.func, *COROUTINE):
                self._plan(call)

    def _plan(self, call: cst.Call) -> None:
        args = [a for a in call.args if not a.star]
        if len(args) != 1 or len(call.args) != 1 or args[0].keyword is not None:
            self.review(call, "asyncio.coroutine(...) with unusual arguments; rewrite by hand")
            return
        wrapped = args[0].value
        if self.foreign_asyncmock:
            self.review(
                call,
                "asyncio.coroutine(...) left alone: AsyncMock already names something else in "
                "this file (a home-made class?); switch it to unittest.mock.AsyncMock first",
            )
            return
        if isinstance(wrapped, cst.Call) and mock_kind(self, wrapped) == "async":
            # asyncio.coroutine returned a coroutine function (an AsyncMock) unchanged.
            self.wrappers[id(call)] = "unwrap"
        elif isinstance(wrapped, cst.Call) and mock_kind(self, wrapped) == "sync":
            problem = self._awaitable_result(wrapped)
            if problem:
                self.review(call, problem)
                return
            self.wrappers[id(call)] = "mock"
        elif isinstance(wrapped, cst.Lambda):
            if self._visibly_awaitable(wrapped.body, call):
                self.review(
                    call,
                    f"the lambda returns an awaitable ({code(wrapped.body)}) that the wrapper "
                    "awaited; an AsyncMock side_effect would return it unawaited",
                )
                return
            self.wrappers[id(call)] = "lambda"
        elif isinstance(wrapped, cst.Name):
            self._plan_stub(call, wrapped)
        else:
            self.review(
                call,
                f"asyncio.coroutine({code(wrapped)}) (removed in 3.11): make the wrapped "
                "callable an AsyncMock or an async def by hand",
            )

    def _plan_stub(self, call: cst.Call, name: cst.Name) -> None:
        scope = self.get_metadata(ScopeProvider, name, None)
        assignments = list(scope[name.value]) if scope is not None else []
        why = "asyncio.coroutine(" + name.value + ") (removed in 3.11)"
        constructor = self._stub_constructor(assignments)
        if constructor is not None and mock_kind(self, constructor) == "async":
            # Already an AsyncMock (future-mock-to-asyncmock may have made it one):
            # asyncio.coroutine returned coroutine functions unchanged.
            self.wrappers[id(call)] = "async stub"
            return
        if constructor is None:
            if self._plan_function(call, name, assignments):
                return
            self.review(
                call,
                f"{why}: {name.value} is not a Mock/MagicMock built once in this scope "
                "(a function? make it async def); rewrite by hand",
            )
            return
        references = [r for a in assignments for r in a.references]
        for reference in references:
            node = reference.node
            if node is name or id(node) in self.attribute_bases:
                continue
            self.review(
                call,
                f"{why}: the stub {name.value} is also used other than through its "
                f"attributes (line {self.line(node)}); as an AsyncMock that use would change",
            )
            return
        problem = self._awaitable_result(constructor) or self._awaitable_configuration(
            name.value, references
        )
        if problem:
            self.review(call, problem)
            return
        self.wrappers[id(call)] = "stub"
        self.stubs[id(constructor)] = name.value

    def _plan_function(
        self, call: cst.Call, name: cst.Name, assignments: Sequence[BaseAssignment]
    ) -> bool:
        """``asyncio.coroutine(handler)`` of a plain ``def handler`` of this file (bound
        once, neither async nor a generator): an ``async def`` defined just before the
        statement calls it and awaits what it returns when that is awaitable, which is
        what the wrapper did. Not in a class body (the new ``def`` would be a method)."""
        if len(assignments) != 1 or not isinstance(assignments[0], Assignment):
            return False
        handler = assignments[0].node
        if not isinstance(handler, cst.FunctionDef) or handler.asynchronous is not None:
            return False
        if _is_generator(handler):
            return False
        statement = self._statement_of(call)
        if statement is None:
            return False
        taken = self._names()
        wrapper = f"{name.value}_coroutine"
        number = 2
        while wrapper in taken:
            wrapper = f"{name.value}_coroutine{number}"
            number += 1
        taken.add(wrapper)
        self.wrappers[id(call)] = "function"
        self.function_wrappers[id(call)] = wrapper
        self.inserted.setdefault(id(statement), []).append((wrapper, name.value))
        return True

    def _statement_of(self, node: cst.CSTNode) -> cst.BaseStatement | None:
        """The statement holding ``node`` directly in a function or module body."""
        current: cst.CSTNode | None = node
        while current is not None:
            above = self.get_metadata(ParentProvider, current, None)
            if isinstance(current, cst.BaseStatement) and isinstance(
                above, cst.IndentedBlock | cst.Module
            ):
                if isinstance(above, cst.IndentedBlock):
                    owner = self.get_metadata(ParentProvider, above, None)
                    if isinstance(owner, cst.ClassDef):
                        return None
                return current
            current = above
        return None

    def _names(self) -> set[str]:
        if self.taken_names is None:
            assert self.module is not None
            self.taken_names = {
                n.value for n in m.findall(self.module, m.Name()) if isinstance(n, cst.Name)
            }
        return self.taken_names

    def _stub_constructor(self, assignments: Sequence[BaseAssignment]) -> cst.Call | None:
        if len(assignments) != 1 or not isinstance(assignments[0], Assignment):
            return None
        target = assignments[0].node
        target_parent = self.get_metadata(ParentProvider, target, None)
        if not isinstance(target_parent, cst.AssignTarget):
            return None
        statement = self.get_metadata(ParentProvider, target_parent, None)
        if not isinstance(statement, cst.Assign) or len(statement.targets) != 1:
            return None
        value = statement.value
        if isinstance(value, cst.Call) and mock_kind(self, value) in ("sync", "async"):
            return value
        return None

    def _awaitable_result(self, mock_call: cst.Call) -> str | None:
        for name in ("return_value", "side_effect"):
            arg = keyword(mock_call, name)
            if arg is None:
                continue
            value = arg.value
            if isinstance(value, cst.Lambda):
                value = value.body
            if self._visibly_awaitable(value, mock_call):
                return (
                    f"the mock's {name} ({code(arg.value)}) is awaitable and the "
                    "asyncio.coroutine wrapper awaited it; an AsyncMock would return it as "
                    "is: rewrite by hand"
                )
            if name == "side_effect" and self._holds_awaitables(value, mock_call):
                return (
                    f"the mock's side_effect ({code(arg.value)}) holds awaitables and the "
                    "asyncio.coroutine wrapper awaited each; an AsyncMock would return them "
                    "as they are: rewrite by hand"
                )
        return None

    def _holds_awaitables(self, value: cst.BaseExpression, where: cst.CSTNode) -> bool:
        """A ``side_effect`` sequence with a visibly awaitable item: the wrapper awaited
        the item of each call, an AsyncMock returns it."""
        return isinstance(value, cst.List | cst.Tuple) and any(
            isinstance(e, cst.Element) and self._visibly_awaitable(e.value, where)
            for e in value.elements
        )

    def _awaitable_configuration(self, stub: str, references: Sequence[object]) -> str | None:
        """How the stub is configured, through its attributes, to return something the
        wrapper awaited: ``stub.return_value = fut``, ``stub.side_effect = [f1, f2]``, or
        ``stub.return_value.set_result(v)`` (what it returns is used as a Future)."""
        for reference in references:
            node = getattr(reference, "node", None)
            attribute = self.get_metadata(ParentProvider, node, None) if node else None
            if not isinstance(attribute, cst.Attribute) or attribute.value is not node:
                continue
            what = attribute.attr.value
            parent = self.get_metadata(ParentProvider, attribute, None)
            if (
                what == "return_value"
                and isinstance(parent, cst.Attribute)
                and parent.attr.value in FUTURE_METHODS
            ):
                return (
                    f"{stub}.return_value.{parent.attr.value} at line {self.line(parent)} uses "
                    f"what {stub} returns as a Future, which the asyncio.coroutine wrapper "
                    "awaited and an AsyncMock would return as is: rewrite by hand"
                )
            if what not in ("return_value", "side_effect") or not isinstance(
                parent, cst.AssignTarget
            ):
                continue
            statement = self.get_metadata(ParentProvider, parent, None)
            if not isinstance(statement, cst.Assign):
                continue
            value = statement.value
            line = self.line(statement)
            if self._visibly_awaitable(value, statement):
                return (
                    f"{stub}.{what} is set to {code(value)} at line {line}, an awaitable the "
                    "asyncio.coroutine wrapper awaited; an AsyncMock would return it as is: "
                    "rewrite by hand"
                )
            if what == "side_effect" and self._holds_awaitables(value, statement):
                return (
                    f"{stub}.side_effect is set to {code(value)} at line {line}, awaitables "
                    "the asyncio.coroutine wrapper awaited; an AsyncMock would return them as "
                    "they are: rewrite by hand"
                )
        return None

    def _visibly_awaitable(self, value: cst.BaseExpression, where: cst.CSTNode) -> bool:
        """A future, task or coroutine built right there or bound to a name in scope."""
        if isinstance(value, cst.Name):
            scope = self.get_metadata(ScopeProvider, where, None)
            if scope is None:
                return False
            for assignment in scope[value.value]:
                if not isinstance(assignment, Assignment):
                    continue
                target_parent = self.get_metadata(ParentProvider, assignment.node, None)
                statement = (
                    self.get_metadata(ParentProvider, target_parent, None)
                    if isinstance(target_parent, cst.AssignTarget)
                    else None
                )
                if isinstance(statement, cst.Assign) and self._awaitable_call(statement.value):
                    return True
                if isinstance(assignment.node, cst.FunctionDef) and (
                    assignment.node.asynchronous is not None
                ):
                    return False  # an async def *function* is not itself awaitable
            return False
        return self._awaitable_call(value)

    def _awaitable_call(self, value: cst.BaseExpression) -> bool:
        if isinstance(value, cst.Await) or not isinstance(value, cst.Call):
            return False
        names = self.qualified_names(value.func)
        if names & AWAITABLE_MAKERS or is_future_helper_call(self, value):
            return True
        if isinstance(value.func, cst.Attribute) and value.func.attr.value in AWAITABLE_METHODS:
            return True
        return any(self.ctx.facts.is_async_function(n) for n in names)

    # --- rewriting ---------------------------------------------------------------------------

    def _with_wrappers(
        self,
        statements: Sequence[cst.BaseStatement],
        originals: Sequence[cst.BaseStatement],
        blank_lines: int,
    ) -> list[cst.BaseStatement]:
        result: list[cst.BaseStatement] = []
        for original, statement in zip(originals, statements, strict=True):
            for wrapper, function in self.inserted.get(id(original), ()):
                self.add_import("inspect")
                definition = cst.parse_statement(
                    f"async def {wrapper}(*args, **kwargs):\n"
                    f"    result = {function}(*args, **kwargs)\n"
                    "    if inspect.isawaitable(result):\n"
                    "        result = await result\n"
                    "    return result\n"
                )
                assert isinstance(definition, cst.FunctionDef)
                # The new def takes the statement's leading comments and blank lines; a
                # blank line then separates it from the statement.
                leading = getattr(statement, "leading_lines", ())
                result.append(definition.with_changes(leading_lines=leading))
                statement = statement.with_changes(
                    leading_lines=[cst.EmptyLine(indent=False)] * blank_lines
                )
            result.append(statement)
        return result

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        if not any(id(s) in self.inserted for s in original_node.body):
            return updated_node
        return updated_node.with_changes(
            body=self._with_wrappers(updated_node.body, original_node.body, 1)
        )

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if any(id(s) in self.inserted for s in original_node.body):
            updated_node = updated_node.with_changes(
                body=self._with_wrappers(updated_node.body, original_node.body, 2)
            )
        return super().leave_Module(original_node, updated_node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        stub = self.stubs.get(id(original_node))
        if stub is not None:
            self.changed(
                original_node,
                f"stub {stub} = {code(original_node.func)}(...) -> AsyncMock: it was wrapped "
                "by asyncio.coroutine and only used through its attributes",
            )
            self.review(
                original_node,
                f"{stub} is now an AsyncMock used directly where asyncio.coroutine({stub}) "
                "was; its assert_called* checks still hold (assert_awaited* would be stricter)",
            )
            return updated_node.with_changes(func=async_twin(self, updated_node.func))
        kind = self.wrappers.get(id(original_node))
        if kind is None:
            return updated_node
        self.drop_import_if_unused("asyncio")
        self.drop_import_if_unused("asyncio", "coroutine")
        wrapped = updated_node.args[0].value
        if kind == "unwrap":
            self.changed(
                original_node,
                "asyncio.coroutine(AsyncMock(...)) -> AsyncMock(...): the wrapper returned a "
                "coroutine function unchanged",
            )
            return wrapped
        if kind == "mock":
            assert isinstance(wrapped, cst.Call)
            constructor = original_node.args[0].value
            assert isinstance(constructor, cst.Call)
            self.changed(
                original_node,
                f"asyncio.coroutine({code(constructor.func)}(...)) -> AsyncMock(...) with the "
                "same arguments (asyncio.coroutine is gone in 3.11)",
            )
            return wrapped.with_changes(func=async_twin(self, wrapped.func))
        if kind == "function":
            wrapper = self.function_wrappers[id(original_node)]
            self.changed(
                original_node,
                f"asyncio.coroutine({code(wrapped)}) -> {wrapper}, an async def calling "
                f"{code(wrapped)} and awaiting an awaitable result, as the wrapper did",
            )
            return cst.Name(wrapper)
        if kind == "async stub":
            self.changed(
                original_node,
                f"asyncio.coroutine({code(wrapped)}) -> {code(wrapped)}: it is an AsyncMock "
                "already, which the wrapper returned unchanged",
            )
            return wrapped
        if kind == "lambda":
            self.changed(
                original_node,
                "asyncio.coroutine(lambda ...) -> AsyncMock(side_effect=lambda ...): awaiting "
                "it returns the lambda's result, as the wrapper did",
            )
            return cst.Call(
                func=new_async_mock(self, self.mock_alias),
                args=[
                    cst.Arg(
                        keyword=cst.Name("side_effect"),
                        value=wrapped,
                        equal=cst.AssignEqual(
                            whitespace_before=cst.SimpleWhitespace(""),
                            whitespace_after=cst.SimpleWhitespace(""),
                        ),
                    )
                ],
            )
        self.changed(
            original_node,
            f"asyncio.coroutine({code(wrapped)}) -> {code(wrapped)}, the stub rebound to an "
            "AsyncMock",
        )
        return wrapped
