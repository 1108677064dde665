import json

from tests.compat import AsyncMock, patch, wait_for_calls
from .compat import MagicMock as MM
from .async_compat import AsyncMock as AM
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

    probe = AsyncMock(side_effect=lambda: asyncio.sleep(0))
    assert await probe() is None
