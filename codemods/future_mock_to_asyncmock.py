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
  async_return(v))``, and a sequence of them, ``side_effect=[async_return(1),
  async_raise(e)]``, which becomes ``AsyncMock(side_effect=[1, e])`` (one item per
  await, exceptions raised, as awaiting the next future did).

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

    fut = asyncio.Future()
    fut.set_result({"id": 1})
    repo.get = MagicMock(return_value=fut)

After::

    repo.get = AsyncMock(return_value={"id": 1})

**When it refuses**

Reported, not rewritten: a future resolved after the mock is built (the test controls
the timing), resolved twice or never, awaited or shared (used anywhere else than as
one ``return_value``); a value whose names are reassigned between ``set_result`` and
the mock; a mock the test calls without awaiting (``m().add_done_callback(...)``: it
wants the Future itself); a ``patch`` of an ``async def`` without ``new_callable`` (it
already makes an ``AsyncMock``, whose await would return the Future itself); a future
set as ``return_value`` of a mock this codemod cannot see being built (a fixture
parameter). A file defining its own ``AsyncMock`` is left alone. Futures no mock
touches are not this codemod's business and get no note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import libcst as cst

from async_test_upgrade.codemods import _mocks
from async_test_upgrade.cst import CodemodTransformer, FileContext, keyword, set_keyword
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


@codemod(
    name="future-mock-to-asyncmock",
    summary="MagicMock(return_value=<resolved Future>) -> AsyncMock(return_value=value)",
    order=710,
    safety="review",
    triggers=("Future(", "create_future(", "set_result(", "set_exception(", "return_value"),
    needs={"python": (3, 8)},
)
class FutureMockToAsyncMock(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """Nothing to do (nor to report) without a Future built here or a project helper
        building a resolved one."""
        return _mocks.future_may_be_mocked(code, facts)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.depth = 0
        self.refused = False
        self.alias: str | None = None
        self.helpers: dict[str, Outcome] = {}
        self.remove: set[int] = set()
        self.calls: dict[int, _CallRewrite] = {}
        self.statements: dict[int, tuple[str, _Resolved, cst.BaseExpression]] = {}
        self.decorator_patches: list[tuple[str, cst.Call, _mocks.PatchKind]] = []
        self.scan = _mocks.FunctionScan()

    def visit_Module(self, node: cst.Module) -> None:
        self.refused = _mocks.foreign_asyncmock(node, self.ctx.names) is not None
        self.alias = _mocks.module_mock_alias(node)
        for statement in node.body:
            if isinstance(statement, cst.FunctionDef):
                outcome = self._helper_outcome(statement)
                if outcome is not None:
                    self.helpers[statement.name.value] = outcome

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1
        if (
            self.depth == 1
            and not self.refused
            and isinstance(node.body, cst.IndentedBlock)
            and node.name.value not in self.helpers
        ):
            self._plan(node)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.depth -= 1
        return updated_node

    # --- recognising futures ------------------------------------------------------------------

    def _is_creation(self, value: cst.BaseExpression) -> bool:
        if not isinstance(value, cst.Call):
            return False
        if self.names_among(value.func, _mocks.FUTURES):
            return all(a.keyword is not None and a.keyword.value == "loop" for a in value.args)
        func = value.func
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value == "create_future"
            and not value.args
        )

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

    # --- planning ----------------------------------------------------------------------------

    def _plan(self, function: cst.FunctionDef) -> None:
        assert isinstance(function.body, cst.IndentedBlock)
        body = list(function.body.body)
        scan = self.scan = _mocks.scan_function(self, function)
        self.decorator_patches = _mocks.patch_decorator_params(self, function)
        parents = _parents(function.body)
        top = _top_statements(body)
        named_helper_calls: set[int] = set()
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
                    named_helper_calls.add(id(small.value))
                    resolved.statements.append(statement)
                    self._plan_use(name, index, None, resolved, body, scan, parents, top)
        for node in _mocks.walk(function.body):
            if isinstance(node, cst.Call):
                named_helper_calls |= self._plan_side_effect_list(node)
        # helper calls written inline: ``MagicMock(return_value=async_return(v))``
        for node in _mocks.walk(function.body):
            if isinstance(node, cst.Call) and id(node) not in named_helper_calls:
                resolved = self._helper_call(node)
                if resolved is not None:
                    self._plan_consumer(node, resolved, body, scan, parents, top)
        self._drop_unused_loops(body)

    def _drop_unused_loops(self, body: list[cst.BaseStatement]) -> None:
        """A ``loop = asyncio.get_event_loop()`` that only served removed futures goes too
        (left behind, it is the sync ``get_event_loop()`` call that fails on new stacks)."""
        removed = {id(n) for s in body if id(s) in self.remove for n in _mocks.walk(s)}
        if not removed:
            return
        for statement in body:
            small = _single(statement)
            if not (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and isinstance(small.value, cst.Call)
                and not small.value.args
                and self.qualified_names(small.value.func) & _LOOP_GETTERS
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
            if others and all(id(n) in removed for n in others):
                self.remove.add(id(statement))

    def _plan_side_effect_list(self, call: cst.Call) -> set[int]:
        """``MagicMock(side_effect=[async_return(1), async_raise(e)])`` -> ``AsyncMock(
        side_effect=[1, e])``: an AsyncMock returns (or raises) the next item on each
        await, as awaiting the next future did. The ids of the helper calls it handled."""
        effect = keyword(call, "side_effect")
        if effect is None or not isinstance(effect.value, cst.List | cst.Tuple):
            return set()
        elements = effect.value.elements
        if not elements or any(not isinstance(e, cst.Element) for e in elements):
            return set()
        resolved = [self._helper_call(e.value) for e in elements]
        if not all(r is not None for r in resolved):
            return set()
        handled = {id(e.value) for e in elements}
        items = tuple(r for r in resolved if r is not None)
        evidence = f"each item of side_effect is a resolved Future ({items[0].origin})"
        if keyword(call, "return_value") is not None:
            self.review(call, "the mock has a return_value and a side_effect of Futures")
            return handled
        problem = self._sync_use(self._mock_path(call))
        if problem is not None:
            self.review(call, problem)
            return handled
        if _mocks.mock_kind(self, call) == "sync":
            self.calls[id(call)] = _CallRewrite("mock", None, evidence, items)
        elif (verdict := self._patch_verdict(call)) is None:
            self.calls[id(call)] = _CallRewrite("patch", None, evidence, items)
        else:
            self.review(call, verdict)
            return handled
        for item in items:
            if item.helper_import is not None:
                self.drop_import_if_unused(*item.helper_import)
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
                "as one mock's return_value, is rewritten",
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
        self._plan_consumer(use, resolved, body, scan, parents, top)

    def _plan_consumer(
        self,
        use: cst.BaseExpression,
        resolved: _Resolved,
        body: list[cst.BaseStatement],
        scan: _mocks.FunctionScan,
        parents: dict[int, cst.CSTNode],
        top: dict[int, int],
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
                and id(statement) in top
            ):
                self._plan_assignment(statement, target, resolved, body[: top[id(statement)]], scan)
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
            self._accept(call, _CallRewrite("mock", resolved, where))
            return
        verdict = self._patch_verdict(call)
        if verdict is None:
            self._accept(call, _CallRewrite("patch", resolved, where))
            return
        self.review(call, verdict)

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
        target = _mocks.target_is_async(self, _mocks.patch_targets(self, call, kind))
        if target is None:
            return None
        return (
            f"patch of {target} (an async def) already makes an AsyncMock, whose await "
            "returns this Future itself; give return_value the value by hand"
        )

    def _plan_assignment(
        self,
        statement: cst.SimpleStatementLine,
        target: cst.Attribute,
        resolved: _Resolved,
        earlier: list[cst.BaseStatement],
        scan: _mocks.FunctionScan,
    ) -> None:
        """``owner.return_value = <future>`` (``earlier``: the function's statements before
        the one holding it)."""
        decorated = {name: call for name, call, _ in self.decorator_patches}
        owner = _mocks.dotted(target.value)
        if owner is None:
            return
        bindings = scan.bound(owner)
        if len(bindings) == 1 and isinstance(bindings[0].value, cst.Call):
            built = bindings[0].value
            kind = _mocks.patch_kind(self, built)
            if _mocks.mock_kind(self, built) == "sync" and keyword(built, "side_effect") is None:
                where = f"{resolved.origin}, then set as {owner}.return_value"
                rewrite = _CallRewrite("mock", None, where)
                self._accept(statement, None, ("value", resolved, target.value), (built, rewrite))
                return
            if kind in ("patch", "object"):
                verdict = self._patch_verdict(built)
                if verdict is not None:
                    self.review(statement, verdict)
                    return
                where = f"{resolved.origin}, then set as {owner}.return_value"
                rewrite = _CallRewrite("patch", None, where)
                self._accept(statement, None, ("value", resolved, target.value), (built, rewrite))
                return
        if not bindings and owner in decorated:
            verdict = self._patch_verdict(decorated[owner])
            if verdict is not None:
                self.review(statement, verdict)
                return
            where = f"{resolved.origin}, then set as {owner}.return_value"
            rewrite = _CallRewrite("patch", None, where)
            self._accept(
                statement, None, ("value", resolved, target.value), (decorated[owner], rewrite)
            )
            return
        if not bindings and "." in owner:
            touched = any(
                _mocks.dotted(n) == owner
                for s in earlier
                for n in _mocks.walk(s)
                if isinstance(n, cst.Attribute)
            )
            if not touched:
                self._accept(statement, None, ("replace", resolved, target.value))
                return
        self.review(
            statement,
            f"{resolved.origin}, then set as {owner}.return_value of a mock built elsewhere; "
            "make that mock an AsyncMock(return_value=...) by hand",
        )

    def _mock_path(self, node: cst.CSTNode) -> str | None:
        """The name or attribute the converted mock is reached through in this function."""
        for binding in self.scan.bindings:
            if binding.value is node:
                return binding.path
        return None

    def _sync_use(self, path: str | None) -> str | None:
        """Why the mock at ``path`` must keep returning a Future: a call whose result the
        function uses without awaiting (``f = m(); f.add_done_callback(...)``)."""
        if path is None:
            return None
        plain = self.scan.plain(path)
        if not plain:
            return None
        return (
            f"{path} is called at line {self.line(plain[0].node)} without await; an AsyncMock "
            "would hand out a coroutine there, not the Future; rewrite by hand"
        )

    def _accept(
        self,
        node: cst.CSTNode,
        call: _CallRewrite | None,
        statement: tuple[str, _Resolved, cst.BaseExpression] | None = None,
        also: tuple[cst.CSTNode, _CallRewrite] | None = None,
    ) -> None:
        """Plan the rewrite of ``node`` (and ``also``: the mock or patch a ``.return_value``
        assignment belongs to), unless the test uses the mock's result synchronously."""
        path = _mocks.dotted(statement[2]) if statement is not None else self._mock_path(node)
        if also is not None:
            path = path or self._mock_path(also[0])
        problem = self._sync_use(path)
        if problem is not None:
            self.review(node, problem)
            return
        if also is not None:
            self.calls[id(also[0])] = also[1]
        if call is not None:
            self.calls[id(node)] = call
            resolved = call.resolved
        else:
            assert statement is not None
            self.statements[id(node)] = statement
            resolved = statement[1]
        assert resolved is not None
        if resolved.helper_import is not None:
            self.drop_import_if_unused(*resolved.helper_import)
        for removed in resolved.statements:
            self.remove.add(id(removed))

    # --- rewriting ---------------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        rewrite = self.calls.get(id(original_node))
        if rewrite is None:
            return updated_node
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
            elements = [
                element.with_changes(value=item.value)
                for element, item in zip(effect.value.elements, rewrite.side_effects, strict=True)
            ]
            updated_node = set_keyword(
                updated_node, "side_effect", effect.value.with_changes(elements=elements)
            )
            values = ", ".join(_mocks.code(i.value) for i in rewrite.side_effects)
            self.changed(original_node, f"-> AsyncMock(side_effect=[{values}]): {rewrite.evidence}")
        elif rewrite.resolved is not None:
            updated_node = _return_the_value(updated_node, rewrite.resolved)
            value = _mocks.code(rewrite.resolved.value)
            what = "side_effect" if rewrite.resolved.outcome == "exception" else "return_value"
            self.changed(original_node, f"-> AsyncMock({what}={value}): {rewrite.evidence}")
        else:
            self.changed(original_node, f"-> AsyncMock: {rewrite.evidence}")
        return updated_node

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        if id(original_node) in self.remove:
            return cst.RemoveFromParent()
        planned = self.statements.get(id(original_node))
        if planned is None:
            return updated_node
        how, resolved, owner = planned
        value = _mocks.code(resolved.value)
        owner_code = _mocks.code(owner)
        assign = updated_node.body[0]
        assert isinstance(assign, cst.Assign)
        if how == "value":
            if resolved.outcome == "result":
                new = assign.with_changes(value=resolved.value)
            else:
                target = cst.Attribute(value=owner, attr=cst.Name("side_effect"))
                new = assign.with_changes(
                    targets=[cst.AssignTarget(target=target)], value=resolved.value
                )
            self.changed(original_node, f"{owner_code} gets the Future's value: {resolved.origin}")
        else:
            what = "side_effect" if resolved.outcome == "exception" else "return_value"
            built = cst.Call(
                func=_mocks.new_async_mock(self, self.alias),
                args=[cst.Arg(keyword=cst.Name(what), value=resolved.value, equal=_EQUAL)],
            )
            assert isinstance(owner, cst.Attribute)  # planned only for ``a.b.return_value``
            new = assign.with_changes(targets=[cst.AssignTarget(target=owner)], value=built)
            self.changed(
                original_node,
                f"{owner_code}.return_value = <Future> -> {owner_code} = AsyncMock({what}="
                f"{value}): {resolved.origin}",
            )
        return updated_node.with_changes(body=[new])

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.remove:
            self.drop_import_if_unused("asyncio")
        return updated_node


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
    """``return_value=use`` / ``side_effect=use`` / ``x.return_value = use``."""
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


def _assigned_names(statements: list[cst.BaseStatement]) -> set[str]:
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
