from unittest.mock import patch

import pytest

from shop import service
from shop.repo import UserRepo


@pytest.mark.asyncio
async def test_patch_of_async_def_is_an_asyncmock():
    with patch("shop.service.fetch_user") as fetch:
        await service.fetch_user(1)
    fetch.assert_awaited_once_with(1)
    assert fetch.await_count == 1


@pytest.mark.asyncio
@patch.object(UserRepo, "cache_key")
@patch.object(UserRepo, "get")
async def test_decorators(get, cache_key):
    await UserRepo().get(2)
    UserRepo().cache_key(2)
    get.assert_called_once_with(2)
    cache_key.assert_called_once_with(2)


@pytest.mark.asyncio
async def test_mocker(mocker):
    fetch = mocker.patch("shop.service.fetch_user")
    render = mocker.patch("shop.service.render")
    await service.fetch_user(3)
    service.render(3)
    fetch.assert_called_with(3)
    render.assert_called_with(3)
