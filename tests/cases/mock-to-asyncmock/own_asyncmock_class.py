"""A home-made AsyncMock in the file: the stdlib import would clash, so nothing changes
here (the file gets one note)."""

from unittest.mock import MagicMock

import pytest


class AsyncMock(MagicMock):
    async def __call__(self, *args, **kwargs):
        return super().__call__(*args, **kwargs)


@pytest.mark.asyncio
async def test_awaited_magicmock():
    fetch = MagicMock(side_effect=AsyncMock(return_value=1))
    assert await fetch() == 1
