import json

from unittest.mock import AsyncMock, patch
from tests.compat import wait_for_calls
from unittest.mock import MagicMock as MM
from unittest.mock import AsyncMock as AM
from tests.recent import Recorder


async def test_fetch():
    fetch = AsyncMock(return_value=1)
    with patch("json.dumps", MM()):
        assert await fetch() == 1
    assert wait_for_calls(fetch, 1)
    assert await AM(return_value=2)() == 2
    assert Recorder and json


async def test_probe_awaited_by_asynctest():
    import asyncio

    async def awaiting_side_effect():
        return await asyncio.sleep(0)

    probe = AsyncMock(side_effect=awaiting_side_effect)
    assert await probe() is None
