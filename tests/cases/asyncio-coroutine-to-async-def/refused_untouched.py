import asyncio


def numbers():
    yield 1
    yield 2


@asyncio.coroutine
def stepper():
    value = yield
    return value


@asyncio.coroutine
def chained():
    total = yield from numbers()
    return total


@asyncio.coroutine
def ticks():
    yield from asyncio.sleep(0)


def test_driven():
    for _ in ticks():
        pass
