import asyncio


def async_return(value):
    """A Future already holding ``value``: what a MagicMock returns to be awaitable."""
    future = asyncio.Future()
    future.set_result(value)
    return future
