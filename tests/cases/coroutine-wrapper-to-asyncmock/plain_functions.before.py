import asyncio

import pytest
from aiohttp import web

from app import db


def hello(request):
    return web.Response(text="hello")


def fetch_rows(query):
    # a sync function, or one returning an awaitable: the wrapper awaited that
    return db.cached(query) or db.fetch(query)


@pytest.fixture
def app():
    application = web.Application()
    # the router wants coroutine functions
    application.router.add_get("/", asyncio.coroutine(hello))
    return application


async def test_rows(monkeypatch):
    monkeypatch.setattr(db, "execute", asyncio.coroutine(fetch_rows))
    assert await db.fetch_all("SELECT 1") == [(1,)]


handler = asyncio.coroutine(hello)
