"""
**What it does**

Moves a suite off asynctest onto the standard library:

* ``asynctest.CoroutineMock`` becomes ``unittest.mock.AsyncMock``; ``Mock``,
  ``MagicMock``, ``NonCallableMock``, ``NonCallableMagicMock``, ``patch`` (and
  ``patch.object`` / ``.dict`` / ``.multiple``), ``call``, ``ANY``, ``DEFAULT``,
  ``sentinel``, ``mock_open``, ``create_autospec``, ``PropertyMock`` become their
  ``unittest.mock`` namesakes; ``scope=asynctest.GLOBAL`` (the default, and the only
  behaviour of the standard ``patch``) is dropped. The unittest names asynctest
  re-exports (``skip``, ``main``, ...) become ``unittest.*``.
* A class deriving from ``asynctest.TestCase`` (directly, or through a project base
  class the index knows) becomes a ``unittest.IsolatedAsyncioTestCase``: ``setUp`` and
  ``tearDown`` become ``asyncSetUp``/``asyncTearDown`` (a coroutine hook must, to be
  awaited at all; a generator-based ``@asyncio.coroutine`` one keeps its decorator for
  ``asyncio-coroutine-to-async-def``; a sync one becomes an ``async def`` too, so it runs in
  the test's loop, where code that needs a running loop works as well, unless it runs a
  loop itself, when it stays a sync ``setUp``), and ``super().setUp()`` in them, awaited or
  not, becomes ``await super().asyncSetUp()`` (``yield from`` in a generator), since the
  parent's hook is an async one now; ``self.loop`` in a
  coroutine becomes ``asyncio.get_running_loop()``; a sync ``test*`` method whose only
  loop uses are ``self.loop.run_until_complete(X)`` (or calls of a runner helper,
  ``def run_async(self, c): return self.loop.run_until_complete(c)``, which then turns
  async unless other sync code or a subclass may call it) becomes an ``async def``
  awaiting ``X``; any other ``self.loop`` in sync code becomes
  ``asyncio.get_event_loop()``, the test's loop, which IsolatedAsyncioTestCase (like
  asynctest) sets as current around setUp, the test and tearDown.
* A ``CoroutineMock`` side effect whose result may be awaitable (``side_effect=lambda:
  asyncio.sleep(0)``, a lambda calling one of the project's coroutine functions or
  something unknown, a function of the module returning a coroutine) becomes an ``async
  def`` placed just before the statement using it, which awaits that result (when it may
  not be awaitable, only if it is): asynctest awaited it, ``AsyncMock`` would hand back
  the coroutine object. Exceptions, iterables and plain-value lambdas stay as they are.
* The ``use_default_loop`` / ``forbid_get_event_loop`` class attributes and the
  ``@asynctest.fail_on(...)``, ``@asynctest.strict``, ``@asynctest.lenient`` and
  ``@asynctest.ignore_loop`` decorators are deleted (noted: there is no stdlib check).

Names are resolved through imports in every style (``import asynctest``, ``import
asynctest as at``, ``from asynctest import CoroutineMock, TestCase``, ``from
asynctest.mock import patch``); attribute spellings become ``mock.X`` (with ``from
unittest import mock``) and ``unittest.X``, bare names stay bare (``AsyncMock``,
``IsolatedAsyncioTestCase`` imported by name). The asynctest import goes once nothing
uses it.

**Why**

asynctest's last release is 0.13.0 (2019) and it cannot even be imported on Python
3.11 (``AttributeError: module 'asyncio' has no attribute 'coroutine'``). Everything
the suites used from it has existed in the standard library since Python 3.8:
``AsyncMock`` (same ``await_count`` and ``assert_awaited*`` API), async magic methods on
``MagicMock``, ``patch`` choosing ``AsyncMock`` for ``async def`` targets, and
``IsolatedAsyncioTestCase`` (runs ``asyncSetUp``, the test and ``asyncTearDown`` in one
fresh loop, as ``asynctest.TestCase`` did).

**Example**

Before::

    import asynctest

    class TestSvc(asynctest.TestCase):
        use_default_loop = False

        async def setUp(self):
            self.svc = await make_svc(loop=self.loop)

        @asynctest.patch("app.svc.fetch", new=asynctest.CoroutineMock(return_value=3))
        async def test_x(self):
            self.assertEqual(await self.svc.total(), 3)

After::

    import asyncio
    import unittest
    from unittest import mock

    class TestSvc(unittest.IsolatedAsyncioTestCase):
        async def asyncSetUp(self):
            self.svc = await make_svc(loop=asyncio.get_running_loop())

        @mock.patch("app.svc.fetch", new=mock.AsyncMock(return_value=3))
        async def test_x(self):
            self.assertEqual(await self.svc.total(), 3)

**When it refuses**

Reported and left on asynctest: ``ClockedTestCase`` (and its ``self.advance``: the
standard library has no fake loop clock), a ``CoroutineMock`` configured with Futures
(a Future, or a project helper's resolved one, as its ``return_value``; a ``side_effect``
list holding Futures; ``m.return_value = fut`` later; what it returns used as a Future,
``m.return_value.set_result(v)``): asynctest awaited the Futures it returned, an
``AsyncMock`` would hand them out; ``patch(..., scope=asynctest.LIMITED)``,
``return_once``, ``exhaust_callbacks``, the selector/socket mocks and any other
asynctest-only name; a ``TestCase`` class that assigns ``self.loop``, overrides the
machinery (``run``, ``debug``, ``doCleanups``, ``_init_loop``...) or defines both a hook
and its async counterpart (and, through the project index, every subclass of such a
class, in any file); ``from asynctest import *``; a name
that the new spelling would clash with (a local ``mock`` variable gets the full
``unittest.mock.X`` spelling instead; a rebound ``unittest`` keeps the class). Also noted, but
converted: ``addCleanup`` in a converted class (asynctest awaited coroutine functions
there; the standard class wants ``addAsyncCleanup``), a ``super().setUp()`` call
elsewhere than first in an async ``setUp``, ``assertAsyncRaises``-style helpers, and
``.awaited`` (asynctest's ``CoroutineMock`` event, absent from ``AsyncMock``), and a
side effect whose result may be awaitable that cannot be moved into an ``async def`` (an
imported function, a lambda inside a comprehension).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, TypeVar

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (
    Assignment,
    ImportAssignment,
    PositionProvider,
    ProviderT,
    QualifiedNameProvider,
    Scope,
    ScopeProvider,
)

from async_test_upgrade.codemods.mocks import _mocks
from async_test_upgrade.codemods.mocks import _side_effects as side_effects
from async_test_upgrade.codemods.mocks._facts import ASYNCTEST_MACHINERY
from async_test_upgrade.cst import (
    CodemodTransformer,
    FileContext,
    Visitor,
    callee,
    keyword,
    set_keyword,
    without_args,
)
from async_test_upgrade.facts import ProjectFacts
from async_test_upgrade.gate import CodeIndex
from async_test_upgrade.registry import codemod

#: The asynctest modules a name can be imported from.
MODULES = frozenset(
    {
        "asynctest",
        "asynctest.mock",
        "asynctest.case",
        "asynctest.helpers",
        "asynctest.selector",
        "asynctest._fail_on",
    }
)
SUBMODULES = frozenset(name.split(".")[1] for name in MODULES if "." in name)

#: asynctest name -> (stdlib module, stdlib name).
MOCK_NAMES = (
    "Mock",
    "MagicMock",
    "NonCallableMock",
    "NonCallableMagicMock",
    "patch",
    "call",
    "ANY",
    "DEFAULT",
    "sentinel",
    "mock_open",
    "create_autospec",
    "PropertyMock",
)
UNITTEST_NAMES = (
    "IsolatedAsyncioTestCase",
    "SkipTest",
    "TestLoader",
    "TestResult",
    "TestSuite",
    "TextTestResult",
    "TextTestRunner",
    "addModuleCleanup",
    "defaultTestLoader",
    "expectedFailure",
    "main",
    "skip",
    "skipIf",
    "skipUnless",
)
MAPPING: dict[str, tuple[str, str]] = {
    **{name: ("unittest.mock", name) for name in MOCK_NAMES},
    "CoroutineMock": ("unittest.mock", "AsyncMock"),
    **{name: ("unittest", name) for name in UNITTEST_NAMES},
}
TESTCASE = "TestCase"
ISOLATED = ("unittest", "IsolatedAsyncioTestCase")

#: Decorators that only switched asynctest's own post-test checks on or off.
DROPPED_DECORATORS = frozenset({"fail_on", "strict", "lenient", "ignore_loop"})
#: Class attributes that only tuned asynctest's loop handling.
DROPPED_ATTRIBUTES = frozenset({"use_default_loop", "forbid_get_event_loop"})

REVIEW_NAMES = {
    "ClockedTestCase": "asynctest.ClockedTestCase drives a fake loop clock (self.advance); "
    "the standard library has none: port it by hand (e.g. to a time-mocking library)",
    "LIMITED": "patch scope=asynctest.LIMITED (patch inactive while the coroutine is "
    "suspended) has no stdlib equivalent; left on asynctest",
    "GLOBAL": "asynctest.GLOBAL outside a patch(scope=...) call; left on asynctest",
    "return_once": "asynctest.return_once: use side_effect=[value, then, then, ...] "
    "(or a function) on a standard mock by hand",
    "exhaust_callbacks": "asynctest.exhaust_callbacks(loop): replace with "
    "`await asyncio.sleep(0)` (repeated as needed) by hand",
    "FunctionTestCase": "asynctest.FunctionTestCase has no async standard equivalent",
}
REVIEW_OTHER = "has no standard-library equivalent; left on asynctest"

ASYNC_ASSERTS = frozenset(
    {"assertAsyncRaises", "assertAsyncRaisesRegex", "assertAsyncWarns", "assertAsyncWarnsRegex"}
)
Definition = TypeVar("Definition", cst.FunctionDef, cst.ClassDef)
AnyImport = TypeVar("AnyImport", cst.Import, cst.ImportFrom)

HOOK_RENAMES = {"setUp": "asyncSetUp", "tearDown": "asyncTearDown"}
#: Arguments that decide what a mock returns when awaited (or replace the mock).
CONFIGURES_RESULT = frozenset(
    {
        "return_value",
        "side_effect",
        "spec",
        "spec_set",
        "wraps",
        "new",
        "new_callable",
        "autospec",
    }
)


@dataclass(frozen=True)
class Spelling:
    """How a migrated name is written, and what import it needs."""

    module: str  # "unittest.mock" / "unittest"
    name: str  # the stdlib name
    #: "bare" (``AsyncMock``, imported by name), "short" (``mock.AsyncMock`` /
    #: ``unittest.X``) or "full" (``unittest.mock.AsyncMock``, when ``mock`` is taken).
    style: str

    @property
    def local(self) -> str:
        """The name the rewritten code binds in its scope."""
        if self.style == "bare":
            return self.name
        if self.style == "short" and self.module == "unittest.mock":
            return "mock"
        return "unittest"

    @property
    def qualified(self) -> frozenset[str]:
        """What ``local`` may already refer to."""
        if self.style == "bare":
            return frozenset({f"{self.module}.{self.name}"})
        if self.local == "mock":
            return frozenset({"unittest.mock"})
        return frozenset({"unittest", "unittest.mock"})

    def node(self) -> cst.BaseExpression:
        if self.style == "bare":
            return cst.Name(self.name)
        value: cst.BaseExpression = cst.Name(self.local)
        if self.style == "full":
            value = cst.Attribute(value=value, attr=cst.Name("mock"))
        return cst.Attribute(value=value, attr=cst.Name(self.name))

    def request_import(self, transformer: CodemodTransformer) -> None:
        if self.style == "bare":
            transformer.add_import(self.module, self.name)
        elif self.local == "mock":
            transformer.add_import("unittest", "mock")
        else:
            transformer.add_import(self.module)


@dataclass
class Plan:
    node: cst.Name | cst.Attribute
    asynctest_name: str
    spelling: Spelling
    #: The local name the original spelling goes through (``asynctest``, ``at``, ``patch``).
    root: str


def asynctest_subclass_names(facts: ProjectFacts) -> frozenset[str]:
    """The short names of the project classes deriving from asynctest's TestCase (directly
    or through other project classes), computed once per facts object."""
    return facts.derived(_asynctest_subclass_names)


def _asynctest_subclass_names(facts: ProjectFacts) -> frozenset[str]:
    derived: set[str] = set()

    def derives(name: str, depth: int) -> bool:
        if depth > 10:
            return False
        name = facts.resolve(name)
        if _asynctest_name([name]) == TESTCASE:
            return True
        return any(derives(base, depth + 1) for base in facts.class_bases.get(name, ()))

    for qualname in facts.class_bases:
        if derives(qualname, 0):
            derived.add(qualname.rpartition(".")[2])
    return frozenset(derived)


def _root(node: cst.BaseExpression) -> str | None:
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _asynctest_name(qualified: Collection[str]) -> str | None:
    """``CoroutineMock`` for ``asynctest.CoroutineMock`` or ``asynctest.mock.CoroutineMock``."""
    for name in qualified:
        module, _, attribute = name.rpartition(".")
        if module in MODULES and attribute and attribute not in SUBMODULES:
            return attribute
    return None


def _is_asynctest(qualified: Collection[str]) -> bool:
    return any(q == "asynctest" or q.startswith("asynctest.") for q in qualified)


SELF_LOOP = m.Attribute(value=m.Name("self"), attr=m.Name("loop"))


def _is_super_call(node: cst.BaseExpression, method: str) -> bool:
    return m.matches(
        node,
        m.Call(func=m.Attribute(value=m.Call(func=m.Name("super")), attr=m.Name(method))),
    )


@codemod(
    name="asynctest-to-stdlib",
    summary="asynctest mocks, patch and TestCase -> unittest.mock / IsolatedAsyncioTestCase",
    after=("mock-shim-to-stdlib", "unittest-async-to-isolated"),
    safety="review",
    # A subclass of a project asynctest base never names asynctest itself: its hooks
    # (setUp, tearDown) or self.loop are what it has to be changed for.
    triggers=("asynctest", "setUp", "tearDown", "self.loop"),
    needs={"python": (3, 8)},
    produces=(
        "AsyncMock",
        "MagicMock",
        "Mock",
        "patch",
        "IsolatedAsyncioTestCase",
        "asyncSetUp",
        "asyncTearDown",
        "async def",
        "await",
        "async with",
        "async for",
        "asyncio",
        "get_event_loop",
        "get_running_loop",
        "unittest",
        "mock",
        "unittest.mock",
        "inspect",
        "isawaitable",
        "awaiting_side_effect",
        "return_value",
        "side_effect",
    ),
)
class AsynctestToStdlib(side_effects.AwaitingSideEffects):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """asynctest itself, or the name of a project class deriving from its TestCase."""
        if code.has("asynctest") or code.mentions("asynctest"):
            return True
        return any(code.has(name) for name in asynctest_subclass_names(facts))

    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (
        PositionProvider,
        QualifiedNameProvider,
        ScopeProvider,
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.plans: dict[int, Plan] = {}
        #: Local names of asynctest bindings something still uses after the rewrite.
        self.needed: set[str] = set()
        self.dropped_decorators: set[int] = set()
        self.dropped_statements: set[int] = set()
        self.converted_classes: set[int] = set()
        self.renamed_hooks: dict[int, str] = {}
        self.super_hook_calls: dict[int, str] = {}  # id(Call) -> new attribute name
        #: ids of those calls that were not awaited (a sync parent hook): now they are,
        #: with ``yield from`` in a generator-based coroutine hook (True), else ``await``.
        self.super_hook_awaits: dict[int, bool] = {}
        #: id(``self.run_async(X)`` call of a runner helper) -> parenthesize its await.
        self.helper_awaits: dict[int, bool] = {}
        self.loop_uses: set[int] = set()
        #: ``self.loop`` read in sync code: the current loop.
        self.sync_loop_uses: set[int] = set()
        #: id(self.loop.run_until_complete(X)) in a sync test -> parenthesize ``await X``.
        self.sync_awaits: dict[int, bool] = {}
        self.async_methods: set[int] = set()
        self.global_scope_calls: set[int] = set()
        self.disabled = False
        #: The first module-level asynctest import line removed: the new imports go there.
        self.anchor: cst.SimpleStatementLine | None = None
        #: Inside an indented block: no anchor for the new imports there.
        self.block_depth = 0

    # --- planning: one read-only pass before anything is rewritten -----------------------

    def visit_Module(self, node: cst.Module) -> bool:
        if m.findall(node, m.ImportFrom(names=m.ImportStar())):
            for star in m.findall(node, m.ImportFrom(names=m.ImportStar())):
                assert isinstance(star, cst.ImportFrom)
                if star.module is not None and _dotted(star.module) in MODULES:
                    self.review(
                        star,
                        "from asynctest import *: cannot tell which names come from "
                        "asynctest; import them by name first",
                    )
                    self.disabled = True
        if self.disabled:
            return False
        self.init_side_effects(node)
        node.visit(_Planner(self))
        self._settle_collisions()
        return True

    def _settle_collisions(self) -> None:
        """Keep a name on asynctest when its new spelling would clash with a binding.

        A clash with an asynctest import that stays (because another use of it stays)
        can appear only as uses are kept, so this runs to a fixed point.
        """
        while True:
            clashing = [p for p in self.plans.values() if self._clashes(p)]
            if not clashing:
                return
            for plan in clashing:
                fallback = Spelling(plan.spelling.module, plan.spelling.name, "full")
                if plan.spelling.local == "mock" and not self._clashes(plan, fallback):
                    plan.spelling = fallback  # a local ``mock`` variable: spell it in full
                    continue
                del self.plans[id(plan.node)]
                self.needed.add(plan.root)
                self.review(
                    plan.node,
                    f"asynctest.{plan.asynctest_name} left alone: the name "
                    f"{plan.spelling.local!r} is already bound to something else here",
                )

    def _clashes(self, plan: Plan, spelling: Spelling | None = None) -> bool:
        spelling = spelling or plan.spelling
        scope = self.get_metadata(ScopeProvider, plan.node, None)
        return scope is not None and not self._free(scope, spelling.local, spelling.qualified)

    def _free(self, scope: Scope, local: str, qualified: Collection[str]) -> bool:
        """Whether ``local`` can refer to ``qualified`` in ``scope`` after the rewrite."""
        assignments: Collection[object] = scope[local]
        for assignment in assignments:
            if not isinstance(assignment, ImportAssignment):
                return False
            names = {q.name for q in assignment.get_qualified_names_for(local)}
            if names & set(qualified):
                continue
            if _is_asynctest(names) and local not in self.needed:
                continue  # an asynctest import this rewrite removes
            return False
        return True

    def plan_use(self, node: cst.Name | cst.Attribute, name: str) -> None:
        """A use of ``asynctest.<name>`` no earlier rule claimed."""
        root = _root(node) or ""
        if name in MAPPING:
            module, target = MAPPING[name]
            style = "short" if isinstance(node, cst.Attribute) else "bare"
            spelling = Spelling(module, target, style)
            self.plans[id(node)] = Plan(node, name, spelling, root)
            return
        self.needed.add(root)
        if name == TESTCASE:
            self.review(
                node, "asynctest.TestCase used other than as a base class; left on asynctest"
            )
        elif name in DROPPED_DECORATORS:
            self.review(node, f"asynctest.{name} used other than as a decorator; left on asynctest")
        else:
            self.review(node, REVIEW_NAMES.get(name, f"asynctest.{name} {REVIEW_OTHER}"))

    def plan_class(self, node: cst.ClassDef) -> bool:
        """Decide whether an asynctest TestCase class converts; plan its edits if so."""
        for statement in node.body.body:
            if (
                isinstance(statement, cst.FunctionDef)
                and statement.name.value in ASYNCTEST_MACHINERY
            ):
                self.review(
                    statement,
                    f"{node.name.value} overrides asynctest.TestCase.{statement.name.value}; "
                    "class left on asynctest",
                )
                return False
        methods = {s.name.value: s for s in node.body.body if isinstance(s, cst.FunctionDef)}
        for old, new in HOOK_RENAMES.items():
            if old in methods and new in methods:
                self.review(
                    methods[old],
                    f"{node.name.value} defines both {old} and {new}; class left on asynctest",
                )
                return False
        finder = _LoopUses(self, self._own_runner_helpers(node))
        node.body.visit(finder)
        finder.decide()
        if finder.blocking:
            for use, reason in finder.blocking:
                self.review(use, f"{reason}; class {node.name.value} left on asynctest")
            return False

        self.converted_classes.add(id(node))
        self.loop_uses.update(id(u) for u in finder.rewritable)
        self.sync_loop_uses.update(id(u) for u in finder.sync_reads)
        self.sync_awaits.update(finder.awaits)
        self.async_methods.update(finder.async_methods)
        self.helper_awaits.update(finder.helper_awaits)
        for statement in node.body.body:
            if _assigns_attribute(statement, DROPPED_ATTRIBUTES):
                self.dropped_statements.add(id(statement))
        helpers = self._own_runner_helpers(node)
        for old, new in HOOK_RENAMES.items():
            hook = methods.get(old)
            if hook is None:
                continue
            sync = hook.asynchronous is None and not self._is_coroutine_decorated(hook)
            if sync and _drives_a_loop(hook, helpers):
                # It runs coroutines on the current (not running) loop itself, as
                # IsolatedAsyncioTestCase still lets a sync setUp do: it stays sync.
                continue
            # A coroutine hook must become asyncSetUp/asyncTearDown to be awaited at all.
            # A sync one (asynctest called it with the test's loop current, not running)
            # becomes one too: it then runs in the test's loop, where code that needs a
            # running loop (aiohttp's ClientSession since 3.9, say) works as well. A
            # generator-based hook becomes async def through asyncio-coroutine-to-async-def.
            self.renamed_hooks[id(hook)] = new
            if sync:
                self.async_methods.add(id(hook))
            self._plan_super_calls(hook, old, new)
        for call in m.findall(node.body, m.Call(func=m.Attribute(value=m.Name("self")))):
            assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
            method = call.func.attr.value
            if method == "addCleanup":
                self.review(
                    call,
                    "asynctest awaited coroutine-function cleanups; IsolatedAsyncioTestCase "
                    "does not: use addAsyncCleanup if this cleanup is async",
                )
            elif method in ASYNC_ASSERTS:
                self.review(
                    call,
                    f"asynctest's {method} does not exist on IsolatedAsyncioTestCase: use "
                    "`with self.assertRaises(...): await ...` (or assertWarns) by hand",
                )
        return True

    def _own_runner_helpers(self, node: cst.ClassDef) -> dict[str, cst.FunctionDef]:
        """The class's runner helpers that can become async: only where no other class
        of the project derives from it (a subclass elsewhere may call them from sync code
        this file cannot see)."""
        qualname = ".".join(p for p in (self.ctx.module_name, node.name.value) if p)
        facts = self.ctx.facts
        if any(
            facts.resolve(base) == qualname
            for bases in facts.class_bases.values()
            for base in bases
        ):
            return {}
        return _runner_helpers(node)

    def _plan_super_calls(self, hook: cst.FunctionDef, old: str, new: str) -> None:
        """``super().setUp()`` (awaited or not) -> ``await super().asyncSetUp()``: the
        parent's hook is an async one now (asynctest's own, and every project base's)."""
        awaited = {
            id(a.expression) for a in m.findall(hook.body, m.Await()) if isinstance(a, cst.Await)
        }
        generator = self._is_coroutine_decorated(hook)
        for call in m.findall(hook.body, m.Call()):
            assert isinstance(call, cst.Call)
            if _is_super_call(call, old):
                self.super_hook_calls[id(call)] = new
                if id(call) not in awaited:
                    self.super_hook_awaits[id(call)] = generator

    def _is_coroutine_decorated(self, function: cst.FunctionDef) -> bool:
        return any(
            self.is_name(callee(d.decorator), "asyncio.coroutine", "asyncio.coroutines.coroutine")
            for d in function.decorators
        )

    def base_spelling_clashes(self, bases: Sequence[tuple[cst.Arg, str | None]]) -> bool:
        """Whether ``unittest`` / ``IsolatedAsyncioTestCase`` is taken where a direct
        asynctest.TestCase base would be rewritten (checked before the class is planned,
        so a kept base never leaves a half-converted class)."""
        for base, kind in bases:
            if kind != "direct":
                continue
            style = "short" if isinstance(base.value, cst.Attribute) else "bare"
            spelling = Spelling(*ISOLATED, style)
            scope = self.get_metadata(ScopeProvider, base.value, None)
            if scope is not None and not self._free(scope, spelling.local, spelling.qualified):
                self.review(
                    base,
                    f"asynctest.TestCase left alone: the name {spelling.local!r} is already "
                    "bound to something else here",
                )
                return True
        return False

    def derives_from_testcase(self, base: cst.BaseExpression) -> str | None:
        """ "direct" for an asynctest.TestCase base, "indirect" for a project class the
        index shows deriving from it, "kept" when a class on that chain cannot leave
        asynctest (so neither can this one), else None."""
        names = self.qualified_names(base)
        if _asynctest_name(names) == TESTCASE:
            return "direct"
        for name in names:
            qualified = name if "." in name else f"{self.ctx.module_name}.{name}"
            chain = self._indexed_chain(qualified, 0)
            if chain is None:
                continue
            facts = self.ctx.facts
            blocking = [c for c in chain if c in facts.asynctest_blocking_classes]
            if blocking:
                self.review(
                    base,
                    f"base class {blocking[0]} stays on asynctest.TestCase (it overrides the "
                    "machinery or uses self.loop outside async methods); this class stays too",
                )
                return "kept"
            return "indirect"
        return None

    def _indexed_chain(self, qualified: str, depth: int) -> list[str] | None:
        """The project classes from ``qualified`` up to asynctest.TestCase, if it gets there."""
        facts = self.ctx.facts
        qualified = facts.resolve(qualified)
        if depth > 10:
            return None
        for base in facts.class_bases.get(qualified, ()):
            base = facts.resolve(base)
            if base in ("asynctest.TestCase", "asynctest.case.TestCase"):
                return [qualified]
            above = self._indexed_chain(base, depth + 1)
            if above is not None:
                return [qualified, *above]
        return None

    # --- rewriting --------------------------------------------------------------------------

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self.side_effect_replacement(original_node) or self._apply_plan(
            original_node, updated_node
        )

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if id(original_node) in self.sync_loop_uses:
            self.add_import("asyncio")
            self.changed(
                original_node,
                "self.loop -> asyncio.get_event_loop() in sync code of a class leaving "
                "asynctest.TestCase: IsolatedAsyncioTestCase sets the test's loop as the "
                "current one around setUp, the test and tearDown, as asynctest did",
            )
            return cst.Call(
                func=cst.Attribute(value=cst.Name("asyncio"), attr=cst.Name("get_event_loop"))
            )
        if id(original_node) in self.loop_uses:
            self.add_import("asyncio")
            self.changed(
                original_node,
                "self.loop -> asyncio.get_running_loop() in an async method of a class "
                "leaving asynctest.TestCase",
            )
            return cst.Call(
                func=cst.Attribute(value=cst.Name("asyncio"), attr=cst.Name("get_running_loop"))
            )
        return self._apply_plan(original_node, updated_node)

    def _apply_plan(
        self, original: cst.Name | cst.Attribute, updated: cst.BaseExpression
    ) -> cst.BaseExpression:
        plan = self.plans.get(id(original))
        if plan is None:
            return updated
        spelling = plan.spelling
        spelling.request_import(self)
        self.changed(
            original,
            f"asynctest.{plan.asynctest_name} -> {spelling.module}.{spelling.name} "
            "(resolved through the asynctest import)",
        )
        new = spelling.node()
        if isinstance(updated, cst.Name | cst.Attribute):
            new = new.with_changes(lpar=updated.lpar, rpar=updated.rpar)
        return new

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        parenthesize = self.helper_awaits.get(id(original_node))
        if parenthesize is not None:
            self.changed(
                original_node,
                "self.<helper>(X) -> await self.<helper>(X): the helper only ran X on the "
                "test loop, and it is async now (the test becomes async)",
            )
            awaited = cst.Await(expression=updated_node)
            if parenthesize:
                awaited = awaited.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
            return awaited
        if id(original_node) in self.sync_awaits:
            self.changed(
                original_node,
                "self.loop.run_until_complete(X) -> await X in a sync test of a class leaving "
                "asynctest.TestCase (the test becomes async)",
            )
            awaited = cst.Await(expression=updated_node.args[0].value)
            if self.sync_awaits[id(original_node)]:
                awaited = awaited.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
            return awaited
        new_name = self.super_hook_calls.get(id(original_node))
        if new_name is not None and isinstance(updated_node.func, cst.Attribute):
            self.changed(original_node, f"await super().{new_name}() follows the renamed hook")
            renamed = updated_node.with_changes(
                func=updated_node.func.with_changes(attr=cst.Name(new_name))
            )
            generator = self.super_hook_awaits.get(id(original_node))
            if generator is None:
                return renamed
            if generator:
                return cst.Yield(value=cst.From(item=renamed))
            return cst.Await(expression=renamed)
        if id(original_node) in self.global_scope_calls:
            scope = keyword(updated_node, "scope")
            if scope is not None:
                self.changed(
                    original_node, "dropped scope=asynctest.GLOBAL: the standard patch's only mode"
                )
                updated_node = without_args(updated_node, [scope])
        return self._sync_default_result(original_node, updated_node)

    def _sync_default_result(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        """``CoroutineMock()`` -> ``AsyncMock(return_value=MagicMock())``, and a patch that
        makes its own mock gets the same ``return_value``: awaiting asynctest's
        CoroutineMock gave a MagicMock (sync methods), awaiting an AsyncMock gives another
        AsyncMock, whose methods return coroutines (``resp = await get(); resp.json()``
        would break)."""
        plan = self._maker_plan(original)
        if plan is None or any(
            a.keyword is not None and a.keyword.value in CONFIGURES_RESULT for a in original.args
        ):
            return updated
        positional = [a for a in original.args if a.keyword is None]
        takes = {"CoroutineMock": 0, "patch": 1, "patch.object": 2}[plan[1]]
        if len(positional) > takes or any(a.star for a in positional):
            return updated  # a spec, or the ``new`` object itself
        spelling = plan[0].spelling
        style = spelling.style
        scope = self.get_metadata(ScopeProvider, original, None)
        if (
            style == "bare"
            and scope is not None
            and not self._free(scope, "MagicMock", {"unittest.mock.MagicMock", "mock.MagicMock"})
        ):
            style = "full"
        magic = Spelling("unittest.mock", "MagicMock", style)
        magic.request_import(self)
        self.changed(
            original,
            "return_value=MagicMock(): awaiting asynctest's mock gave a MagicMock, awaiting "
            "an AsyncMock would give an AsyncMock whose methods return coroutines",
        )
        return set_keyword(updated, "return_value", cst.Call(func=magic.node()))

    def _maker_plan(self, call: cst.Call) -> tuple[Plan, str] | None:
        """The plan of a CoroutineMock, ``patch`` or ``patch.object`` callee."""
        func = call.func
        plan = self.plans.get(id(func))
        if plan is not None and plan.asynctest_name in ("CoroutineMock", "patch"):
            return plan, plan.asynctest_name
        if isinstance(func, cst.Attribute) and func.attr.value == "object":
            plan = self.plans.get(id(func.value))
            if plan is not None and plan.asynctest_name == "patch":
                return plan, "patch.object"
        return None

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        updated_node = self._drop_decorators(original_node, updated_node)
        new_name = self.renamed_hooks.get(id(original_node))
        if id(original_node) in self.async_methods:
            why = (
                "as asyncSetUp/asyncTearDown it runs in the test's loop, where code needing a "
                "running loop works too (asynctest only set that loop as current)"
                if new_name is not None
                else "it only drove the test loop through self.loop.run_until_complete"
            )
            self.changed(original_node, f"def {original_node.name.value} -> async def: {why}")
            updated_node = updated_node.with_changes(asynchronous=cst.Asynchronous())
        if new_name is not None:
            self.changed(
                original_node,
                f"{original_node.name.value} -> {new_name}: IsolatedAsyncioTestCase awaits "
                f"{new_name} in the test's loop (a coroutine {original_node.name.value} would "
                "never run)",
            )
            updated_node = updated_node.with_changes(name=cst.Name(new_name))
        return updated_node

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        updated_node = self._drop_decorators(original_node, updated_node)
        if id(original_node) not in self.converted_classes:
            return updated_node
        body = updated_node.body
        if not isinstance(body, cst.IndentedBlock):
            return updated_node
        kept: list[cst.BaseStatement] = []
        carried: Sequence[cst.EmptyLine] | None = None
        for before, after in zip(original_node.body.body, body.body, strict=True):
            if id(before) in self.dropped_statements:
                if not kept and carried is None and isinstance(after, cst.SimpleStatementLine):
                    carried = after.leading_lines
                self.changed(
                    before,
                    "dropped asynctest's loop option (use_default_loop/forbid_get_event_loop): "
                    "IsolatedAsyncioTestCase always runs each test in a fresh loop",
                )
                self.review(
                    before,
                    "asynctest loop option removed; IsolatedAsyncioTestCase has no such switch",
                )
                continue
            if carried is not None and not kept and hasattr(after, "leading_lines"):
                after = after.with_changes(leading_lines=carried)
            kept.append(after)
        if not kept:
            kept = [cst.SimpleStatementLine(body=[cst.Pass()])]
        return updated_node.with_changes(body=body.with_changes(body=kept))

    def _drop_decorators(self, original: Definition, updated: Definition) -> Definition:
        drop = [id(d) in self.dropped_decorators for d in original.decorators]
        if not any(drop):
            return updated
        kept = [d for d, gone in zip(updated.decorators, drop, strict=True) if not gone]
        for decorator, gone in zip(original.decorators, drop, strict=True):
            if gone:
                self.changed(
                    decorator,
                    "dropped an asynctest check decorator (fail_on/strict/lenient/ignore_loop)",
                )
                self.review(
                    decorator,
                    "asynctest post-test check removed (unused loop / active handles): the "
                    "standard library has no equivalent",
                )
        leading: Sequence[cst.EmptyLine] = updated.decorators[0].leading_lines
        if drop[0]:
            if kept:
                kept[0] = kept[0].with_changes(leading_lines=leading)
            else:
                return updated.with_changes(
                    decorators=[], leading_lines=[*updated.leading_lines, *leading]
                )
        return updated.with_changes(decorators=kept)

    # --- the asynctest imports ---------------------------------------------------------------

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.block_depth += 1

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        self.block_depth -= 1
        if not updated_node.body:  # its only statement was an asynctest import
            return updated_node.with_changes(body=[cst.SimpleStatementLine(body=[cst.Pass()])])
        return updated_node

    def leave_Import(
        self, original_node: cst.Import, updated_node: cst.Import
    ) -> cst.Import | cst.RemovalSentinel:
        kept = [
            alias
            for alias in updated_node.names
            if not (_dotted(alias.name) in MODULES and _local(alias) not in self.needed)
        ]
        return self._shrink(original_node, updated_node, kept)

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        if (
            isinstance(updated_node.names, cst.ImportStar)
            or updated_node.relative
            or updated_node.module is None
            or _dotted(updated_node.module) not in MODULES
        ):
            return updated_node
        kept = [alias for alias in updated_node.names if _local(alias) in self.needed]
        return self._shrink(original_node, updated_node, kept)

    def _shrink(
        self, original: AnyImport, updated: AnyImport, kept: list[cst.ImportAlias]
    ) -> AnyImport | cst.RemovalSentinel:
        names = updated.names
        assert not isinstance(names, cst.ImportStar)
        staying = [
            a for a in kept if isinstance(original, cst.ImportFrom) or _dotted(a.name) in MODULES
        ]
        if staying and (self.plans or self.converted_classes or self.dropped_decorators):
            # Part of the module moves to the standard library, part cannot: it still
            # imports asynctest, so none of its tests run on Python 3.11+.
            self.review(
                original,
                f"asynctest stays imported here for {', '.join(_local(a) for a in staying)}, "
                "and asynctest cannot be imported on Python 3.11+: no test of this module "
                "runs there until those uses are ported by hand (see its other notes)",
            )
        if len(kept) == len(names) or not (
            self.plans or self.converted_classes or self.dropped_decorators
        ):
            return updated
        self.changed(original, "removed the asynctest import nothing uses any more")
        if not kept:
            return cst.RemovalSentinel.REMOVE
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated.with_changes(names=kept)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if (
            self.anchor is None
            and not self.block_depth
            and not updated_node.body
            and any(isinstance(s, cst.Import | cst.ImportFrom) for s in original_node.body)
        ):
            # A line left empty is dropped by LibCST; hold the place with a ``pass``
            # that leave_Module replaces.
            self.anchor = updated_node.with_changes(body=[cst.Pass()])
            return self.anchor
        return updated_node

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        """Put the standard imports where the asynctest import was, not after the last
        import (the engine's import fixer only adds what is still missing)."""
        if self.anchor is None:
            return updated_node
        present = _module_imports(updated_node)
        wanted: dict[str, set[str]] = {}
        plain: set[str] = set()
        for request in self.ctx.imports_to_add:
            if request.asname is not None:
                continue
            if request.obj is None:
                if request.module not in present:
                    plain.add(request.module)
            elif f"{request.module}.{request.obj}" not in present:
                wanted.setdefault(request.module, set()).add(request.obj)
        lines = [f"import {name}" for name in sorted(plain)] + [
            f"from {module} import {', '.join(sorted(objs))}"
            for module, objs in sorted(wanted.items())
        ]
        body: list[cst.BaseStatement] = []
        pending: Sequence[cst.EmptyLine] = ()
        for statement in updated_node.body:
            if statement is not self.anchor:
                if pending:
                    statement = statement.with_changes(
                        leading_lines=[*pending, *statement.leading_lines]
                    )
                    pending = ()
                body.append(statement)
                continue
            new = [cst.parse_statement(line) for line in lines]
            if new:
                new[0] = new[0].with_changes(leading_lines=statement.leading_lines)
                body.extend(new)
            else:
                pending = statement.leading_lines  # keep comments written above the import
        return updated_node.with_changes(body=body)


def _module_imports(module: cst.Module) -> set[str]:
    """Dotted names a module's top-level imports bind (``unittest.mock.AsyncMock``)."""
    found: set[str] = set()
    for line in module.body:
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for small in line.body:
            if isinstance(small, cst.Import):
                found.update(_dotted(a.name) for a in small.names if a.asname is None)
            elif (
                isinstance(small, cst.ImportFrom)
                and small.module is not None
                and not small.relative
                and not isinstance(small.names, cst.ImportStar)
            ):
                base = _dotted(small.module)
                found.update(f"{base}.{_dotted(a.name)}" for a in small.names if a.asname is None)
    return found


class _Planner(side_effects.StatementTracker):
    """Walks the original tree top-down and tells the codemod what each asynctest use
    becomes. Top-down, so ``asynctest.patch.object`` is claimed at ``asynctest.patch``."""

    def __init__(self, owner: AsynctestToStdlib) -> None:
        super().__init__()
        self.owner = owner
        self.claimed: set[int] = set()
        self.clocked: list[bool] = []
        #: Dotted targets assigned a CoroutineMock in this file (``self.fetch``), and the
        #: constructor call.
        self.coroutine_mocks: dict[str, cst.Call] = {}
        #: id of a name assigned to (``fut = ...``) -> the value, for the names seen so far.
        self.assigned: dict[int, cst.BaseExpression] = {}
        #: ids of the CoroutineMock references kept on asynctest for their Futures.
        self.kept: set[int] = set()

    def _side_effect(self, value: cst.BaseExpression) -> None:
        self.owner.plan_side_effect(value, self.anchor(), hoistable=not self.comprehensions)

    def _is_coroutine_mock(self, node: cst.BaseExpression) -> bool:
        return _asynctest_name(self.owner.qualified_names(node)) == "CoroutineMock"

    def visit_Assign(self, node: cst.Assign) -> None:
        """``x = CoroutineMock(...)``, and later ``x.side_effect = ...`` /
        ``x.return_value = ...``."""
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.assigned[id(target.target)] = node.value
        if isinstance(node.value, cst.Call) and self._is_coroutine_mock(node.value.func):
            for target in node.targets:
                self.coroutine_mocks[_dotted(target.target)] = node.value
        for target in node.targets:
            if not isinstance(target.target, cst.Attribute):
                continue
            built = self.coroutine_mocks.get(_dotted(target.target.value))
            attribute = target.target.attr.value
            if built is None or attribute not in ("return_value", "side_effect"):
                continue
            if attribute == "side_effect":
                self._side_effect(node.value)
            problem = self._futures(attribute, node.value)
            if problem is not None:
                self._keep(built.func, node, f"{_dotted(target.target)} is set to {problem}")

    # --- CoroutineMocks configured with Futures --------------------------------------------
    #
    # asynctest's CoroutineMock awaited what it returned when that was awaitable (its call
    # is ``asyncio.coroutine(lambda: result)()``), so legacy tests gave it Futures; an
    # AsyncMock returns them as they are. Such a mock stays on asynctest, with a note.

    def _futures(self, attribute: str, value: cst.BaseExpression) -> str | None:
        """How ``return_value``/``side_effect`` ``value`` hands out Futures, if it does."""
        if attribute == "return_value" and self._is_future(value):
            return f"{_mocks.code(value)}, a Future"
        if (
            attribute == "side_effect"
            and isinstance(value, cst.List | cst.Tuple)
            and any(isinstance(e, cst.Element) and self._is_future(e.value) for e in value.elements)
        ):
            return f"{_mocks.code(value)}, which holds Futures"
        return None

    def _is_future(self, value: cst.BaseExpression) -> bool:
        owner = self.owner
        if isinstance(value, cst.Name):
            scope = owner.get_metadata(ScopeProvider, value, None)
            if scope is None:
                return False
            values = [
                self.assigned.get(id(a.node))
                for a in scope[value.value]
                if isinstance(a, Assignment)
            ]
            return any(
                v is not None and not isinstance(v, cst.Name) and self._is_future(v) for v in values
            )
        return _mocks.is_future_creation(owner, value) or _mocks.is_future_helper_call(owner, value)

    def _keep(self, reference: cst.BaseExpression, at: cst.CSTNode, why: str) -> None:
        """Leave the CoroutineMock ``reference`` names on asynctest, and say why."""
        if id(reference) in self.kept:
            return
        self.kept.add(id(reference))
        self.owner.plans.pop(id(reference), None)
        self.claimed.add(id(reference))
        self.owner.needed.add(_root(reference) or "")
        self.owner.review(
            at,
            f"asynctest.CoroutineMock left alone: {why}; asynctest awaited the Futures it "
            "returned, unittest.mock.AsyncMock would return them unawaited. Give the mock the "
            "Futures' values (AsyncMock(return_value=value)) by hand",
        )

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        owner = self.owner
        clocked = any(
            _asynctest_name(owner.qualified_names(b.value)) == "ClockedTestCase" for b in node.bases
        )
        self.clocked.append(clocked)
        testcase_bases = [(b, owner.derives_from_testcase(b.value)) for b in node.bases]
        kinds = {kind for _, kind in testcase_bases if kind}
        if not kinds or clocked or "kept" in kinds:
            return
        if owner.base_spelling_clashes(testcase_bases):
            for base, kind in testcase_bases:
                if kind == "direct":
                    self.claimed.add(id(base.value))
                    owner.needed.add(_root(base.value) or "")
            return
        if owner.plan_class(node):
            for base, kind in testcase_bases:
                if kind == "direct" and isinstance(base.value, cst.Name | cst.Attribute):
                    style = "short" if isinstance(base.value, cst.Attribute) else "bare"
                    spelling = Spelling(*ISOLATED, style)
                    owner.plans[id(base.value)] = Plan(
                        base.value, TESTCASE, spelling, _root(base.value) or ""
                    )
                    self.claimed.add(id(base.value))
        else:
            for base, kind in testcase_bases:
                if kind == "direct":
                    self.claimed.add(id(base.value))
                    owner.needed.add(_root(base.value) or "")

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.clocked.pop()

    def visit_Decorator(self, node: cst.Decorator) -> bool:
        name = _asynctest_name(self.owner.qualified_names(callee(node.decorator)))
        if name in DROPPED_DECORATORS:
            self.owner.dropped_decorators.add(id(node))
            return False
        return True

    def visit_Call(self, node: cst.Call) -> None:
        owner = self.owner
        new_callable = keyword(node, "new_callable")
        reference: cst.BaseExpression | None = None
        if self._is_coroutine_mock(node.func):
            reference = node.func
        elif new_callable is not None and self._is_coroutine_mock(new_callable.value):
            reference = new_callable.value
        for attribute in ("return_value", "side_effect"):
            arg = keyword(node, attribute)
            problem = self._futures(attribute, arg.value) if arg is not None else None
            if reference is not None and problem is not None:
                self._keep(reference, node, f"its {attribute} is {problem}")
        side_effect = keyword(node, "side_effect")
        if side_effect is not None:
            new_callable = keyword(node, "new_callable")
            if self._is_coroutine_mock(node.func) or (
                new_callable is not None and self._is_coroutine_mock(new_callable.value)
            ):
                self._side_effect(side_effect.value)
        if (
            self.clocked
            and self.clocked[-1]
            and m.matches(node.func, m.Attribute(value=m.Name("self"), attr=m.Name("advance")))
        ):
            owner.review(
                node,
                "self.advance() of asynctest.ClockedTestCase: no stdlib fake clock; port by hand",
            )
        scope = keyword(node, "scope")
        if scope is None:
            return
        target = node.func
        if isinstance(target, cst.Attribute) and target.attr.value in (
            "object",
            "dict",
            "multiple",
        ):
            target = target.value
        if _asynctest_name(owner.qualified_names(target)) != "patch":
            return
        if _asynctest_name(owner.qualified_names(scope.value)) == "GLOBAL":
            owner.global_scope_calls.add(id(node))
            self.claimed.add(id(scope.value))
            return
        # LIMITED (or a computed scope): the whole patch stays on asynctest.
        owner.review(node, REVIEW_NAMES["LIMITED"])
        self.claimed.add(id(scope.value))
        owner.needed.add(_root(scope.value) or "")
        if isinstance(target, cst.Name | cst.Attribute):
            self.claimed.add(id(target))
            owner.needed.add(_root(target) or "")

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if node.attr.value in _mocks.FUTURE_METHODS:
            returned = _dotted(node.value)
            built = self.coroutine_mocks.get(returned.removesuffix(".return_value"))
            if returned.endswith(".return_value") and built is not None:
                why = f"{_mocks.code(node)} uses what it returns as a Future"
                self._keep(built.func, node, why)
        if id(node) in self.claimed:
            return False
        if node.attr.value == "awaited" and self.owner.plans:
            self.owner.review(
                node,
                ".awaited (asynctest CoroutineMock's await event) does not exist on AsyncMock: "
                "use await_count / assert_awaited*",
            )
        name = _asynctest_name(self.owner.qualified_names(node))
        if name is None:
            node.value.visit(self)
            return False
        self.owner.plan_use(node, name)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) in self.claimed:
            return
        qualified = self.owner.qualified_names(node)
        name = _asynctest_name(qualified)
        if name is not None:
            self.owner.plan_use(node, name)
        elif _is_asynctest(qualified):
            self.owner.needed.add(node.value)  # the module itself, used some other way


RUN_UNTIL_COMPLETE = m.Call(
    func=m.Attribute(value=SELF_LOOP, attr=m.Name("run_until_complete")),
    args=[m.Arg(keyword=None, star="")],
)


def _runner_helpers(node: cst.ClassDef) -> dict[str, cst.FunctionDef]:
    """Methods that only run a coroutine on the test's loop (the shape
    ``facts.runner_helpers`` reads)::

        def run_async(self, coroutine):
            return self.loop.run_until_complete(coroutine)
    """
    found: dict[str, cst.FunctionDef] = {}
    for statement in node.body.body:
        if not isinstance(statement, cst.FunctionDef) or statement.decorators:
            continue
        if statement.asynchronous is not None:
            continue
        params = statement.params
        if (
            len(params.params) != 2
            or params.posonly_params
            or params.kwonly_params
            or isinstance(params.star_arg, cst.Param)
            or params.star_kwarg is not None
            or any(p.default is not None for p in params.params)
        ):
            continue
        body = (
            [s for s in statement.body.body if not _is_docstring_line(s)]
            if isinstance(statement.body, cst.IndentedBlock)
            else []
        )
        argument = params.params[1].name.value
        if len(body) == 1 and m.matches(
            body[0],
            m.SimpleStatementLine(
                body=[
                    m.Return(
                        value=m.Call(
                            func=m.Attribute(value=SELF_LOOP, attr=m.Name("run_until_complete")),
                            args=[m.Arg(value=m.Name(argument), keyword=None, star="")],
                        )
                    )
                ]
            ),
        ):
            found[statement.name.value] = statement
    return found


def _drives_a_loop(method: cst.FunctionDef, helpers: Collection[str]) -> bool:
    """A call that runs a loop to completion: ``run_until_complete``, ``run_forever``,
    ``asyncio.run`` or a runner helper of the class."""
    for call in m.findall(method.body, m.Call(func=m.Attribute())):
        assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
        attribute = call.func.attr.value
        if attribute in ("run_until_complete", "run_forever") or attribute in helpers:
            return True
        if attribute == "run" and m.matches(call.func.value, m.Name("asyncio")):
            return True
    return False


def _is_docstring_line(statement: cst.BaseStatement) -> bool:
    return m.matches(
        statement,
        m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString() | m.ConcatenatedString())]),
    )


@dataclass
class _MethodLoops:
    """What one method of a TestCase does with the test's loop."""

    method: cst.FunctionDef
    #: ``self.loop.run_until_complete(X)`` in its own frame.
    runs: list[cst.Call] = field(default_factory=list)
    #: ``self.helper(X)`` calls of a runner helper in its own frame.
    helper_calls: list[cst.Call] = field(default_factory=list)
    #: Every ``self.loop`` read in it, nested functions included, and where it is read:
    #: True inside a coroutine (own frame of an async def).
    loops: list[tuple[cst.Attribute, bool]] = field(default_factory=list)
    #: Another loop driver in its own frame (asyncio.run, another run_until_complete).
    drives: bool = False
    #: A ``yield`` in its own frame.
    yields: bool = False


class _LoopUses(Visitor):
    """``self.loop`` in a TestCase body, and what it becomes. In a coroutine, the test's
    loop is the running one: ``asyncio.get_running_loop()``. A sync ``test*`` method whose
    only loop uses are ``self.loop.run_until_complete(X)`` (or calls of a runner helper,
    ``self.run_async(X)``) in its own frame becomes an ``async def`` awaiting ``X``. Any
    other sync code reads ``asyncio.get_event_loop()``: IsolatedAsyncioTestCase, like
    asynctest, sets the test's loop as the current one around setUp, the test and
    tearDown. Assigning ``self.loop`` blocks the conversion."""

    def __init__(
        self, owner: AsynctestToStdlib, helpers: dict[str, cst.FunctionDef] | None = None
    ) -> None:
        super().__init__()
        self.owner = owner
        self.helpers = helpers or {}
        self.functions: list[cst.FunctionDef | cst.Lambda] = []
        self.blocking: list[tuple[cst.CSTNode, str]] = []
        self.claimed: set[int] = set()
        #: Expression slots where ``await X`` reads the same without parentheses.
        self.bare_slots: set[int] = set()
        self.methods: list[_MethodLoops] = []
        # The outcome, for the owner.
        self.rewritable: list[cst.Attribute] = []
        self.sync_reads: list[cst.Attribute] = []
        self.awaits: dict[int, bool] = {}
        self.helper_awaits: dict[int, bool] = {}
        self.async_methods: set[int] = set()

    # --- where we are ---------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node)
        if len(self.functions) == 1:
            self.methods.append(_MethodLoops(node))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.functions.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.functions.append(node)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.functions.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False  # a nested class has its own self

    def visit_Expr(self, node: cst.Expr) -> None:
        self.bare_slots.add(id(node.value))

    def visit_Assign(self, node: cst.Assign) -> None:
        self.bare_slots.add(id(node.value))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.bare_slots.add(id(node.value))

    def visit_Arg(self, node: cst.Arg) -> None:
        self.bare_slots.add(id(node.value))

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if m.matches(node.target, SELF_LOOP):
            self.blocking.append((node, "self.loop is assigned"))

    def visit_Yield(self, node: cst.Yield) -> None:
        if len(self.functions) == 1 and self.methods:
            self.methods[-1].yields = True

    def _own_frame(self) -> _MethodLoops | None:
        return self.methods[-1] if len(self.functions) == 1 and self.methods else None

    # --- uses -------------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        record = self._own_frame()
        if record is None:
            return
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and m.matches(func.value, m.Name("self"))
            and func.attr.value in self.helpers
            and len(node.args) == 1
            and node.args[0].keyword is None
            and not node.args[0].star
        ):
            record.helper_calls.append(node)
        elif m.matches(node, RUN_UNTIL_COMPLETE):
            record.runs.append(node)
        elif m.matches(func, m.Attribute(attr=m.Name("run_until_complete"))) or (
            self.owner.is_name(func, "asyncio.run")
        ):
            record.drives = True

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if not m.matches(node, SELF_LOOP) or not self.functions or not self.methods:
            return
        innermost = self.functions[-1]
        in_coroutine = isinstance(innermost, cst.FunctionDef) and innermost.asynchronous is not None
        self.methods[-1].loops.append((node, in_coroutine))

    # --- deciding ---------------------------------------------------------------------------

    def decide(self) -> None:
        """After the walk of the class body: what each use becomes."""
        scope_ok = self._asyncio_free()
        kept_helpers = self._decide_tests()
        for record in self.methods:
            name = record.method.name.value
            helper = self.helpers.get(name) is record.method
            if helper and name not in kept_helpers:
                for run in record.runs:
                    assert isinstance(run.func, cst.Attribute)
                    self.awaits[id(run)] = False
                    self.claimed.add(id(run.func.value))
                self.async_methods.add(id(record.method))
            for use, in_coroutine in record.loops:
                if id(use) in self.claimed:
                    continue
                if not scope_ok:
                    self.blocking.append((use, "the name asyncio is bound to something else here"))
                elif in_coroutine:
                    self.rewritable.append(use)
                else:
                    self.sync_reads.append(use)

    def _decide_tests(self) -> set[str]:
        """Make the sync tests that only run coroutines on the loop async; the names of
        the runner helpers some sync code still calls (they stay sync)."""
        kept: set[str] = set()
        for record in self.methods:
            method = record.method
            calls_helpers = bool(record.helper_calls)
            convertible = (
                method.asynchronous is None
                and method.name.value.startswith("test")
                and not record.yields
                and not record.drives
                and (record.runs or calls_helpers)
                and len(record.loops) == len(record.runs)
            )
            if not convertible:
                kept.update(self._helpers_called(record))
                continue
            for run in record.runs:
                assert isinstance(run.func, cst.Attribute)
                self.awaits[id(run)] = id(run) not in self.bare_slots
                self.claimed.add(id(run.func.value))
            for call in record.helper_calls:
                self.helper_awaits[id(call)] = id(call) not in self.bare_slots
            self.async_methods.add(id(method))
        # A helper referenced other than by those calls (passed on, called elsewhere).
        for record in self.methods:
            for node in m.findall(record.method.body, m.Attribute(value=m.Name("self"))):
                assert isinstance(node, cst.Attribute)
                if node.attr.value in self.helpers and not any(
                    call.func is node
                    for r in self.methods
                    if id(r.method) in self.async_methods
                    for call in r.helper_calls
                ):
                    kept.add(node.attr.value)
        if kept:
            # Calls made async above would now await a sync helper: undo them.
            for record in self.methods:
                if any(self._called_name(c) in kept for c in record.helper_calls):
                    for call in record.helper_calls:
                        self.helper_awaits.pop(id(call), None)
                    if id(record.method) in self.async_methods and not record.runs:
                        self.async_methods.discard(id(record.method))
        return kept

    def _helpers_called(self, record: _MethodLoops) -> set[str]:
        return {self._called_name(c) for c in record.helper_calls}

    @staticmethod
    def _called_name(call: cst.Call) -> str:
        assert isinstance(call.func, cst.Attribute)
        return call.func.attr.value

    def _asyncio_free(self) -> bool:
        uses = [use for record in self.methods for use, _ in record.loops]
        if not uses:
            return True
        scope = self.owner.get_metadata(ScopeProvider, uses[0], None)
        return scope is None or self.owner._free(scope, "asyncio", ("asyncio",))


def _assigns_attribute(statement: cst.CSTNode, names: Collection[str]) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if isinstance(small, cst.Assign):
        return len(small.targets) == 1 and m.matches(
            small.targets[0].target, m.Name(m.MatchIfTrue(lambda v: v in names))
        )
    if isinstance(small, cst.AnnAssign):
        return m.matches(small.target, m.Name(m.MatchIfTrue(lambda v: v in names)))
    return False


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _local(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return _dotted(alias.name).split(".")[0]
