from unittest.mock import AsyncMock, MagicMock

import pytest


async def call_with_retries(func, attempts):
    for attempt in range(attempts):
        try:
            return await func(attempt)
        except ConnectionError:
            continue
    raise ConnectionError("gave up")


async def flaky(attempt):
    if attempt == 0:
        raise ConnectionError
    return "ok"


@pytest.mark.asyncio
async def test_retries_until_success():
    fetch = AsyncMock(side_effect=flaky)
    assert await call_with_retries(fetch, 3) == "ok"
    assert fetch.call_count == 2


@pytest.mark.asyncio
async def test_passed_by_keyword():
    fetch = AsyncMock(side_effect=flaky)
    assert await call_with_retries(attempts=2, func=fetch) == "ok"


@pytest.mark.asyncio
async def test_passed_where_it_is_not_awaited():
    on_retry = MagicMock()
    assert await call_with_retries(flaky, 2) == "ok"
    assert callable(on_retry)


@pytest.mark.asyncio
async def test_attribute_awaited_with_awaitable_return_value():
    client = MagicMock()
    client.fetch.return_value = make_awaitable()
    assert await client.fetch() is not None
