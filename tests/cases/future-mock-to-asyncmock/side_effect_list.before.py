import asyncio
from unittest.mock import MagicMock, patch

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
    fetch = MagicMock(
        side_effect=[
            async_raise(TimeoutError()),
            async_return({"id": 1}),
        ]
    )
    with pytest.raises(TimeoutError):
        await fetch()
    assert await fetch() == {"id": 1}


@pytest.mark.asyncio
async def test_patch_with_a_sequence():
    with patch("app.client.poll", new_callable=MagicMock, side_effect=(async_return(1), async_return(2))):
        pass


@pytest.mark.asyncio
async def test_mixed_items_stay():
    fetch = MagicMock(side_effect=[async_return(1), 2])
    assert await fetch() == 1
