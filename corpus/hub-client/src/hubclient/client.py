import asyncio


class HubClient:
    """Talks to the hub through an httpx.AsyncClient (the transport)."""

    def __init__(self, transport):
        self.transport = transport
        self.connected = False
        self.loop = None

    async def connect(self):
        self.loop = asyncio.get_running_loop()
        response = await self.transport.post("/session", json={"client": "hubclient"})
        self.connected = response.json()["ok"]

    async def send(self, device, command):
        if asyncio.get_running_loop() is not self.loop:
            raise RuntimeError("used from another event loop than the one it connected in")
        response = await self.transport.post("/command", json={"command": command, "device": device})
        return response.json()

    async def close(self):
        await self.transport.aclose()
        self.connected = False


async def wait_ready(probe, attempts=50):
    """Await ``probe()`` until it says ready; False when it never does."""
    for _ in range(attempts):
        if await probe():
            return True
    return False
