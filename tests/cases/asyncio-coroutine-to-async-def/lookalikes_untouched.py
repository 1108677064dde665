import types


def coroutine(func):
    return func


@coroutine
def local_decorator():
    yield from range(3)


@types.coroutine
def legacy_awaitable():
    yield


async def native():
    await legacy_awaitable()
