async def test_shared():
    pass
