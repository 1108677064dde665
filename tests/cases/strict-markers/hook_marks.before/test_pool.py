async def test_pool(pool):
    assert pool == []
