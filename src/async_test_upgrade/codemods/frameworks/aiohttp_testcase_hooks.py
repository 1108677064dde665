"""
**What it does**

Keeps the set-up and tear-down hooks of aiohttp's ``AioHTTPTestCase`` subclasses working
across aiohttp 3.8, which moved the test server's start into ``setUpAsync``:

* ``async def setUpAsync(self)`` that does not call the base's ``setUpAsync`` gets
  ``await super().setUpAsync()`` as its first statement: before 3.8 the base built the
  application, server and client in ``setUp`` and ``setUpAsync`` was an empty hook run
  after it; since 3.8 the base's ``setUpAsync`` builds them, so an override that does not
  call it leaves the test without ``self.server`` and ``self.client``;
* ``async def tearDownAsync(self)`` that does not call the base's gets
  ``await super().tearDownAsync()`` as its last statement (the client is closed there now;
  before 3.8 the base's ``tearDown`` closed it after the hook);
* a sync ``def setUp(self)`` that calls the base's ``setUp`` (``super().setUp()`` or
  ``AioHTTPTestCase.setUp(self)``) and then uses what it built becomes ``async def
  setUpAsync(self)``, the call becoming ``await super().setUpAsync()`` at the same place
  (``self.loop.run_until_complete(X)`` in it becomes ``await X``).

Subclasses are found through imports and the project index (a project base class
deriving from ``AioHTTPTestCase`` counts). A call of the base hook under any spelling
(``super()``, ``AioHTTPTestCase.setUpAsync(self)``, a project base's name) counts.

**Why**

aiohttp 3.8 rebuilt ``AioHTTPTestCase`` on ``unittest.IsolatedAsyncioTestCase``: its
``setUp`` is the standard no-op and its ``setUpAsync`` does the work the old ``setUp``
did. Suites written for aiohttp 3.7 fail after the upgrade with ``AttributeError: ...
object has no attribute 'server'`` (or whatever ``get_application`` set).

**Example**

Before::

    from aiohttp import ClientSession
    from aiohttp.test_utils import AioHTTPTestCase

    class TestAuth(AioHTTPTestCase):
        async def setUpAsync(self):
            self.session = ClientSession()

    class TestAdmin(AioHTTPTestCase):
        def setUp(self):
            AioHTTPTestCase.setUp(self)
            self.url = f"http://127.0.0.1:{self.server.port}/"

After::

    from aiohttp import ClientSession
    from aiohttp.test_utils import AioHTTPTestCase

    class TestAuth(AioHTTPTestCase):
        async def setUpAsync(self):
            await super().setUpAsync()
            self.session = ClientSession()

    class TestAdmin(AioHTTPTestCase):
        async def setUpAsync(self):
            await super().setUpAsync()
            self.url = f"http://127.0.0.1:{self.server.port}/"

**When it refuses**

A sync ``setUp`` in a class that also defines ``setUpAsync`` (the two would have to be
merged by hand), or that uses ``self.loop`` other than to run one coroutine, is reported
and left alone; so is a ``tearDownAsync`` that may return before its end.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

import libcst as cst
from libcst.metadata import ProviderT, QualifiedNameProvider

from async_test_upgrade.codemods.event_loop._event_loop import is_docstring
from async_test_upgrade.cst import CodemodTransformer, FileContext, Visitor
from async_test_upgrade.registry import codemod

BASE = "aiohttp.test_utils.AioHTTPTestCase"
HOOKS = ("setUpAsync", "tearDownAsync", "setUp")


def _super_hook(name: str) -> cst.SimpleStatementLine:
    call = cst.Call(func=cst.Attribute(value=cst.Call(func=cst.Name("super")), attr=cst.Name(name)))
    return cst.SimpleStatementLine(body=[cst.Expr(cst.Await(expression=call))])


class _HookCalls(Visitor):
    """Calls of a base hook in a method: ``super().name(...)``, ``Base.name(self)``."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.calls: list[cst.Call] = []
        self.loop_uses: list[cst.Attribute] = []
        self.runs: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == self.name):
            return
        owner = func.value
        if isinstance(owner, cst.Call) and isinstance(owner.func, cst.Name):
            if owner.func.value == "super":
                self.calls.append(node)
        elif isinstance(owner, cst.Name | cst.Attribute) and node.args:
            first = node.args[0].value
            if isinstance(first, cst.Name) and first.value == "self":
                self.calls.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if (
            isinstance(node.value, cst.Name)
            and node.value.value == "self"
            and node.attr.value == "loop"
        ):
            self.loop_uses.append(node)


@codemod(
    name="aiohttp-testcase-hooks",
    summary="AioHTTPTestCase setUpAsync/tearDownAsync/setUp overrides keep the test server",
    after=("remove-unittest-run-loop",),
    safety="review",
    triggers=("setUpAsync", "tearDownAsync", "AioHTTPTestCase"),
    needs={"aiohttp": (3, 8)},
    produces=(
        "super",
        "setUpAsync",
        "tearDownAsync",
        "await",
    ),
)
class AiohttpTestcaseHooks(CodemodTransformer):
    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (QualifiedNameProvider,)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        #: id of an original method -> what to do with it.
        self.plans: dict[int, str] = {}
        #: ids of calls to rewrite: base setUp -> await super().setUpAsync(); and
        #: self.loop.run_until_complete(X) -> await X.
        self.setup_calls: set[int] = set()
        self.runs: set[int] = set()

    def _derives(self, bases: list[cst.Arg]) -> bool:
        for base in bases:
            for name in self.qualified_names(base.value):
                if self._is_testcase(name, 0):
                    return True
        return False

    def _is_testcase(self, name: str, depth: int) -> bool:
        facts = self.ctx.facts
        name = facts.resolve(name)
        if name == BASE:
            return True
        if depth > 10:
            return False
        return any(self._is_testcase(b, depth + 1) for b in facts.class_bases.get(name, ()))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not self._derives(list(node.bases)):
            return
        methods = {
            s.name.value: s
            for s in node.body.body
            if isinstance(s, cst.FunctionDef) and s.name.value in HOOKS
        }
        for name, method in methods.items():
            finder = _HookCalls(name)
            method.body.visit(finder)
            if name in ("setUpAsync", "tearDownAsync"):
                if method.asynchronous is None or finder.calls:
                    continue
                if name == "tearDownAsync" and _returns(method):
                    self.review(
                        method,
                        "tearDownAsync may return before its end: add `await "
                        "super().tearDownAsync()` (it closes the test client since aiohttp "
                        "3.8) by hand",
                    )
                    continue
                self.plans[id(method)] = name
            elif method.asynchronous is None and finder.calls:
                self._plan_sync_setup(method, finder, "setUpAsync" in methods)

    def _plan_sync_setup(
        self, method: cst.FunctionDef, finder: _HookCalls, has_async: bool
    ) -> None:
        if has_async:
            self.review(
                method,
                "setUp calls AioHTTPTestCase.setUp, which builds nothing since aiohttp 3.8 "
                "(setUpAsync does), and the class defines setUpAsync too: merge them by hand",
            )
            return
        run_calls = _loop_runs(method)
        if len(run_calls) != len(finder.loop_uses):
            self.review(
                method,
                "setUp calls AioHTTPTestCase.setUp, which builds nothing since aiohttp 3.8, "
                "and uses self.loop other than to run one coroutine: move it into an async "
                "setUpAsync by hand",
            )
            return
        self.plans[id(method)] = "setUp"
        self.setup_calls.update(id(c) for c in finder.calls)
        self.runs.update(id(c) for c in run_calls)

    # --- rewriting -----------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if id(original_node) in self.setup_calls:
            call = cst.Call(
                func=cst.Attribute(
                    value=cst.Call(func=cst.Name("super")), attr=cst.Name("setUpAsync")
                )
            )
            return cst.Await(expression=call)
        if id(original_node) in self.runs:
            return cst.Await(expression=updated_node.args[0].value)
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        plan = self.plans.get(id(original_node))
        if plan is None or not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        body = list(updated_node.body.body)
        if plan == "setUpAsync":
            at = 1 if body and is_docstring(body[0]) else 0
            body.insert(at, _super_hook("setUpAsync"))
            self.changed(
                original_node,
                "setUpAsync override now calls the base's first: since aiohttp 3.8 it builds "
                "the application, test server and client (before, setUp did)",
            )
        elif plan == "tearDownAsync":
            body.append(_super_hook("tearDownAsync"))
            self.changed(
                original_node,
                "tearDownAsync override now calls the base's last: since aiohttp 3.8 it "
                "closes the test client (before, tearDown did)",
            )
        else:
            self.changed(
                original_node,
                "sync setUp calling AioHTTPTestCase.setUp -> async setUpAsync awaiting the "
                "base's: since aiohttp 3.8 the base builds the server there, and setUp "
                "builds nothing",
            )
            return updated_node.with_changes(
                name=cst.Name("setUpAsync"), asynchronous=cst.Asynchronous()
            )
        return updated_node.with_changes(body=updated_node.body.with_changes(body=body))


def _returns(method: cst.FunctionDef) -> bool:
    """Whether the method's own body holds a ``return`` (nested definitions aside)."""
    found: list[cst.Return] = []

    class Returns(Visitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is method

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Return(self, node: cst.Return) -> None:
            found.append(node)

    method.visit(Returns())
    return bool(found)


def _loop_runs(method: cst.FunctionDef) -> list[cst.Call]:
    """``self.loop.run_until_complete(X)`` calls (one positional argument)."""
    found: list[cst.Call] = []

    class Runs(Visitor):
        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if (
                isinstance(func, cst.Attribute)
                and func.attr.value == "run_until_complete"
                and isinstance(func.value, cst.Attribute)
                and func.value.attr.value == "loop"
                and isinstance(func.value.value, cst.Name)
                and func.value.value.value == "self"
                and len(node.args) == 1
                and node.args[0].keyword is None
                and not node.args[0].star
            ):
                found.append(node)

    method.body.visit(Runs())
    return found
