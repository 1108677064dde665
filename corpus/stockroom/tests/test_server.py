import asyncio

import pytest

from stockroom import request


@pytest.mark.asyncio
async def test_add_over_the_wire(server, event_loop):
    host, port = server
    assert await request(host, port, "ADD apple 2", loop=event_loop) == 2
    assert await request(host, port, "GET apple", loop=event_loop) == 2


@pytest.mark.asyncio
async def test_take_more_than_stock(server):
    host, port = server
    assert await request(host, port, "TAKE kiwi") == -1


def test_protocol_from_sync_code(server, event_loop):
    host, port = server
    assert event_loop.run_until_complete(request(host, port, "ADD pear")) == 1
    replies = event_loop.run_until_complete(
        asyncio.gather(request(host, port, "GET pear"), request(host, port, "GET fig"))
    )
    assert replies == [1, 0]
