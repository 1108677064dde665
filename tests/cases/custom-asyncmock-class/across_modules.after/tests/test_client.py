from unittest.mock import AsyncMock


async def test_send():
    send = AsyncMock(return_value=b"ok")
    assert await send(b"x") == b"ok"
    send.assert_called_once_with(b"x")
