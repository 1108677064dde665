from unittest import mock

import pytest

from app import sync_client


@pytest.mark.asyncio
async def test_with_patch():
    with mock.patch("app.sync_client.fetch", new_callable=mock.AsyncMock) as fetch:
        fetch.return_value = {"ok": True}
        assert await sync_client.fetch() == {"ok": True}


@pytest.mark.asyncio
@mock.patch("app.sync_client.fetch", new_callable=mock.AsyncMock)
async def test_with_decorator(fetch):
    fetch.side_effect = TimeoutError()
    with pytest.raises(TimeoutError):
        await sync_client.fetch()
