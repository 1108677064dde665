"""
**What it does**

Turns a synchronous test or fixture that takes ``event_loop`` only to drive coroutines
with ``event_loop.run_until_complete(X)`` into an ``async def`` that writes ``await X``,
and drops the parameter. A converted test gets ``@pytest.mark.asyncio`` when the migrated
suite runs in strict mode (and no asyncio mark reaches it yet). A converted fixture keeps
``@pytest.fixture`` in auto mode and becomes ``@pytest_asyncio.fixture`` in strict mode;
a fixture with a literal scope wider than ``function`` always becomes
``@pytest_asyncio.fixture(scope=S, loop_scope=S)``, because its loop must live as long as
the value it made on it.

**Why**

pytest-asyncio 1.0 removed the ``event_loop`` fixture: such tests and fixtures now error
with ``fixture 'event_loop' not found``. Its migration guide says to convert synchronous
tests and fixtures requesting ``event_loop`` to asynchronous ones.

**Example**

Before (``pytest.ini``, unchanged)::

    [pytest]
    asyncio_mode = strict

Before (``tests/test_example.py``)::

    import pytest

    def test_fetch(event_loop):
        result = event_loop.run_until_complete(fetch())
        assert result == 1

    @pytest.fixture
    def server(event_loop):
        srv = event_loop.run_until_complete(start_server())
        yield srv
        event_loop.run_until_complete(srv.stop())

After (``tests/test_example.py``, in strict mode)::

    import pytest
    import pytest_asyncio

    @pytest.mark.asyncio
    async def test_fetch():
        result = await fetch()
        assert result == 1

    @pytest_asyncio.fixture
    async def server():
        srv = await start_server()
        yield srv
        await srv.stop()

A fixture that hands ``event_loop`` to what it builds (``Server(..., event_loop)``,
``app.loop = event_loop``) or schedules work on it (``event_loop.create_task(...)``)
becomes an async fixture that binds ``event_loop = asyncio.get_running_loop()`` first,
in the loop of the tests it serves (their loop scope, as for a fixture that only returns
the loop): the objects it builds get the loop the tests run in, as they did. A
synchronous test using such a fixture is named in a note (the loop is not running while
it runs).

A sync test that requests ``event_loop`` and never uses it loses the parameter; when it
still asks for a current loop (``asyncio.get_event_loop()``, ``ensure_future``), which
that fixture set and nothing sets now, a note says to make it async.

**When it refuses**

Reported and left alone: a test whose loop escapes, or a fixture whose loop escapes
otherwise (assigned to a local name, driven with ``run_forever``/``stop``/``close``,
handed to a thread as ``event_loop.run_forever``, or driven with ``run_until_complete``
from a nested function, lambda or comprehension); an ``event_loop`` parameter that is
never used by a fixture (it may hand on the loop being current, so dropping it is a
judgement call); a generator fixture that also returns a value, or uses ``yield from`` (not valid
in ``async def``); a fixture scope that is not a literal; a wide-scoped fixture when the
target pytest-asyncio is older than 0.24 (no ``loop_scope`` yet). With
``remove-loop-kwarg`` selected, a ``loop=event_loop`` argument it will delete
(``asyncio.wait_for(X, 1, loop=event_loop)``) does not count as an escape. Applied but
noted: a converted function that still calls ``asyncio.run`` or another
``run_until_complete`` (these raise inside a running loop; the
``asyncio-run-in-async-to-await`` codemod rewrites them when selected), and a fixture
with a wide scope (the tests using it must run in a loop of the same scope).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.codemods.event_loop import _event_loop
from async_test_upgrade.codemods.event_loop._event_loop import (
    ASYNCIO_RUN,
    EnclosingTracker,
    await_of_call,
    blocking_override,
    find_param,
    fixture_decorator,
    in_own_body,
    is_asyncio_marked,
    is_docstring,
    loop_uses,
    parametrized_names,
    parent,
    run_until_complete_call,
    running_loop_call,
    to_running_loop,
    used_as_primary,
    without_doomed_loop_kwargs,
    without_param,
)
from async_test_upgrade.codemods.event_loop._loop_scopes import (
    directory_of,
    in_tests_loop,
    is_under,
)
from async_test_upgrade.codemods.mode._mode import target_mode
from async_test_upgrade.cst import FileContext, Visitor, callee, keyword, set_keyword, string_value
from async_test_upgrade.pytest_api import MADE_ASYNC
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

LOOP = "event_loop"
#: What :meth:`EventLoopSyncToAsync._refusal` answers for a fixture that hands the loop on.
HANDED_ON = "handed on"
#: ... and for an ``event_loop`` parameter that is never used.
UNUSED = "unused"
#: Calls that need a current (set) event loop in synchronous code.
CURRENT_LOOP_CALLS = (
    "asyncio.get_event_loop",
    "asyncio.events.get_event_loop",
    "asyncio.ensure_future",
    "asyncio.tasks.ensure_future",
    "asyncio.Future",
    "asyncio.futures.Future",
)
WIDE_SCOPES = ("class", "module", "package", "session")
ASYNC_FIXTURE = "pytest_asyncio.fixture"


def _pytest_asyncio_fixture() -> cst.Attribute:
    return cst.Attribute(value=cst.Name("pytest_asyncio"), attr=cst.Name("fixture"))


def _asyncio_mark() -> cst.Decorator:
    mark = cst.Attribute(
        value=cst.Attribute(value=cst.Name("pytest"), attr=cst.Name("mark")),
        attr=cst.Name("asyncio"),
    )
    return cst.Decorator(decorator=mark)


class _BodyFacts(Visitor):
    """What in a function's own frame (nested scopes excluded) stops or flags conversion."""

    def __init__(self) -> None:
        super().__init__()
        self.yields = False
        self.yield_from = False
        self.return_value = False
        self.depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.depth += 1
        return self.depth == 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Yield(self, node: cst.Yield) -> None:
        self.yields = True
        if isinstance(node.value, cst.From):
            self.yield_from = True

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.return_value = True


@codemod(
    name="event-loop-sync-to-async",
    summary="sync tests/fixtures driving event_loop.run_until_complete(X) -> async def, await X",
    after=("event-loop-arg-to-running-loop",),
    safety="review",
    defers_to=("asyncio-run-in-async-to-await", "remove-loop-kwarg", "strict-to-auto"),
    triggers=("event_loop",),
    needs={"pytest-asyncio": (0, 24)},
    produces=(*MADE_ASYNC, "loop_scope"),
)
class EventLoopSyncToAsync(EnclosingTracker):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """An ``event_loop`` parameter (the exact word, not ``get_event_loop``) of a test or
        fixture."""
        return code.has("event_loop") and _event_loop.may_be_test_or_fixture(code)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.module: cst.Module | None = None
        #: id of an original FunctionDef -> the new decorators to give it (None: keep).
        self.convert: dict[int, list[cst.Decorator]] = {}
        #: ids of original ``event_loop.run_until_complete(X)`` calls -> parenthesize?
        self.awaits: dict[int, bool] = {}
        #: id of an original fixture that only hands ``event_loop`` on -> its decorators
        #: and the loop scope it gets.
        self.aliases: dict[int, tuple[list[cst.Decorator], str]] = {}
        #: id of an original fixture that hands ``event_loop`` to what it builds -> its
        #: decorators and the loop scope it gets.
        self.bound: dict[int, tuple[list[cst.Decorator], str]] = {}
        #: ids of original sync tests whose unused ``event_loop`` parameter goes.
        self.unused: set[int] = set()

    def visit_Module(self, node: cst.Module) -> None:
        self.module = node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        if node.asynchronous is not None or node.name.value == LOOP:
            return
        param = find_param(node, LOOP)
        if param is None:
            return
        role = self.role(node)
        if role is None or LOOP in parametrized_names(self, node, self.outer()):
            return
        name = node.name.value
        override = blocking_override(self.ctx.facts, self.ctx.path, LOOP)
        if override is not None:
            self.review(
                node,
                f"{name} requests event_loop, but {override.path}:{override.line} defines an "
                "event_loop fixture that is not an event loop; left alone",
            )
            return
        if role == "fixture" and _hand_on_statement(node) is not None:
            alias = in_tests_loop(self, node)
            if alias is not None:
                self.aliases[id(node)] = alias
            return
        reason = self._refusal(node, param, role)
        if reason == HANDED_ON:
            self._plan_running_loop_fixture(node, param)
            return
        if reason == UNUSED and role == "test":
            self._plan_unused(node)
            return
        if reason == UNUSED:
            reason = (
                "event_loop is requested but never used (perhaps only to have a current "
                "loop); pytest-asyncio 1.x has no such fixture: make it async or drop it"
            )
        if reason is not None:
            self.review(node, f"{role} {name} not made async: {reason}")
            return
        decorators = self._decorators(node, role)
        if decorators is None:
            return
        uses = without_doomed_loop_kwargs(self, loop_uses(self, node, param))
        calls = [run_until_complete_call(self, n) for n in uses.accesses]
        for call in calls:
            assert call is not None
            self.awaits[id(call)] = used_as_primary(self, call)
        self.convert[id(node)] = decorators
        self._note_other_loop_calls(node, name)

    def _refusal(self, node: cst.FunctionDef, param: cst.Param, role: str) -> str | None:
        """Why ``node`` cannot become async; :data:`HANDED_ON` for a fixture that can, but
        hands the loop to what it builds (it then binds the running loop)."""
        uses = without_doomed_loop_kwargs(self, loop_uses(self, node, param))
        if uses.problem is not None:
            return uses.problem
        if not uses.accesses:
            return UNUSED
        handed_on = False
        for access in uses.accesses:
            call = run_until_complete_call(self, access)
            if call is not None and in_own_body(self, call, node):
                continue
            if role == "fixture" and _handed_on(self, access):
                # ``Server(..., event_loop)``, ``event_loop.create_task(...)``: all of
                # that works the same on the running loop of an async fixture.
                handed_on = True
                continue
            return (
                f"the loop escapes at line {self.line(access)} (used other than as "
                "event_loop.run_until_complete(X) in the function's own body)"
            )
        body = _BodyFacts()
        node.visit(body)
        if body.yield_from:
            return "it uses yield from, which async def does not allow"
        if body.yields and body.return_value:
            return "it is a generator that returns a value, which an async generator cannot"
        return HANDED_ON if handed_on else None

    def _plan_unused(self, node: cst.FunctionDef) -> None:
        """A sync test that requests ``event_loop`` and never uses it: the parameter
        goes (pytest-asyncio 1.x has no such fixture). Noted when the test still asks for
        a current loop, which that fixture set and nothing sets now."""
        self.unused.add(id(node))
        finder = _CurrentLoopCalls(self)
        node.body.visit(finder)
        if finder.found:
            self.review(
                node,
                f"sync test {node.name.value} requested event_loop only to have a current "
                "loop, and still asks for one at line(s) "
                + ", ".join(str(self.line(n)) for n in finder.found)
                + ": no loop is current in a sync test now; make it an async test",
            )

    def _plan_running_loop_fixture(self, node: cst.FunctionDef, param: cst.Param) -> None:
        planned = in_tests_loop(self, node)
        if planned is None:
            return
        uses = without_doomed_loop_kwargs(self, loop_uses(self, node, param))
        for access in uses.accesses:
            call = run_until_complete_call(self, access)
            if call is not None and in_own_body(self, call, node):
                self.awaits[id(call)] = used_as_primary(self, call)
        self.bound[id(node)] = planned
        name = node.name.value
        directory = directory_of(self.ctx.path)
        for user in sorted(self.ctx.facts.sync_test_requests.get(name, ())):
            where, _, test = user.partition(" ")
            path = where.rpartition(":")[0]
            serves = is_under(path, directory) if self.ctx.is_conftest else path == self.ctx.path
            if serves:
                self.review(
                    node,
                    f"fixture {name} now gets the running loop as an async fixture; the sync "
                    f"test {test} ({where}) uses it, and the loop is not running while that "
                    "test runs: make the test async if it drives that loop",
                )
        self._note_other_loop_calls(node, name)

    def _decorators(self, node: cst.FunctionDef, role: str) -> list[cst.Decorator] | None:
        decorators = list(node.decorators)
        mode = target_mode(self.ctx.facts, self.ctx.options)
        if role == "test":
            if mode == "strict" and not is_asyncio_marked(self, node, self.outer(), self.module):
                self.add_import("pytest")
                decorators.append(_asyncio_mark())
            return decorators
        decorator = fixture_decorator(self, node)
        assert decorator is not None
        expression = decorator.decorator
        scope_arg = keyword(expression, "scope") if isinstance(expression, cst.Call) else None
        scope = "function"
        if scope_arg is not None:
            literal = string_value(scope_arg.value)
            if literal is None:
                self.review(
                    node,
                    f"fixture {node.name.value} not made async: its scope is not a literal, "
                    "so its loop_scope cannot be chosen",
                )
                return None
            scope = literal
        is_async_fixture = self.is_name(callee(expression), ASYNC_FIXTURE)
        wide = scope in WIDE_SCOPES
        if wide and self.ctx.options.target_version < (0, 24):
            self.review(
                node,
                f"fixture {node.name.value} not made async: its {scope}-scoped loop needs "
                "loop_scope=, which pytest-asyncio has only since 0.24",
            )
            return None
        if not wide and (is_async_fixture or mode == "auto"):
            return decorators
        new_callee: cst.BaseExpression = callee(expression)
        if not is_async_fixture:
            new_callee = _pytest_asyncio_fixture()
            self.add_import("pytest_asyncio")
        if isinstance(expression, cst.Call):
            new_expression: cst.BaseExpression = expression.with_changes(func=new_callee)
        else:
            new_expression = new_callee
        if wide:
            call = (
                new_expression
                if isinstance(new_expression, cst.Call)
                else cst.Call(func=new_expression)
            )
            if keyword(call, "loop_scope") is None:
                call = set_keyword(call, "loop_scope", cst.SimpleString(f'"{scope}"'))
            new_expression = call
            self.review(
                node,
                f"fixture {node.name.value} now runs in a {scope}-scoped loop "
                f'(loop_scope="{scope}"); tests using it must run in that loop too',
            )
        index = decorators.index(decorator)
        decorators[index] = decorator.with_changes(decorator=new_expression)
        return decorators

    def _note_other_loop_calls(self, node: cst.FunctionDef, name: str) -> None:
        if self.ctx.options.runs("asyncio-run-in-async-to-await"):
            return
        finder = _LoopDrivers(self)
        node.body.visit(finder)
        if finder.found:
            self.review(
                node,
                f"{name} is now async but still calls asyncio.run() or run_until_complete() "
                "on another loop at line(s) "
                + ", ".join(str(self.line(n)) for n in finder.found)
                + "; these raise inside a running loop",
            )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        parenthesize = self.awaits.get(id(original_node))
        if parenthesize is None:
            return updated_node
        return await_of_call(updated_node, parenthesize)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        super().leave_FunctionDef(original_node, updated_node)
        alias = self.aliases.get(id(original_node))
        if alias is not None:
            return self._running_loop_fixture(original_node, updated_node, *alias)
        if id(original_node) in self.unused:
            self.changed(
                original_node,
                f"sync test {original_node.name.value} requested event_loop and never used "
                "it: parameter removed",
            )
            return without_param(updated_node, LOOP)
        bound = self.bound.get(id(original_node))
        if bound is not None:
            new_decorators, loop_scope = bound
            self.add_import("asyncio")
            self.changed(
                original_node,
                f"fixture {original_node.name.value} handed event_loop to what it builds or "
                "scheduled work on it: async fixture binding event_loop = "
                f"asyncio.get_running_loop(), in the {loop_scope}-scoped loop of its tests",
            )
            converted = to_running_loop(updated_node, LOOP, "bind")
            return converted.with_changes(
                asynchronous=cst.Asynchronous(), decorators=new_decorators
            )
        decorators = self.convert.get(id(original_node))
        if decorators is None:
            return updated_node
        kind = "fixture" if fixture_decorator(self, original_node) is not None else "test"
        self.changed(
            original_node,
            f"sync {kind} {original_node.name.value} used event_loop only for "
            "run_until_complete(X): async def with await X",
        )
        # Nothing inside a decorator is rewritten here, so the ones built from the
        # original node are complete.
        converted = without_param(updated_node, LOOP)
        return converted.with_changes(asynchronous=cst.Asynchronous(), decorators=decorators)

    def _running_loop_fixture(
        self,
        original_node: cst.FunctionDef,
        updated_node: cst.FunctionDef,
        decorators: list[cst.Decorator],
        loop_scope: str,
    ) -> cst.FunctionDef:
        statement = _hand_on_statement(updated_node)
        assert statement is not None
        self.add_import("asyncio")
        self.changed(
            original_node,
            f"fixture {original_node.name.value} only handed event_loop on: async fixture "
            f"returning asyncio.get_running_loop(), in the {loop_scope}-scoped loop of its tests",
        )
        returned = statement.with_changes(body=[cst.Return(value=running_loop_call())])
        body = updated_node.body
        if isinstance(body, cst.SimpleStatementSuite):
            new_body: cst.BaseSuite = body.with_changes(body=returned.body)
        else:
            assert isinstance(body, cst.IndentedBlock)
            new_body = body.with_changes(
                body=[returned if s is statement else s for s in body.body]
            )
        converted = without_param(updated_node, LOOP)
        return converted.with_changes(
            asynchronous=cst.Asynchronous(), decorators=decorators, body=new_body
        )


def _hand_on_statement(
    node: cst.FunctionDef,
) -> cst.SimpleStatementLine | cst.SimpleStatementSuite | None:
    """The only statement of a body that hands ``event_loop`` on (``return event_loop`` or
    ``yield event_loop``, after an optional docstring), else None."""
    body = node.body
    if isinstance(body, cst.SimpleStatementSuite):
        statements: list[cst.BaseStatement | cst.SimpleStatementSuite] = [body]
        small = list(body.body)
    else:
        assert isinstance(body, cst.IndentedBlock)
        statements = [s for s in body.body if not is_docstring(s)]
        if len(statements) != 1 or not isinstance(statements[0], cst.SimpleStatementLine):
            return None
        small = list(statements[0].body)
    if len(statements) != 1 or len(small) != 1:
        return None
    value: cst.BaseExpression | None = None
    if isinstance(small[0], cst.Return):
        value = small[0].value
    elif isinstance(small[0], cst.Expr) and isinstance(small[0].value, cst.Yield):
        yielded = small[0].value.value
        value = yielded if isinstance(yielded, cst.BaseExpression) else None
    if not (isinstance(value, cst.Name) and value.value == LOOP):
        return None
    statement = statements[0]
    assert isinstance(statement, cst.SimpleStatementLine | cst.SimpleStatementSuite)
    return statement


#: Loop methods that drive, stop or describe the loop: on the running loop of an async
#: fixture they raise or answer differently than on the idle loop the fixture got.
_DRIVING_METHODS = frozenset(
    {"run_until_complete", "run_forever", "stop", "close", "is_running", "is_closed"}
)


def _handed_on(t: EnclosingTracker, name: cst.Name) -> bool:
    """``name`` (a read of the loop) is an argument of a call (``Server(loop)``,
    ``Server(loop=loop)``), assigned to an attribute (``app.loop = loop``), or the
    object of a method call that schedules on the loop (``loop.create_task(...)``)."""
    above = parent(t, name)
    if isinstance(above, cst.Arg) and above.value is name and not above.star:
        return isinstance(parent(t, above), cst.Call)
    if isinstance(above, cst.Assign) and above.value is name:
        # An attribute of what it built; a local alias could drive the loop later.
        return all(isinstance(target.target, cst.Attribute) for target in above.targets)
    if isinstance(above, cst.Attribute) and above.value is name:
        call = parent(t, above)
        return (
            isinstance(call, cst.Call)
            and call.func is above
            and above.attr.value not in _DRIVING_METHODS
        )
    return False


class _CurrentLoopCalls(Visitor):
    """Calls that need a current event loop (``asyncio.get_event_loop()``...)."""

    def __init__(self, t: EnclosingTracker) -> None:
        super().__init__()
        self.t = t
        self.found: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        if self.t.is_name(node.func, *CURRENT_LOOP_CALLS):
            self.found.append(node)


class _LoopDrivers(Visitor):
    """Calls that drive a loop synchronously: ``asyncio.run(X)``, ``x.run_until_complete``."""

    def __init__(self, t: EnclosingTracker) -> None:
        super().__init__()
        self.t = t
        self.found: list[cst.Call] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if self.t.is_name(func, *ASYNCIO_RUN) or (
            isinstance(func, cst.Attribute)
            and func.attr.value == "run_until_complete"
            and not (isinstance(func.value, cst.Name) and func.value.value == LOOP)
        ):
            self.found.append(node)
