from unittest.mock import AsyncMock, MagicMock, patch

import pytest

from shop import client
from shop.service import Service


@pytest.mark.asyncio
async def test_future_in_the_constructor():
    fetch = AsyncMock(return_value={"id": 1})
    assert await fetch(1) == {"id": 1}
    fetch.assert_called_once_with(1)


@pytest.mark.asyncio
async def test_future_assigned_then_failed():
    repo = MagicMock()
    repo.get = AsyncMock()
    repo.get.side_effect = KeyError(7)
    with pytest.raises(KeyError):
        await Service(repo).load(7)


@pytest.mark.asyncio
async def test_attribute_of_a_plain_mock():
    repo = MagicMock()
    repo.save = AsyncMock(return_value=True)
    assert await Service(repo).rename(1, "Grace")


@pytest.mark.asyncio
async def test_value_built_after_the_future():
    fetch = AsyncMock()
    user = {"id": 2}
    fetch.return_value = user
    assert await fetch() is user


@pytest.mark.asyncio
async def test_patch_with_a_future():
    with patch("shop.client.fetch_page", return_value=["a"], new_callable=AsyncMock) as fetch_page:
        assert await client.fetch_page(1) == ["a"]


@pytest.mark.asyncio
async def test_patch_then_future():
    with patch("shop.client.send", new_callable=AsyncMock) as send:
        send.return_value = "sent"
        assert await client.send("hi") == "sent"


@pytest.mark.asyncio
@patch("shop.client.fetch_page", new_callable=AsyncMock)
async def test_patch_decorator(fetch_page):
    fetch_page.side_effect = TimeoutError()
    with pytest.raises(TimeoutError):
        await client.fetch_page(1)
