"""What the mock codemods share: recognising mock constructions and patches, and the
evidence that a mock stands for a coroutine function.

Every recogniser takes the running :class:`CodemodTransformer` so that names resolve
through imports with its QualifiedNameProvider (``from unittest import mock as m``,
``import unittest.mock``, pytest-mock's ``mocker`` fixture all work).

The evidence model, strongest first:

1. the project facts show that the patched target (``patch("pkg.mod.func")``,
   ``patch.object(Class, "meth")``, ``mocker.patch``, ``monkeypatch.setattr``) or the
   attribute a mock is assigned to (``module.func = MagicMock()``,
   ``obj.meth = MagicMock()`` with ``obj = Class(...)`` in the same function) is an
   ``async def`` (:func:`target_is_async`);
2. the mock (or one of its attributes) is awaited in the same function
   (:class:`FunctionScan`: ``await m(...)``, ``await m.attr(...)``, also through
   ``asyncio.gather``/``wait_for``/``shield``, ``asyncio.run`` and
   ``loop.run_until_complete``), or its call is scheduled (``create_task``,
   ``ensure_future``).

``async with m`` and ``async for x in m`` are *not* evidence of a coroutine function:
``MagicMock`` supports ``__aenter__``/``__aiter__`` since Python 3.8, and an
``AsyncMock`` would break ``async with m()``.

A path is the dotted spelling of an expression, with a call spelled ``.return_value``
(``m().fetch`` is ``m.return_value.fetch``), because that is the mock the call returns.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import libcst as cst

from async_test_upgrade.cst import CodemodTransformer, Visitor, keyword, string_value

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex
    from async_test_upgrade.names import NameResolver

SYNC_MOCKS = frozenset(
    {"unittest.mock.MagicMock", "unittest.mock.Mock", "mock.MagicMock", "mock.Mock"}
)
ASYNC_MOCKS = frozenset({"unittest.mock.AsyncMock", "mock.AsyncMock"})
AUTOSPECS = frozenset({"unittest.mock.create_autospec", "mock.create_autospec"})
PATCHES = frozenset({"unittest.mock.patch", "mock.patch"})
PATCH_OBJECTS = frozenset({"unittest.mock.patch.object", "mock.patch.object"})
FUTURES = frozenset({"asyncio.Future", "asyncio.futures.Future"})

#: What code does with a Future besides awaiting it. Done to a mock's return value
#: (``m.return_value.set_result(1)``, ``m().add_done_callback(cb)``), it shows that the
#: test treats that return value as a Future, which an ``AsyncMock`` would hand out as is.
FUTURE_METHODS = frozenset(
    {
        "set_result",
        "set_exception",
        "add_done_callback",
        "remove_done_callback",
        "result",
        "exception",
        "done",
        "cancel",
        "cancelled",
        "get_loop",
    }
)

#: pytest-mock's fixtures; ``mocker.patch`` and ``mocker.MagicMock`` mirror unittest.mock.
MOCKER_FIXTURES = ("mocker", "module_mocker", "class_mocker", "package_mocker", "session_mocker")
_MOCKER = re.compile(
    r"(?:^|\.<locals>\.)(?:" + "|".join(MOCKER_FIXTURES) + r")\.(?P<attr>[A-Za-z_.]+)$"
)

#: Keywords the Mock constructors take for themselves (not attribute names).
MOCK_KEYWORDS = frozenset(
    {"spec", "spec_set", "side_effect", "return_value", "wraps", "name", "unsafe", "new_callable"}
)

#: Assertions and counters on a called mock, with their awaited counterparts.
CALLED_TO_AWAITED = {
    "assert_called": "assert_awaited",
    "assert_called_once": "assert_awaited_once",
    "assert_called_with": "assert_awaited_with",
    "assert_called_once_with": "assert_awaited_once_with",
    "assert_any_call": "assert_any_await",
    "assert_has_calls": "assert_has_awaits",
    "call_count": "await_count",
    "call_args": "await_args",
    "call_args_list": "await_args_list",
}

#: ``await asyncio.gather(m(), ...)`` awaits the calls it is handed.
_AWAITING_WRAPPERS = frozenset({"asyncio.gather", "asyncio.wait_for", "asyncio.shield"})

#: Calls that run a coroutine to completion before returning: as good as ``await``.
_RUNNERS = frozenset({"asyncio.run"})
_LOOP_RUNNERS = frozenset({"run_until_complete"})
#: Calls that schedule a coroutine, to run later.
_SCHEDULERS = frozenset({"asyncio.create_task", "asyncio.ensure_future"})
_LOOP_SCHEDULERS = frozenset({"create_task"})

MockKind = Literal["sync", "async", "autospec"]
PatchKind = Literal["patch", "object", "setattr"]


# --- paths -----------------------------------------------------------------------------------


def dotted(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain; a call in the chain is ``.return_value``."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    if isinstance(node, cst.Call):
        base = dotted(node.func)
        return None if base is None else f"{base}.return_value"
    return None


def code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


# --- recognisers -------------------------------------------------------------------------------


def mocker_attribute(t: CodemodTransformer, node: cst.BaseExpression) -> str | None:
    """``"patch.object"`` for ``mocker.patch.object`` (any pytest-mock fixture), else None."""
    spelled = dotted(node)
    if spelled is None or spelled.split(".", 1)[0] not in MOCKER_FIXTURES:
        return None  # every name the pattern matches is spelled from the fixture's name
    for name in t.qualified_names(node):
        found = _MOCKER.search(name)
        if found:
            return found.group("attr")
    return None


def mock_kind(t: CodemodTransformer, call: cst.Call) -> MockKind | None:
    """What mock ``call`` constructs: ``MagicMock()``/``Mock()`` (sync), ``AsyncMock()``,
    ``create_autospec()``; through imports and ``mocker.MagicMock``."""
    names = t.names_among(call.func, SYNC_MOCKS | ASYNC_MOCKS | AUTOSPECS)
    via_mocker = mocker_attribute(t, call.func)
    if names & SYNC_MOCKS or via_mocker in ("MagicMock", "Mock"):
        return "sync"
    if names & ASYNC_MOCKS or via_mocker == "AsyncMock":
        return "async"
    if names & AUTOSPECS or via_mocker == "create_autospec":
        return "autospec"
    return None


def mock_class_kind(t: CodemodTransformer, node: cst.BaseExpression) -> MockKind | None:
    """The kind of a mock *class* given as ``new_callable=``."""
    names = t.names_among(node, SYNC_MOCKS | ASYNC_MOCKS)
    via_mocker = mocker_attribute(t, node)
    if names & SYNC_MOCKS or via_mocker in ("MagicMock", "Mock"):
        return "sync"
    if names & ASYNC_MOCKS or via_mocker == "AsyncMock":
        return "async"
    return None


def has_spec(call: cst.Call) -> bool:
    """A spec makes the mock async where the spec is (fact 2); leave such mocks alone."""
    return any(keyword(call, k) is not None for k in ("spec", "spec_set", "wraps")) or any(
        a.keyword is None and not a.star for a in call.args
    )


def patch_kind(t: CodemodTransformer, call: cst.Call) -> PatchKind | None:
    names = t.names_among(call.func, PATCHES | PATCH_OBJECTS)
    via_mocker = mocker_attribute(t, call.func)
    if names & PATCHES or via_mocker == "patch":
        return "patch"
    if names & PATCH_OBJECTS or via_mocker == "patch.object":
        return "object"
    if isinstance(call.func, cst.Attribute) and call.func.attr.value == "setattr":
        base = call.func.value
        if isinstance(base, cst.Name) and base.value == "monkeypatch":
            return "setattr"
    return None


def patch_targets(t: CodemodTransformer, call: cst.Call, kind: PatchKind) -> set[str]:
    """Qualified names the patch replaces (``"pkg.mod.func"``, ``"pkg.mod.Class.meth"``)."""
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    target_arg = keyword(call, "target")
    if kind == "patch" or (kind == "setattr" and len(positional) == 2):
        first = target_arg.value if target_arg is not None else next(iter(positional), None)
        text = string_value(first)
        return {text} if text else set()
    if len(positional) < 2:
        return set()
    attribute = string_value(positional[1])
    if attribute is None:
        return set()
    return {f"{owner}.{attribute}" for owner in expression_names(t, positional[0])}


def patch_new(call: cst.Call, kind: PatchKind) -> cst.Arg | None:
    """The argument carrying the replacement (``new=``, or positionally)."""
    found = keyword(call, "new") if kind != "setattr" else keyword(call, "value")
    if found is not None:
        return found
    positional = [a for a in call.args if a.keyword is None and not a.star]
    index = {"patch": 1, "object": 2, "setattr": len(positional) - 1}[kind]
    if kind == "setattr" and len(positional) < 2:
        return None
    return positional[index] if len(positional) > index else None


def expression_names(t: CodemodTransformer, node: cst.BaseExpression) -> set[str]:
    """Qualified names of ``node``; a name defined in this module gets its module prefix."""
    module = t.ctx.module_name
    names = set(t.qualified_names(node))  # relative imports come back from the root
    if module:
        names |= {f"{module}.{n}" for n in names if "<locals>" not in n}
    return {n for n in names if "<locals>" not in n}


def async_patch_target(t: CodemodTransformer, call: cst.Call, kind: PatchKind) -> str | None:
    """The ``async def`` the patch ``call`` replaces, if the facts know it as one.

    ``patch.object(x, "attr")`` needs the names of ``x`` only if some ``async def`` (or a
    re-export) of the project is called ``attr``: that is asked first."""
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    if kind == "object" or (kind == "setattr" and len(positional) != 2):
        attribute = string_value(positional[1]) if len(positional) >= 2 else None
        if attribute is not None and not _may_name_async(t.ctx.facts, attribute):
            return None
    return target_is_async(t, patch_targets(t, call, kind))


def _may_name_async(facts: ProjectFacts, attribute: str) -> bool:
    """False when no ``owner.attribute`` can be an ``async def`` the facts know: none is
    called ``attribute``, and no re-export gives one that name."""
    suffix = f".{attribute}"
    return any(
        name == attribute or name.endswith(suffix)
        for names in (facts.async_functions, facts.reexports)
        for name in names
    )


def target_is_async(t: CodemodTransformer, qualnames: set[str]) -> str | None:
    """The first of ``qualnames`` the project facts know as an ``async def``."""
    for name in sorted(qualnames):
        if t.ctx.facts.is_async_function(name):
            return name
    return None


# --- values ------------------------------------------------------------------------------------

_LITERALS = (
    cst.SimpleString,
    cst.ConcatenatedString,
    cst.FormattedString,
    cst.Integer,
    cst.Float,
    cst.Imaginary,
    cst.Dict,
    cst.List,
    cst.Tuple,
    cst.Set,
    cst.ListComp,
    cst.DictComp,
    cst.SetComp,
)


def maybe_awaitable(t: CodemodTransformer, value: cst.BaseExpression) -> bool:
    """Whether ``value`` may be an awaitable (a future, a coroutine): then a legacy mock
    returning it was awaited *for* it, and an AsyncMock would hand it out unawaited."""
    if isinstance(value, _LITERALS):
        return False
    if isinstance(value, cst.Name) and value.value in ("None", "True", "False"):
        return False
    if isinstance(value, cst.UnaryOperation):
        return maybe_awaitable(t, value.expression)
    # A MagicMock is not awaitable (fact 4); anything else may be.
    return not (isinstance(value, cst.Call) and mock_kind(t, value) == "sync")


def is_future_creation(t: CodemodTransformer, value: cst.BaseExpression) -> bool:
    """``asyncio.Future()`` (``loop=`` at most) or ``<loop>.create_future()``."""
    if not isinstance(value, cst.Call):
        return False
    if t.names_among(value.func, FUTURES):
        return all(a.keyword is not None and a.keyword.value == "loop" for a in value.args)
    func = value.func
    return isinstance(func, cst.Attribute) and func.attr.value == "create_future" and not value.args


def is_future_helper_call(t: CodemodTransformer, value: cst.BaseExpression) -> bool:
    """A call of one of the project's helpers that build a resolved Future
    (``async_return(v)``: the project facts know them, this file's included)."""
    if not (isinstance(value, cst.Call) and len(value.args) == 1 and value.args[0].keyword is None):
        return False
    facts = t.ctx.facts
    return any(facts.resolve(n) in facts.future_helpers for n in expression_names(t, value.func))


def hands_out_futures(t: CodemodTransformer, value: cst.BaseExpression, scan: FunctionScan) -> bool:
    """Whether ``value``, as a mock's ``return_value`` or ``side_effect``, is a Future (built
    here, by a project helper, or a name bound to one in the function) or a sequence
    holding one."""
    if isinstance(value, cst.List | cst.Tuple):
        return any(
            isinstance(e, cst.Element) and hands_out_futures(t, e.value, scan)
            for e in value.elements
        )
    if isinstance(value, cst.Name):
        return any(
            is_future_creation(t, b.value) or is_future_helper_call(t, b.value)
            for b in scan.bound(value.value)
        )
    return is_future_creation(t, value) or is_future_helper_call(t, value)


def is_exception(value: cst.BaseExpression) -> bool:
    target = value.func if isinstance(value, cst.Call) else value
    name = target.attr.value if isinstance(target, cst.Attribute) else getattr(target, "value", "")
    return isinstance(name, str) and name.endswith(("Error", "Exception", "Exit", "Interrupt"))


def side_effect_problem(
    t: CodemodTransformer, value: cst.BaseExpression, local_async_defs: set[str]
) -> str | None:
    """Why ``side_effect=value`` makes a MagicMock -> AsyncMock rewrite unsafe, or None.

    An async function side effect is awaited by AsyncMock (same result); an exception is
    raised on await instead of on call (same statement when the call is awaited)."""
    if is_exception(value):
        return None
    if isinstance(value, cst.Name) and value.value in local_async_defs:
        return None
    if target_is_async(t, expression_names(t, value)):
        return None
    if isinstance(value, cst.List | cst.Tuple) and not any(
        maybe_awaitable(t, e.value) for e in value.elements
    ):
        return None
    return f"its side_effect ({code(value)}) may return an awaitable the test relied on"


# --- building AsyncMock references ---------------------------------------------------------------


def async_twin(t: CodemodTransformer, mock_ref: cst.BaseExpression) -> cst.BaseExpression:
    """The ``AsyncMock`` spelled like ``mock_ref`` (``MagicMock`` -> ``AsyncMock``,
    ``mock.Mock`` -> ``mock.AsyncMock``, ``mocker.MagicMock`` -> ``mocker.AsyncMock``),
    requesting the import (and the removal of the old one if it became unused)."""
    if isinstance(mock_ref, cst.Attribute):
        return mock_ref.with_changes(attr=cst.Name("AsyncMock"))
    module = "unittest.mock"
    old = mock_ref.value if isinstance(mock_ref, cst.Name) else ""
    for name in t.qualified_names(mock_ref):
        if name.startswith("mock."):
            module = "mock"
        old = name.rpartition(".")[2]
    t.add_import(module, "AsyncMock")
    if isinstance(mock_ref, cst.Name):
        asname = mock_ref.value if mock_ref.value != old else None
        t.drop_import_if_unused(module, old, asname)
    return cst.Name("AsyncMock")


def new_async_mock(t: CodemodTransformer, module_alias: str | None) -> cst.BaseExpression:
    """An ``AsyncMock`` reference for a mock the file did not construct before."""
    if module_alias:
        return cst.parse_expression(f"{module_alias}.AsyncMock")
    t.add_import("unittest.mock", "AsyncMock")
    return cst.Name("AsyncMock")


def module_mock_alias(module: cst.Module) -> str | None:
    """The local name of ``unittest.mock`` when the file imports the module itself
    (``from unittest import mock``, ``import unittest.mock as um``)."""
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.ImportFrom) and isinstance(small.names, Sequence):
                source = code(small.module) if small.module is not None else ""
                for alias in small.names:
                    if source == "unittest" and code(alias.name) == "mock":
                        return alias.evaluated_alias or "mock"
            if isinstance(small, cst.Import):
                for alias in small.names:
                    if code(alias.name) == "unittest.mock":
                        return alias.evaluated_alias or "unittest.mock"
    return None


def foreign_asyncmock(module: cst.Module, names: NameResolver | None) -> cst.CSTNode | None:
    """Where the file binds ``AsyncMock`` to something else than the stdlib class (a
    home-made class, asynctest's), or None: adding the stdlib import would clash."""
    if names is not None and (
        not names.may_bind("AsyncMock")
        or names.imported_only_from("AsyncMock", ("unittest.mock", "mock"))
    ):
        return None
    for node in walk(module):
        if isinstance(node, cst.ClassDef | cst.FunctionDef) and node.name.value == "AsyncMock":
            return node
        if isinstance(node, cst.AssignTarget | cst.AnnAssign):
            target = node.target
            if isinstance(target, cst.Name) and target.value == "AsyncMock":
                return node
        if isinstance(node, cst.ImportFrom) and isinstance(node.names, Sequence):
            source = code(node.module) if node.module is not None else ""
            for alias in node.names:
                local = alias.evaluated_alias or code(alias.name)
                if local == "AsyncMock" and source not in ("unittest.mock", "mock"):
                    return node
    return None


def defines_foreign_asyncmock(module: cst.Module, names: NameResolver | None) -> bool:
    """Whether :func:`foreign_asyncmock` finds anything."""
    return foreign_asyncmock(module, names) is not None


class _Preorder(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.nodes.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        pass


@functools.lru_cache(maxsize=64)
def walk(node: cst.CSTNode) -> tuple[cst.CSTNode, ...]:
    """``node`` and everything under it, in source order. One visit (asking each node
    for its ``children`` rebuilds it, twice the cost), remembered for the next walk of
    the same subtree (nodes compare and hash by identity; trees never change)."""
    collector = _Preorder()
    node.visit(collector)
    return tuple(collector.nodes)


# --- the evidence inside one function -----------------------------------------------------------


@dataclass
class CallSite:
    path: str
    node: cst.Call
    awaited: bool
    #: Handed straight to ``create_task``/``ensure_future``: used as a coroutine, but
    #: maybe not awaited yet when asserted on. (``asyncio.run(m())`` and
    #: ``loop.run_until_complete(m())`` count as awaited.)
    scheduled: bool = False


@dataclass
class Binding:
    """``path = value`` (an assignment, or ``with ... as path``)."""

    path: str
    value: cst.BaseExpression
    statement: cst.CSTNode
    target: cst.BaseExpression


@dataclass
class FunctionScan:
    """Calls, awaits and bindings of one function (nested functions included)."""

    calls: list[CallSite] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)
    patch_calls: list[cst.Call] = field(default_factory=list)
    #: ``<path>.return_value.<Future method>`` (also ``<path>().<Future method>``): the
    #: ``.return_value`` path and the attribute.
    future_uses: list[tuple[str, cst.Attribute]] = field(default_factory=list)

    def awaited(self, path: str) -> list[CallSite]:
        return [c for c in self.calls if c.path == path and c.awaited]

    def calls_of(self, path: str) -> list[CallSite]:
        return [c for c in self.calls if c.path == path]

    def unawaited(self, path: str) -> list[CallSite]:
        """Calls of ``path`` not directly awaited (scheduled ones included)."""
        return [c for c in self.calls if c.path == path and not c.awaited]

    def scheduled(self, path: str) -> list[CallSite]:
        return [c for c in self.calls if c.path == path and c.scheduled]

    def plain(self, path: str) -> list[CallSite]:
        """Calls of ``path`` whose result is not used as a coroutine at all."""
        return [c for c in self.calls if c.path == path and not c.awaited and not c.scheduled]

    def bound(self, path: str) -> list[Binding]:
        return [b for b in self.bindings if b.path == path]

    def future_method_uses(self, path: str) -> list[cst.Attribute]:
        """Where the test calls a Future method on what the mock at ``path`` returns
        (:data:`FUTURE_METHODS`)."""
        owner = f"{path}.return_value"
        return [node for found, node in self.future_uses if found == owner]

    def awaited_children(self, path: str) -> dict[str, list[CallSite]]:
        """Attributes ``path.attr`` (one level) awaited as ``await path.attr(...)``."""
        prefix = path + "."
        found: dict[str, list[CallSite]] = {}
        for site in self.calls:
            rest = site.path[len(prefix) :] if site.path.startswith(prefix) else ""
            if rest and "." not in rest and site.awaited:
                found.setdefault(rest, []).append(site)
        return found


def scan_function(t: CodemodTransformer, function: cst.FunctionDef) -> FunctionScan:
    scanner = _Scanner(t)
    function.body.visit(scanner)
    return scanner.scan


class _Scanner(Visitor):
    def __init__(self, t: CodemodTransformer) -> None:
        super().__init__()
        self.t = t
        self.scan = FunctionScan()
        self.awaited_ids: set[int] = set()
        self.scheduled_ids: set[int] = set()
        self.statements: list[cst.CSTNode] = []

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.statements.append(node)

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self.statements.pop()

    def visit_With(self, node: cst.With) -> None:
        self.statements.append(node)
        for item in node.items:
            if item.asname is not None and isinstance(item.asname.name, cst.Name):
                self.scan.bindings.append(
                    Binding(item.asname.name.value, item.item, node, item.asname.name)
                )

    def leave_With(self, original_node: cst.With) -> None:
        self.statements.pop()

    def visit_Await(self, node: cst.Await) -> None:
        inner = node.expression
        if isinstance(inner, cst.Call):
            self.awaited_ids.add(id(inner))
            if self.t.names_among(inner.func, _AWAITING_WRAPPERS):
                for arg in inner.args:
                    if isinstance(arg.value, cst.Call):
                        self.awaited_ids.add(id(arg.value))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        names = self.t.names_among(func, _RUNNERS | _SCHEDULERS)
        method = func.attr.value if isinstance(func, cst.Attribute) else ""
        runs = names & _RUNNERS or method in _LOOP_RUNNERS
        schedules = names & _SCHEDULERS or method in _LOOP_SCHEDULERS
        if runs or schedules:
            for arg in node.args:
                if isinstance(arg.value, cst.Call):
                    (self.awaited_ids if runs else self.scheduled_ids).add(id(arg.value))
        path = dotted(func)
        if path is not None:
            awaited = id(node) in self.awaited_ids
            scheduled = id(node) in self.scheduled_ids
            self.scan.calls.append(CallSite(path, node, awaited, scheduled))
        if patch_kind(self.t, node) is not None:
            self.scan.patch_calls.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in FUTURE_METHODS:
            owner = dotted(node.value)
            if owner is not None and owner.endswith(".return_value"):
                self.scan.future_uses.append((owner, node))

    def visit_Assign(self, node: cst.Assign) -> None:
        statement = self.statements[-1] if self.statements else node
        for target in node.targets:
            path = dotted(target.target)
            if path is not None:
                self.scan.bindings.append(Binding(path, node.value, statement, target.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        path = dotted(node.target)
        if path is not None and node.value is not None:
            statement = self.statements[-1] if self.statements else node
            self.scan.bindings.append(Binding(path, node.value, statement, node.target))


# --- fixtures and patch decorators --------------------------------------------------------------

#: Methods whose ``self.x = ...`` holds in every test method of the class.
SETUP_METHODS = frozenset({"setUp", "asyncSetUp", "setup_method"})


def outer_functions(module: cst.Module) -> list[tuple[cst.FunctionDef, cst.ClassDef | None]]:
    """The functions not nested in another function (module level, or methods), with the
    class each is a method of."""
    found: list[tuple[cst.FunctionDef, cst.ClassDef | None]] = []

    class Finder(Visitor):
        def __init__(self) -> None:
            super().__init__()
            self.classes: list[cst.ClassDef] = []

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            self.classes.append(node)

        def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
            self.classes.pop()

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            body = self.classes[-1].body if self.classes else None
            direct = isinstance(body, cst.IndentedBlock) and any(s is node for s in body.body)
            found.append((node, self.classes[-1] if direct else None))
            return False

    module.visit(Finder())
    return found


def shared_paths(
    t: CodemodTransformer,
    functions: Sequence[tuple[cst.FunctionDef, cst.ClassDef | None]],
    function: cst.FunctionDef,
    cls: cst.ClassDef | None,
    path: str,
) -> list[tuple[cst.FunctionDef, str]]:
    """Where else in the file the mock at ``path`` in ``function`` is reached, and by
    which path: the tests and fixtures requesting the fixture that returns it
    (``repo.get`` returned as ``repo`` -> ``repo.get`` in ``test_x(repo)``), and the other
    methods of a class whose ``setUp`` puts it on ``self``."""
    found: list[tuple[cst.FunctionDef, str]] = []
    fixture = is_fixture(t, function)
    if fixture is not None:
        for returned in returned_names(function):
            if path != returned and not path.startswith(returned + "."):
                continue
            rest = path[len(returned) :]
            for other, _ in functions:
                params = {p.name.value for p in (*other.params.params, *other.params.kwonly_params)}
                if other is not function and fixture in params:
                    found.append((other, fixture + rest))
    if cls is not None and function.name.value in SETUP_METHODS and path.startswith("self."):
        found.extend(
            (other, path) for other, owner in functions if owner is cls and other is not function
        )
    return found


def is_fixture(t: CodemodTransformer, function: cst.FunctionDef) -> str | None:
    """The fixture name if ``function`` is a pytest fixture, else None."""
    for decorator in function.decorators:
        expr = decorator.decorator
        func = expr.func if isinstance(expr, cst.Call) else expr
        if t.is_name(func, "pytest.fixture", "pytest_asyncio.fixture"):
            if isinstance(expr, cst.Call):
                name = keyword(expr, "name")
                if name is not None and string_value(name.value):
                    return string_value(name.value)
            return function.name.value
    return None


def returned_names(function: cst.FunctionDef) -> set[str]:
    """Names a fixture hands out (``return x`` / ``yield x``)."""
    found: set[str] = set()
    for node in walk(function.body):
        if isinstance(node, cst.FunctionDef | cst.ClassDef | cst.Lambda) and node is not function:
            continue
        value: cst.BaseExpression | None = None
        if isinstance(node, cst.Return | cst.Yield):
            value = node.value if not isinstance(node.value, cst.From) else None
        if isinstance(value, cst.Name):
            found.add(value.value)
    return found


def patch_decorator_params(
    t: CodemodTransformer, function: cst.FunctionDef
) -> list[tuple[str, cst.Call, PatchKind]]:
    """``@patch(...)`` decorators that inject an argument, paired with the parameter that
    receives it (the bottom decorator gives the first argument after ``self``)."""
    injecting: list[tuple[cst.Call, PatchKind]] = []
    for decorator in reversed(function.decorators):
        expr = decorator.decorator
        if not isinstance(expr, cst.Call):
            continue
        kind = patch_kind(t, expr)
        if kind in ("patch", "object") and patch_new(expr, kind) is None:
            injecting.append((expr, kind))  # type: ignore[arg-type]
    params = [p.name.value for p in function.params.params]
    if params and params[0] in ("self", "cls"):
        params = params[1:]
    return [(name, call, kind) for name, (call, kind) in zip(params, injecting, strict=False)]


# --- gates: can a mock codemod apply to a file at all? ---------------------------------------
#
# Necessary conditions only, on the file's code words (``gate.CodeIndex``) and the project
# facts: a gate that says "no" to a file a codemod would change hides a migration.

_IDENTIFIER_RUN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

#: Words through which a mock's call is awaited, run or scheduled (the evidence of
#: :class:`FunctionScan`), or which an earlier codemod turns into an ``await``.
AWAIT_WORDS = ("await", "run", "run_until_complete", "create_task", "ensure_future")


def async_def_names(facts: ProjectFacts) -> frozenset[str]:
    """The last name components under which the project's ``async def`` s can be named:
    their own, and those of re-exports (``from .a import f as g``) that resolve to one.
    A patch target or replaced attribute the facts prove async ends in one of them
    (methods found through base classes keep their name). Computed once per facts object."""
    return facts.derived(_async_def_names)


def _async_def_names(facts: ProjectFacts) -> frozenset[str]:
    names = {f.rpartition(".")[2] for f in facts.async_functions}
    names |= {k.rpartition(".")[2] for k in facts.reexports if facts.is_async_function(k)}
    return frozenset(names)


def future_helper_names(facts: ProjectFacts) -> frozenset[str]:
    """The last name components under which the project's resolved-Future helpers can be
    called (their own, and re-exports resolving to one). Computed once per facts object."""
    return facts.derived(_future_helper_names)


def _future_helper_names(facts: ProjectFacts) -> frozenset[str]:
    names = {f.rpartition(".")[2] for f in facts.future_helpers}
    names |= {
        k.rpartition(".")[2] for k in facts.reexports if facts.resolve(k) in facts.future_helpers
    }
    return frozenset(names)


def names_mentioned(code: CodeIndex, names: frozenset[str]) -> bool:
    """Whether some identifier of the code (also inside a string: ``"pkg.mod.fetch"``,
    ``patch.object(Repo, "get")``) is one of ``names``."""
    if not names:
        return False
    if not names.isdisjoint(code.words):
        return True
    return not names.isdisjoint(_IDENTIFIER_RUN.findall(code.text))


def mock_may_be_awaited(code: CodeIndex, facts: ProjectFacts) -> bool:
    """Necessary for ``mock-to-asyncmock`` to act: a mock awaited, run or scheduled, a patch
    or attribute the facts show is an ``async def``, or (for its note) a home-made
    ``AsyncMock``."""
    return (
        any(code.has(word) for word in AWAIT_WORDS)
        or code.has("AsyncMock")
        or names_mentioned(code, async_def_names(facts))
    )


def future_may_be_mocked(code: CodeIndex, facts: ProjectFacts) -> bool:
    """Necessary for ``future-mock-to-asyncmock`` to act: a Future is built here, or a
    project helper building a resolved one is called."""
    return (
        code.has("Future")
        or code.has("create_future")
        or names_mentioned(code, future_helper_names(facts))
    )


def may_have_async_mock(code: CodeIndex, facts: ProjectFacts) -> bool:
    """Whether an ``AsyncMock`` can be proven in this file: one is written (here, or by an
    earlier codemod of the run: ``AsyncMock`` is among their products), a home-made
    awaitable mock class is used, or a patch or ``spec`` names an ``async def``."""
    if code.has("AsyncMock"):
        return True
    classes = facts.custom_asyncmock_classes | facts.replaceable_asyncmock_classes
    custom = frozenset(n.rpartition(".")[2] for n in classes)
    return names_mentioned(code, custom) or names_mentioned(code, async_def_names(facts))
