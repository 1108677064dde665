import asyncio

import pytest

from app import connect, work
import pytest_asyncio


@pytest_asyncio.fixture
async def client():
    # the plugin's loop, shared with the tests
    # set by pytest-asyncio
    made = await connect()
    yield made
    await made.close()


def test_work_sync():
    # the loop the plugin made
    assert asyncio.run(work()) == 1
