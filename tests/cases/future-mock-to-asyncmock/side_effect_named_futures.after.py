import asyncio
from unittest.mock import AsyncMock, MagicMock, patch

import pytest

from shop import client
from shop.service import Service


def async_return(value):
    future = asyncio.Future()
    future.set_result(value)
    return future


@pytest.mark.asyncio
async def test_retry_after_a_failure():
    fetch = AsyncMock(side_effect=[ConnectionError("reset"), {"id": 1}])
    with pytest.raises(ConnectionError):
        await fetch(1)
    assert await fetch(1) == {"id": 1}
    assert fetch.call_count == 2


@pytest.mark.asyncio
async def test_side_effect_set_on_the_mock():
    poll = AsyncMock()
    poll.side_effect = (1, 2)
    assert [await poll(), await poll()] == [1, 2]


@pytest.mark.asyncio
async def test_named_future_beside_a_helper():
    repo = MagicMock()
    repo.get = AsyncMock(side_effect=[{"id": 2}, KeyError("user")])
    service = Service(repo)
    assert await service.load(2) == {"id": 2}
    with pytest.raises(KeyError):
        await service.load(2)


@pytest.mark.asyncio
async def test_patched_function():
    with patch("shop.client.fetch_page", new_callable=AsyncMock, side_effect=[["a"], []]):
        assert await client.fetch_page(1) == ["a"]
        assert await client.fetch_page(2) == []


@pytest.mark.asyncio
async def test_patched_then_configured():
    with patch("shop.client.send", new_callable=AsyncMock) as send:
        send.side_effect = ["sent"]
        assert await client.send("hi") == "sent"
    send.assert_called_once_with("hi")
