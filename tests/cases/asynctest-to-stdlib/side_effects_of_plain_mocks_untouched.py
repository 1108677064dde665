import asyncio
from unittest import mock


def test_magic_mock_returning_a_coroutine_is_left_alone():
    # Not a CoroutineMock: nothing awaited its side effect before either.
    factory = mock.MagicMock(side_effect=lambda: asyncio.sleep(0))
    coroutine = factory()
    coroutine.close()
