async def test_runs():
    pass
