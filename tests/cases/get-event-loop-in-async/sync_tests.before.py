import asyncio

from app import fetch


def test_chained():
    assert asyncio.get_event_loop().run_until_complete(fetch()) == 1


def test_bound_once(tmp_path):
    loop = asyncio.get_event_loop()
    result = loop.run_until_complete(fetch(tmp_path))
    assert result == 1
