"""Evidence, but converting would change what the test sees: reported, not rewritten."""

import asyncio
from unittest.mock import MagicMock

import pytest


@pytest.mark.asyncio
async def test_awaited_and_called_plainly():
    fetch = MagicMock()
    fetch()
    await fetch()


@pytest.mark.asyncio
async def test_return_value_may_be_awaitable():
    fut = make_future()
    fetch = MagicMock(return_value=fut)
    assert await fetch() == 1


@pytest.mark.asyncio
async def test_return_value_set_later():
    fetch = MagicMock()
    fetch.return_value = asyncio.sleep(0, result=1)
    assert await fetch() == 1
