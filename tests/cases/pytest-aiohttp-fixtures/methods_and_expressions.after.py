import pytest
import asyncio


class TestShop:
    async def test_method(self, aiohttp_client):
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        fut.set_result(1)
        assert await fut == 1

    @pytest.mark.asyncio
    async def test_sync_method(
        self,
        aiohttp_client,
    ):
        assert (await self.go(aiohttp_client)) is None

    async def go(self, client):
        return None


@pytest.fixture
def port(unused_tcp_port_factory):
    return unused_tcp_port_factory() + unused_tcp_port_factory()


def test_lambda(loop):
    run = lambda c: loop.run_until_complete(c)
    assert run


@pytest.mark.asyncio
async def test_nested_expression():
    value = (await fetch()).value + 1
    assert [await fetch()]
