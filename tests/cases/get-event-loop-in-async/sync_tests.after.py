import asyncio

from app import fetch


def test_chained():
    assert asyncio.run(fetch()) == 1


def test_bound_once(tmp_path):
    result = asyncio.run(fetch(tmp_path))
    assert result == 1
