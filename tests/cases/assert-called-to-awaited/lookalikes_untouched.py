"""Not proven AsyncMock, or called without await in the test: left alone."""

import asyncio
from unittest.mock import AsyncMock, MagicMock, patch

import pytest


def test_sync_mock():
    callback = MagicMock(return_value=3)
    assert callback(1) == 3
    callback.assert_called_once_with(1)
    assert callback.call_count == 1


@pytest.mark.asyncio
async def test_unknown_patch_target():
    with patch("somewhere.else.fetch") as fetch:
        fetch.assert_not_called()
        fetch.assert_called_once_with()  # a MagicMock (target unknown): kept


@pytest.mark.asyncio
async def test_called_without_await():
    fetch = AsyncMock()
    task = asyncio.ensure_future(fetch(1))
    await task
    fetch.assert_called_once_with(1)


@pytest.mark.asyncio
async def test_not_awaited_at_all():
    fetch = AsyncMock()
    coro = fetch(2)
    coro.close()
    fetch.assert_called_once_with(2)
