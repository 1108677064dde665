"""A topic-based broker: publishers put messages, subscribers get them from a queue.

The broker runs a dispatcher task in the loop it was started in; its queues belong to
that loop, so everything that publishes or subscribes must run in it.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any, DefaultDict, List, Optional, Tuple


class Subscription:
    def __init__(self, topic: str) -> None:
        self.topic = topic
        self.queue: "asyncio.Queue[Any]" = asyncio.Queue()

    async def next(self, timeout: float = 2) -> Any:
        return await asyncio.wait_for(self.queue.get(), timeout)


class Broker:
    def __init__(self) -> None:
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        self._inbox: Optional["asyncio.Queue[Optional[Tuple[str, Any]]]"] = None
        self._subscriptions: DefaultDict[str, List[Subscription]] = defaultdict(list)
        self._dispatcher: Optional["asyncio.Task[None]"] = None
        self.delivered = 0

    async def start(self) -> "Broker":
        self.loop = asyncio.get_running_loop()
        self._inbox = asyncio.Queue()
        self._dispatcher = self.loop.create_task(self._dispatch())
        return self

    def _require_own_loop(self) -> None:
        if self.loop is None:
            raise RuntimeError("broker not started")
        if asyncio.get_running_loop() is not self.loop:
            raise RuntimeError("broker used from another event loop")

    def subscribe(self, topic: str) -> Subscription:
        self._require_own_loop()
        subscription = Subscription(topic)
        self._subscriptions[topic].append(subscription)
        return subscription

    async def publish(self, topic: str, message: Any) -> None:
        self._require_own_loop()
        assert self._inbox is not None
        await self._inbox.put((topic, message))

    async def _dispatch(self) -> None:
        assert self._inbox is not None
        while True:
            item = await self._inbox.get()
            if item is None:
                return
            topic, message = item
            for subscription in self._subscriptions.get(topic, []):
                subscription.queue.put_nowait(message)
                self.delivered += 1

    async def stop(self) -> None:
        self._require_own_loop()
        assert self._inbox is not None and self._dispatcher is not None
        await self._inbox.put(None)
        await self._dispatcher
