async def test_cache(cache):
    assert cache == {}
