import asyncio


async def test_runs_in_debug_mode():
    assert asyncio.get_running_loop().get_debug()
