"""A CoroutineMock whose return value is a Future: asynctest awaited it, AsyncMock would
hand it out. Left on asynctest (the only asynctest use here), reported."""

import asyncio

import asynctest
import pytest


@pytest.mark.asyncio
async def test_future_resolved_by_the_test():
    fetch = asynctest.CoroutineMock()
    fetch.return_value = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_soon(fetch.return_value.set_result, "late")
    assert await fetch() == "late"
