from .helpers import CoroMock as CM


async def test_send():
    send = CM(return_value=b"ok")
    assert await send(b"x") == b"ok"
    send.assert_called_once_with(b"x")
