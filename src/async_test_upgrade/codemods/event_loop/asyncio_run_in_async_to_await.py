"""
**What it does**

Inside an async test or async fixture, rewrites ``asyncio.run(X)`` and
``loop.run_until_complete(X)`` to ``await X`` when the call is in the function's own body
(not in a nested function, lambda or comprehension) and ``loop`` is known to be the
running loop: ``asyncio.get_event_loop()`` / ``asyncio.get_running_loop()`` called there,
a local name bound only to one of those, or the test's ``event_loop`` / ``loop`` fixture
parameter. Names are resolved through imports (``from asyncio import run``,
``import asyncio as aio``).

**Why**

Both calls start a loop, and a coroutine already runs in one: ``asyncio.run()`` raises
``RuntimeError: asyncio.run() cannot be called from a running event loop`` and
``run_until_complete()`` raises ``RuntimeError: This event loop is already running``.
Sync tests that were made async (``event-loop-sync-to-async``) or async tests that kept a
sync habit end up here; awaiting the coroutine is what the code meant.

**Example**

Before::

    import asyncio

    async def test_fetch():
        loop = asyncio.get_event_loop()
        result = loop.run_until_complete(fetch())
        asyncio.run(reset())

After::

    import asyncio

    async def test_fetch():
        loop = asyncio.get_event_loop()
        result = await fetch()
        await reset()

**When it refuses**

Left alone: a call inside ``with pytest.raises(...)`` or a ``try`` with handlers (the test
may check that it fails); ``asyncio.run`` with more than the coroutine (``debug=``,
``loop_factory=``); a ``run_until_complete`` on a loop it cannot prove is the running
one (``self.loop``, a loop made with ``new_event_loop()``), which is reported. In an
``async def`` that is neither a test nor a fixture the call is reported, not rewritten:
its callers decide whether it really runs inside a loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.codemods.event_loop._event_loop import (
    ASYNCIO_RUN,
    EnclosingTracker,
    await_of_call,
    expects_failure,
    in_own_body,
    is_running_loop,
    role,
    single_positional,
    used_as_primary,
)
from async_test_upgrade.cst import FileContext
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex

#: Fixture parameters that were the running loop of an async test.
LOOP_FIXTURES = ("event_loop", "loop")


@codemod(
    name="asyncio-run-in-async-to-await",
    summary="asyncio.run(X) / loop.run_until_complete(X) in async tests/fixtures -> await X",
    after=("event-loop-sync-to-async",),
    safety="safe",
    triggers=("run_until_complete", "run("),
    produces=("await",),
)
class AsyncioRunInAsyncToAwait(EnclosingTracker):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """``asyncio.run``/``run_until_complete`` inside a coroutine (written here, or by
        an earlier codemod of the run)."""
        if not (code.has("run") or code.has("run_until_complete")):
            return False
        return code.has("async def")

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        #: ids of original calls to rewrite -> parenthesize the await?
        self.awaits: dict[int, bool] = {}

    def visit_Call(self, node: cst.Call) -> None:
        func = self.innermost_function()
        if func is None or func.asynchronous is None:
            return
        what = self._what(node, func)
        if what is None or single_positional(node) is None:
            return
        if not in_own_body(self, node, func) or expects_failure(self, node, func):
            return
        kind = self.role_of(func)
        if kind is None:
            self.review(
                node,
                f"{what} inside the coroutine {func.name.value} raises if it runs in an event "
                "loop; replace it with await by hand if it does",
            )
            return
        self.awaits[id(node)] = used_as_primary(self, node)
        if isinstance(node.func, cst.Name) and what.startswith("asyncio.run"):
            # ``from asyncio import run``: the import goes once nothing else uses it.
            local = node.func.value
            self.drop_import_if_unused("asyncio", "run", None if local == "run" else local)
        self.changed(node, f"{what} in async {kind} {func.name.value} -> await")

    def role_of(self, func: cst.FunctionDef) -> str | None:
        return role(self, func, self.enclosing[: self.enclosing.index(func)])

    def _what(self, node: cst.Call, func: cst.FunctionDef) -> str | None:
        if self.is_name(node.func, *ASYNCIO_RUN):
            return "asyncio.run(X)"
        attribute = node.func
        if not (
            isinstance(attribute, cst.Attribute) and attribute.attr.value == "run_until_complete"
        ):
            return None
        if is_running_loop(self, attribute.value, func, LOOP_FIXTURES):
            return "run_until_complete(X) on the running loop"
        if self.role_of(func) is not None and single_positional(node) is not None:
            self.review(
                node,
                "run_until_complete() inside a coroutine: not known to be the running loop "
                "(then it raises 'This event loop is already running'); left alone",
            )
        return None

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        parenthesize = self.awaits.get(id(original_node))
        if parenthesize is None:
            return updated_node
        return await_of_call(updated_node, parenthesize)
