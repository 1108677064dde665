import asyncio


def async_return(value):
    fut = asyncio.Future()
    fut.set_result(value)
    return fut


def async_raise(error):
    fut = asyncio.Future()
    fut.set_exception(error)
    return fut
