import unittest.mock


async def test_collect():
    mock = unittest.mock.AsyncMock(return_value=[1])
    with unittest.mock.patch("app.fetch", new=mock):
        from app import collect

        assert await collect() == [1]
    mock.assert_awaited_once()
