import asyncio

from app import Protocol, fetch


def make_protocol():
    loop = asyncio.get_event_loop()
    return Protocol(loop)


def schedule(coro):
    loop = asyncio.get_event_loop()
    loop.call_soon(print, "scheduled")
    return loop.run_until_complete(coro)


def nested_getter():
    def on_done():
        return asyncio.get_event_loop()

    return on_done


def passed_on():
    return Protocol(asyncio.get_event_loop())


def test_protocol():
    # A sync caller: no loop is running here, so get_running_loop() would raise.
    assert make_protocol()


async def test_protocol_async():
    assert make_protocol()


async def test_fetch():
    assert await fetch()


async def test_passed_on():
    callbacks = [passed_on]
    assert [c() for c in callbacks]
