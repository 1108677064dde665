import pytest


class TestShop:
    async def test_method(self, loop, test_client):
        fut = loop.create_future()
        fut.set_result(1)
        assert await fut == 1

    def test_sync_method(
        self,
        test_client,
        loop,
    ):
        assert loop.run_until_complete(self.go(test_client)) is None

    async def go(self, client):
        return None


@pytest.fixture
def port(aiohttp_unused_port, unused_tcp_port_factory):
    return aiohttp_unused_port() + unused_tcp_port_factory()


def test_lambda(loop):
    run = lambda c: loop.run_until_complete(c)
    assert run


def test_nested_expression(loop):
    value = loop.run_until_complete(fetch()).value + 1
    assert [loop.run_until_complete(fetch())]
