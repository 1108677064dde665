import pytest

from app import blocking, poke, start, work
import asyncio


@pytest.mark.asyncio
async def test_cancel():
    """Tasks and executor jobs on the test's loop."""
    event_loop = asyncio.get_running_loop()
    task = event_loop.create_task(work())
    fut = event_loop.run_in_executor(None, blocking)
    await fut
    task.cancel()


@pytest.mark.asyncio
async def test_once(tmp_path):
    asyncio.get_running_loop().call_soon(poke, tmp_path)


@pytest.mark.asyncio
async def test_unused(tmp_path):
    assert tmp_path.exists()


@pytest.mark.asyncio
async def test_callback_uses_loop():
    event_loop = asyncio.get_running_loop()
    # the callback runs later, outside this frame: it needs the bound name
    def stop_soon():
        event_loop.call_later(0.1, poke)

    stop_soon()


@pytest.fixture
async def server(unused_tcp_port):
    return await asyncio.get_running_loop().create_server(start, port=unused_tcp_port)


class TestGroup:
    @pytest.mark.asyncio
    async def test_method(
        self,
    ):
        assert asyncio.get_running_loop().is_running()
