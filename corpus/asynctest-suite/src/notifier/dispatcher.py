"""The dispatcher: look the subscribers up, send to each, record what happened."""

import asyncio
from dataclasses import dataclass

from notifier import templates
from notifier.transport import TransportError


@dataclass
class Delivery:
    address: str
    ok: bool
    at: float


class Dispatcher:
    def __init__(self, store, transport, *, loop=None):
        # Written for Python 3.6: the loop is handed in so that timestamps come from it.
        self._loop = loop
        self.store = store
        self.transport = transport
        self.log = []

    def _now(self):
        loop = self._loop or asyncio.get_event_loop()
        return loop.time()

    async def notify(self, topic, template, **values):
        body = await templates.render(template, **values)
        addresses = await self.store.subscribers(topic)
        results = await asyncio.gather(
            *(self._send_one(address, body) for address in addresses)
        )
        self.log.extend(results)
        return results

    async def _send_one(self, address, body):
        try:
            ok = bool(await self.transport.send(address, body))
        except TransportError:
            ok = False
        return Delivery(address, ok, self._now())

    async def close(self):
        await self.transport.close()
