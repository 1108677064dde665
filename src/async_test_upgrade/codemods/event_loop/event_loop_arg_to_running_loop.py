"""
**What it does**

Removes the ``event_loop`` parameter from async tests and async fixtures. Where the body
uses the loop, it gets the running loop instead: a single use in the function's own body
becomes ``asyncio.get_running_loop()`` in place; several uses (or a use from a nested
callback) keep the name, bound once as the first statement after the docstring,
``event_loop = asyncio.get_running_loop()``. ``import asyncio`` is added when needed.

**Why**

Inside a coroutine the fixture's loop is always the running loop. pytest-asyncio 0.23
deprecated requesting it from async code (``... is asynchronous and explicitly requests
the "event_loop" fixture. Asynchronous fixtures and test functions should use
"asyncio.get_running_loop()" instead.``) and 1.0 removed the fixture, so such a test now
errors with ``fixture 'event_loop' not found``.

**Example**

Before::

    import asyncio

    async def test_cancel(event_loop):
        task = event_loop.create_task(work())
        fut = event_loop.run_in_executor(None, blocking)

    async def test_once(event_loop):
        event_loop.call_soon(poke)

After::

    import asyncio

    async def test_cancel():
        event_loop = asyncio.get_running_loop()
        task = event_loop.create_task(work())
        fut = event_loop.run_in_executor(None, blocking)

    async def test_once():
        asyncio.get_running_loop().call_soon(poke)

**When it refuses**

Only ``async def`` tests (collected by name) and fixtures are touched; a helper coroutine
whose caller passes a loop, a sync test (see ``event-loop-sync-to-async``) and an
``event_loop`` argument given by ``pytest.mark.parametrize`` are left alone. When the
project defines its own ``event_loop`` fixture that does not make a loop (a look-alike
that shares the name), the parameter means that object: left alone and reported. A
parameter rebound inside the function, and ``request.getfixturevalue("event_loop")`` or
``usefixtures("event_loop")``, are reported for a manual fix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.codemods.event_loop import _event_loop
from async_test_upgrade.codemods.event_loop._event_loop import (
    EnclosingTracker,
    blocking_override,
    find_param,
    loop_uses,
    parametrized_names,
    running_loop_plan,
    single_positional,
    to_running_loop,
    without_doomed_loop_kwargs,
)
from async_test_upgrade.cst import FileContext, string_value
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

LOOP = "event_loop"


@codemod(
    name="event-loop-arg-to-running-loop",
    summary="async tests/fixtures: drop the event_loop parameter, use asyncio.get_running_loop()",
    after=("remove-event-loop-override",),
    safety="safe",
    defers_to=("remove-loop-kwarg",),
    triggers=("event_loop",),
    needs={"python": (3, 7)},
    produces=(
        "asyncio",
        "get_running_loop",
    ),
)
class EventLoopArgToRunningLoop(EnclosingTracker):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """An ``event_loop`` parameter of an async test or fixture, or the fixture named in
        ``getfixturevalue``/``usefixtures`` (reported)."""
        if not code.has("event_loop"):
            return False
        if code.has("getfixturevalue") or code.has("usefixtures"):
            return True
        return code.has("async def") and _event_loop.may_be_test_or_fixture(code)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.plans: dict[int, str] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        if node.asynchronous is None or node.name.value == LOOP:
            return
        param = find_param(node, LOOP)
        if param is None:
            return
        role = self.role(node)
        if role is None or LOOP in parametrized_names(self, node, self.outer()):
            return
        override = blocking_override(self.ctx.facts, self.ctx.path, LOOP)
        if override is not None:
            self.review(
                node,
                f"{node.name.value} requests event_loop, but {override.path}:{override.line} "
                "defines an event_loop fixture that is not an event loop; left alone",
            )
            return
        uses = loop_uses(self, node, param)
        if uses.problem is not None:
            self.review(node, f"event_loop parameter not removed: {uses.problem}")
            return
        self.plans[id(node)] = running_loop_plan(without_doomed_loop_kwargs(self, uses))

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        super().leave_FunctionDef(original_node, updated_node)
        plan = self.plans.get(id(original_node))
        if plan is None:
            return updated_node
        kind = "test" if original_node.name.value.startswith("test") else "fixture"
        what = {
            "unused": "unused event_loop parameter removed",
            "inline": "event_loop parameter -> asyncio.get_running_loop() at its one use",
            "bind": "event_loop parameter -> event_loop = asyncio.get_running_loop()",
        }[plan]
        self.changed(original_node, f"async {kind} {original_node.name.value}: {what}")
        if plan != "unused":
            self.add_import("asyncio")
        return to_running_loop(updated_node, LOOP, plan)  # type: ignore[arg-type]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method = func.attr.value
        first = single_positional(node) if method == "getfixturevalue" else None
        if first is not None and string_value(first) == LOOP:
            self.review(
                node,
                'getfixturevalue("event_loop"): pytest-asyncio 1.x has no such fixture; '
                "use asyncio.get_running_loop() in async code",
            )
        if (
            method == "usefixtures"
            and self.is_name(func, "pytest.mark.usefixtures")
            and any(string_value(a.value) == LOOP for a in node.args)
        ):
            self.review(
                node,
                'usefixtures("event_loop"): pytest-asyncio 1.x has no such fixture; '
                "remove it (the test's loop comes from its loop_scope)",
            )
