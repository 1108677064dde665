import asyncio
from unittest.mock import MagicMock

import pytest


async def fake_handler(event):
    return event.upper()


@pytest.mark.asyncio
async def test_handler_is_awaited():
    handler = MagicMock(side_effect=fake_handler)
    assert await handler("x") == "X"
    handler.assert_called_once_with("x")


@pytest.mark.asyncio
async def test_only_one_attribute_is_async():
    client = MagicMock(name="client")
    client.close()
    assert await client.fetch(1) is not None
    client.close.assert_called_once_with()


@pytest.mark.asyncio
async def test_gathered():
    ping = MagicMock(return_value=None)
    await asyncio.gather(ping(), ping())


def test_sync_mock_stays_a_magicmock():
    callback = MagicMock(return_value=3)
    assert callback(1) == 3


@pytest.mark.asyncio
async def test_side_effect_defined_in_the_test():
    async def slow(value):
        await asyncio.sleep(0)
        return value

    fetch = MagicMock()
    fetch.side_effect = slow
    assert await fetch(1) == 1
    fetch.assert_called_once_with(1)


def test_run_to_completion_in_a_sync_test():
    job = MagicMock(side_effect=fake_handler)
    assert asyncio.run(job("y")) == "Y"
    job.assert_called_once_with("y")


@pytest.mark.asyncio
async def test_scheduled_as_a_task():
    job = MagicMock(side_effect=fake_handler)
    task = asyncio.ensure_future(job("z"))
    assert await task == "Z"
