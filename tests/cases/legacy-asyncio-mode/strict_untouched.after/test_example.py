async def test_ok():
    pass
