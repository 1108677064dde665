"""Mock objects for every supported Python."""

from unittest.mock import *  # noqa


def wait_for_calls(mock, count):
    return mock.call_count >= count
