"""Mocks with no evidence of standing for a coroutine function stay MagicMock."""

import asyncio
from unittest.mock import MagicMock, create_autospec

import pytest


class Repo:
    async def get(self, key):
        return key


def test_sync_callback():
    callback = MagicMock(return_value=3)
    assert callback(1) == 3
    callback.assert_called_once_with(1)


@pytest.mark.asyncio
async def test_async_context_manager_is_native():
    # MagicMock supports __aenter__/__aexit__ since Python 3.8: no AsyncMock needed,
    # and AsyncMock would break ``async with session()``.
    session = MagicMock()
    async with session() as s:
        assert s is not None
    async for _ in session:
        pass


@pytest.mark.asyncio
async def test_spec_already_gives_async_methods():
    repo = MagicMock(spec=Repo)
    repo.get.return_value = 1
    assert await repo.get("k") == 1
    auto = create_autospec(Repo, instance=True)
    auto.get.return_value = 2
    assert await auto.get("k") == 2


@pytest.mark.asyncio
async def test_passed_to_sync_code():
    loop = asyncio.get_running_loop()
    callback = MagicMock()
    loop.call_soon(callback, 1)
    await asyncio.sleep(0)
    callback.assert_called_once_with(1)
