import asyncio


def helper(test_client, loop):
    # not a test, not a fixture: a plain function whose parameters share the names
    return loop.run_until_complete(test_client())


class Server:
    def __init__(self, loop, unused_port):
        self.loop = loop
        self.port = unused_port


async def test_other_names(aiohttp_client, unused_tcp_port):
    test_client = "a local variable, not the fixture"
    loop = asyncio.get_running_loop()
    assert loop and test_client and unused_tcp_port
