import pytest
from aiohttp import web

from app import db
import inspect


def hello(request):
    return web.Response(text="hello")


def fetch_rows(query):
    # a sync function, or one returning an awaitable: the wrapper awaited that
    return db.cached(query) or db.fetch(query)


@pytest.fixture
def app():
    application = web.Application()
    # the router wants coroutine functions
    async def hello_coroutine(*args, **kwargs):
        result = hello(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    application.router.add_get("/", hello_coroutine)
    return application


async def test_rows(monkeypatch):
    async def fetch_rows_coroutine(*args, **kwargs):
        result = fetch_rows(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    monkeypatch.setattr(db, "execute", fetch_rows_coroutine)
    assert await db.fetch_all("SELECT 1") == [(1,)]


async def hello_coroutine2(*args, **kwargs):
    result = hello(*args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


handler = hello_coroutine2
