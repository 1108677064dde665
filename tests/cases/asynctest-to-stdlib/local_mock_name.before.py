import asynctest


async def test_collect():
    mock = asynctest.CoroutineMock(return_value=[1])
    with asynctest.patch("app.fetch", new=mock):
        from app import collect

        assert await collect() == [1]
    mock.assert_awaited_once()
