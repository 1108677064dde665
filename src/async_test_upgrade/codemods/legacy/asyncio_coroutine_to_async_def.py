"""
**What it does**

Turns a generator-based coroutine, a ``def`` decorated with ``@asyncio.coroutine``,
into a native one: the decorator goes, ``def`` becomes ``async def`` and every
``yield from X`` in its own body becomes ``await X``. The decorator is recognised
through imports (``from asyncio import coroutine``, ``import asyncio as aio``).

**Why**

``@asyncio.coroutine`` was deprecated in Python 3.8 (``"@coroutine" decorator is
deprecated since Python 3.8, use "async def" instead``) and removed in 3.11, where the
module fails to import: ``AttributeError: module 'asyncio' has no attribute
'coroutine'``. Test helpers and fakes written for Python 3.4 still carry it.

**Example**

Before::

    import asyncio

    @asyncio.coroutine
    def fake_fetch(url):
        yield from asyncio.sleep(0)
        return 200

After::

    import asyncio

    async def fake_fetch(url):
        await asyncio.sleep(0)
        return 200

**When it refuses**

Reported and left alone: a function whose own body still has a bare ``yield`` (a
generator, not a coroutine), ``yield from`` of a generator function defined in the same
file (``await`` needs an awaitable), a function that the file iterates or drives as a
generator (``for x in f()``, ``next(f())``, ``list(f())``, ``f().send(...)``), and a
decorator that is called (``@asyncio.coroutine()``) or used other than as a decorator
(``asyncio.coroutine(obj)`` calls are ``coroutine-wrapper-to-asyncmock``'s). Every
rewrite is listed for review: ``verify`` shows whether the awaited objects are awaitable.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, ClassVar

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (
    PositionProvider,
    ProviderT,
    QualifiedNameProvider,
    ScopeProvider,
)

from async_test_upgrade.cst import CodemodTransformer, FileContext, Visitor
from async_test_upgrade.providers import ParentProvider
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

COROUTINE = ("asyncio.coroutine", "asyncio.coroutines.coroutine")
#: Builtins that iterate what they are given.
#: asyncio callables whose result is awaitable (coroutine functions, futures, tasks).
ASYNCIO_AWAITABLES = frozenset(
    f"asyncio.{n}"
    for n in (
        "sleep",
        "wait",
        "wait_for",
        "gather",
        "shield",
        "ensure_future",
        "create_task",
        "open_connection",
        "open_unix_connection",
        "start_server",
        "start_unix_server",
        "create_subprocess_exec",
        "create_subprocess_shell",
        "Future",
    )
)
ITERATING = frozenset({"next", "list", "tuple", "iter", "set", "sorted", "sum", "any", "all"})
GENERATOR_METHODS = frozenset({"send", "throw", "close", "__next__", "__iter__", "gi_frame"})


class _OwnBody(Visitor):
    """The yields of one function body, not of functions or lambdas nested in it."""

    def __init__(self) -> None:
        super().__init__()
        self.bare_yields: list[cst.Yield] = []
        self.yield_froms: list[cst.Yield] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Yield(self, node: cst.Yield) -> None:
        if isinstance(node.value, cst.From):
            self.yield_froms.append(node)
        else:
            self.bare_yields.append(node)


@codemod(
    name="asyncio-coroutine-to-async-def",
    summary="@asyncio.coroutine generator functions -> async def with await (removed in 3.11)",
    after=("coroutine-wrapper-to-asyncmock", "remove-loop-kwarg"),
    safety="review",
    triggers=("coroutine",),
    library_note="Python 3.11 removed @asyncio.coroutine",
    produces=(
        "async def",
        "await",
        "async with",
        "async for",
    ),
)
class AsyncioCoroutineToAsyncDef(CodemodTransformer):
    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (
        PositionProvider,
        QualifiedNameProvider,
        ScopeProvider,
        ParentProvider,
    )

    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """The decorator's own name as a whole word (``iscoroutinefunction`` is not it);
        imports keep it under an alias."""
        return code.has("coroutine")

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.converting: set[int] = set()
        self.awaits: set[int] = set()  # id(Yield) of the yield froms to rewrite
        self.generators: set[str] = set()
        #: Names of this file's ``@asyncio.coroutine`` functions: calling one is awaitable.
        self.coroutines: set[str] = set()
        #: id(converted FunctionDef) -> its own ``yield from`` expressions.
        self.own_yield_froms: dict[int, list[cst.Yield]] = {}

    def visit_Module(self, node: cst.Module) -> None:
        # Plain generator functions of this file: ``yield from`` one of them is not awaitable.
        for function in m.findall(node, m.FunctionDef()):
            assert isinstance(function, cst.FunctionDef)
            if self._decorator(function) is not None or function.asynchronous is not None:
                self.coroutines.add(function.name.value)
            if self._decorator(function) is None and function.asynchronous is None:
                body = _OwnBody()
                function.body.visit(body)
                if body.bare_yields or body.yield_froms:
                    self.generators.add(function.name.value)

    def _decorator(self, node: cst.FunctionDef) -> cst.Decorator | None:
        for decorator in node.decorators:
            target = decorator.decorator
            if isinstance(target, cst.Call) and self.is_name(target.func, *COROUTINE):
                return decorator  # called: refused in visit_FunctionDef
            if self.is_name(target, *COROUTINE):
                return decorator
        return None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        decorator = self._decorator(node)
        if decorator is None or node.asynchronous is not None:
            return
        name = node.name.value
        if isinstance(decorator.decorator, cst.Call):
            self.review(decorator, f"@asyncio.coroutine(...) called on {name}; rewrite by hand")
            return
        body = _OwnBody()
        node.body.visit(body)
        if body.bare_yields:
            self.review(
                body.bare_yields[0],
                f"{name} is decorated @asyncio.coroutine but has a bare yield (a generator): "
                "left alone, convert it by hand",
            )
            return
        for yield_from in body.yield_froms:
            assert isinstance(yield_from.value, cst.From)
            item = yield_from.value.item
            if (
                isinstance(item, cst.Call)
                and isinstance(item.func, cst.Name)
                and item.func.value in self.generators
            ):
                self.review(
                    yield_from,
                    f"{name}: yield from a plain generator function of this file, which await "
                    "would reject; left alone",
                )
                return
        use = self._generator_use(node)
        if use is not None:
            self.review(use, f"{name} is driven as a generator here; left as @asyncio.coroutine")
            return
        self.converting.add(id(node))
        self.awaits.update(id(y) for y in body.yield_froms)
        self.own_yield_froms[id(node)] = body.yield_froms

    def _awaitable(self, yield_from: cst.Yield) -> bool:
        """Whether the operand of ``yield from`` is known to be awaitable: a call of an
        asyncio coroutine function or awaitable maker, of a coroutine function of the
        project (``async def``), or of an ``@asyncio.coroutine`` function of this file."""
        assert isinstance(yield_from.value, cst.From)
        item = yield_from.value.item
        if not isinstance(item, cst.Call):
            return False
        if isinstance(item.func, cst.Name) and item.func.value in self.coroutines:
            return True
        names = self.qualified_names(item.func)
        return any(n in ASYNCIO_AWAITABLES or self.ctx.facts.is_async_function(n) for n in names)

    def _generator_use(self, node: cst.FunctionDef) -> cst.CSTNode | None:
        """A place that iterates or steps ``node``'s result as a generator."""
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None:
            return None
        for assignment in scope[node.name.value]:
            for reference in assignment.references:
                call = self.get_metadata(ParentProvider, reference.node, None)
                if not isinstance(call, cst.Call) or call.func is not reference.node:
                    continue
                user = self.get_metadata(ParentProvider, call, None)
                if isinstance(user, cst.For) and user.iter is call:
                    return user
                if isinstance(user, cst.CompFor) and user.iter is call:
                    return user
                if isinstance(user, cst.Attribute) and user.attr.value in GENERATOR_METHODS:
                    return user
                if isinstance(user, cst.Arg):
                    outer = self.get_metadata(ParentProvider, user, None)
                    if isinstance(outer, cst.Call) and m.matches(
                        outer.func, m.Name(m.MatchIfTrue(lambda v: v in ITERATING))
                    ):
                        return outer
        return None

    def leave_Yield(self, original_node: cst.Yield, updated_node: cst.Yield) -> cst.BaseExpression:
        if id(original_node) not in self.awaits:
            return updated_node
        assert isinstance(updated_node.value, cst.From)
        return cst.Await(
            expression=updated_node.value.item,
            lpar=updated_node.lpar,
            rpar=updated_node.rpar,
        )

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if id(original_node) not in self.converting:
            return updated_node
        name = original_node.name.value
        self.changed(
            original_node,
            f"@asyncio.coroutine def {name} -> async def, yield from -> await "
            "(the decorator is gone in Python 3.11)",
        )
        unknown = [y for y in self.own_yield_froms[id(original_node)] if not self._awaitable(y)]
        if unknown:
            self.review(
                original_node,
                f"{name} is now a native coroutine: check that what it awaited with yield "
                "from at line(s) "
                + ", ".join(str(self.line(y)) for y in unknown)
                + " is awaitable (a future, task or coroutine)",
            )
        self.drop_import_if_unused("asyncio")
        self.drop_import_if_unused("asyncio", "coroutine")
        decorators = []
        for before, after in zip(original_node.decorators, updated_node.decorators, strict=True):
            if self._decorator_is_coroutine(before):
                continue
            decorators.append(after)
        leading = list(updated_node.leading_lines)
        if original_node.decorators and self._decorator_is_coroutine(original_node.decorators[0]):
            if decorators:
                decorators[0] = decorators[0].with_changes(
                    leading_lines=updated_node.decorators[0].leading_lines
                )
            else:
                leading += updated_node.decorators[0].leading_lines
        return updated_node.with_changes(
            decorators=decorators,
            leading_lines=leading,
            asynchronous=cst.Asynchronous(),
        )

    def _decorator_is_coroutine(self, decorator: cst.Decorator) -> bool:
        return not isinstance(decorator.decorator, cst.Call) and self.is_name(
            decorator.decorator, *COROUTINE
        )
