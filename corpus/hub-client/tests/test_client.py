import asyncio
import json

import pytest

from hubclient import wait_ready
from tests.compat import AsyncMock, MagicMock, patch


@pytest.mark.asyncio
async def test_connected(hub):
    assert hub.connected


@pytest.mark.asyncio
async def test_runs_in_debug_mode():
    assert asyncio.get_running_loop().get_debug()


@pytest.mark.asyncio
async def test_command_body(hub, sent):
    await hub.send(3, "on")
    assert sent[-1].content == b'{"command": "on", "device": 3}'
    assert json.loads(sent[0].content) == {"client": "hubclient"}


@pytest.mark.asyncio
async def test_probe_that_yields_to_the_loop_is_awaited():
    probe = AsyncMock(side_effect=lambda: asyncio.sleep(0))
    assert not await wait_ready(probe, attempts=3)
    assert probe.call_count == 3


@pytest.mark.asyncio
async def test_probe_ready_on_the_second_call():
    probe = AsyncMock(side_effect=[False, True])
    assert await wait_ready(probe)


@pytest.mark.asyncio
async def test_send_is_patched(hub):
    with patch.object(hub, "send", AsyncMock(return_value={"ok": False})) as send:
        assert await hub.send(1, "off") == {"ok": False}
    send.assert_called_once_with(1, "off")
    assert MagicMock()
