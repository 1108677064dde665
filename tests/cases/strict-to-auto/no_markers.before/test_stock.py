async def test_never_ran_in_strict_mode():
    assert True
