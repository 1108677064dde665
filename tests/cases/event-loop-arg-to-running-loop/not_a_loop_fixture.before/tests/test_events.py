import pytest


@pytest.mark.asyncio
async def test_records(event_loop):
    event_loop.record("started")
    assert event_loop.events == ["started"]
