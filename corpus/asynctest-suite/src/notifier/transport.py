"""Sending one message to one address."""

import asyncio


class TransportError(Exception):
    pass


class SmtpTransport:
    def __init__(self, host="localhost", port=25):
        self.host = host
        self.port = port
        self.sent = []

    async def send(self, address, body):
        await asyncio.sleep(0)
        if "@" not in address:
            raise TransportError(f"bad address {address!r}")
        self.sent.append((address, body))
        return True

    async def close(self):
        await asyncio.sleep(0)
