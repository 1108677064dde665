async def test_loop_is_running(loop):
    assert loop.is_running()
