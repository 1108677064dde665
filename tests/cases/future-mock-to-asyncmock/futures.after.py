import asyncio
from unittest.mock import AsyncMock, MagicMock, patch

import pytest

from shop.service import Service


def async_return(value):
    future = asyncio.Future()
    future.set_result(value)
    return future


@pytest.fixture
def repo():
    repo = MagicMock()
    repo.get = AsyncMock(return_value={"id": 1, "name": "Ada"})
    return repo


@pytest.mark.asyncio
async def test_failed_future(repo):
    repo.get = AsyncMock(side_effect=KeyError(2))
    with pytest.raises(KeyError):
        await Service(repo).load(2)
    repo.get.assert_called_once_with(2)


@pytest.mark.asyncio
async def test_return_value_assigned(repo):
    repo.save = AsyncMock(return_value=True)
    assert await Service(repo).rename(1, "Grace")


@pytest.mark.asyncio
async def test_named_mock_and_helper():
    notifier = AsyncMock()
    notifier.return_value = None
    clock = AsyncMock(return_value=12.5)
    await notifier("hi")
    assert await clock() == 12.5


@pytest.mark.asyncio
async def test_patch_new_callable():
    with patch("shop.service.fetch_all", new_callable=AsyncMock, return_value=[1, 2]) as fetch:
        assert await Service(MagicMock()).all() == [1, 2]
    fetch.assert_called_once_with()
