import asyncio

import pytest

from app import connect, work


@pytest.fixture
def client():
    # the plugin's loop, shared with the tests
    loop = asyncio.get_event_loop()  # set by pytest-asyncio
    made = loop.run_until_complete(connect())
    yield made
    loop.run_until_complete(made.close())


def test_work_sync():
    # the loop the plugin made
    loop = asyncio.get_event_loop()
    assert loop.run_until_complete(work()) == 1
