import asyncio

import pytest


@pytest.fixture
def settings():
    return {}


@pytest.fixture
async def helper():
    return 1
