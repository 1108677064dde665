import asyncio
from unittest.mock import MagicMock, patch

import pytest

from shop import client
from shop.service import Service


@pytest.mark.asyncio
async def test_future_in_the_constructor():
    fetch = MagicMock(return_value=asyncio.Future())
    fetch.return_value.set_result({"id": 1})
    assert await fetch(1) == {"id": 1}
    fetch.assert_called_once_with(1)


@pytest.mark.asyncio
async def test_future_assigned_then_failed():
    loop = asyncio.get_event_loop()
    repo = MagicMock()
    repo.get = MagicMock()
    repo.get.return_value = loop.create_future()
    repo.get.return_value.set_exception(KeyError(7))
    with pytest.raises(KeyError):
        await Service(repo).load(7)


@pytest.mark.asyncio
async def test_attribute_of_a_plain_mock():
    repo = MagicMock()
    repo.save.return_value = asyncio.Future()
    repo.save.return_value.set_result(True)
    assert await Service(repo).rename(1, "Grace")


@pytest.mark.asyncio
async def test_value_built_after_the_future():
    fetch = MagicMock(return_value=asyncio.Future())
    user = {"id": 2}
    fetch.return_value.set_result(user)
    assert await fetch() is user


@pytest.mark.asyncio
async def test_patch_with_a_future():
    with patch("shop.client.fetch_page", return_value=asyncio.Future()) as fetch_page:
        fetch_page.return_value.set_result(["a"])
        assert await client.fetch_page(1) == ["a"]


@pytest.mark.asyncio
async def test_patch_then_future():
    with patch("shop.client.send") as send:
        send.return_value = asyncio.Future()
        send.return_value.set_result("sent")
        assert await client.send("hi") == "sent"


@pytest.mark.asyncio
@patch("shop.client.fetch_page", return_value=asyncio.Future())
async def test_patch_decorator(fetch_page):
    fetch_page.return_value.set_exception(TimeoutError())
    with pytest.raises(TimeoutError):
        await client.fetch_page(1)
