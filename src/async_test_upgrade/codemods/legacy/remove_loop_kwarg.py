"""
**What it does**

Drops the ``loop=`` argument from the asyncio APIs that removed it in Python 3.10:
``sleep``, ``gather``, ``wait_for``, ``wait``, ``as_completed``, ``shield``,
``open_connection``, ``start_server``, ``create_subprocess_exec``,
``create_subprocess_shell``, and the primitives ``Lock``, ``Event``, ``Condition``,
``Semaphore``, ``BoundedSemaphore``, ``Queue``, ``PriorityQueue``, ``LifoQueue``. Callees
are resolved through imports (``from asyncio import sleep``, ``import asyncio as aio``,
``asyncio.locks.Lock``).

**Why**

"The loop parameter has been removed from most of asyncio's high-level API following
deprecation in Python 3.8" (What's New in Python 3.10): the call now fails with
``TypeError: sleep() got an unexpected keyword argument 'loop'`` or, for the primitives,
``TypeError: Lock.__init__() got an unexpected keyword argument 'loop'``. These APIs use
the running loop.

**Example**

Before::

    import asyncio

    async def test_queue(queue, event_loop):
        await asyncio.wait_for(queue.get(), 1, loop=event_loop)
        lock = asyncio.Lock(loop=event_loop)

After::

    import asyncio

    async def test_queue(queue, event_loop):
        await asyncio.wait_for(queue.get(), 1)
        lock = asyncio.Lock()

**When it refuses**

A call inside ``with pytest.raises(...)`` / ``pytest.warns(...)`` (or unittest's
``assertRaises`` / ``assertWarns``) that a wrong argument could satisfy (``TypeError``,
a deprecation or any warning, ``Exception``, a ``match=``, an expression that is not one
plain name) may be there to check the deprecation or the removal itself: left alone and
reported. Inside ``pytest.raises(asyncio.TimeoutError)`` and the like, the test checks
the call's own behaviour, so ``loop=`` goes as anywhere else. The APIs that still take a
loop are never touched: ``ensure_future``,
``run_coroutine_threadsafe``, ``wrap_future``, ``Future``, ``Task``, ``StreamReader``, the
loop's own methods, and same-named functions of other modules. Applied but noted: a
primitive (``Lock``, ``Queue``, ...) made outside a coroutine, which since 3.10 binds to
the first loop that uses it rather than the one it was given; if it is shared between
tests that run in different loops, it fails with "is bound to a different event loop".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from async_test_upgrade.codemods.event_loop._event_loop import (
    LOOP_KWARG_FUNCTIONS,
    LOOP_KWARG_PRIMITIVES,
    EnclosingTracker,
    in_expectation_block,
)
from async_test_upgrade.cst import FileContext, keyword, without_args
from async_test_upgrade.registry import codemod

if TYPE_CHECKING:
    from async_test_upgrade.facts import ProjectFacts
    from async_test_upgrade.gate import CodeIndex


@codemod(
    name="remove-loop-kwarg",
    summary="drop loop= from the asyncio APIs that removed it in Python 3.10",
    after=("get-event-loop-in-async", "asynctest-to-stdlib"),
    safety="safe",
    triggers=("loop=", "loop ="),
    library_note="Python 3.10 removed these loop= arguments",
)
class RemoveLoopKwarg(EnclosingTracker):
    @staticmethod
    def gate(code: CodeIndex, facts: ProjectFacts) -> bool:
        """A ``loop=`` keyword (the exact word) and one of the asyncio APIs that lost it."""
        if not code.has("loop"):
            return False
        apis = (*LOOP_KWARG_FUNCTIONS.values(), *LOOP_KWARG_PRIMITIVES.values())
        return any(code.has(api) for api in apis)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        loop_arg = keyword(updated_node, "loop")
        if loop_arg is None:
            return updated_node
        names = self.qualified_names(original_node.func)
        api = next(
            (
                LOOP_KWARG_FUNCTIONS.get(n) or LOOP_KWARG_PRIMITIVES.get(n)
                for n in names
                if n in LOOP_KWARG_FUNCTIONS or n in LOOP_KWARG_PRIMITIVES
            ),
            None,
        )
        if api is None:
            return updated_node
        if in_expectation_block(self, original_node, catches_api_misuse=True):
            self.review(
                original_node,
                f"asyncio.{api}(loop=...) inside pytest.raises/warns (or assertRaises/Warns): "
                "perhaps it checks the loop argument itself; left alone",
            )
            return updated_node
        self.changed(original_node, f"asyncio.{api}(loop=...) -> loop= dropped (Python 3.10)")
        func = self.innermost_function()
        if api in LOOP_KWARG_PRIMITIVES.values() and (func is None or func.asynchronous is None):
            self.review(
                original_node,
                f"asyncio.{api}() made outside a coroutine binds to the first loop that uses "
                "it (3.10+), not the one it was given; do not share it between tests that "
                "run in different loops",
            )
        return without_args(updated_node, [loop_arg])
