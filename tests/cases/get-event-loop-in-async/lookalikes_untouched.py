import asyncio

import pytest

from app import fetch, login


def test_loop_used_otherwise():
    loop = asyncio.get_event_loop()
    session = loop.run_until_complete(login())
    loop.call_soon(session.ping)
    assert loop.run_until_complete(session.fetch()) == 1


def test_bound_in_a_branch(flag):
    if flag:
        loop = asyncio.get_event_loop()
        session = loop.run_until_complete(login())
        assert loop.run_until_complete(session.fetch()) == 1


def test_loop_managed():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    assert asyncio.get_event_loop().run_until_complete(fetch()) == 1
    loop.close()


async def test_callback():
    def on_done():
        return asyncio.get_event_loop()

    later = lambda: asyncio.get_event_loop()
    assert on_done and later


class Loop:
    def get_event_loop(self):
        return self


async def test_method_named_alike():
    assert Loop().get_event_loop()


# Import-time loop of the test module: reported, tests no longer run in it.
MODULE_LOOP = asyncio.get_event_loop()
