import asyncio


def async_return(value):
    """A Future already holding ``value``: what a MagicMock returns to be awaitable."""
    future = asyncio.Future()
    future.set_result(value)
    return future


def async_raise(error):
    """A Future already failed with ``error``."""
    future = asyncio.Future()
    future.set_exception(error)
    return future
