import asyncio
from unittest import mock

import pytest

from app import sync_client


@pytest.mark.asyncio
async def test_with_patch():
    fut = asyncio.Future()
    fut.set_result({"ok": True})
    with mock.patch("app.sync_client.fetch") as fetch:
        fetch.return_value = fut
        assert await sync_client.fetch() == {"ok": True}


@pytest.mark.asyncio
@mock.patch("app.sync_client.fetch")
async def test_with_decorator(fetch):
    fut = asyncio.Future()
    fut.set_exception(TimeoutError())
    fetch.return_value = fut
    with pytest.raises(TimeoutError):
        await sync_client.fetch()
