"""
**What it does**

Replaces a mock that returns a resolved ``asyncio.Future`` by an ``AsyncMock`` that
returns the future's value (or raises its exception), and removes the future:

- ``fut = asyncio.Future()`` (or ``loop.create_future()``), one ``fut.set_result(v)``
  (or ``fut.set_exception(e)``), then ``fut`` used only as the ``return_value`` of one
  mock: ``MagicMock(return_value=fut)``, ``m.return_value = fut`` (``m`` a
  ``MagicMock()`` of the same function, an attribute such as ``repo.get``, or the mock
  of a ``with patch(...) as m`` / ``@patch(...)``), or ``patch(...,
  new_callable=MagicMock, return_value=fut)``;
- the same with a helper that builds such a future, ``def async_return(x): f =
  asyncio.Future(); f.set_result(x); return f``, defined in the same file (or, through
  the project facts, in a helper module or conftest): ``MagicMock(return_value=
  async_return(v))``;
- a ``side_effect`` sequence of such futures, named or helper-made, in the mock's or
  the patch's call or assigned (``m.side_effect = [f1, async_raise(e)]``), which
  becomes ``AsyncMock(side_effect=[v1, e])`` (one item per await, exceptions raised, as
  awaiting the next future did);
- a Future built as the mock's return value and resolved through it:
  ``m = MagicMock(return_value=asyncio.Future())`` (or ``m.return_value =
  loop.create_future()``, or ``patch(..., return_value=asyncio.Future())``), then
  ``m.return_value.set_result(v)``, which becomes ``m = AsyncMock(return_value=v)``
  with the ``set_result`` line deleted. Where ``v`` cannot move up to the mock (a name
  it reads is assigned in between, a call in it would run before statements it ran
  after, an ``@patch`` decorator), the value is set where the future was resolved
  instead: ``m.return_value = v``.

The result is ``AsyncMock(return_value=v)`` / ``AsyncMock(side_effect=e)``; a
``m.return_value = fut`` on an attribute becomes ``repo.get = AsyncMock(return_value=v)``;
a patch gets ``new_callable=AsyncMock``. The future's statements are deleted, and so is
a ``loop = asyncio.get_event_loop()`` that only served them. ``assert_called*`` stay
(still true); ``assert-called-to-awaited`` upgrades them.

**Why**

``asyncio.Future()`` and ``get_event_loop()`` outside a running loop are deprecated
(Python 3.12: ``DeprecationWarning: There is no current event loop``; 3.14: an error),
and with pytest-asyncio >= 1.4 there is no current loop after an async test, so a sync
fixture or helper that builds a Future fails with ``RuntimeError: There is no current
event loop in thread 'MainThread'`` depending on test order. ``AsyncMock`` (3.8) says
the same thing without a loop, and can be asserted on with ``assert_awaited*``.

**Example**

Before::

    import asyncio
    from unittest.mock import MagicMock

    def test_load(repo):
        fut = asyncio.Future()
        fut.set_result({"id": 1})
        repo.get = MagicMock(return_value=fut)

        fetch = MagicMock(return_value=asyncio.Future())
        fetch.return_value.set_result([])

After (the imports nothing uses any more go)::

    from unittest.mock import AsyncMock

    def test_load(repo):
        repo.get = AsyncMock(return_value={"id": 1})

        fetch = AsyncMock(return_value=[])

**When it refuses**

A mock becomes an ``AsyncMock`` only if every Future it is configured with goes:
awaiting an ``AsyncMock`` returns its ``return_value`` (or ``side_effect`` item) as is,
so a Future left there would reach the code under test unawaited. Reported, not
rewritten: a future resolved after the mock is built or first called (the test
controls the timing), resolved twice or never, or inside a loop, a condition or a
nested function; a future awaited or shared (used anywhere else than as one
``return_value`` or ``side_effect`` item); a value whose names are reassigned between
``set_result`` and the mock; a ``side_effect`` future resolving to an exception object
(an ``AsyncMock`` would raise it); a mock the test calls without awaiting, or whose
return value it uses as a Future (``m().add_done_callback(...)``,
``m.return_value.done()``): it wants the Future itself; a mock also configured, in the
same function, with another Future this codemod cannot rewrite; a fixture's mock (or
one built on ``self`` in ``setUp``/``setup_method``) that a test of the same file
configures that way; a ``patch`` of an ``async def`` without ``new_callable`` (it
already makes an ``AsyncMock``, whose await would return the Future itself); a future
set as ``return_value`` of a mock this codemod cannot see being built (a fixture
parameter). A file defining its own ``AsyncMock`` is left alone. Futures no mock
touches are not this codemod's business and get no note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import libcst as cst

from async_test_upgrade.codemods.mocks import _mocks
from async_test_upgrade.cst import (
    CommentKeepingRemoval,
    FileContext,
    keyword,
    set_keyword,
    without_args,
)
from async_test_upgrade.providers import parent_map
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

Outcome = Literal["result", "exception"]
_LOOP_GETTERS = frozenset({"asyncio.get_event_loop", "asyncio.get_running_loop"})


@dataclass
class _Resolved:
    """A future (or a helper call) and what awaiting it gives."""

    outcome: Outcome
    value: cst.BaseExpression
    origin: str  # for the change description
    statements: list[cst.CSTNode] = field(default_factory=list)  # to delete
    #: (module, name) of an imported helper whose import may become unused.
    helper_import: tuple[str, str] | None = None


@dataclass
class _CallRewrite:
    kind: Literal["mock", "patch"]
    resolved: _Resolved | None
    evidence: str
    #: ``side_effect=[async_return(1), async_raise(e)]``: the values, in order.
    side_effects: tuple[_Resolved, ...] = ()
    #: ``return_value=<Future>`` goes: the value is set where the test resolved it.
    drop_return_value: bool = False

    @property
    def configures(self) -> bool:
        """Whether the rewrite changes the mock's configuration, not only its class."""
        return self.resolved is not None or bool(self.side_effects) or self.drop_return_value


@dataclass
class _StatementRewrite:
    """A statement line that becomes an assignment to the mock ``owner``:
    ``owner.return_value = v``, ``owner.side_effect = e`` or ``owner.side_effect = [v, e]``
    (``value``), or ``owner = AsyncMock(return_value=v)`` and the like (``replace``)."""

    how: Literal["value", "replace"]
    owner: cst.BaseExpression
    description: str
    resolved: _Resolved | None = None
    items: tuple[_Resolved, ...] = ()
    #: The ``[f1, f2]`` whose elements become the items' values.
    sequence: cst.List | cst.Tuple | None = None


@dataclass
class _Function:
    """A function being planned, and what planning it found."""

    function: cst.FunctionDef
    cls: cst.ClassDef | None
    scan: _mocks.FunctionScan
    decorator_patches: list[tuple[str, cst.Call, _mocks.PatchKind]]
    parents: dict[int, cst.CSTNode]


@dataclass
class _Unit:
    """One rewrite of one mock and everything it changes. Planned for the whole function
    first, applied only if nothing else there still configures the mock with a Future."""

    where: _Function
    #: The name or attribute the function reaches the mock through (None: built inline).
    path: str | None
    anchor: cst.CSTNode  # where a refusal is reported
    calls: list[tuple[cst.Call, _CallRewrite]] = field(default_factory=list)
    statements: list[tuple[cst.CSTNode, _StatementRewrite]] = field(default_factory=list)
    remove: list[cst.CSTNode] = field(default_factory=list)
    #: What the rewrite takes away: the futures' uses, rewritten and deleted statements.
    gone: list[cst.CSTNode] = field(default_factory=list)
    imports: list[tuple[str, str]] = field(default_factory=list)


@codemod(
    name="future-mock-to-asyncmock",
    summary="MagicMock(return_value=<resolved Future>) -> AsyncMock(return_value=value)",
    after=("custom-asyncmock-class",),
    safety="review",
    triggers=("Future(", "create_future(", "set_result(", "set_exception(", "return_value"),
    needs={"python": (3, 8)},
    produces=(
        "AsyncMock",
        "side_effect",
        "return_value",
        "new_callable",
        "unittest",
        "mock",
        "unittest.mock",
    ),
)
class FutureMockToAsyncMock(CommentKeepingRemoval):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """Nothing to do (nor to report) without a Future built here or a project helper
        building a resolved one."""
        return _mocks.future_may_be_mocked(code, facts)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.refused = False
        self.alias: str | None = None
        self.helpers: dict[str, Outcome] = {}
        self.remove: set[int] = set()
        #: Ids of every node a committed rewrite takes away (see ``_Unit.gone``).
        self.gone: set[int] = set()
        self.calls: dict[int, _CallRewrite] = {}
        self.statements: dict[int, _StatementRewrite] = {}
        self.functions: list[tuple[cst.FunctionDef, cst.ClassDef | None]] = []
        #: The function being planned (or checked).
        self.where = _Function(
            cst.FunctionDef(cst.Name("_"), cst.Parameters(), cst.IndentedBlock([])),
            None,
            _mocks.FunctionScan(),
            [],
            {},
        )
        #: Rewrites planned in the file, not yet checked against each other.
        self.pending: list[_Unit] = []
        #: Each function's scan, by id (a fixture's tests are scanned for its mocks too).
        self.scans: dict[int, _mocks.FunctionScan] = {}
        #: Futures named once, inside a ``side_effect`` sequence: id of the use -> value.
        self.in_sequences: dict[int, _Resolved] = {}

    def visit_Module(self, node: cst.Module) -> None:
        self.refused = _mocks.foreign_asyncmock(node, self.ctx.names) is not None
        self.alias = _mocks.module_mock_alias(node)
        for statement in node.body:
            if isinstance(statement, cst.FunctionDef):
                outcome = self._helper_outcome(statement)
                if outcome is not None:
                    self.helpers[statement.name.value] = outcome
        if self.refused:
            return
        # Every function is planned before anything is committed: a fixture's mock may
        # only become an AsyncMock if the tests using it configure it without Futures.
        self.functions = _mocks.outer_functions(node)
        planned = [
            f
            for f, cls in self.functions
            if isinstance(f.body, cst.IndentedBlock)
            and f.name.value not in self.helpers
            and self._plan(f, cls)
        ]
        self._commit()
        for function in planned:
            assert isinstance(function.body, cst.IndentedBlock)
            self._drop_unused_loops(list(function.body.body))

    @property
    def scan(self) -> _mocks.FunctionScan:
        return self.where.scan

    @property
    def decorator_patches(self) -> list[tuple[str, cst.Call, _mocks.PatchKind]]:
        return self.where.decorator_patches

    @property
    def body(self) -> cst.IndentedBlock:
        assert isinstance(self.where.function.body, cst.IndentedBlock)
        return self.where.function.body

    # --- recognising futures ------------------------------------------------------------------

    def _is_creation(self, value: cst.BaseExpression) -> bool:
        return _mocks.is_future_creation(self, value)

    def _helper_outcome(self, function: cst.FunctionDef) -> Outcome | None:
        """``def h(x): f = Future(); f.set_<result|exception>(x); return f``."""
        params = function.params.params
        body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
        smalls = [_single(s) for s in body]
        if (
            smalls
            and isinstance(smalls[0], cst.Expr)
            and isinstance(smalls[0].value, cst.SimpleString | cst.ConcatenatedString)
        ):
            smalls = smalls[1:]  # a docstring
        if len(params) != 1 or len(smalls) != 3 or function.asynchronous is not None:
            return None
        create, resolve, ret = smalls
        if not (
            isinstance(create, cst.Assign)
            and len(create.targets) == 1
            and isinstance(create.targets[0].target, cst.Name)
            and self._is_creation(create.value)
        ):
            return None
        name = create.targets[0].target.value
        resolution = _resolution(resolve, name)
        if resolution is None or not isinstance(resolution[1], cst.Name):
            return None
        if resolution[1].value != params[0].name.value:
            return None
        if not (isinstance(ret, cst.Return) and _is_name(ret.value, name)):
            return None
        return resolution[0]

    def _helper_call(self, value: cst.BaseExpression) -> _Resolved | None:
        if not (isinstance(value, cst.Call) and len(value.args) == 1):
            return None
        arg = value.args[0]
        if arg.keyword is not None or arg.star:
            return None
        outcome: Outcome | None = None
        helper_import: tuple[str, str] | None = None
        if isinstance(value.func, cst.Name) and value.func.value in self.helpers:
            outcome = self.helpers[value.func.value]
        elif self.ctx.names is None or not self.ctx.names.is_local(value.func):
            for name in self.qualified_names(value.func):
                found = self.ctx.facts.future_helpers.get(self.ctx.facts.resolve(name))
                if found in ("result", "exception"):
                    outcome = found  # type: ignore[assignment]
                    module, _, obj = name.rpartition(".")
                    if isinstance(value.func, cst.Name) and module:
                        helper_import = (module, obj)
        if outcome is None:
            return None
        origin = f"{_mocks.code(value.func)}() builds a resolved Future"
        return _Resolved(outcome, arg.value, origin, helper_import=helper_import)

    def _hands_out_futures(self, value: cst.BaseExpression) -> bool:
        """Whether ``value``, as a mock's ``return_value`` or ``side_effect``, is a Future
        (built here, by a helper, or named) or a sequence holding one."""
        if isinstance(value, cst.List | cst.Tuple):
            return any(
                isinstance(e, cst.Element) and self._hands_out_futures(e.value)
                for e in value.elements
            )
        if isinstance(value, cst.Name):
            return any(
                self._is_creation(b.value) or self._helper_call(b.value) is not None
                for b in self.scan.bound(value.value)
            )
        return self._is_creation(value) or self._helper_call(value) is not None

    # --- planning ----------------------------------------------------------------------------

    def _plan(self, function: cst.FunctionDef, cls: cst.ClassDef | None) -> bool:
        """Plan the rewrites of one function; whether it has any."""
        assert isinstance(function.body, cst.IndentedBlock)
        body = list(function.body.body)
        scan = self.scans[id(function)] = _mocks.scan_function(self, function)
        parents = _parents(function.body)
        decorators = _mocks.patch_decorator_params(self, function)
        self.where = _Function(function, cls, scan, decorators, parents)
        pending = len(self.pending)
        self.in_sequences = {}
        top = _top_statements(body)
        handled: set[int] = set()
        for index, statement in enumerate(body):
            small = _single(statement)
            if not (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
            ):
                continue
            name = small.targets[0].target.value
            if self._is_creation(small.value):
                self._plan_future(name, index, body, scan, parents, top)
            else:
                resolved = self._helper_call(small.value)
                if resolved is not None:
                    handled.add(id(small.value))
                    resolved.statements.append(statement)
                    self._plan_use(name, index, None, resolved, body, scan, parents, top)
        for node in _mocks.walk(function.body):
            if isinstance(node, cst.SimpleStatementLine):
                handled |= self._plan_side_effect_assignment(node)
        for node in _mocks.walk(function.body):
            if isinstance(node, cst.Call):
                handled |= self._plan_side_effect_list(node)
        # helper calls written inline: ``MagicMock(return_value=async_return(v))``
        for node in _mocks.walk(function.body):
            if isinstance(node, cst.Call) and id(node) not in handled:
                resolved = self._helper_call(node)
                if resolved is not None:
                    self._plan_consumer(node, resolved, scan, parents)
        for node in _mocks.walk(function.body):
            if isinstance(node, cst.SimpleStatementLine):
                self._plan_return_value_future(node, scan)
        return len(self.pending) > pending

    def _drop_unused_loops(self, body: list[cst.BaseStatement]) -> None:
        """A ``loop = asyncio.get_event_loop()`` that only served removed futures goes too
        (left behind, it is the sync ``get_event_loop()`` call that fails on new stacks)."""
        if not self.gone:
            return
        for statement in body:
            small = _single(statement)
            if not (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and isinstance(small.value, cst.Call)
                and not small.value.args
                and self.names_among(small.value.func, _LOOP_GETTERS)
            ):
                continue
            name = small.targets[0].target.value
            target = small.targets[0].target
            others = [
                n
                for s in body
                for n in _mocks.walk(s)
                if isinstance(n, cst.Name) and n.value == name and n is not target
            ]
            if others and all(id(n) in self.gone for n in others):
                self.remove.add(id(statement))

    def _sequence_items(self, sequence: cst.List | cst.Tuple) -> tuple[_Resolved, ...] | None:
        """What awaiting each item of a ``side_effect`` sequence gave, when every item is
        a resolved Future (a helper call, or a future named once and resolved before)."""
        elements = sequence.elements
        if not elements or any(not isinstance(e, cst.Element) for e in elements):
            return None
        items: list[_Resolved] = []
        for element in elements:
            resolved = self.in_sequences.get(id(element.value)) or self._helper_call(element.value)
            if resolved is None:
                return None
            items.append(resolved)
        return tuple(items)

    def _items_problem(self, items: tuple[_Resolved, ...]) -> str | None:
        for item in items:
            if item.outcome == "result" and _mocks.is_exception(item.value):
                return (
                    f"a Future of the side_effect resolves to {_mocks.code(item.value)}, an "
                    "exception object: as a side_effect item an AsyncMock would raise it, not "
                    "return it; rewrite by hand"
                )
        return None

    def _plan_side_effect_list(self, call: cst.Call) -> set[int]:
        """``MagicMock(side_effect=[async_return(1), f2])`` -> ``AsyncMock(side_effect=[1,
        e])``: an AsyncMock returns (or raises) the next item on each await, as awaiting
        the next future did. The ids of the helper calls it handled."""
        effect = keyword(call, "side_effect")
        if effect is None or not isinstance(effect.value, cst.List | cst.Tuple):
            return set()
        items = self._sequence_items(effect.value)
        if items is None:
            return set()
        handled = {id(e.value) for e in effect.value.elements}
        problem = self._items_problem(items)
        if problem is not None:
            self.review(call, problem)
            return handled
        evidence = f"each item of side_effect is a resolved Future ({items[0].origin})"
        if keyword(call, "return_value") is not None:
            self.review(call, "the mock has a return_value and a side_effect of Futures")
            return handled
        if _mocks.mock_kind(self, call) == "sync":
            rewrite = _CallRewrite("mock", None, evidence, items)
        elif (verdict := self._patch_verdict(call)) is None:
            rewrite = _CallRewrite("patch", None, evidence, items)
        else:
            self.review(call, verdict)
            return handled
        self._propose(
            call,
            self._mock_path(call),
            calls=[(call, rewrite)],
            resolved=items,
            gone=[effect.value],
        )
        return handled

    def _plan_side_effect_assignment(self, statement: cst.SimpleStatementLine) -> set[int]:
        """``m.side_effect = [f1, async_raise(e)]`` -> ``m.side_effect = [v1, e]``, the mock
        made an AsyncMock. The ids of the helper calls it handled."""
        small = _single(statement)
        if not (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Attribute)
            and small.targets[0].target.attr.value == "side_effect"
            and isinstance(small.value, cst.List | cst.Tuple)
        ):
            return set()
        sequence = small.value
        items = self._sequence_items(sequence)
        if items is None:
            return set()
        handled = {id(e.value) for e in sequence.elements}
        problem = self._items_problem(items)
        if problem is not None:
            self.review(statement, problem)
            return handled
        self._plan_assignment(
            statement,
            small.targets[0].target,
            f"each item of side_effect is a resolved Future ({items[0].origin})",
            items=items,
            sequence=sequence,
            gone=[sequence],
        )
        return handled

    def _plan_future(
        self,
        name: str,
        index: int,
        body: list[cst.BaseStatement],
        scan: _mocks.FunctionScan,
        parents: dict[int, cst.CSTNode],
        top: dict[int, int],
    ) -> None:
        creation = body[index]
        if not any(
            _near_a_mock(n, parents)
            for n in _mocks.walk(cst.IndentedBlock(body=body))
            if isinstance(n, cst.Name) and n.value == name
        ):
            return  # a future the test uses for itself: not this codemod's business
        resolutions = [
            (i, r) for i, s in enumerate(body) if (r := _resolution(_single(s), name)) is not None
        ]
        if len(resolutions) != 1:
            how = (
                "by no direct set_result()/set_exception() statement"
                if not resolutions
                else f"{len(resolutions)} times"
            )
            self.review(creation, f"Future {name} is resolved {how} in this function; left alone")
            return
        res_index, (outcome, value) = resolutions[0]
        if res_index < index:
            return
        origin = (
            f"{name} (line {self.line(creation)}) is resolved once by "
            f"set_{outcome} (line {self.line(body[res_index])})"
        )
        resolved = _Resolved(outcome, value, origin, [creation, body[res_index]])
        self._plan_use(name, index, res_index, resolved, body, scan, parents, top)

    def _plan_use(
        self,
        name: str,
        index: int,
        res_index: int | None,
        resolved: _Resolved,
        body: list[cst.BaseStatement],
        scan: _mocks.FunctionScan,
        parents: dict[int, cst.CSTNode],
        top: dict[int, int],
    ) -> None:
        creation = body[index]
        skip = {id(n) for s in resolved.statements for n in _mocks.walk(s)}
        uses = [
            n
            for n in _mocks.walk(cst.IndentedBlock(body=body))
            if isinstance(n, cst.Name) and n.value == name and id(n) not in skip
        ]
        if not any(_near_a_mock(u, parents) for u in uses):
            return  # a future the test uses for itself: not this codemod's business
        if len(scan.bound(name)) != 1 or len(uses) != 1:
            self.review(
                creation,
                f"Future {name} is used {len(uses)} times or rebound; only a future used once, "
                "as one mock's return_value or side_effect item, is rewritten",
            )
            return
        use = uses[0]
        use_index = top.get(id(use), -1)
        if res_index is not None and use_index < res_index:
            self.review(
                use,
                f"Future {name} is resolved after the mock is set up (the test controls the "
                "timing); rewrite by hand",
            )
            return
        start = res_index if res_index is not None else index
        reassigned = _assigned_names(body[start + 1 : use_index]) & _names_in(resolved.value)
        if reassigned:
            self.review(
                use,
                f"the value of Future {name} uses {', '.join(sorted(reassigned))}, reassigned "
                "before the mock; rewrite by hand",
            )
            return
        if _side_effect_sequence(use, parents) is not None:
            self.in_sequences[id(use)] = resolved  # rewritten with its sequence, if it can be
            return
        self._plan_consumer(use, resolved, scan, parents)

    def _plan_consumer(
        self,
        use: cst.BaseExpression,
        resolved: _Resolved,
        scan: _mocks.FunctionScan,
        parents: dict[int, cst.CSTNode],
    ) -> None:
        parent = parents.get(id(use))
        if isinstance(parent, cst.Arg) and parent.keyword is not None:
            call = parents.get(id(parent))
            if parent.keyword.value == "return_value" and isinstance(call, cst.Call):
                self._plan_call(call, use, resolved)
                return
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
            target = parent.targets[0].target
            statement = parents.get(id(parent))
            if (
                isinstance(target, cst.Attribute)
                and target.attr.value == "return_value"
                and isinstance(statement, cst.SimpleStatementLine)
                and len(statement.body) == 1
            ):
                self._plan_assignment(
                    statement, target, resolved.origin, resolved=resolved, gone=[use]
                )
                return
        self.review(
            use,
            f"{resolved.origin.split(' (')[0]} is used other than as a mock's return_value; "
            "rewrite by hand",
        )

    def _plan_call(self, call: cst.Call, use: cst.BaseExpression, resolved: _Resolved) -> None:
        if resolved.outcome == "exception" and keyword(call, "side_effect") is not None:
            self.review(call, "the mock has a side_effect and a failed Future; rewrite by hand")
            return
        where = f"{resolved.origin}, used only as this mock's return_value"
        if _mocks.mock_kind(self, call) == "sync":
            rewrite = _CallRewrite("mock", resolved, where)
        elif (verdict := self._patch_verdict(call)) is None:
            rewrite = _CallRewrite("patch", resolved, where)
        else:
            self.review(call, verdict)
            return
        self._propose(
            call, self._mock_path(call), calls=[(call, rewrite)], resolved=[resolved], gone=[use]
        )

    def _patch_verdict(self, call: cst.Call) -> str | None:
        """None when the mock this patch makes can become an AsyncMock through
        ``new_callable``; else why not."""
        kind = _mocks.patch_kind(self, call)
        if kind not in ("patch", "object") or _mocks.patch_new(call, kind) is not None:
            return f"the Future is given to {_mocks.code(call.func)}(); rewrite by hand"
        new_callable = keyword(call, "new_callable")
        if new_callable is not None:
            if _mocks.mock_class_kind(self, new_callable.value) == "sync":
                return None
            return "the patch has its own new_callable; rewrite by hand"
        target = _mocks.async_patch_target(self, call, kind)
        if target is None:
            return None
        return (
            f"patch of {target} (an async def) already makes an AsyncMock, whose await "
            "returns this Future itself; give return_value the value by hand"
        )

    def _plan_assignment(
        self,
        statement: cst.CSTNode,
        target: cst.Attribute,
        origin: str,
        *,
        resolved: _Resolved | None = None,
        items: tuple[_Resolved, ...] = (),
        sequence: cst.List | cst.Tuple | None = None,
        gone: list[cst.CSTNode],
        remove: tuple[cst.CSTNode, ...] = (),
        untouched: tuple[int, set[int]] | None = None,
    ) -> None:
        """``owner.return_value = <future>`` / ``owner.side_effect = [<futures>]`` (the
        ``target``), rewritten in ``statement``. ``untouched``: the line before which, and
        the nodes apart from which, an unbound ``owner`` must not be used to be replaced."""
        decorated = {name: call for name, call, _ in self.decorator_patches}
        owner = _mocks.dotted(target.value)
        if owner is None:
            return
        attr = target.attr.value
        owner_code = _mocks.code(target.value)
        where = f"{origin}, then set as {owner}.{attr}"
        payload = {"resolved": resolved, "items": items, "sequence": sequence}
        if items:
            values = ", ".join(_mocks.code(i.value) for i in items)
            change = f"{owner_code}.side_effect gets the Futures' values [{values}]: {origin}"
        else:
            change = f"{owner_code} gets the Future's value: {origin}"
        value_rewrite = _StatementRewrite("value", target.value, change, **payload)  # type: ignore[arg-type]
        built: cst.Call | None = None
        kind: Literal["mock", "patch"] = "mock"
        bindings = self.scan.bound(owner)
        if len(bindings) == 1 and isinstance(bindings[0].value, cst.Call):
            candidate = bindings[0].value
            if (
                _mocks.mock_kind(self, candidate) == "sync"
                and keyword(candidate, "side_effect") is None
            ):
                built = candidate
            elif _mocks.patch_kind(self, candidate) in ("patch", "object"):
                verdict = self._patch_verdict(candidate)
                if verdict is not None:
                    self.review(statement, verdict)
                    return
                built, kind = candidate, "patch"
        elif not bindings and owner in decorated:
            verdict = self._patch_verdict(decorated[owner])
            if verdict is not None:
                self.review(statement, verdict)
                return
            built, kind = decorated[owner], "patch"
        if built is not None:
            self._propose(
                statement,
                owner,
                calls=[(built, _CallRewrite(kind, None, where))],
                statements=[(statement, value_rewrite)],
                resolved=[resolved] if resolved is not None else items,
                gone=gone,
                remove=remove,
            )
            return
        if not bindings and "." in owner:
            before, ignored = untouched or (self.line(statement), set())
            touched = any(
                isinstance(n, cst.Attribute)
                and id(n) not in ignored
                and self.line(n) < before
                and _mocks.dotted(n) == owner
                for n in _mocks.walk(self.body)
            )
            if not touched:
                if items:
                    values = ", ".join(_mocks.code(i.value) for i in items)
                    made = f"AsyncMock(side_effect=[{values}])"
                else:
                    assert resolved is not None
                    what = "side_effect" if resolved.outcome == "exception" else "return_value"
                    made = f"AsyncMock({what}={_mocks.code(resolved.value)})"
                change = f"{owner_code}.{attr} = <Future> -> {owner_code} = {made}: {origin}"
                replace = _StatementRewrite("replace", target.value, change, **payload)  # type: ignore[arg-type]
                self._propose(
                    statement,
                    owner,
                    statements=[(statement, replace)],
                    resolved=[resolved] if resolved is not None else items,
                    gone=gone,
                    remove=remove,
                )
                return
        self.review(
            statement,
            f"{origin}, then set as {owner}.{attr} of a mock built elsewhere; make that mock "
            f"an AsyncMock({attr}=...) by hand",
        )

    # --- a Future set as return_value, then resolved through the mock -------------------------

    def _plan_return_value_future(
        self, statement: cst.SimpleStatementLine, scan: _mocks.FunctionScan
    ) -> None:
        """``m = MagicMock(return_value=asyncio.Future())`` (or ``m.return_value =
        loop.create_future()``), then ``m.return_value.set_result(v)``: ``m =
        AsyncMock(return_value=v)``, the resolution deleted."""
        found = _return_value_resolution(_single(statement))
        if found is None:
            return
        owner, outcome, value = found
        path = _mocks.dotted(owner)
        if path is None:
            return
        fresh = self._fresh_future(path, scan)
        if fresh is None:
            return  # the return value is no Future built here: not this shape
        creation, holder = fresh
        future = f"{path}.return_value"
        resolved_at = self.line(statement)
        resolutions = [
            n
            for n in scan.future_method_uses(path)
            if n.attr.value in ("set_result", "set_exception")
        ]
        if len(resolutions) != 1:
            if not any(n is resolutions[0] for n in _mocks.walk(statement)):
                return  # reported once, at the first resolution
            self.review(
                creation,
                f"the Future {future} is resolved {len(resolutions)} times in this function; "
                "left alone",
            )
            return
        holder_statement = holder if isinstance(holder, cst.SimpleStatementLine) else None
        block = self._block(statement) or (
            self._block(holder_statement) if holder_statement is not None else None
        )
        if block is not None:
            self.review(
                statement,
                f"the Future {future} is set or resolved inside {block}: it may not be "
                "resolved once, before the mock is awaited; rewrite by hand",
            )
            return
        if self.line(holder) >= resolved_at:
            return
        own = {id(n) for n in _mocks.walk(statement)}
        if holder_statement is not None:
            own |= {id(n) for n in _mocks.walk(holder_statement)}
        other = [
            n
            for n in _mocks.walk(self.body)
            if isinstance(n, cst.Attribute) and id(n) not in own and _mocks.dotted(n) == future
        ]
        if other:
            self.review(
                other[0],
                f"the test uses the Future {future} itself (line {self.line(other[0])}), not only "
                "its value; rewrite by hand",
            )
            return
        early = self._reached_before(path, holder, statement)
        if early is not None:
            spelled = _mocks.dotted(early)
            used = path if spelled == path else f"{spelled}, which holds {path},"
            self.review(
                statement,
                f"{used} is used at line {self.line(early)}, before {future} is resolved at "
                f"line {resolved_at}: what it reaches may call it first (the test controls the "
                "timing); rewrite by hand",
            )
            return
        origin = (
            f"{future} (a Future, line {self.line(creation)}) is resolved once by "
            f"set_{outcome} (line {resolved_at})"
        )
        resolved = _Resolved(outcome, value, origin)
        movable = self._movable(value, holder, statement)
        if holder_statement is not None:
            assign = _single(holder_statement)
            assert isinstance(assign, cst.Assign)
            target = assign.targets[0].target
            assert isinstance(target, cst.Attribute)
            if movable:
                self._plan_assignment(
                    holder_statement,
                    target,
                    origin,
                    resolved=resolved,
                    gone=[creation, statement],
                    remove=(statement,),
                )
            else:
                assert isinstance(statement.body[0], cst.Expr)
                self._plan_assignment(
                    statement,
                    target,
                    origin,
                    resolved=resolved,
                    gone=[creation, holder_statement],
                    remove=(holder_statement,),
                    untouched=(resolved_at, {id(n) for n in _mocks.walk(holder_statement)}),
                )
            return
        assert isinstance(holder, cst.Call)
        if keyword(holder, "side_effect") is not None:
            self.review(holder, f"the mock has a side_effect and a Future return_value ({future})")
            return
        if _mocks.mock_kind(self, holder) == "sync":
            kind: Literal["mock", "patch"] = "mock"
        elif (verdict := self._patch_verdict(holder)) is None:
            kind = "patch"
        else:
            self.review(holder, verdict)
            return
        if movable and not any(holder is call for _, call, _ in self.decorator_patches):
            rewrite = _CallRewrite(kind, resolved, origin)
            self._propose(
                holder,
                path,
                calls=[(holder, rewrite)],
                gone=[creation, statement],
                remove=(statement,),
            )
            return
        rewrite = _CallRewrite(kind, None, origin, drop_return_value=True)
        change = f"{path} gets the Future's value where it was resolved: {origin}"
        at_resolution = _StatementRewrite("value", owner, change, resolved=resolved)
        self._propose(
            holder,
            path,
            calls=[(holder, rewrite)],
            statements=[(statement, at_resolution)],
            gone=[creation, statement],
        )

    def _fresh_future(
        self, path: str, scan: _mocks.FunctionScan
    ) -> tuple[cst.BaseExpression, cst.CSTNode] | None:
        """The Future built as the return value of the mock at ``path``, and what holds it
        (the ``m.return_value = ...`` statement, or the mock's or patch's call)."""
        assigned = scan.bound(f"{path}.return_value")
        if assigned:
            binding = assigned[0]
            statement = binding.statement
            if (
                len(assigned) == 1
                and self._is_creation(binding.value)
                and isinstance(statement, cst.SimpleStatementLine)
                and len(statement.body) == 1
                and isinstance(statement.body[0], cst.Assign)
                and len(statement.body[0].targets) == 1
            ):
                return binding.value, statement
            return None
        bindings = scan.bound(path)
        decorated = {name: call for name, call, _ in self.decorator_patches}
        if len(bindings) == 1 and isinstance(bindings[0].value, cst.Call):
            call = bindings[0].value
        elif not bindings and path in decorated:
            call = decorated[path]
        else:
            return None
        arg = keyword(call, "return_value")
        if arg is None or not self._is_creation(arg.value):
            return None
        return arg.value, call

    def _reached_before(
        self, path: str, holder: cst.CSTNode, resolution: cst.CSTNode
    ) -> cst.Name | cst.Attribute | None:
        """Where the function uses the mock at ``path`` (or an object it hangs on, such as
        ``repo`` for ``repo.get``) after building its Future (``holder``) and before
        resolving it: a call there, or in code handed the mock, gets the pending Future."""
        own = {id(n) for n in (*_mocks.walk(holder), *_mocks.walk(resolution))}
        own |= {id(b.target) for b in self.scan.bound(path)}
        start, end = self.line(holder), self.line(resolution)
        for node in _mocks.walk(self.body):
            if not isinstance(node, cst.Name | cst.Attribute) or id(node) in own:
                continue
            parent = self.where.parents.get(id(node))
            if isinstance(parent, cst.Attribute) and parent.value is node:
                continue  # part of a longer chain, judged as a whole
            spelled = _mocks.dotted(node)
            if spelled is None or not (spelled == path or path.startswith(spelled + ".")):
                continue
            if start <= self.line(node) < end:
                return node
        return None

    def _block(self, statement: cst.CSTNode) -> str | None:
        """What, besides ``with`` blocks, lies between ``statement`` and the function body
        (and may run it several times, or not at all); None when nothing does."""
        node: cst.CSTNode = statement
        while node is not self.body:
            parent = self.where.parents.get(id(node))
            if not isinstance(parent, cst.IndentedBlock | cst.With):
                if isinstance(parent, cst.For | cst.While):
                    return "a loop"
                if isinstance(parent, cst.FunctionDef):
                    return "a nested function"
                if isinstance(parent, cst.If | cst.Else):
                    return "a condition"
                if isinstance(parent, cst.Try | cst.ExceptHandler | cst.Finally):
                    return "a try statement"
                return f"a {type(parent).__name__} statement"
            node = parent
        return None

    def _movable(
        self, value: cst.BaseExpression, holder: cst.CSTNode, resolution: cst.CSTNode
    ) -> bool:
        """Whether ``value`` (resolving the Future at ``resolution``) can be evaluated
        where the Future is built (``holder``) instead, with the same result: nothing in
        between rebinds a name it reads, and a call in it does not move past statements."""
        start, end = self.line(holder), self.line(resolution)
        between = [
            n
            for n in _mocks.walk(self.body)
            if isinstance(n, cst.BaseSmallStatement | cst.BaseCompoundStatement)
            and start < self.line(n) < end
        ]
        if not between:
            return True
        if any(isinstance(n, cst.Call | cst.Await | cst.Yield) for n in _mocks.walk(value)):
            return False
        return not (_assigned_names(between) & _names_in(value))

    # --- committing ------------------------------------------------------------------------------

    def _mock_path(self, node: cst.CSTNode) -> str | None:
        """The name or attribute the converted mock is reached through in this function."""
        for binding in self.scan.bindings:
            if binding.value is node:
                return binding.path
        for name, call, _ in self.decorator_patches:
            if call is node:
                return name
        return None

    def _propose(
        self,
        anchor: cst.CSTNode,
        path: str | None,
        *,
        calls: list[tuple[cst.Call, _CallRewrite]] | None = None,
        statements: list[tuple[cst.CSTNode, _StatementRewrite]] | None = None,
        resolved: tuple[_Resolved, ...] | list[_Resolved] = (),
        gone: list[cst.CSTNode],
        remove: tuple[cst.CSTNode, ...] = (),
    ) -> None:
        unit = _Unit(self.where, path, anchor, calls or [], statements or [])
        for item in resolved:
            unit.remove.extend(item.statements)
            if item.helper_import is not None:
                unit.imports.append(item.helper_import)
        unit.remove.extend(remove)
        unit.gone.extend([*gone, *unit.remove, *(s for s, _ in unit.statements)])
        self.pending.append(unit)

    def _commit(self) -> None:
        """Apply the planned rewrites, mock by mock, where nothing else (in the function,
        or in the tests using a fixture's mock) still configures the mock with a Future:
        the AsyncMock would hand that out."""
        groups: dict[tuple[int, object], list[_Unit]] = {}
        for unit in self.pending:
            key: object = unit.path
            if key is None:
                key = id(unit.calls[0][0]) if unit.calls else id(unit.anchor)
            groups.setdefault((id(unit.where.function), key), []).append(unit)
        self.pending = []
        accepted: list[tuple[list[_Unit], dict[int, tuple[cst.Call, _CallRewrite]]]] = []
        for units in groups.values():
            self.where = units[0].where
            calls: dict[int, tuple[cst.Call, _CallRewrite]] = {}
            problem = None
            for call, rewrite in (c for unit in units for c in unit.calls):
                known = calls.get(id(call))
                if known is None or not known[1].configures:
                    calls[id(call)] = (call, rewrite)
                elif rewrite.configures:
                    problem = "the mock is configured with more than one Future; rewrite by hand"
            problem = problem or self._still_futures(units, [c for c, _ in calls.values()])
            if problem is not None:
                self.review(units[0].anchor, problem)
                continue
            accepted.append((units, calls))
        gone = {
            id(n) for units, _ in accepted for u in units for g in u.gone for n in _mocks.walk(g)
        }
        for units, calls in accepted:
            problem = self._shared_futures(units, gone)
            if problem is not None:
                self.review(units[0].anchor, problem)
                continue
            for call, rewrite in calls.values():
                self.calls[id(call)] = rewrite
            for unit in units:
                self.statements.update((id(s), r) for s, r in unit.statements)
                self.remove.update(id(s) for s in unit.remove)
                self.gone.update(id(n) for node in unit.gone for n in _mocks.walk(node))
                for module, name in unit.imports:
                    self.drop_import_if_unused(module, name)

    def _shared_futures(self, units: list[_Unit], gone: set[int]) -> str | None:
        """Why a fixture's (or ``setUp``'s) mock must stay: a function using it configures
        it with a Future that stays (``gone``: what the accepted rewrites take away)."""
        where, path = units[0].where, units[0].path
        if path is None:
            return None
        for other, other_path in _mocks.shared_paths(
            self, self.functions, where.function, where.cls, path
        ):
            scan = self.scans.get(id(other)) or _mocks.scan_function(self, other)
            self.scans[id(other)] = scan
            if scan.bound(other_path):
                continue  # replaced there by another mock
            self.where = _Function(other, None, scan, [], {})
            for node, why in self._configuration_sites(other_path, []):
                if id(node) not in gone:
                    return f"{path} left unchanged: in {other.name.value}(), {why}; rewrite by hand"
        return None

    def _still_futures(self, units: list[_Unit], calls: list[cst.Call]) -> str | None:
        """Why the mock of ``units`` must not become an AsyncMock after these rewrites:
        the test uses what it returns synchronously, or some configuration of it that they
        leave would still hand out a Future (returned as is by an AsyncMock)."""
        path = units[0].path
        if path is not None and self.scan.plain(path):
            return (
                f"{path} is called at line {self.line(self.scan.plain(path)[0].node)} without "
                "await; an AsyncMock would hand out a coroutine there, not the Future; rewrite "
                "by hand"
            )
        gone = {id(n) for unit in units for node in unit.gone for n in _mocks.walk(node)}
        for node, why in self._configuration_sites(path, calls):
            if id(node) not in gone:
                return f"{path or 'the mock'} left unchanged: {why}; rewrite by hand"
        return None

    def _configuration_sites(
        self, path: str | None, calls: list[cst.Call]
    ) -> list[tuple[cst.CSTNode, str]]:
        """Where the current function configures the mock built by ``calls`` or reached
        through ``path`` with a Future, and why that stands in the way."""
        owners = list(calls)
        if path is not None:
            owners += [b.value for b in self.scan.bound(path) if isinstance(b.value, cst.Call)]
            owners += [call for name, call, _ in self.decorator_patches if name == path]
        found: list[tuple[cst.CSTNode, str]] = []
        for owner in {id(o): o for o in owners}.values():
            for name in ("return_value", "side_effect"):
                arg = keyword(owner, name)
                if arg is not None and self._hands_out_futures(arg.value):
                    found.append((arg.value, f"{name}={_mocks.code(arg.value)}"))
        if path is not None:
            for name in ("return_value", "side_effect"):
                for binding in self.scan.bound(f"{path}.{name}"):
                    if self._hands_out_futures(binding.value):
                        found.append(
                            (binding.value, f"{path}.{name} = {_mocks.code(binding.value)}")
                        )
        sites = [
            (
                node,
                f"{what} (line {self.line(node)}) hands out a Future this codemod cannot "
                "rewrite, which an AsyncMock would return unawaited",
            )
            for node, what in found
        ]
        for use in self.scan.future_method_uses(path) if path is not None else ():
            sites.append(
                (
                    use,
                    f"{_mocks.code(use)}() at line {self.line(use)} needs the mock to return a "
                    "Future, not a value",
                )
            )
        return sites

    # --- rewriting ---------------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        rewrite = self.calls.get(id(original_node))
        if rewrite is None:
            return updated_node
        if rewrite.drop_return_value:
            dropped = [
                a
                for a in updated_node.args
                if a.keyword is not None and a.keyword.value == "return_value"
            ]
            updated_node = without_args(updated_node, dropped)
        if rewrite.kind == "mock":
            updated_node = updated_node.with_changes(
                func=_mocks.async_twin(self, updated_node.func)
            )
        else:
            new_callable = keyword(updated_node, "new_callable")
            twin = (
                _mocks.async_twin(self, new_callable.value)
                if new_callable is not None
                else _mocks.new_async_mock(self, self.alias)
            )
            updated_node = set_keyword(updated_node, "new_callable", twin)
        if rewrite.side_effects:
            effect = keyword(updated_node, "side_effect")
            assert effect is not None and isinstance(effect.value, cst.List | cst.Tuple)
            updated_node = set_keyword(
                updated_node, "side_effect", _with_items(effect.value, rewrite.side_effects)
            )
            values = ", ".join(_mocks.code(i.value) for i in rewrite.side_effects)
            self.changed(original_node, f"-> AsyncMock(side_effect=[{values}]): {rewrite.evidence}")
        elif rewrite.resolved is not None:
            updated_node = _return_the_value(updated_node, rewrite.resolved)
            value = _mocks.code(rewrite.resolved.value)
            what = "side_effect" if rewrite.resolved.outcome == "exception" else "return_value"
            self.changed(original_node, f"-> AsyncMock({what}={value}): {rewrite.evidence}")
        elif rewrite.drop_return_value:
            self.changed(
                original_node,
                f"-> AsyncMock, without return_value=<Future> (given its value where it is "
                f"resolved): {rewrite.evidence}",
            )
        else:
            self.changed(original_node, f"-> AsyncMock: {rewrite.evidence}")
        return updated_node

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        if id(original_node) in self.remove:
            return self.drop(updated_node)
        planned = self.statements.get(id(original_node))
        if planned is None:
            return updated_node
        self.changed(original_node, planned.description)
        return updated_node.with_changes(body=[self._assignment(planned)])

    def _assignment(self, planned: _StatementRewrite) -> cst.Assign:
        owner = planned.owner
        if planned.items:
            assert planned.sequence is not None
            what, value = "side_effect", _with_items(planned.sequence, planned.items)
        else:
            assert planned.resolved is not None
            resolved = planned.resolved
            what = "side_effect" if resolved.outcome == "exception" else "return_value"
            value = resolved.value
        if planned.how == "value":
            target: cst.BaseAssignTargetExpression = cst.Attribute(value=owner, attr=cst.Name(what))
            return cst.Assign(targets=[cst.AssignTarget(target=target)], value=value)
        assert isinstance(owner, cst.Attribute)  # planned only for ``a.b.return_value``
        built = cst.Call(
            func=_mocks.new_async_mock(self, self.alias),
            args=[cst.Arg(keyword=cst.Name(what), value=value, equal=_EQUAL)],
        )
        return cst.Assign(targets=[cst.AssignTarget(target=owner)], value=built)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.gone:
            self.drop_import_if_unused("asyncio")
        return super().leave_Module(original_node, updated_node)


_EQUAL = cst.AssignEqual(
    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
)


def _return_the_value(call: cst.Call, resolved: _Resolved) -> cst.Call:
    if resolved.outcome == "result":
        return set_keyword(call, "return_value", resolved.value)
    args = [
        a.with_changes(keyword=cst.Name("side_effect"), value=resolved.value)
        if a.keyword is not None and a.keyword.value == "return_value"
        else a
        for a in call.args
    ]
    return call.with_changes(args=args)


def _near_a_mock(use: cst.CSTNode, parents: dict[int, cst.CSTNode]) -> bool:
    """``return_value=use`` / ``side_effect=use`` / ``x.return_value = use``, or an item of
    a side_effect sequence."""
    if _side_effect_sequence(use, parents) is not None:
        return True
    parent = parents.get(id(use))
    if isinstance(parent, cst.Arg) and parent.keyword is not None:
        return parent.keyword.value in ("return_value", "side_effect")
    if isinstance(parent, cst.Assign):
        return any(
            isinstance(t.target, cst.Attribute)
            and t.target.attr.value in ("return_value", "side_effect")
            for t in parent.targets
        )
    return False


def _single(statement: cst.CSTNode) -> cst.BaseSmallStatement | None:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        return statement.body[0]
    return None


def _is_name(node: cst.CSTNode | None, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _resolution(
    small: cst.BaseSmallStatement | None, name: str
) -> tuple[Outcome, cst.BaseExpression] | None:
    """``name.set_result(v)`` / ``name.set_exception(e)`` as a statement."""
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return None
    call = small.value
    func = call.func
    if not (isinstance(func, cst.Attribute) and _is_name(func.value, name)):
        return None
    if func.attr.value not in ("set_result", "set_exception"):
        return None
    if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
        return None
    outcome: Outcome = "result" if func.attr.value == "set_result" else "exception"
    return outcome, call.args[0].value


def _parents(root: cst.CSTNode) -> dict[int, cst.CSTNode]:
    return {id(child): parent for child, parent in parent_map(root).items()}


def _top_statements(body: list[cst.BaseStatement]) -> dict[int, int]:
    """Node id -> index of the function-body statement that contains it."""
    index: dict[int, int] = {}
    for position, statement in enumerate(body):
        for node in _mocks.walk(statement):
            index[id(node)] = position
    return index


def _assigned_names(statements: Sequence[cst.CSTNode]) -> set[str]:
    names: set[str] = set()
    for statement in statements:
        for node in _mocks.walk(statement):
            if isinstance(node, cst.AssignTarget | cst.AugAssign | cst.AnnAssign) and isinstance(
                node.target, cst.Name
            ):
                names.add(node.target.value)
    return names


def _names_in(node: cst.CSTNode) -> set[str]:
    return {n.value for n in _mocks.walk(node) if isinstance(n, cst.Name)}


def _with_items(sequence: cst.List | cst.Tuple, items: tuple[_Resolved, ...]) -> cst.BaseExpression:
    elements = [
        element.with_changes(value=item.value)
        for element, item in zip(sequence.elements, items, strict=True)
    ]
    return sequence.with_changes(elements=elements)


def _side_effect_sequence(
    use: cst.CSTNode, parents: dict[int, cst.CSTNode]
) -> cst.List | cst.Tuple | None:
    """The ``[...]`` holding ``use`` as an item, when it is a mock's side_effect
    (``side_effect=[use, ...]`` / ``m.side_effect = [use, ...]``)."""
    element = parents.get(id(use))
    sequence = parents.get(id(element)) if isinstance(element, cst.Element) else None
    if not isinstance(sequence, cst.List | cst.Tuple):
        return None
    holder = parents.get(id(sequence))
    if isinstance(holder, cst.Arg) and holder.keyword is not None:
        return sequence if holder.keyword.value == "side_effect" else None
    if isinstance(holder, cst.Assign) and any(
        isinstance(t.target, cst.Attribute) and t.target.attr.value == "side_effect"
        for t in holder.targets
    ):
        return sequence
    return None


def _return_value_resolution(
    small: cst.BaseSmallStatement | None,
) -> tuple[cst.BaseExpression, Outcome, cst.BaseExpression] | None:
    """``owner.return_value.set_result(v)`` / ``.set_exception(e)`` as a statement: the
    owner (the mock), the outcome and the value."""
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return None
    call = small.value
    func = call.func
    if not (
        isinstance(func, cst.Attribute)
        and func.attr.value in ("set_result", "set_exception")
        and isinstance(func.value, cst.Attribute)
        and func.value.attr.value == "return_value"
    ):
        return None
    if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
        return None
    outcome: Outcome = "result" if func.attr.value == "set_result" else "exception"
    return func.value.value, outcome, call.args[0].value
