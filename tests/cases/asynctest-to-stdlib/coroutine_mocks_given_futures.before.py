import asyncio

import asynctest
import pytest

from app import service


def async_return(value):
    future = asyncio.Future()
    future.set_result(value)
    return future


@pytest.mark.asyncio
async def test_return_value_future():
    ready = asyncio.get_running_loop().create_future()
    ready.set_result({"id": 1})
    fetch = asynctest.CoroutineMock(return_value=ready)
    assert await fetch(1) == {"id": 1}


@pytest.mark.asyncio
async def test_plain_value_converts():
    fetch = asynctest.CoroutineMock(return_value={"id": 2})
    assert await fetch(2) == {"id": 2}


@pytest.mark.asyncio
async def test_side_effect_futures():
    fetch = asynctest.CoroutineMock(side_effect=[async_return(1), async_return(2)])
    assert [await fetch(), await fetch()] == [1, 2]


@pytest.mark.asyncio
@asynctest.patch("app.service.fetch", new_callable=asynctest.CoroutineMock, return_value=async_return(3))
async def test_patched_with_a_future(fetch):
    assert await service.fetch() == 3


class TestSetUpMock:
    def setup_method(self):
        self.send = asynctest.CoroutineMock()

    @pytest.mark.asyncio
    async def test_future_set_later(self):
        self.send.return_value = asyncio.get_running_loop().create_future()
        self.send.return_value.set_result("sent")
        assert await self.send("hi") == "sent"
