import asyncio
import functools

from app import Protocol, fetch, login


def run(coro):
    return asyncio.run(coro)


def async_test(test):
    """Run an async test function on the current loop."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper


def logged_in(user):
    with asyncio.Runner() as runner:
        session = runner.run(login(user))
        return runner.run(session.profile())


def make_protocol():
    loop = asyncio.get_running_loop()
    return Protocol(loop)


def test_fetch():
    assert run(fetch()) == 1


@async_test
async def test_login():
    assert await login("ann")


def test_profile():
    assert logged_in("ann")["name"] == "ann"


async def test_protocol():
    protocol = make_protocol()
    assert protocol.loop is asyncio.get_running_loop()


async def test_protocol_again():
    assert make_protocol()
