"""The byte prefilter's trie-shaped pattern finds what a plain alternation finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from async_test_upgrade import registry
from async_test_upgrade.engine import Prefilter
from async_test_upgrade.textsearch import trie_pattern
from tests.sources import SOURCES, source_id


def _plain(words: set[bytes]) -> re.Pattern[bytes]:
    return re.compile(b"|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@pytest.mark.parametrize(
    ("words", "text"),
    [
        ({b"a", b"ab", b"abc"}, b"xabcx ab a abd"),
        ({b"loop", b"loop=", b"event_loop", b"get_event_loop"}, b"get_event_loop(loop=x)"),
        ({b"async def", b"async with", b"await"}, b"async  def f(): await x; async with y"),
        ({b"(", b"x(", b"."}, b"f(x(y.z))"),
    ],
)
def test_same_matches_as_an_alternation(words: set[bytes], text: bytes) -> None:
    assert re.compile(trie_pattern(words)).findall(text) == _plain(words).findall(text)


@pytest.mark.parametrize("path", SOURCES, ids=source_id)
def test_same_matches_on_real_files(path: Path) -> None:
    prefilter = Prefilter(registry.catalogue())
    assert prefilter.pattern is not None
    words = {t for c in registry.catalogue() for t in c.triggers}
    source = path.read_bytes()
    assert prefilter.pattern.findall(source) == _plain(words).findall(source)
