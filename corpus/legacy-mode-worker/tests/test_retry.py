import pytest

from jobqueue import RetryPolicy


@pytest.mark.asyncio("module")
async def test_retries_until_success():
    calls = []

    async def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("not yet")
        return "ok"

    assert await RetryPolicy(attempts=3).run(flaky) == "ok"
    assert len(calls) == 3


@pytest.mark.asyncio(scope="module")
async def test_gives_up():
    async def broken():
        raise ValueError("always")

    with pytest.raises(ValueError):
        await RetryPolicy(attempts=2).run(broken)


def test_policy_defaults():
    assert RetryPolicy().attempts == 3
