import pytest

from app import blocking, poke, start, work


@pytest.mark.asyncio
async def test_cancel(event_loop):
    """Tasks and executor jobs on the test's loop."""
    task = event_loop.create_task(work())
    fut = event_loop.run_in_executor(None, blocking)
    await fut
    task.cancel()


@pytest.mark.asyncio
async def test_once(event_loop, tmp_path):
    event_loop.call_soon(poke, tmp_path)


@pytest.mark.asyncio
async def test_unused(tmp_path, event_loop):
    assert tmp_path.exists()


@pytest.mark.asyncio
async def test_callback_uses_loop(event_loop):
    # the callback runs later, outside this frame: it needs the bound name
    def stop_soon():
        event_loop.call_later(0.1, poke)

    stop_soon()


@pytest.fixture
async def server(unused_tcp_port, event_loop):
    return await event_loop.create_server(start, port=unused_tcp_port)


class TestGroup:
    @pytest.mark.asyncio
    async def test_method(
        self,
        event_loop,
    ):
        assert event_loop.is_running()
