import asyncio


async def test_shares_the_session_loop(ticker):
    assert ticker is asyncio.get_running_loop()
    assert ticker.get_debug()
