"""An event loop that counts the tasks it creates, and the policy that installs it."""

from __future__ import annotations

import asyncio
from typing import Any


class TracingEventLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        super().__init__()
        self.tasks_created = 0

    def create_task(self, coro: Any, **kwargs: Any) -> "asyncio.Task[Any]":
        self.tasks_created += 1
        return super().create_task(coro, **kwargs)


class TracingPolicy(asyncio.DefaultEventLoopPolicy):
    """What the service's entry point installs: every new loop is a TracingEventLoop."""

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        return TracingEventLoop()
