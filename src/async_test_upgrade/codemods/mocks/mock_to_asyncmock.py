"""
**What it does**

Turns a ``MagicMock(...)``/``Mock(...)`` that stands for a coroutine function into an
``AsyncMock(...)``, keeping its arguments, and fixes ``patch(..., new_callable=MagicMock)``
on an ``async def`` to ``new_callable=AsyncMock``. It converts only on evidence, and the
change says which:

1. the project facts show the patched target or the attribute the mock replaces is an
   ``async def`` (``patch("pkg.mod.fetch", new=MagicMock())``, ``patch.object(Repo,
   "get", new_callable=MagicMock)``, ``mocker.patch``, ``monkeypatch.setattr``,
   ``repo_module.fetch = MagicMock()``, ``repo.get = MagicMock()`` with
   ``repo = Repo(...)`` in the same function);
2. the mock is awaited in the same function (``await m(...)``, also through
   ``asyncio.gather``/``wait_for``), run (``asyncio.run(m())``,
   ``loop.run_until_complete(m())``) or scheduled (``create_task``/``ensure_future``).

A ``MagicMock`` whose own calls are not awaited but one of whose attributes is
(``client = MagicMock(); await client.fetch()``) stays a ``MagicMock`` and gets that
attribute as an ``AsyncMock`` keyword: ``MagicMock(fetch=AsyncMock())``. The keyword
form keeps the construction in one place and leaves every other attribute synchronous.

The ``AsyncMock`` is spelled like the mock it replaces: ``AsyncMock`` (the import is
added, an unused ``MagicMock`` import dropped), ``mock.AsyncMock`` when the module is
imported as ``mock``, ``mocker.AsyncMock`` for pytest-mock.

**Why**

A ``MagicMock`` call is not awaitable (``TypeError: object MagicMock can't be used in
'await' expression``); legacy suites made it awaitable with Futures, wrappers or
home-made classes, which the sibling codemods turn into ``AsyncMock``. ``AsyncMock``
(Python 3.8) is the supported form and counts awaits (``assert_awaited*``). ``patch()``
of an ``async def`` without ``new`` already gives an ``AsyncMock`` and is not touched;
``new_callable=MagicMock`` defeats that.

**Example**

Before (``shop/repo.py``, unchanged)::

    async def fetch_user(user_id):
        ...

Before (``tests/test_example.py``)::

    from unittest.mock import MagicMock, patch

    async def fake_handler(event):
        ...

    async def test_order():
        with patch("shop.repo.fetch_user", new_callable=MagicMock) as fetch:
            ...
        client = MagicMock()
        await client.fetch(1)
        handler = MagicMock(side_effect=fake_handler)
        await handler("event")

After (``tests/test_example.py``)::

    from unittest.mock import AsyncMock, MagicMock, patch

    async def fake_handler(event):
        ...

    async def test_order():
        with patch("shop.repo.fetch_user", new_callable=AsyncMock) as fetch:
            ...
        client = MagicMock(fetch=AsyncMock())
        await client.fetch(1)
        handler = AsyncMock(side_effect=fake_handler)
        await handler("event")

**When it refuses**

Without evidence nothing changes: a mock only called synchronously stays a
``MagicMock``. ``async with m`` / ``async for x in m`` are no evidence (``MagicMock``
supports both). Reported instead of converted: a mock called both with and without
``await``; a ``return_value`` or ``side_effect`` that may itself be an awaitable, such
as a Future or a list of Futures (the legacy mock was awaited *for* it, an
``AsyncMock`` would hand it out unawaited; resolved Futures are
``future-mock-to-asyncmock``'s job, which runs first); a mock whose return value the
test uses as a Future (``m.return_value.set_result(v)``,
``m.return_value.add_done_callback(f)``, ``m().result()``); a fixture's mock (or one
built on ``self`` in ``setUp``/``setup_method``) that a test of the same file
configures with a Future in one of these ways; a mock passed to a function of the same
file that awaits it (converted, but listed for review); a file that defines its own
``AsyncMock``. Mocks with a ``spec``/``spec_set``/``wraps`` and ``create_autospec``
are left alone: a spec already makes the async parts ``AsyncMock``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.codemods.mocks import _mocks
from async_test_upgrade.cst import CodemodTransformer, FileContext, Visitor, keyword, set_keyword
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex


@dataclass
class _Plan:
    kind: str  # "convert" / "attributes" / "new_callable"
    evidence: str
    attributes: tuple[str, ...] = ()
    review: str | None = None


@codemod(
    name="mock-to-asyncmock",
    summary="MagicMock()/Mock() standing for a coroutine function (on evidence) -> AsyncMock()",
    after=("coroutine-wrapper-to-asyncmock",),
    safety="review",
    triggers=("Mock",),
    needs={"python": (3, 8)},
    produces=(
        "AsyncMock",
        "unittest",
        "mock",
        "unittest.mock",
        "new_callable",
    ),
)
class MockToAsyncMock(CodemodTransformer):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """Evidence needs an await/run/schedule of the mock, or an async def the patch or
        attribute names; the note needs a home-made AsyncMock."""
        return _mocks.mock_may_be_awaited(code, facts)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.depth = 0
        self.plans: dict[int, _Plan] = {}
        self.refused = False
        self.module_async_defs: set[str] = set()
        self.local_async_defs: set[str] = set()
        #: in-file ``async def`` name -> positions and names of the parameters it awaits
        self.awaiting_params: dict[str, set[int | str]] = {}
        self.functions: list[tuple[cst.FunctionDef, cst.ClassDef | None]] = []
        #: The function being planned, and the class it is a method of.
        self.function: tuple[cst.FunctionDef, cst.ClassDef | None] | None = None
        self.scans: dict[int, _mocks.FunctionScan] = {}

    def visit_Module(self, node: cst.Module) -> None:
        foreign = _mocks.foreign_asyncmock(node, self.ctx.names)
        self.refused = foreign is not None
        if foreign is not None and "Mock(" in node.code:
            self.review(
                foreign,
                "this file defines its own AsyncMock: mock-to-asyncmock and "
                "future-mock-to-asyncmock leave the file alone; replace it with "
                "unittest.mock.AsyncMock (custom-asyncmock-class) and run them again",
            )
        for statement in node.body:
            if isinstance(statement, cst.FunctionDef) and statement.asynchronous is not None:
                self.module_async_defs.add(statement.name.value)
                self.awaiting_params[statement.name.value] = _awaited_params(statement)
        self.functions = _mocks.outer_functions(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1
        if self.depth == 1 and not self.refused:
            cls = next((c for f, c in self.functions if f is node), None)
            self.function = (node, cls)
            self._plan(node)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.depth -= 1
        return updated_node

    # --- deciding -------------------------------------------------------------------------------

    def _plan(self, function: cst.FunctionDef) -> None:
        scan = _mocks.scan_function(self, function)
        constructors: dict[str, list[cst.Call]] = {}
        for binding in scan.bindings:
            value = binding.value
            if isinstance(value, cst.Call) and self._plain_sync_mock(value):
                constructors.setdefault(binding.path, []).append(value)
        if not constructors and not scan.patch_calls:
            return  # no mock made or patched here
        # ``async def`` side effects may be defined inside the test itself.
        self.local_async_defs = self.module_async_defs | _nested_async_defs(function)
        for path, calls in constructors.items():
            if len(scan.bound(path)) != 1:
                continue  # rebound: which mock a later await reaches is not clear
            self._plan_bound(calls[0], path, scan, function)
        for patch in scan.patch_calls:
            self._plan_patch(patch, scan, constructors)

    def _plain_sync_mock(self, call: cst.Call) -> bool:
        return _mocks.mock_kind(self, call) == "sync" and not _mocks.has_spec(call)

    def _plan_bound(
        self, call: cst.Call, path: str, scan: _mocks.FunctionScan, function: cst.FunctionDef
    ) -> None:
        binding = scan.bound(path)[0]
        evidence = self._attribute_evidence(binding.target, path, scan)
        awaited = scan.awaited(path)
        scheduled = scan.scheduled(path)
        if evidence is None and awaited:
            evidence = f"{path} is awaited at line {self.line(awaited[0].node)}"
        elif evidence is None and scheduled:
            evidence = (
                f"{path}() is handed to a coroutine runner at line {self.line(scheduled[0].node)}"
            )
        if evidence is not None:
            self._decide_convert(call, path, scan, evidence)
            return
        children = scan.awaited_children(path)
        if children and not scan.calls_of(path) and not _mocks.MOCK_KEYWORDS & set(children):
            clean = set()
            for name in children:
                child = f"{path}.{name}"
                if scan.plain(child) or scan.bound(child) or keyword(call, name) is not None:
                    continue
                problem = self._configuration_problem(None, child, scan)
                problem = problem or self._shared_problem(child)
                if problem is not None:
                    self.review(
                        children[name][0].node,
                        f"{child} is awaited, but {problem}; left a MagicMock attribute",
                    )
                    continue
                clean.add(name)
            if clean:
                lines = ", ".join(
                    f"{path}.{n} at line {self.line(children[n][0].node)}" for n in sorted(clean)
                )
                self.plans[id(call)] = _Plan(
                    "attributes", f"only its attributes are awaited ({lines})", tuple(sorted(clean))
                )
            return
        self._plan_passed(call, path, scan, function)

    def _plan_passed(
        self, call: cst.Call, path: str, scan: _mocks.FunctionScan, function: cst.FunctionDef
    ) -> None:
        """Weaker evidence: the mock is handed to an ``async def`` of this file that awaits
        the parameter receiving it."""
        for site in scan.calls:
            awaited_positions = self.awaiting_params.get(site.path)
            if not awaited_positions:
                continue
            for index, arg in enumerate(site.node.args):
                position: int | str = index if arg.keyword is None else arg.keyword.value
                if position in awaited_positions and _mocks.dotted(arg.value) == path:
                    evidence = (
                        f"{path} is passed to {site.path}() at line {self.line(site.node)}, "
                        "which awaits it"
                    )
                    self._decide_convert(call, path, scan, evidence, weak=True)
                    return

    def _attribute_evidence(
        self, target: cst.BaseExpression, path: str, scan: _mocks.FunctionScan
    ) -> str | None:
        """Evidence 1 for ``a.b = MagicMock()``: ``a.b`` is an async def of the project."""
        if not isinstance(target, cst.Attribute):
            return None
        found = _mocks.target_is_async(self, _mocks.expression_names(self, target))
        if found:
            return f"{path} replaces {found}, an async def of the project"
        owner = _mocks.dotted(target.value)
        if owner is None or "." in owner:
            return None
        for binding in scan.bound(owner):
            if isinstance(binding.value, cst.Call):
                classes = _mocks.expression_names(self, binding.value.func)
                method = {f"{c}.{target.attr.value}" for c in classes}
                found = _mocks.target_is_async(self, method)
                if found and len(scan.bound(owner)) == 1:
                    return f"{path} replaces {found}, an async def of the project"
        return None

    def _decide_convert(
        self,
        call: cst.Call,
        path: str | None,
        scan: _mocks.FunctionScan,
        evidence: str,
        weak: bool = False,
    ) -> None:
        problem = self._configuration_problem(call, path, scan)
        problem = problem or (self._shared_problem(path) if path is not None else None)
        if problem is not None:
            self.review(call, f"{evidence}, but {problem}; left a MagicMock")
            return
        review = None
        if weak:
            review = f"converted to AsyncMock because {evidence}: check the code it reaches"
        self.plans[id(call)] = _Plan("convert", evidence, review=review)

    def _configuration_problem(
        self, call: cst.Call | None, path: str | None, scan: _mocks.FunctionScan
    ) -> str | None:
        """Why converting the mock built by ``call`` (bound to ``path``) would change what
        the code under test receives, or None."""
        if path is not None and scan.plain(path):
            site = scan.plain(path)[0]
            return f"it is also called without await at line {self.line(site.node)}"
        returned = keyword(call, "return_value") if call is not None else None
        if returned is not None and _mocks.hands_out_futures(self, returned.value, scan):
            return f"its return_value ({_mocks.code(returned.value)}) {_futures(returned.value)}"
        if returned is not None and _mocks.maybe_awaitable(self, returned.value):
            return (
                f"its return_value ({_mocks.code(returned.value)}) may be the awaitable the "
                "legacy mock was awaited for"
            )
        effect = keyword(call, "side_effect") if call is not None else None
        if effect is not None and _mocks.hands_out_futures(self, effect.value, scan):
            return f"its side_effect ({_mocks.code(effect.value)}) {_futures(effect.value)}"
        if effect is not None:
            problem = _mocks.side_effect_problem(self, effect.value, self.local_async_defs)
            if problem:
                return problem
        if path is None:
            return None
        problem = self._future_configuration(path, scan)
        if problem is not None:
            return problem
        for binding in scan.bound(f"{path}.return_value"):
            if _mocks.maybe_awaitable(self, binding.value):
                return (
                    f"{path}.return_value is set to {_mocks.code(binding.value)} at line "
                    f"{self.line(binding.statement)}, maybe the awaitable it was awaited for"
                )
        for binding in scan.bound(f"{path}.side_effect"):
            problem = _mocks.side_effect_problem(self, binding.value, self.local_async_defs)
            if problem:
                return problem
        return None

    def _future_configuration(self, path: str, scan: _mocks.FunctionScan) -> str | None:
        """How the function configures the mock at ``path`` with a Future, if it does:
        ``path.return_value``/``path.side_effect`` set to Futures, or what the mock returns
        used as one (``path.return_value.set_result(v)``, ``path().add_done_callback(f)``)."""
        for name in ("return_value", "side_effect"):
            for binding in scan.bound(f"{path}.{name}"):
                if _mocks.hands_out_futures(self, binding.value, scan):
                    return (
                        f"{path}.{name} is set to {_mocks.code(binding.value)} at line "
                        f"{self.line(binding.statement)}, which {_futures(binding.value)}"
                    )
        uses = scan.future_method_uses(path)
        if uses:
            return (
                f"{_mocks.code(uses[0])}() at line {self.line(uses[0])} uses what it returns "
                "as a Future, and awaiting an AsyncMock gives that return value itself, never "
                "a Future's result"
            )
        return None

    def _shared_problem(self, path: str) -> str | None:
        """Why the mock at ``path`` must stay: the tests requesting the fixture that hands
        it out (or the other methods of a class whose ``setUp`` builds it) configure it
        with a Future."""
        if self.function is None:
            return None
        function, cls = self.function
        for other, other_path in _mocks.shared_paths(self, self.functions, function, cls, path):
            scan = self.scans.get(id(other))
            if scan is None:
                scan = self.scans[id(other)] = _mocks.scan_function(self, other)
            if scan.bound(other_path):
                continue  # replaced there by another mock
            problem = self._future_configuration(other_path, scan)
            if problem is not None:
                return f"in {other.name.value}(), {problem}"
        return None

    def _plan_patch(
        self,
        patch: cst.Call,
        scan: _mocks.FunctionScan,
        constructors: dict[str, list[cst.Call]],
    ) -> None:
        kind = _mocks.patch_kind(self, patch)
        assert kind is not None
        async_target = _mocks.async_patch_target(self, patch, kind)
        new = _mocks.patch_new(patch, kind)
        if new is not None:
            value = new.value
            path: str | None = None
            if isinstance(value, cst.Name) and value.value in constructors:
                path = value.value
                if len(constructors[path]) != 1 or id(constructors[path][0]) in self.plans:
                    return
                value = constructors[path][0]
            if isinstance(value, cst.Call) and self._plain_sync_mock(value) and async_target:
                replaces = f"it replaces {async_target}, an async def of the project"
                self._decide_convert(value, path, scan, replaces)
            return
        new_callable = keyword(patch, "new_callable")
        if new_callable is None or _mocks.mock_class_kind(self, new_callable.value) != "sync":
            return
        bound = self._patch_binding(patch, scan)
        evidence: str | None = None
        if async_target:
            evidence = f"it patches {async_target}, an async def of the project"
        elif bound is not None and scan.awaited(bound):
            evidence = f"{bound} is awaited at line {self.line(scan.awaited(bound)[0].node)}"
        if evidence is None:
            return
        problem = self._configuration_problem(patch, bound, scan)
        problem = problem or (self._shared_problem(bound) if bound is not None else None)
        if problem is not None:
            self.review(patch, f"{evidence}, but {problem}; left new_callable=MagicMock")
            return
        self.plans[id(patch)] = _Plan("new_callable", evidence)

    @staticmethod
    def _patch_binding(patch: cst.Call, scan: _mocks.FunctionScan) -> str | None:
        for binding in scan.bindings:
            value = binding.value
            if value is patch or (isinstance(value, cst.Call) and value.func is patch):
                return binding.path  # ``X = mocker.patch(...)`` / ``with patch(...) as X``
        return None

    # --- rewriting ------------------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        plan = self.plans.get(id(original_node))
        if plan is None:
            return updated_node
        if plan.kind == "convert":
            old = _mocks.code(original_node.func)
            self.changed(original_node, f"{old}() -> AsyncMock(): {plan.evidence}")
            if plan.review:
                self.review(original_node, plan.review)
            return updated_node.with_changes(func=_mocks.async_twin(self, updated_node.func))
        if plan.kind == "attributes":
            twin = _twin_reference(self, updated_node.func)
            for name in plan.attributes:
                updated_node = set_keyword(updated_node, name, cst.Call(func=twin))
            self.changed(
                original_node,
                f"kept MagicMock, attributes {', '.join(plan.attributes)} -> AsyncMock(): "
                f"{plan.evidence}",
            )
            return updated_node
        new_callable = keyword(updated_node, "new_callable")
        assert new_callable is not None
        self.changed(original_node, f"new_callable=MagicMock -> AsyncMock: {plan.evidence}")
        twin = _mocks.async_twin(self, new_callable.value)
        return set_keyword(updated_node, "new_callable", twin)


def _futures(value: cst.BaseExpression) -> str:
    """What is wrong with a Future (or a sequence of them) configured on a mock."""
    if isinstance(value, cst.List | cst.Tuple):
        return (
            "holds Futures the legacy mock was awaited for; an AsyncMock would return them "
            "unawaited"
        )
    return "is a Future the legacy mock was awaited for; an AsyncMock would return it unawaited"


def _twin_reference(t: CodemodTransformer, mock_ref: cst.BaseExpression) -> cst.BaseExpression:
    """``AsyncMock`` spelled like ``mock_ref`` without dropping ``mock_ref``'s import (the
    MagicMock stays)."""
    if isinstance(mock_ref, cst.Attribute):
        return mock_ref.with_changes(attr=cst.Name("AsyncMock"))
    module = "mock" if any(n.startswith("mock.") for n in t.qualified_names(mock_ref)) else None
    t.add_import(module or "unittest.mock", "AsyncMock")
    return cst.Name("AsyncMock")


def _awaited_params(function: cst.FunctionDef) -> set[int | str]:
    """Positions and names of the parameters the function awaits (``await param(...)``)."""
    names = [p.name.value for p in function.params.params]
    keyword_only = [p.name.value for p in function.params.kwonly_params]
    awaited: set[int | str] = set()

    class Finder(Visitor):
        def visit_Await(self, node: cst.Await) -> None:
            inner = node.expression
            if isinstance(inner, cst.Call):
                path = _mocks.dotted(inner.func)
                if path in names:
                    awaited.update((names.index(path), path))
                elif path in keyword_only:
                    awaited.add(path)

    function.body.visit(Finder())
    return awaited


def _nested_async_defs(function: cst.FunctionDef) -> set[str]:
    found: set[str] = set()

    class Finder(Visitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            if node.asynchronous is not None:
                found.add(node.name.value)

    function.body.visit(Finder())
    return found
