"""
**What it does**

Inside an ``async def`` (anywhere, not only tests), ``asyncio.get_event_loop()`` becomes
``asyncio.get_running_loop()``; a call from a nested sync function or lambda is not in
the coroutine and is left alone. In a sync test function, driving one coroutine through
the current loop becomes ``asyncio.run``: ``asyncio.get_event_loop().run_until_complete(X)``
and ``loop = asyncio.get_event_loop()`` followed by the single use
``loop.run_until_complete(X)`` both become ``asyncio.run(X)``. When the ``loop = ...``
line (directly in the test's body) is followed by several ``loop.run_until_complete(X)``
and no other use of the loop, the statements after it move into
``with asyncio.Runner() as runner:`` (Python 3.11+) and each call becomes
``runner.run(X)``: one loop for all of them, as before. A sync fixture that drives the
current loop only that way, in its setup or its teardown
(``asyncio.get_event_loop().run_until_complete(srv.stop())`` after its ``yield``, or a
``loop = asyncio.get_event_loop()`` line used only for ``loop.run_until_complete(X)``),
becomes an async fixture that writes ``await X``, running in the loop of the tests it
serves: the objects it makes are then bound to the loop their tests run in. A sync
helper of the test code (a module-level function, or the wrapper a decorator such as
``async_test`` defines) that drives the current loop the same way gets the same
``asyncio.run``/``Runner`` rewrite: ``run_until_complete`` only ever worked where no loop
was running, and so does ``asyncio.run``. A module-level helper of a test module that
calls ``get_event_loop()`` in its own body and is only ever called from coroutines
(``async def`` tests, fixtures or helpers) gets ``get_running_loop()``: the loop it wants
is always the running one. Names are
resolved through imports (``from asyncio import get_event_loop``, ``import asyncio as
aio``).

**Why**

In a coroutine both calls return the running loop, but ``get_event_loop()`` is the one
whose behaviour outside a loop keeps changing (a ``DeprecationWarning`` on 3.10.0-3.10.8,
3.11.0 and 3.12+, a ``RuntimeError`` when no loop is set from 3.14);
``get_running_loop()`` says what is meant. In sync code, ``get_event_loop()`` only worked
because something had set a current loop: Python 3.14 raises instead of creating one, and
after any ``asyncio.run()`` (pytest-asyncio's runner included) there is none.

**Example**

Before::

    import asyncio

    import pytest

    async def test_a():
        loop = asyncio.get_event_loop()
        await loop.run_in_executor(None, work)

    def test_b():
        assert asyncio.get_event_loop().run_until_complete(fetch()) == 1

    def test_c():
        loop = asyncio.get_event_loop()
        session = loop.run_until_complete(login())
        assert loop.run_until_complete(session.fetch()) == 1

    @pytest.fixture
    def server():
        srv = Server()
        asyncio.get_event_loop().run_until_complete(srv.start())
        yield srv
        asyncio.get_event_loop().run_until_complete(srv.stop())

After (the project sets no ``asyncio_mode``, so strict mode: in auto mode the fixture
keeps ``@pytest.fixture``)::

    import asyncio

    import pytest
    import pytest_asyncio

    async def test_a():
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, work)

    def test_b():
        assert asyncio.run(fetch()) == 1

    def test_c():
        with asyncio.Runner() as runner:
            session = runner.run(login())
            assert runner.run(session.fetch()) == 1

    @pytest_asyncio.fixture
    async def server():
        srv = Server()
        await srv.start()
        yield srv
        await srv.stop()

**When it refuses**

The sync rewrite needs the test to use that loop only for ``run_until_complete(X)`` in
its own body and to touch no other loop API. Reported and left alone: a loop used for
anything else (``call_soon``, ``time()``, passed on), or also managed with
``new_event_loop`` / ``set_event_loop``; a bound loop reused but not assigned directly in
the test's body (inside an ``if`` or ``with``: the ``Runner`` block could not enclose its
uses); the pattern in a method of a test class (the class may set its own loop as the
current one); a helper that uses the loop for anything else and has a caller outside a
coroutine; a fixture that uses the loop for anything else, uses
``yield from``, has a scope wider than its tests' loops, or serves tests running in loops
of different scopes (the values it makes would be bound to the wrong loop);
``get_event_loop()`` run at import time of test code. The comments of a deleted
``loop = ...`` line move to the next statement. A rewritten test that takes fixtures
is noted for review: an object a fixture made on the old current loop cannot be used
from the new loop.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import Assignment, ScopeProvider

from async_test_upgrade.codemods.event_loop._event_loop import (
    COMPREHENSIONS,
    GET_EVENT_LOOP,
    NESTED_SCOPES,
    EnclosingTracker,
    ancestors,
    await_of_call,
    find_param,
    in_own_body,
    parametrized_names,
    parent,
    role,
    run_until_complete_call,
    single_positional,
    used_as_primary,
)
from async_test_upgrade.codemods.event_loop._loop_scopes import in_tests_loop
from async_test_upgrade.cst import CommentKeepingRemoval, FileContext, Visitor
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

#: Loop APIs whose presence means a sync test manages loops itself.
LOOP_APIS = (
    "get_event_loop",
    "new_event_loop",
    "set_event_loop",
    "get_running_loop",
    "run_until_complete",
    "run_forever",
    "Runner",
)
#: Fixtures that cannot hold an object bound to an event loop.
PLAIN_FIXTURES = frozenset(
    {"self", "cls", "tmp_path", "tmpdir", "monkeypatch", "capsys", "caplog", "request"}
)


@codemod(
    name="get-event-loop-in-async",
    summary="get_event_loop() in coroutines -> get_running_loop(); sync tests -> asyncio.run",
    after=("asyncio-run-in-async-to-await",),
    safety="review",
    defers_to=("strict-to-auto",),
    triggers=("get_event_loop",),
    library_note=(
        "get_running_loop() is the spelling since Python 3.7; get_event_loop() is "
        "deprecated where no loop runs (3.12)"
    ),
    needs={"python": (3, 11)},
    produces=(
        "async def",
        "await",
        "async with",
        "async for",
        "asyncio",
        "get_running_loop",
        "Runner",
        "run",
        "runner",
        "pytest_asyncio",
        "fixture",
    ),
)
class GetEventLoopInAsync(EnclosingTracker, CommentKeepingRemoval):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """A call of ``get_event_loop`` itself (not ``get_event_loop_policy``)."""
        return code.has("get_event_loop")

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        #: ids of original getter calls inside coroutines.
        self.running: set[int] = set()
        #: ids of original ``run_until_complete`` calls -> the asyncio module expression
        #: whose ``run`` replaces them.
        self.runs: dict[int, cst.BaseExpression] = {}
        #: ids of original ``loop = get_event_loop()`` statement lines to delete.
        self.delete: set[int] = set()
        #: id of a sync test -> (id of its ``loop = ...`` line, runner name, asyncio module).
        self.runner_blocks: dict[int, tuple[int, str, cst.BaseExpression]] = {}
        #: ids of original ``loop.run_until_complete`` calls -> the runner's name.
        self.runner_calls: dict[int, str] = {}
        #: id of a sync fixture made async -> its new decorators and loop scope.
        self.fixtures: dict[int, tuple[list[cst.Decorator], str]] = {}
        #: ids of sync fixtures already decided (made async, or refused with a note).
        self.fixtures_decided: set[int] = set()
        #: ids of original ``run_until_complete(X)`` calls in those fixtures -> parenthesize.
        self.awaits: dict[int, bool] = {}
        self.test_code = _is_test_code(ctx)
        self.module: cst.Module | None = None
        self._helper_uses: dict[str, list[bool]] | None = None

    def visit_Module(self, node: cst.Module) -> None:
        self.module = node

    # --- sync fixtures driving the current loop -----------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        if not self.test_code or node.asynchronous is not None:
            return
        outer = self.outer()
        if any(isinstance(n, cst.FunctionDef) for n in outer):
            return
        if role(self, node, outer) != "fixture" or find_param(node, "event_loop") is not None:
            return
        plan = self._fixture_plan(node)
        if plan is None:
            return  # each getter gets the usual note
        self.fixtures_decided.add(id(node))
        made = in_tests_loop(self, node)
        if made is None:
            return
        runs, lines, _getters = plan
        self.fixtures[id(node)] = made
        for call in runs:
            self.awaits[id(call)] = used_as_primary(self, call)
        self.delete.update(id(line) for line in lines)
        for getter in plan[2]:
            if isinstance(getter.func, cst.Name):
                local = getter.func.value
                self.drop_import_if_unused(
                    "asyncio", "get_event_loop", None if local == "get_event_loop" else local
                )
            else:
                self.drop_import_if_unused("asyncio")

    def _fixture_plan(
        self, func: cst.FunctionDef
    ) -> tuple[list[cst.Call], list[cst.SimpleStatementLine], list[cst.Call]] | None:
        """The ``run_until_complete(X)`` calls of a sync fixture that touches the current
        loop only through ``get_event_loop().run_until_complete(X)`` or a ``loop =
        get_event_loop()`` line used only that way, in its own body (setup or teardown),
        and the ``loop = ...`` lines; None when it does anything else with a loop."""
        finder = _GetterFinder(self)
        func.body.visit(finder)
        if not finder.getters or not _fits_async_def(func):
            return None
        runs: list[cst.Call] = []
        lines: list[cst.SimpleStatementLine] = []
        for getter in finder.getters:
            above = parent(self, getter)
            if isinstance(above, cst.Attribute) and above.value is getter:
                call = parent(self, above)
                if not (
                    above.attr.value == "run_until_complete"
                    and isinstance(call, cst.Call)
                    and call.func is above
                    and single_positional(call) is not None
                ):
                    return None
                found = [call]
            else:
                found, line = self._bound_once(getter, func, None)
                if not found or line is None:
                    return None
                lines.append(line)
            if not all(in_own_body(self, call, func) for call in found):
                return None
            runs.extend(found)
        counter = _LoopApiCounter()
        func.body.visit(counter)
        if counter.count != len(finder.getters) + len(runs):
            return None  # some other loop API in there
        return runs, lines, finder.getters

    # --- in coroutines ------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        if node.args or not self.is_name(node.func, *GET_EVENT_LOOP):
            return
        func = self.innermost_function()
        if func is None:
            if self.test_code:
                self.review(
                    node,
                    "get_event_loop() at import time of test code: Python 3.14 raises when no "
                    "loop is set, and the loop it returns is not the one tests run in; left "
                    "alone",
                )
            return
        if func.asynchronous is not None:
            if self._in_coroutine_frame(node, func):
                self.running.add(id(node))
                self.changed(
                    node, f"get_event_loop() in coroutine {func.name.value} -> get_running_loop()"
                )
            return
        if self.test_code:
            self._sync(node, func)

    def _in_coroutine_frame(self, node: cst.CSTNode, func: cst.FunctionDef) -> bool:
        chain = ancestors(self, node, func)
        return not any(
            isinstance(n, cst.FunctionDef | cst.Lambda | cst.ClassDef | cst.GeneratorExp)
            for n in chain
        )

    # --- in sync tests ------------------------------------------------------------------

    def _sync(self, getter: cst.Call, func: cst.FunctionDef) -> None:
        if id(func) in self.fixtures_decided:
            return
        name = func.name.value
        outer = self.enclosing[: self.enclosing.index(func)]
        functions = [n for n in outer if isinstance(n, cst.FunctionDef)]
        if functions:
            top = functions[0]
            if role(self, top, self.enclosing[: self.enclosing.index(top)]) is not None:
                return  # a callback inside a test or fixture: it runs wherever that says
            kind = None  # the wrapper a helper makes (a decorator's inner function)
        else:
            kind = role(self, func, outer)
        if kind == "fixture":
            self.review(
                getter,
                f"get_event_loop() in sync fixture {name}: objects made on that loop may be "
                "used later; make it an async fixture instead of asyncio.run; left alone",
            )
            return
        what = f"sync test {name}" if kind == "test" else f"sync helper {name}"
        # A method of a test class is left alone: its class may give it the loop (an
        # IsolatedAsyncioTestCase sets its own as the current one).
        method = any(isinstance(n, cst.ClassDef) for n in outer)
        if (kind == "test" or not method) and self._drive(getter, func, what, kind == "test"):
            return
        if kind == "test":
            self.review(
                getter,
                f"sync test {name} uses the current event loop beyond driving coroutines "
                "with run_until_complete(X): make it an async test; left alone",
            )
            return
        if not functions and self._only_from_coroutines(getter, func):
            return
        self.review(
            getter,
            f"get_event_loop() in sync helper {name}: in a sync test that runs after an "
            "async one there is no current loop (pytest-asyncio leaves none set), and "
            "get_event_loop() raises there, so the result depends on test order; give "
            f"{name} the loop from its caller (asyncio.get_running_loop() in async "
            "tests); left alone",
        )

    def _drive(self, getter: cst.Call, func: cst.FunctionDef, what: str, is_test: bool) -> bool:
        """Rewrite a function that uses the current loop only to run coroutines with
        ``run_until_complete(X)`` in its own body: ``asyncio.run(X)`` for one, an
        ``asyncio.Runner`` for several. False (nothing planned) for any other use.

        A sync function that did so ran where no loop is running (``run_until_complete``
        raises inside a running loop), which is where ``asyncio.run`` works too."""
        loop_api_uses = _LoopApiCounter()
        func.body.visit(loop_api_uses)
        above = parent(self, getter)
        run_call: cst.Call | None = None
        statement: cst.SimpleStatementLine | None = None
        if isinstance(above, cst.Attribute) and above.value is getter:
            # get_event_loop().run_until_complete(X)
            candidate = parent(self, above)
            if (
                above.attr.value == "run_until_complete"
                and isinstance(candidate, cst.Call)
                and candidate.func is above
                and single_positional(candidate) is not None
                and loop_api_uses.count == 2
            ):
                run_call = candidate
        else:
            calls, statement = self._bound_once(getter, func, loop_api_uses.count)
            if len(calls) == 1:
                run_call = calls[0]
            elif calls and statement is not None and self._runner(func, statement, calls, what):
                return True
            else:
                statement = None
        if run_call is None or not in_own_body(self, run_call, func):
            return False
        if statement is not None:
            self.delete.add(id(statement))
        getter_func = getter.func
        module = (
            getter_func.value if isinstance(getter_func, cst.Attribute) else cst.Name("asyncio")
        )
        if isinstance(getter_func, cst.Name):
            self.add_import("asyncio")
            local = getter_func.value
            self.drop_import_if_unused(
                "asyncio", "get_event_loop", None if local == "get_event_loop" else local
            )
        self.runs[id(run_call)] = module
        self.changed(run_call, f"{what}: current loop's run_until_complete(X) -> asyncio.run(X)")
        self._note_loop_change(func, run_call, "asyncio.run's own loop", is_test)
        return True

    def _only_from_coroutines(self, getter: cst.Call, func: cst.FunctionDef) -> bool:
        """A module-level helper of a test module whose every use in the module is a call
        from a coroutine's own frame, calling ``get_event_loop()`` in its own frame: the
        loop it gets is always a running one, so ``get_running_loop()`` says so (and does
        not depend on a current loop being set, which pytest-asyncio 1.4+ leaves unset)."""
        if not self.ctx.is_test_module or self.module is None:
            return False
        if not self._in_frame(getter, func):
            return False
        uses = self.helper_uses()
        callers = uses.get(func.name.value)
        if not callers or not all(callers):
            return False
        self.running.add(id(getter))
        self.changed(
            getter,
            f"get_event_loop() in sync helper {func.name.value}, called only from coroutines "
            f"({len(callers)} calls) -> get_running_loop()",
        )
        return True

    def _in_frame(self, node: cst.CSTNode, func: cst.FunctionDef) -> bool:
        chain = ancestors(self, node, func)
        return not any(isinstance(n, NESTED_SCOPES + COMPREHENSIONS) for n in chain)

    def helper_uses(self) -> dict[str, list[bool]]:
        """Module-level sync function name -> for each use of the name in the module,
        whether it is a call in the own frame of an ``async def``."""
        if self._helper_uses is None:
            assert self.module is not None
            finder = _HelperUses(self.module)
            self.module.visit(finder)
            self._helper_uses = finder.uses
        return self._helper_uses

    def _note_loop_change(
        self, func: cst.FunctionDef, node: cst.CSTNode, where: str, is_test: bool
    ) -> None:
        if is_test:
            self._note_fixtures(func, node, where)
            return
        self.review(
            node,
            f"sync helper {func.name.value} now runs its coroutines in {where}; check that "
            "its callers hand it nothing bound to the old current loop",
        )

    def _note_fixtures(self, func: cst.FunctionDef, node: cst.CSTNode, where: str) -> None:
        outer = self.enclosing[: self.enclosing.index(func)]
        fixtures = [
            p.name.value
            for p in (*func.params.params, *func.params.kwonly_params)
            if p.name.value not in PLAIN_FIXTURES
            and p.name.value not in parametrized_names(self, func, outer)
        ]
        if fixtures:
            self.review(
                node,
                f"sync test {func.name.value} now runs its coroutines in {where}; check that "
                f"its fixtures ({', '.join(fixtures)}) hold nothing bound to the old current "
                "loop",
            )

    def _bound_once(
        self, getter: cst.Call, func: cst.FunctionDef, api_count: int | None
    ) -> tuple[list[cst.Call], cst.SimpleStatementLine | None]:
        """``loop = get_event_loop()`` as a whole line, then only
        ``loop.run_until_complete(X)`` in the function's own body: those calls and the line.
        ``api_count``: how many loop API names the function mentions, when these must be
        all of them (None: the caller checks)."""
        assign = parent(self, getter)
        line = parent(self, assign) if assign is not None else None
        if not (
            isinstance(assign, cst.Assign)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0].target, cst.Name)
            and isinstance(line, cst.SimpleStatementLine)
            and len(line.body) == 1
        ):
            return [], None
        target = assign.targets[0].target
        try:
            scope = self.get_metadata(ScopeProvider, target)
        except KeyError:
            return [], None
        if scope is None or find_param(func, target.value) is not None:
            return [], None
        assignments = list(scope.assignments[target.value])
        if len(assignments) != 1 or not isinstance(assignments[0], Assignment):
            return [], None
        calls: list[cst.Call] = []
        for reference in assignments[0].references:
            node = reference.node
            call = run_until_complete_call(self, node) if isinstance(node, cst.Name) else None
            if call is None or not in_own_body(self, call, func):
                return [], None
            calls.append(call)
        # Nothing else in the function may touch a loop: the getter plus these calls.
        if api_count is not None and api_count != 1 + len(calls):
            return [], None
        return calls, line

    def _runner(
        self,
        func: cst.FunctionDef,
        line: cst.SimpleStatementLine,
        calls: list[cst.Call],
        what: str,
    ) -> bool:
        """Several runs on one loop: the rest of the body goes into
        ``with asyncio.Runner() as runner:`` and each run becomes ``runner.run(X)``, one
        loop for all of them, closed at the end. Only for a ``loop = ...`` line directly in
        the function body (everything after it moves into the block)."""
        body = func.body
        if not isinstance(body, cst.IndentedBlock) or not any(s is line for s in body.body):
            return False
        taken = _Names()
        func.visit(taken)
        runner = next(n for n in ("runner", "loop_runner", "asyncio_runner") if n not in taken.seen)
        assign = line.body[0]
        assert isinstance(assign, cst.Assign)
        getter = assign.value
        assert isinstance(getter, cst.Call)
        getter_func = getter.func
        module = (
            getter_func.value if isinstance(getter_func, cst.Attribute) else cst.Name("asyncio")
        )
        if isinstance(getter_func, cst.Name):
            self.add_import("asyncio")
            local = getter_func.value
            self.drop_import_if_unused(
                "asyncio", "get_event_loop", None if local == "get_event_loop" else local
            )
        self.runner_blocks[id(func)] = (id(line), runner, module)
        for call in calls:
            self.runner_calls[id(call)] = runner
        self.changed(
            line,
            f"{what}: {len(calls)} run_until_complete(X) on the current "
            f"loop -> one asyncio.Runner, {runner}.run(X)",
        )
        self._note_loop_change(func, line, "a new loop of its own", what.startswith("sync test"))
        return True

    # --- rewriting ----------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        parenthesize = self.awaits.get(id(original_node))
        if parenthesize is not None:
            return await_of_call(updated_node, parenthesize)
        if id(original_node) in self.running:
            func = updated_node.func
            if isinstance(func, cst.Attribute):
                return updated_node.with_changes(
                    func=func.with_changes(attr=cst.Name("get_running_loop"))
                )
            self.add_import("asyncio")
            local = func.value if isinstance(func, cst.Name) else "get_event_loop"
            self.drop_import_if_unused(
                "asyncio", "get_event_loop", None if local == "get_event_loop" else local
            )
            return updated_node.with_changes(
                func=cst.Attribute(value=cst.Name("asyncio"), attr=cst.Name("get_running_loop"))
            )
        runner = self.runner_calls.get(id(original_node))
        if runner is not None:
            return updated_node.with_changes(
                func=cst.Attribute(value=cst.Name(runner), attr=cst.Name("run"))
            )
        module = self.runs.get(id(original_node))
        if module is not None:
            return updated_node.with_changes(func=cst.Attribute(value=module, attr=cst.Name("run")))
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        super().leave_FunctionDef(original_node, updated_node)
        fixture = self.fixtures.get(id(original_node))
        if fixture is not None:
            decorators, loop_scope = fixture
            self.changed(
                original_node,
                f"sync fixture {original_node.name.value} drove the current loop with "
                "run_until_complete(X): async fixture awaiting X, in the "
                f"{loop_scope}-scoped loop of its tests",
            )
            return updated_node.with_changes(asynchronous=cst.Asynchronous(), decorators=decorators)
        block = self.runner_blocks.get(id(original_node))
        if block is None:
            return updated_node
        line_id, runner, module = block
        original_body = original_node.body
        body = updated_node.body
        assert isinstance(original_body, cst.IndentedBlock)
        assert isinstance(body, cst.IndentedBlock)
        at = next(i for i, s in enumerate(original_body.body) if id(s) == line_id)
        line = body.body[at]
        assert isinstance(line, cst.SimpleStatementLine)
        rest = list(body.body[at + 1 :])
        with_runner = cst.With(
            items=[
                cst.WithItem(
                    item=cst.Call(func=cst.Attribute(value=module, attr=cst.Name("Runner"))),
                    asname=cst.AsName(name=cst.Name(runner)),
                )
            ],
            # The loop line's comments stay where they were, on the line replacing it.
            body=cst.IndentedBlock(body=rest, header=line.trailing_whitespace),
            leading_lines=line.leading_lines,
        )
        return updated_node.with_changes(
            body=body.with_changes(body=[*body.body[:at], with_runner])
        )

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        if id(original_node) in self.delete:
            return self.drop(updated_node)
        return updated_node


class _GetterFinder(Visitor):
    """Every ``get_event_loop()`` call in a body, nested functions included."""

    def __init__(self, t: EnclosingTracker) -> None:
        super().__init__()
        self.t = t
        self.getters: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        if not node.args and self.t.is_name(node.func, *GET_EVENT_LOOP):
            self.getters.append(node)


#: Scopes that are not a function's own frame (besides a nested ``def``).
_OTHER_FRAMES = (cst.Lambda, cst.ClassDef, *COMPREHENSIONS)


class _HelperUses(Visitor):
    """For each module-level sync function, every use of its name in the module: a call
    in the own frame of an ``async def`` (True) or anything else (False)."""

    def __init__(self, module: cst.Module) -> None:
        super().__init__()
        helpers = [
            s for s in module.body if isinstance(s, cst.FunctionDef) and s.asynchronous is None
        ]
        self.uses: dict[str, list[bool]] = {h.name.value: [] for h in helpers}
        #: The ``def`` names themselves, which are not uses.
        self.definitions = {id(h.name) for h in helpers}
        #: Per scope around the node: an ``async def``'s own frame (True) or not.
        self.frames: list[bool] = [False]
        self.calls: set[int] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.frames.append(node.asynchronous is not None)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.frames.pop()

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, _OTHER_FRAMES):
            self.frames.append(False)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        if isinstance(original_node, _OTHER_FRAMES):
            self.frames.pop()

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value in self.uses:
            self.calls.add(id(node.func))

    def visit_Name(self, node: cst.Name) -> None:
        uses = self.uses.get(node.value)
        if uses is not None and id(node) not in self.definitions:
            uses.append(id(node) in self.calls and self.frames[-1])


class _YieldsAndReturns(Visitor):
    """The function's own yields and value returns (nested scopes excluded)."""

    def __init__(self) -> None:
        super().__init__()
        self.yield_from = False
        self.yields = False
        self.returns_value = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Yield(self, node: cst.Yield) -> None:
        self.yields = True
        self.yield_from = self.yield_from or isinstance(node.value, cst.From)

    def visit_Return(self, node: cst.Return) -> None:
        self.returns_value = self.returns_value or node.value is not None


def _fits_async_def(func: cst.FunctionDef) -> bool:
    """The body stays valid as ``async def``: no ``yield from``, no generator returning a
    value."""
    found = _YieldsAndReturns()
    func.body.visit(found)
    return not found.yield_from and not (found.yields and found.returns_value)


class _Names(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.seen.add(node.value)


class _LoopApiCounter(Visitor):
    """How many loop API names a function body mentions (nested code included)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in LOOP_APIS:
            self.count += 1


def _is_test_code(ctx: FileContext) -> bool:
    parts = PurePosixPath(ctx.path).parts
    return ctx.is_test_module or ctx.is_conftest or any(p in ("tests", "test") for p in parts)
