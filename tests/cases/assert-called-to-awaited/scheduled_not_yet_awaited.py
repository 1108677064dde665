import asyncio
from unittest.mock import AsyncMock, MagicMock

from app import protocol, transport


async def test_endpoint_made_through_a_mocked_loop():
    loop = MagicMock()
    loop.create_datagram_endpoint = AsyncMock(return_value=(MagicMock(), MagicMock()))
    loop.create_task = AsyncMock(return_value=(MagicMock(), MagicMock()))
    await transport.open(loop)
    args, kwargs = loop.create_datagram_endpoint.call_args
    loop.create_datagram_endpoint.assert_called_once()


async def test_reply_scheduled_by_a_sync_callback():
    handler = protocol.Protocol()
    handler.send = AsyncMock()
    await asyncio.sleep(0)
    handler.data_received(b"login ok")
    handler.send.assert_called_once_with(b"ack")
