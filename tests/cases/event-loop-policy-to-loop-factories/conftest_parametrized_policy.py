import asyncio

import pytest
import uvloop


@pytest.fixture(
    scope="session",
    params=[asyncio.DefaultEventLoopPolicy(), uvloop.EventLoopPolicy()],
)
def event_loop_policy(request):
    return request.param
