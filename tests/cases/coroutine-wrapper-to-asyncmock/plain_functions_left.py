import asyncio

import pytest

from app import db, imported_handler


def ticks():
    yield 1


def rebound(query):
    return query


rebound = db.wrap(rebound)


@pytest.fixture
def generator_wrapped(monkeypatch):
    monkeypatch.setattr(db, "ticks", asyncio.coroutine(ticks))


@pytest.fixture
def imported(monkeypatch):
    monkeypatch.setattr(db, "handler", asyncio.coroutine(imported_handler))


@pytest.fixture
def rebound_wrapped(monkeypatch):
    monkeypatch.setattr(db, "execute", asyncio.coroutine(rebound))


class Handlers:
    def plain(self, request):
        return request

    def get(request):
        return request

    get_coroutine = asyncio.coroutine(get)
