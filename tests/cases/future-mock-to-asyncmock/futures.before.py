import asyncio
from unittest.mock import MagicMock, patch

import pytest

from shop.service import Service


def async_return(value):
    future = asyncio.Future()
    future.set_result(value)
    return future


@pytest.fixture
def repo():
    repo = MagicMock()
    fut = asyncio.Future()
    fut.set_result({"id": 1, "name": "Ada"})
    repo.get = MagicMock(return_value=fut)
    return repo


@pytest.mark.asyncio
async def test_failed_future(repo):
    loop = asyncio.get_event_loop()
    failed = loop.create_future()
    failed.set_exception(KeyError(2))
    repo.get = MagicMock(return_value=failed)
    with pytest.raises(KeyError):
        await Service(repo).load(2)
    repo.get.assert_called_once_with(2)


@pytest.mark.asyncio
async def test_return_value_assigned(repo):
    saved = asyncio.Future()
    saved.set_result(True)
    repo.save.return_value = saved
    assert await Service(repo).rename(1, "Grace")


@pytest.mark.asyncio
async def test_named_mock_and_helper():
    notifier = MagicMock()
    done = asyncio.Future()
    done.set_result(None)
    notifier.return_value = done
    clock = MagicMock(return_value=async_return(12.5))
    await notifier("hi")
    assert await clock() == 12.5


@pytest.mark.asyncio
async def test_patch_new_callable():
    fut = asyncio.Future()
    fut.set_result([1, 2])
    with patch("shop.service.fetch_all", new_callable=MagicMock, return_value=fut) as fetch:
        assert await Service(MagicMock()).all() == [1, 2]
    fetch.assert_called_once_with()
