import asyncio
from unittest.mock import MagicMock


class AsyncMock(MagicMock):
    """Counts awaits itself: more than the plain shape, so it stays."""

    awaits = 0

    async def __call__(self, *args, **kwargs):
        type(self).awaits += 1
        return super().__call__(*args, **kwargs)


class CoroMock:
    async def __call__(self):
        return None


def CoroutineMock(*args, **kwargs):
    inner = MagicMock(*args, **kwargs)

    async def call(*a, **k):
        await asyncio.sleep(0)
        return inner(*a, **k)

    call.mock = inner
    return call
