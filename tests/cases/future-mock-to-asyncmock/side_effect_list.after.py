import asyncio
from unittest.mock import AsyncMock, MagicMock, patch

import pytest


def async_return(value):
    future = asyncio.Future()
    future.set_result(value)
    return future


def async_raise(error):
    future = asyncio.Future()
    future.set_exception(error)
    return future


@pytest.mark.asyncio
async def test_retries_after_a_timeout():
    fetch = AsyncMock(
        side_effect=[
            TimeoutError(),
            {"id": 1},
        ]
    )
    with pytest.raises(TimeoutError):
        await fetch()
    assert await fetch() == {"id": 1}


@pytest.mark.asyncio
async def test_patch_with_a_sequence():
    with patch("app.client.poll", new_callable=AsyncMock, side_effect=(1, 2)):
        pass


@pytest.mark.asyncio
async def test_mixed_items_stay():
    fetch = MagicMock(side_effect=[async_return(1), 2])
    assert await fetch() == 1
