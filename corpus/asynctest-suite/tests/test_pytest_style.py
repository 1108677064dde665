"""Newer tests, written with pytest-asyncio but still using asynctest's mocks."""

import asynctest
import pytest

from notifier import Dispatcher, SubscriberStore


@pytest.fixture
def store():
    return SubscriberStore({"t": [("p@example.org", True)]})


@pytest.mark.asyncio
async def test_dispatch_with_pytest_asyncio(store):
    transport = asynctest.Mock()
    transport.send = asynctest.CoroutineMock(return_value=True)
    dispatcher = Dispatcher(store, transport)
    [delivery] = await dispatcher.notify("t", "welcome", name="P")
    assert delivery.ok
    transport.send.assert_awaited_once_with("p@example.org", "Hello P!")


@pytest.mark.asyncio
async def test_close_awaits_the_transport(store):
    transport = asynctest.MagicMock()
    transport.close = asynctest.CoroutineMock()
    await Dispatcher(store, transport).close()
    transport.close.assert_awaited_once()
