import asyncio
from unittest.mock import MagicMock, patch

import pytest

from shop import client
from shop.service import Service


def async_return(value):
    future = asyncio.Future()
    future.set_result(value)
    return future


@pytest.mark.asyncio
async def test_retry_after_a_failure():
    failed = asyncio.Future()
    failed.set_exception(ConnectionError("reset"))
    ok = asyncio.Future()
    ok.set_result({"id": 1})
    fetch = MagicMock(side_effect=[failed, ok])
    with pytest.raises(ConnectionError):
        await fetch(1)
    assert await fetch(1) == {"id": 1}
    assert fetch.call_count == 2


@pytest.mark.asyncio
async def test_side_effect_set_on_the_mock():
    loop = asyncio.get_event_loop()
    first = loop.create_future()
    first.set_result(1)
    second = loop.create_future()
    second.set_result(2)
    poll = MagicMock()
    poll.side_effect = (first, second)
    assert [await poll(), await poll()] == [1, 2]


@pytest.mark.asyncio
async def test_named_future_beside_a_helper():
    gone = asyncio.Future()
    gone.set_exception(KeyError("user"))
    repo = MagicMock()
    repo.get.side_effect = [async_return({"id": 2}), gone]
    service = Service(repo)
    assert await service.load(2) == {"id": 2}
    with pytest.raises(KeyError):
        await service.load(2)


@pytest.mark.asyncio
async def test_patched_function():
    page1 = asyncio.Future()
    page1.set_result(["a"])
    page2 = asyncio.Future()
    page2.set_result([])
    with patch("shop.client.fetch_page", new_callable=MagicMock, side_effect=[page1, page2]):
        assert await client.fetch_page(1) == ["a"]
        assert await client.fetch_page(2) == []


@pytest.mark.asyncio
async def test_patched_then_configured():
    done = asyncio.Future()
    done.set_result("sent")
    with patch("shop.client.send") as send:
        send.side_effect = [done]
        assert await client.send("hi") == "sent"
    send.assert_called_once_with("hi")
