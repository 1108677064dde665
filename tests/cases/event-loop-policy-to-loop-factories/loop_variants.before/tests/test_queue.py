import asyncio

from conftest import TracingLoop


async def test_roundtrip(event_loop, payload):
    queue = asyncio.Queue()
    await queue.put(payload)
    assert await queue.get() == payload


async def test_each_variant_gets_its_loop(request, event_loop):
    variant = request.node.callspec.id
    loop = asyncio.get_running_loop()
    assert loop.get_debug() == variant.startswith("debug-")
    assert isinstance(loop, TracingLoop) == variant.endswith("-tracing")
