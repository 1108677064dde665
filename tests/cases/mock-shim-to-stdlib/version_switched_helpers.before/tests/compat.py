"""Mock objects for every supported Python."""
import sys

if sys.version_info < (3, 8):
    from asynctest.mock import *  # noqa
    AsyncMock = CoroutineMock  # noqa: F405
else:
    from unittest.mock import *  # noqa


def wait_for_calls(mock, count):
    return mock.call_count >= count
