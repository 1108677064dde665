import asyncio

import pytest


async def test_times_out(loop):
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(asyncio.sleep(10), 0.01)


async def test_cancelled(loop):
    with pytest.raises(asyncio.CancelledError):
        await asyncio.sleep(0)
        raise asyncio.CancelledError


async def test_catch_all(loop):
    with pytest.raises(Exception):
        await asyncio.sleep(0, loop=loop)


async def test_matched(loop):
    with pytest.raises(RuntimeError, match="loop"):
        await asyncio.sleep(0, loop=loop)


async def test_tuple_of_errors(loop):
    with pytest.raises((KeyError, TypeError)):
        await asyncio.sleep(0, loop=loop)
