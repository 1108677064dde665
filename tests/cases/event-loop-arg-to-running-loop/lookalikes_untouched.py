import pytest


async def wait_on(event_loop, fut):
    """A helper coroutine: its caller passes the loop, no fixture involved."""
    return await event_loop.run_in_executor(None, fut.result)


def test_sync_driver(event_loop):
    # sync tests are event-loop-sync-to-async's business
    event_loop.run_until_complete(wait_on(event_loop, None))


@pytest.mark.parametrize("event_loop", ["uvloop", "asyncio"])
@pytest.mark.asyncio
async def test_parametrized_name(event_loop):
    assert event_loop in ("uvloop", "asyncio")


@pytest.mark.asyncio
async def test_nested_helper():
    async def inner(event_loop):
        return event_loop.time()

    assert inner


@pytest.mark.asyncio
async def test_attribute(client):
    assert client.event_loop is not None


class Helper:
    async def test_like(self, event_loop):
        return event_loop


@pytest.mark.usefixtures("event_loop")
@pytest.mark.asyncio
async def test_fetched_by_name(request):
    # reported, not rewritten: the fixture is asked for by name
    assert request.getfixturevalue("event_loop") is not None
